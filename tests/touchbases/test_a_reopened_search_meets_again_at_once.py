"""A job reopened after it was filled or closed gets its weekly touch-base back at once, in
the reopening's transaction: its page said "agreed again but not set up yet" with a set-up
button until the worker's next loop. A past meeting left unrecorded, whose ask closing the
job cancelled (nobody is chased about a search that is over), is asked of the recruiter
again: with the search back, the meeting is still owed its record."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.followups.models import Ask, AskStatus
from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_update
from closeloop.touchbases.models import TouchbaseSeries
from closeloop.touchbases.services import touchbases_advance

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)


def _panel(client, job) -> str:
    html = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    return html.split('id="tb-heading"')[1].split("</section>")[0]


def test_the_series_is_back_as_the_job_reopens(world, series, login):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    assert not TouchbaseSeries.objects.get(pk=series.pk).active

    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})

    # No worker loop ran: the reopening itself brought the series back.
    assert TouchbaseSeries.objects.get(pk=series.pk).active
    text = _panel(login(world.rita), world.job)
    assert "not set up yet" not in text
    assert "Set up the touch-base series" not in text


def test_a_past_meeting_left_unrecorded_is_asked_again_on_reopening(world, series, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(hours=2))
    touchbases_advance()
    asked = Ask.objects.get(kind="hold_touchbase", status=AskStatus.OPEN)
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    assert not Ask.objects.filter(kind="hold_touchbase", status=AskStatus.OPEN).exists()

    clock.move_to(THURSDAY_14 + dt.timedelta(days=3))
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})

    again = Ask.objects.get(kind="hold_touchbase", status=AskStatus.OPEN)
    assert (again.subject, again.owner_id, again.title) == (
        asked.subject,
        world.rita.pk,
        "Mark the Backend Engineer touch-base of Thu 26 Nov held or skipped",
    )
    # Due from the reopening, not overdue for the days the search was over.
    assert again.opened_at == THURSDAY_14 + dt.timedelta(days=3)
    assert again.due_at > again.opened_at
    # The worker's next loop finds nothing more to open.
    touchbases_advance()
    assert Ask.objects.filter(kind="hold_touchbase", status=AskStatus.OPEN).count() == 1
