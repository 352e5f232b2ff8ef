"""A page names its reader "you": hank reads his own pass as "Passed by you … Missed in your
view", rita reads the badge of a submission waiting on her as "Waiting for your answer"; each
reads the other by name."""

from __future__ import annotations

import html

from closeloop.pipeline.models import Closeness
from closeloop.pipeline.services import (
    Calibration,
    question_answer,
    submission_ask_question,
    submission_decide,
)


def page(client, application) -> str:
    return html.unescape(client.get(f"/applications/{application.pk}/").content.decode())


def test_hank_reads_his_own_pass_as_yours(world, login, submitted):
    submission_decide(
        submission=submitted,
        by=world.hank,
        decision="passed",
        reason="skills",
        calibration=Calibration(Closeness.SOME_WAY_OFF, ("Python",), "Wanted more Postgres"),
    )
    hanks = page(login(world.hank), world.interviewed)
    assert "Passed by you" in hanks and "Missed in your view: PostgreSQL" in hanks
    assert "Hank's view" not in hanks and "by Hank Manager" not in hanks
    ritas = page(login(world.rita), world.interviewed)
    assert "Passed by Hank Manager" in ritas and "Missed in Hank's view: PostgreSQL" in ritas


def test_rita_reads_the_question_waiting_on_her_as_her_answer(world, login, submitted):
    submission_ask_question(submission=submitted, by=world.hank, text="Has she done on-call?")
    ritas = page(login(world.rita), world.interviewed)
    assert "Waiting for your answer" in ritas and "Waiting for Rita's answer" not in ritas
    assert "Submitted by you" in ritas
    hanks = page(login(world.hank), world.interviewed)
    assert "Waiting for Rita's answer" in hanks and "Submitted by Rita Recruiter" in hanks


def test_a_question_reads_you_asked_and_you_answered_to_whoever_did(world, login, submitted):
    """…and "Who owes what" names the reader's own asks "You" (hank's review)."""
    question = submission_ask_question(submission=submitted, by=world.hank, text="On-call?")
    question_answer(question=question, by=world.rita, answer="Three years of it.")
    hanks = " ".join(page(login(world.hank), world.interviewed).split())
    ritas = " ".join(page(login(world.rita), world.interviewed).split())
    assert "<strong>You</strong> asked" in hanks and "<strong>Hank Manager</strong>" not in hanks
    assert "<strong>Rita Recruiter</strong> answered" in hanks
    assert "<strong>You</strong>: Review Carla Candidate" in hanks
    assert (
        "<strong>You</strong> answered" in ritas and "<strong>Hank Manager</strong> asked" in ritas
    )
