"""Reads of asks, with their permission filters."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from closeloop.followups.models import Ask, AskStatus

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job

# Waiting-clock asks appear in a queue only once news is actually due.
QUIET_UNTIL_DUE = {"update_candidate"}


def ask_get_for_owner(*, user: User, pk: int) -> Ask:
    """One of the user's own open asks, or 404."""
    ask = Ask.objects.filter(pk=pk, owner=user, status=AskStatus.OPEN).first()
    if ask is None:
        raise Http404("No such request.")
    return ask


def _visible_now(now: dt.datetime) -> Q:
    return ~Q(kind__in=QUIET_UNTIL_DUE) | Q(due_at__lte=now)


def asks_owed_by(*, user: User, limit: int = 200) -> list[Ask]:
    """What the user owes, oldest due first."""
    now = timezone.now()
    return list(
        Ask.objects.filter(_visible_now(now), owner=user, status=AskStatus.OPEN)
        .select_related("job", "application__candidate", "requested_by", "original_owner")
        .order_by("due_at", "pk")[:limit]
    )


def asks_owed_to(*, user: User, limit: int = 200) -> list[Ask]:
    """What others owe on the jobs the user runs (recruiter, coordinator or HM)."""
    now = timezone.now()
    return list(
        Ask.objects.filter(_visible_now(now), status=AskStatus.OPEN)
        .filter(Q(job__recruiter=user) | Q(job__coordinator=user) | Q(job__hiring_manager=user))
        .exclude(owner=user)
        .select_related("job", "owner", "application__candidate")
        .order_by("due_at", "pk")[:limit]
    )


def asks_for_job(*, job: Job) -> QuerySet[Ask]:
    """Open asks on a job: who the pipeline waits on."""
    return (
        Ask.objects.filter(job=job, status=AskStatus.OPEN)
        .filter(_visible_now(timezone.now()))
        .select_related("owner", "application__candidate")
        .order_by("due_at", "pk")
    )
