"""A pulse round still open when its job was filled or closed is revealed as usual, but the
admins' alert no longer says it is "on their next touch-base agenda": the search ended, and
its meetings with it."""

from __future__ import annotations

import pytest
from pulses_fixtures import *  # noqa: F403  (the pulse fixtures: world on the clock, pulse)

from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_update
from closeloop.notify.models import Message
from closeloop.partnership.pulses.services import pulse_answer_save

NEXT_AGENDA = "It is on their next touch-base agenda too."


def _reveal_with_a_low_score(world, pulse) -> Message:
    pulse_answer_save(round_=pulse, by=world.hank, scores=(2, 4, 4), comment="")
    pulse_answer_save(round_=pulse, by=world.rita, scores=(4, 4, 4), comment="")
    [message] = Message.objects.filter(template="pulse-alert")
    return message


def test_the_alert_of_a_running_search_points_to_the_next_touch_base(world, pulse):
    message = _reveal_with_a_low_score(world, pulse)
    assert NEXT_AGENDA in message.body_text and NEXT_AGENDA in message.body_html


@pytest.mark.parametrize("status", [JobStatus.FILLED, JobStatus.CLOSED])
def test_the_alert_of_an_ended_search_promises_no_touch_base(world, pulse, status):
    job_update(job=world.job, by=world.rita, data={"status": status})
    message = _reveal_with_a_low_score(world, pulse)
    said = (
        f"The search has ended (the job is {status.label.lower()}), so no touch-base agenda "
        "carries it: raise it with them directly."
    )
    for body in (message.body_text, message.body_html):
        assert NEXT_AGENDA not in body
        assert said in body
