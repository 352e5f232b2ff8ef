"""A reopened candidate is back in play: the outcome a rejection left to tell is no longer
owed, the recruiter owes them news again, and every clock starts at the reopening."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from closeloop.followups.models import Ask, AskStatus
from closeloop.pipeline.selectors import job_application_page
from closeloop.pipeline.services import application_reject, application_reopen, application_withdraw

NEWS_ASKS = ("inform_candidate", "update_candidate")


def asks_about(application) -> list[tuple[str, str, str]]:
    return list(
        Ask.objects.filter(application=application, kind__in=NEWS_ASKS)
        .order_by("pk")
        .values_list("kind", "status", "closed_via")
    )


def test_reopening_a_rejected_candidate_ends_the_outcome_task_and_starts_the_news_clock(
    world, login
):
    sam = world.sourced
    application_reject(application=sam, by=world.rita, reason="skills")
    reopened_at = timezone.now() + dt.timedelta(days=3)
    with time_machine.travel(reopened_at, tick=False):
        application_reopen(application=sam, by=world.rita)

        assert asks_about(sam) == [
            ("update_candidate", AskStatus.CANCELLED, "decided"),  # at the rejection
            ("inform_candidate", AskStatus.CANCELLED, "reopened"),
            ("update_candidate", AskStatus.OPEN, ""),
        ]
        news = Ask.objects.get(application=sam, kind="update_candidate", status=AskStatus.OPEN)
        assert (news.owner, news.opened_at) == (world.rita, reopened_at)

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
