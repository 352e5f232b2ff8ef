"""The job page lists the debriefs waiting longest for a decision and links the job's
debriefs page, which lists them all a page at a time, for the hiring team only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from closeloop.followups.models import Ask
from closeloop.interviews.models import Debrief, DebriefOpenedBecause, DebriefStatus
from closeloop.interviews.selectors import JOB_PANEL_DEBRIEFS, debriefs_waiting
from closeloop.pipeline.models import Application, ApplicationStatus

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def debrief(application: Application, number: int, **extra) -> Debrief:
    opened = MONDAY_10 - dt.timedelta(hours=number)
    return Debrief.objects.create(
        application=application,
        round_name=f"Round {number}",
        opened_at=opened,
        opened_because=DebriefOpenedBecause.ALL_IN,
        last_interview_ended_at=opened,
        **extra,
    )


@pytest.fixture
def waiting(world):
    """55 debriefs of the job waiting (open or on hold), and three that do not: decided, of
    a withdrawn candidate, and of another job."""
    for number in range(1, 41):
        debrief(world.interviewed, number)
    for number in range(41, 56):
        debrief(world.sourced, number, status=DebriefStatus.HELD)
    debrief(world.interviewed, 99, status=DebriefStatus.DECIDED)
    withdrawn = Application.objects.create(
        candidate=world.other_application.candidate, job=world.job, stage=world.job.stages.first()
    )
    debrief(world.other_application, 98)
    debrief(withdrawn, 97)
    Application.objects.filter(pk=withdrawn.pk).update(status=ApplicationStatus.WITHDRAWN)
    return Debrief.objects.filter(
        application__job=world.job,
        application__status=ApplicationStatus.ACTIVE,
        status__in=[DebriefStatus.OPEN, DebriefStatus.HELD],
    ).order_by("opened_at", "pk")


def test_the_panel_holds_the_ten_waiting_longest_and_counts_them_all(world, waiting):
    shown = debriefs_waiting(user=world.hank, job=world.job)
    assert [d.pk for d in shown.rows] == [d.pk for d in waiting[:JOB_PANEL_DEBRIEFS]]
    assert shown.rows[0].round_name == "Round 55"  # opened first
    assert (shown.total, shown.hidden) == (55, 45)
    # ivy sits on a panel of the job but is not on its hiring team: no debriefs to follow.
    assert debriefs_waiting(user=world.ivy, job=world.job).total == 0


def test_the_job_page_links_the_rest_and_the_debriefs_page_pages_them(world, waiting, login):
    client = login(world.rita)
    job_page = client.get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    link = reverse("interviews:job-debriefs", args=[world.job.pk])
    assert f'href="{link}">All 55 debriefs waiting for a decision</a>' in job_page
    panel = job_page[job_page.index('id="iv-debrief-heading"') :]
    assert panel[: panel.index("</ul>")].count('class="iv-item"') == JOB_PANEL_DEBRIEFS

    first = client.get(link)
    assert first.status_code == 200
    body = first.content.decode()
    assert body.count('class="iv-item"') == 50
    assert "Page 1 of 2" in body and "55 debriefs" in body
    second = client.get(link, {"page": 2}).content.decode()
    assert second.count('class="iv-item"') == 5
    last = waiting.last()
    assert reverse("interviews:debrief-detail", args=[last.pk]) in second


def test_others_see_no_debriefs_and_an_outsider_no_page(world, waiting, login):
    link = reverse("interviews:job-debriefs", args=[world.job.pk])
    seen = login(world.ivy).get(link)
    assert seen.status_code == 200
    body = seen.content.decode()
    assert 'class="iv-item"' not in body
    assert "Debrief decisions are followed by the job’s hiring team" in body
    assert login(world.olga).get(link).status_code == 404


def test_a_job_with_few_waiting_has_no_link(world, login):
    debrief(world.interviewed, 1)
    job_page = login(world.hank).get(reverse("jobs:job-detail", args=[world.job.pk]))
    html = job_page.content.decode()
    assert "Round 1 debrief" in html
    assert reverse("interviews:job-debriefs", args=[world.job.pk]) not in html


def test_a_debrief_waits_from_its_rounds_end_not_from_when_it_opened(world, login):
    """The worker opened one debrief days after its round (a missing scorecard): it has
    waited longest, and says since when as the HM's ask and the queue do."""
    late = debrief(world.interviewed, 1)
    Debrief.objects.filter(pk=late.pk).update(
        opened_at=MONDAY_10 - dt.timedelta(minutes=1),
        last_interview_ended_at=MONDAY_10 - dt.timedelta(days=4),
    )
    early = debrief(world.sourced, 30)
    shown = debriefs_waiting(user=world.hank, job=world.job)
    assert [d.pk for d in shown.rows] == [late.pk, early.pk]
    page = login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    assert "waiting 4 days · since the round ended" in page


def _decide_ask(world, debrief: Debrief, opened_at: dt.datetime) -> Ask:
    return Ask.objects.create(
        kind="decide_after_debrief", subject=debrief.subject, title="Decide", owner=world.hank,
        job=world.job, application=debrief.application, opened_at=opened_at,
        due_at=opened_at + dt.timedelta(days=2),
    )  # fmt: skip


def test_a_debrief_opened_too_late_waits_from_its_opening_as_its_ask_and_the_queue_say(
    world, login
):
    """A debrief the worker opened 9 days after its round: its decision is owed from the
    opening (the ask counts from there, and so do My queue and the application page), so
    the panel does not say the hiring manager has kept the candidate waiting 9 days; it
    names the round's end beside it. One opened in time counts from the round's end."""
    late = debrief(world.interviewed, 1)
    Debrief.objects.filter(pk=late.pk).update(
        opened_at=MONDAY_10 - dt.timedelta(minutes=5),
        last_interview_ended_at=MONDAY_10 - dt.timedelta(days=9),
    )
    _decide_ask(world, late, MONDAY_10 - dt.timedelta(minutes=5))
    in_time = debrief(world.sourced, 30)
    _decide_ask(world, in_time, in_time.last_interview_ended_at)
    with time_machine.travel(MONDAY_10, tick=False):
        page = login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk]))
    html = " ".join(page.content.decode().split())
    assert "waiting 5 min · since the debrief opened" in html
    assert "(the round ended" in html
    assert "waiting 30 h · since the round ended" in html
