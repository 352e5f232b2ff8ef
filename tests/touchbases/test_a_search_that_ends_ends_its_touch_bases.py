"""A job set Filled or Closed ends its touch-bases with the search: the series' cancellation
says the job was filled or closed (not that "no cadence is agreed")."""

from __future__ import annotations

import pytest

from closeloop.activity.models import Activity
from closeloop.jobs.models import JobOutcome, JobStatus
from closeloop.jobs.services import job_update
from closeloop.notify.models import Message
from closeloop.touchbases.models import TouchbaseSeries
from closeloop.touchbases.services import series_sync

ENDINGS = [
    ({"status": JobStatus.FILLED}, "filled"),
    ({"status": JobStatus.CLOSED, "outcome": JobOutcome.CANCELLED}, "closed"),
]


def _cancellations(person) -> list[Message]:
    return [
        message
        for message in Message.objects.filter(recipient=person, template="touchbase-invite")
        if message.subject.startswith("Cancelled")
    ]


@pytest.mark.parametrize(("data", "said"), ENDINGS)
def test_the_series_cancellation_says_the_job_ended(world, series, data, said):
    job_update(job=world.job, by=world.rita, data=data)

    # At once, in the close's transaction, not on the worker's next loop.
    assert not TouchbaseSeries.objects.get(pk=series.pk).active
    for person in (world.rita, world.hank):
        (message,) = _cancellations(person)
        assert (
            "on Backend Engineer has ended: the job was "
            f"{said}, so the meetings end with the search." in message.body_text
        )
        assert "no cadence" not in message.body_text + message.body_html
    stopped = Activity.objects.get(kind="closeloop.touchbase.series_stopped")
    assert stopped.summary == (
        f"Touch-base series ended: the job was {said}, so the meetings end with the search"
    )


def test_a_removed_cadence_still_says_so(world, series):
    world.job.touchbase_weekday = None
    world.job.save()
    series_sync(job=world.job, by=world.rita)
    (message,) = _cancellations(world.hank)
    assert "has ended: no cadence is agreed any more." in message.body_text
