"""A weekly touch-base set outside the working hours of the recruiter or the HM is saved
with a warning, as a booked interview is (said, not refused), on the cadence step and on
the review page."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse
from intake_helpers import cadence_post

from closeloop.intake.models import IntakeVersion


@pytest.fixture
def zoned(world):
    """Rita works in London, Hank in Berlin, both Monday to Friday 9 to 5."""
    for person, zone in ((world.rita, "Europe/London"), (world.hank, "Europe/Berlin")):
        person.time_zone = zone
        person.save(update_fields=["time_zone"])
    return world


def _save_cadence(client, job, **cadence):
    url = reverse("intake:draft-step", kwargs={"pk": job.pk, "step": "cadence"})
    response = client.post(url, {**cadence_post(**cadence), "go": "stay"}, follow=True)
    review = client.get(reverse("intake:draft-step", kwargs={"pk": job.pk, "step": "review"}))
    return unescape(response.content.decode()), unescape(review.content.decode())


@pytest.mark.parametrize(
    ("cadence", "said"),
    [
        (
            {"touchbase_weekday": "1", "touchbase_time": "23:30",
             "touchbase_time_zone": "Europe/London"},
            "Outside the working hours of Rita Recruiter (Tue 23:30, Europe/London) and "
            "Hank Manager (Wed 00:30, Europe/Berlin).",
        ),
        (
            {"touchbase_weekday": "5", "touchbase_time": "10:00",
             "touchbase_time_zone": "Europe/Berlin"},
            "Outside the working hours of Rita Recruiter (Sat 09:00, Europe/London) and "
            "Hank Manager (Sat 10:00, Europe/Berlin).",
        ),
        (
            {"touchbase_weekday": "1", "touchbase_time": "16:45",
             "touchbase_time_zone": "Europe/Berlin"},
            "Outside the working hours of Hank Manager (Tue 16:45, Europe/Berlin).",
        ),
    ],
)  # fmt: skip
def test_a_cadence_outside_working_hours_is_saved_with_a_warning(
    cadence, said, zoned, drafted, login
):
    step, review = _save_cadence(login(zoned.rita), zoned.job, **cadence)
    assert said in step
    assert said in review
    saved = IntakeVersion.objects.get(pk=drafted.pk)
    assert saved.touchbase_weekday == int(cadence["touchbase_weekday"])  # not refused


def test_a_cadence_inside_both_working_days_says_nothing(zoned, drafted, login):
    step, review = _save_cadence(
        login(zoned.rita), zoned.job, touchbase_weekday="1", touchbase_time="10:00",
        touchbase_time_zone="Europe/Berlin",
    )  # fmt: skip
    assert "Outside the working hours" not in step + review
