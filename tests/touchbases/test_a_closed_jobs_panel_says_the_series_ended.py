"""A filled or closed job's touch-base panel says the series ended with the search, offers no
set-up, and the set-up itself says the same (never "no cadence is agreed" beside an
agreement that names one)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.jobs.models import JobOutcome, JobStatus
from closeloop.jobs.services import job_update
from closeloop.touchbases.models import TouchbaseSeries
from closeloop.touchbases.services import series_set_up, series_sync_due


def panel(client, job) -> str:
    html = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    return html.split('id="tb-heading"')[1].split("</section>")[0]


def close(world, status=JobStatus.CLOSED, outcome=JobOutcome.CANCELLED):
    data = {"status": status, "outcome": outcome} if status == JobStatus.CLOSED else {}
    job_update(job=world.job, by=world.rita, data=data or {"status": status})


@pytest.mark.parametrize("status", [JobStatus.CLOSED, JobStatus.FILLED])
def test_a_closed_jobs_panel_says_the_series_ended_with_the_search(world, series, login, status):
    close(world, status)
    series_sync_due()  # the worker's step stops the series
    assert not TouchbaseSeries.objects.get(pk=series.pk).active

    text = panel(login(world.rita), world.job)
    label = "closed" if status == JobStatus.CLOSED else "filled"
    assert f"The weekly touch-base ended with the search: the job is {label}." in text
    assert "not set up yet" not in text
    assert "Set up the touch-base series" not in text
    assert "Sync with the agreed cadence" not in text


def test_setting_up_a_closed_jobs_series_says_it_ended_with_the_search(world, series, login):
    close(world)
    series_sync_due()
    with pytest.raises(ValidationError, match="ended with the search") as refused:
        series_set_up(job=world.job, by=world.rita)
    assert "No touch-base cadence" not in str(refused.value)

    response = login(world.rita).post(
        reverse("touchbases:series-set-up", args=[world.job.pk]), follow=True
    )
    said = [str(message) for message in response.context["messages"]]
    assert said == [
        "Backend Engineer is closed: the touch-base series ended with the search. "
        "Reopen the job to meet again."
    ]


def test_a_closed_job_that_never_met_says_so_and_offers_nothing(world, cadence, login):
    close(world)
    text = panel(login(world.rita), world.job)
    assert "No touch-base: the search has ended: the job is closed." in text
    assert "Set up the touch-base series" not in text and "not set up yet" not in text


def test_reopening_the_job_runs_the_series_again(world, series, login):
    close(world)
    series_sync_due()
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})
    text = panel(login(world.rita), world.job)
    # Back at once (the touch-bases' job_reopened receiver), nothing left to set up.
    assert "Open the next touch-base" in text
    assert "not set up yet" not in text
    assert "Set up the touch-base series" not in text
