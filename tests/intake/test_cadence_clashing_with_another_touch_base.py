"""A weekly touch-base set on a slot the same two people already meet in, for another job, is
saved with a warning naming that touch-base, as one outside working hours is (said, not
refused), on the cadence step and on the review page.

rita and hank also run "Site Reliability Engineer", whose touch-base meets Tuesdays 11:30
Berlin time for 30 minutes.
"""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse
from intake_helpers import cadence_post

from closeloop.intake.models import IntakeVersion
from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_create
from closeloop.touchbases.services import series_sync

SAID = (
    "Clashes with the Site Reliability Engineer touch-base (Tuesdays 11:30–12:00, "
    "Europe/Berlin) that Rita Recruiter and Hank Manager already have."
)


def _job_meeting(world, title, recruiter, hiring_manager, *, weekday=1, at=dt.time(11, 30)):
    job = job_create(
        by=world.ada,
        data={"title": title, "status": JobStatus.OPEN, "recruiter": recruiter,
              "hiring_manager": hiring_manager},
    )  # fmt: skip
    job.touchbase_weekday, job.touchbase_time = weekday, at
    job.touchbase_minutes, job.touchbase_time_zone = 30, "Europe/Berlin"
    job.save()
    series_sync(job=job, by=recruiter)
    return job


@pytest.fixture
def sre(world):
    return _job_meeting(world, "Site Reliability Engineer", world.rita, world.hank)


def _save_cadence(client, job, **cadence):
    url = reverse("intake:draft-step", kwargs={"pk": job.pk, "step": "cadence"})
    response = client.post(url, {**cadence_post(**cadence), "go": "stay"}, follow=True)
    review = client.get(reverse("intake:draft-step", kwargs={"pk": job.pk, "step": "review"}))
    return unescape(response.content.decode()), unescape(review.content.decode())


@pytest.mark.parametrize(
    ("cadence"),
    [
        {"touchbase_time": "11:30", "touchbase_time_zone": "Europe/Berlin"},
        {"touchbase_time": "11:45", "touchbase_time_zone": "Europe/Berlin"},
        {"touchbase_time": "11:15", "touchbase_time_zone": "Europe/Berlin"},
        # The same moment given in London's time.
        {"touchbase_time": "10:30", "touchbase_time_zone": "Europe/London"},
    ],
)
def test_a_slot_overlapping_their_other_touch_base_is_saved_with_a_warning(
    cadence, world, sre, drafted, login
):
    step, review = _save_cadence(login(world.rita), world.job, touchbase_weekday="1", **cadence)
    assert SAID in step
    assert SAID in review
    saved = IntakeVersion.objects.get(pk=drafted.pk)
    assert saved.touchbase_weekday == 1  # not refused


@pytest.mark.parametrize(
    ("cadence"),
    [
        {"touchbase_weekday": "1", "touchbase_time": "12:00"},  # right after it
        {"touchbase_weekday": "1", "touchbase_time": "11:00"},  # right before it
        {"touchbase_weekday": "2", "touchbase_time": "11:30"},  # another day
    ],
)
def test_a_slot_next_to_it_says_nothing(cadence, world, sre, drafted, login):
    step, review = _save_cadence(
        login(world.rita), world.job, touchbase_time_zone="Europe/Berlin", **cadence
    )
    assert "Clashes with" not in step + review


def test_other_peoples_touch_bases_and_ended_ones_do_not_count(world, drafted, login):
    _job_meeting(world, "Support Lead", world.rita, world.olga)  # rita with someone else
    ended = _job_meeting(world, "Site Reliability Engineer", world.rita, world.hank)
    ended.touchbase_weekday = None
    ended.save()
    series_sync(job=ended, by=world.rita)  # its cadence taken out: the series ended
    step, review = _save_cadence(
        login(world.rita), world.job, touchbase_weekday="1", touchbase_time="11:30",
        touchbase_time_zone="Europe/Berlin",
    )  # fmt: skip
    assert "Clashes with" not in step + review


def test_both_warnings_are_said_together(world, drafted, login):
    # Their other touch-base meets on Saturdays, outside both their working weeks.
    _job_meeting(world, "Weekend Ops", world.rita, world.hank, weekday=5, at=dt.time(10, 0))
    step, review = _save_cadence(
        login(world.rita), world.job, touchbase_weekday="5", touchbase_time="10:00",
        touchbase_time_zone="Europe/Berlin",
    )  # fmt: skip
    for page in (step, review):
        assert "Outside the working hours of Rita Recruiter" in page
        assert (
            "Clashes with the Weekend Ops touch-base (Saturdays 10:00–10:30, Europe/Berlin) "
            "that Rita Recruiter and Hank Manager already have. Choose another time if it "
            "does not suit them."
        ) in page
