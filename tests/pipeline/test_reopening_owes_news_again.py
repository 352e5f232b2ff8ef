"""A reopened candidate is back in play: the outcome a rejection left to tell is no longer
owed, and the recruiter owes them news again, from when that news was really owed (the
clock of whose move it is starts at the reopening)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from closeloop.followups.engine import asks_advance
from closeloop.followups.models import Ask, AskStatus
from closeloop.pipeline.models import Application
from closeloop.pipeline.selectors import job_application_page
from closeloop.pipeline.services import (
    application_reject,
    application_reopen,
    application_withdraw,
    candidate_updated,
)

NEWS_ASKS = ("inform_candidate", "update_candidate")


def asks_about(application) -> list[tuple[str, str, str]]:
    return list(
        Ask.objects.filter(application=application, kind__in=NEWS_ASKS)
        .order_by("pk")
        .values_list("kind", "status", "closed_via")
    )


def test_reopening_a_rejected_candidate_ends_the_outcome_task_and_the_news_owed_carries_on(
    world, login
):
    sam = world.sourced
    owed = Ask.objects.get(application=sam, kind="update_candidate", status=AskStatus.OPEN)
    application_reject(application=sam, by=world.rita, reason="skills")
    reopened_at = timezone.now() + dt.timedelta(days=3)
    with time_machine.travel(reopened_at, tick=False):
        application_reopen(application=sam, by=world.rita)

        assert asks_about(sam) == [
            ("update_candidate", AskStatus.OPEN, ""),  # the news owed before the rejection
            ("inform_candidate", AskStatus.CANCELLED, "reopened"),
        ]
        news = Ask.objects.get(application=sam, kind="update_candidate", status=AskStatus.OPEN)
        assert (news.pk, news.owner, news.opened_at) == (owed.pk, world.rita, owed.opened_at)
        assert news.due_at == owed.due_at

        client = login(world.rita)
        detail = client.get(reverse("pipeline:application-detail", args=[sam.pk]))
        owed = detail.content.decode().split('id="asks-title"')[1].split("</section>")[0]
        assert "Give Sam Sourced news (Backend Engineer)" in owed
        assert "the outcome" not in owed
        queue = client.get(reverse("pipeline:queue")).content.decode()
        assert "Tell Sam Sourced the outcome" not in queue  # news not yet due is not listed

        rows = job_application_page(user=world.rita, job=world.job).rows
        row = next(row for row in rows if row.pk == sam.pk)
        assert row.waited_since == reopened_at


def test_reopening_a_withdrawn_candidate_starts_their_news_clock_again(world):
    sam = world.sourced
    application_withdraw(application=sam, by=world.rita, reason="other_offer")
    application_reopen(application=sam, by=world.rita)
    assert asks_about(sam) == [
        ("update_candidate", AskStatus.CANCELLED, "candidate withdrew"),
        ("update_candidate", AskStatus.OPEN, ""),
    ]


def test_rejecting_and_reopening_leaves_overdue_news_overdue_and_its_ladder_where_it_was(
    world, login
):
    sam = world.sourced
    owed = Ask.objects.get(application=sam, kind="update_candidate", status=AskStatus.OPEN)
    later = timezone.now() + dt.timedelta(days=10)
    with time_machine.travel(later, tick=False):
        asks_advance(now=later)  # the reminders and escalation of ten days
        owed.refresh_from_db()
        assert owed.is_overdue() and owed.steps_done > 0
        application_reject(application=sam, by=world.rita, reason="skills")
        application_reopen(application=Application.objects.get(pk=sam.pk), by=world.rita)

        news = Ask.objects.get(application=sam, kind="update_candidate", status=AskStatus.OPEN)
        assert news.pk == owed.pk
        assert (news.opened_at, news.due_at) == (owed.opened_at, owed.due_at)
        assert (news.steps_done, news.level) == (owed.steps_done, owed.level)
        assert news.next_nudge_at == owed.next_nudge_at
        assert news.is_overdue()
        assert asks_advance(now=later).handled == 0  # no reminder sent again


def test_news_given_while_closed_starts_the_clock_again_at_the_reopening(world):
    sam = world.sourced
    application_reject(application=sam, by=world.rita, reason="skills")
    candidate_updated(application=Application.objects.get(pk=sam.pk), by=world.rita)
    reopened_at = timezone.now() + dt.timedelta(days=1)
    with time_machine.travel(reopened_at, tick=False):
        application_reopen(application=Application.objects.get(pk=sam.pk), by=world.rita)
    news = Ask.objects.get(application=sam, kind="update_candidate", status=AskStatus.OPEN)
    assert news.opened_at == reopened_at
    assert asks_about(sam) == [
        ("update_candidate", AskStatus.CANCELLED, "decided"),
        ("inform_candidate", AskStatus.DONE, "app"),
        ("update_candidate", AskStatus.OPEN, ""),
    ]


def test_a_new_recruiter_is_owed_the_news_from_when_it_was_owed(world):
    sam = world.sourced
    owed = Ask.objects.get(application=sam, kind="update_candidate", status=AskStatus.OPEN)
    application_reject(application=sam, by=world.rita, reason="skills")
    world.job.recruiter = world.ada
    world.job.save(update_fields=["recruiter"])
    application_reopen(application=Application.objects.get(pk=sam.pk), by=world.ada)
    news = Ask.objects.get(application=sam, kind="update_candidate", status=AskStatus.OPEN)
    assert (news.owner, news.opened_at) == (world.ada, owed.opened_at)
