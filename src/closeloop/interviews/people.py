"""What a person's deactivation leaves to do in interviews: the interviews still to come with
them on the panel (docs/architecture.md#people). Plugged into accounts' deactivation page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.hooks import Impact, ImpactLink
from closeloop.interviews.models import Interview, InterviewStatus

if TYPE_CHECKING:
    from closeloop.accounts.models import User

SHOWN = 10  # the deactivation page lists the soonest; the rest are counted


def deactivation_interviews_impact(*, user: User, by: User) -> list[Impact]:
    """Interviews still to come with the person on the panel: their candidates wait on
    them until someone else takes the seat (they are not moved automatically: the panel is
    chosen for the round)."""
    upcoming = Interview.objects.filter(
        interviewers=user, status=InterviewStatus.SCHEDULED, starts_at__gte=timezone.now()
    ).order_by("starts_at", "pk")
    count = upcoming.count()
    if not count:
        return []
    rows = upcoming.select_related("application__candidate")[:SHOWN]
    links = tuple(
        ImpactLink(
            f"{interview.application.candidate.full_name}, {interview.round_name} "
            f"({interview.starts_at:%a %d %b})",
            reverse("interviews:interview-reschedule", args=[interview.pk]),
        )
        for interview in rows
    )
    more = f" (the {SHOWN} soonest below)" if count > SHOWN else ""
    return [
        Impact(
            f"{count} interview{'s' if count != 1 else ''} still to come "
            f"{'have' if count != 1 else 'has'} {user} on the panel{more}.",
            action="Give each one another interviewer:",
            links=links,
        )
    ]
