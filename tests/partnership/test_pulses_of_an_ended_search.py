"""A pulse round still open when its job is filled or closed ends with the search: nobody is
chased for scores about a search that is over (the unanswered asks are cancelled), the
answers already given are kept, and the round reads as ended with the search. The job form
says so before the close. Reopened, the job gets its next round on the usual cadence, counted
from the reopening; and an alert the round raises no longer says it is "on their next
touch-base agenda" nor asks for a conversation: the search ended, and its meetings with it,
so the alert gives the round's scores as final."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from pulses_fixtures import *  # noqa: F403  (the pulse fixtures: world on the clock, pulse)

from closeloop.followups.models import Ask, AskStatus
from closeloop.intake.models import IntakeStatus, IntakeVersion
from closeloop.jobs.models import JobOutcome, JobStatus
from closeloop.jobs.services import job_update
from closeloop.lib.sweep import Swept
from closeloop.notify.models import Message
from closeloop.partnership.pulses.models import PulseRound, RevealReason
from closeloop.partnership.pulses.services import (
    pulse_answer_refusal,
    pulse_answer_save,
    pulse_rounds_open_due,
)
from closeloop.pipeline.models import Application, ApplicationStatus
from page_forms import job_edit_post

NEXT_AGENDA = "It is on their next touch-base agenda too."
ENDINGS = [
    ({"status": JobStatus.FILLED}, "filled"),
    ({"status": JobStatus.CLOSED, "outcome": JobOutcome.CANCELLED}, "closed"),
]


def _ask(pulse, side) -> Ask:
    return Ask.objects.get(kind="answer_pulse", subject=f"pulse:{pulse.pk}:{side}")


@pytest.mark.parametrize(("data", "word"), ENDINGS)
def test_the_open_round_ends_with_the_search_and_chases_nobody(world, pulse, data, word):
    pulse_answer_save(round_=pulse, by=world.hank, scores=(4, 3, 4), comment="Fine")

    job_update(job=world.job, by=world.rita, data=data)

    rita_ask = _ask(pulse, "recruiter")
    assert rita_ask.status == AskStatus.CANCELLED and rita_ask.next_nudge_at is None
    assert rita_ask.closed_via == f"the job was {word}"
    assert _ask(pulse, "hiring_manager").status == AskStatus.DONE  # hank's answer stands
    pulse.refresh_from_db()
    assert pulse.revealed_at is not None and pulse.reveal_reason == RevealReason.JOB_ENDED
    assert [answer.scores for answer in pulse.answers.all()] == [(4, 3, 4)]
    assert pulse_answer_refusal(pulse, pulse.revealed_at) == (
        "This pulse round ended with the search: nobody is asked for scores any more, and "
        "the answers given are final."
    )


def test_the_round_reads_as_ended_with_the_search(world, pulse, login):
    pulse_answer_save(round_=pulse, by=world.hank, scores=(4, 3, 4), comment="")
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    html = login(world.rita).get(reverse("partnership:pulse-job", args=[world.job.pk]))
    round_ = html.content.decode().split('class="pulse-round"')[1].split("</article>")[0]
    assert "Ended with the search" in round_ and "Revealed" not in round_
    assert "No answer in this round." in round_  # rita's side


def test_the_job_form_says_the_round_ends_and_the_message_says_it_did(world, pulse, login):
    # No active candidate and no action item: the open round alone asks for the tick.
    Application.objects.filter(job=world.job).update(status=ApplicationStatus.REJECTED)
    pulse_answer_save(round_=pulse, by=world.hank, scores=(4, 3, 4), comment="")
    client = login(world.rita)
    url = reverse("jobs:job-edit", args=[world.job.pk])
    page = client.get(url).content.decode()
    assert "When I set it Filled or Closed, end its open pulse round too" in page
    assert (
        "Pulse round 1 ends with the search: you are no longer asked for scores; "
        "the answers already given are kept." in page
    )
    unticked = job_edit_post(client, world.job, status=JobStatus.FILLED)
    assert unticked.status_code == 400  # the box unticked
    assert _ask(pulse, "recruiter").status == AskStatus.OPEN
    saved = job_edit_post(client, world.job, status=JobStatus.FILLED, ending_confirmed="on")
    shown = client.get(saved["Location"]).content.decode()
    assert "Pulse round 1 ended with the search: you are no longer asked for scores." in shown


def test_with_nothing_to_cancel_the_form_says_nothing_of_pulses(world, login):
    url = reverse("jobs:job-edit", args=[world.job.pk])
    assert "pulse" not in login(world.rita).get(url).content.decode().lower()


def test_reopened_the_next_round_comes_a_cadence_after_the_reopening(world, pulse, clock):
    IntakeVersion.objects.create(
        job=world.other_job, number=1, title="Other", status=IntakeStatus.SIGNED, pulse_weeks=0
    )  # only world.job's rounds here
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    reopened = pulse.opened_at + dt.timedelta(weeks=5)
    clock.move_to(reopened)
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})

    # Five weeks after round 1 opened, but the search has only just begun again.
    assert pulse_rounds_open_due() == Swept()
    clock.move_to(reopened + dt.timedelta(weeks=2) - dt.timedelta(minutes=1))
    assert pulse_rounds_open_due() == Swept()
    clock.move_to(reopened + dt.timedelta(weeks=2))
    assert pulse_rounds_open_due() == Swept(handled=1)
    assert list(PulseRound.objects.values_list("number", flat=True)) == [2, 1]


@pytest.mark.parametrize(("data", "word"), ENDINGS)
def test_a_low_score_given_before_the_close_is_told_as_final_without_a_follow_up(
    world, pulse, data, word
):
    pulse_answer_save(round_=pulse, by=world.hank, scores=(2, 4, 4), comment="")
    job_update(job=world.job, by=world.rita, data=data)
    [message] = Message.objects.filter(template="pulse-alert")
    assert message.subject == (
        "Final pulse scores on Backend Engineer (the search ended): "
        "Quality of the slate for Rita Recruiter: 2"
    )
    ended = f"ended with the search (the job was {word}) with these scores flagged:"
    final = (
        "These are the round's final scores, for the record: the search is over, so no "
        "touch-base takes them up and nothing more is asked of anyone about it."
    )
    for body in (message.body_text, message.body_html):
        assert ended in body and final in body
        # Nothing promises a follow-up on a search that is over.
        for promise in (NEXT_AGENDA, "worth a conversation", "raise it", "Open the pulse"):
            assert promise not in body


def test_the_alert_of_a_running_search_points_to_the_next_touch_base(world, pulse):
    pulse_answer_save(round_=pulse, by=world.hank, scores=(2, 4, 4), comment="")
    pulse_answer_save(round_=pulse, by=world.rita, scores=(4, 4, 4), comment="")
    [message] = Message.objects.filter(template="pulse-alert")
    assert NEXT_AGENDA in message.body_text and NEXT_AGENDA in message.body_html
