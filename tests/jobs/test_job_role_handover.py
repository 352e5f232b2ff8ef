"""A job changes hands: what the previous hiring manager (or recruiter) owed in that role on
the job follows the role to the new one, with its due time; the candidates waiting on them
wait on the new one for as long as they have waited; what they owe in another capacity, or
on another job, stays theirs."""

from __future__ import annotations

import datetime as dt

import pytest

from closeloop.followups.models import Ask, AskStatus
from closeloop.jobs.services import job_update
from closeloop.notify.models import Message
from closeloop.pipeline.models import Application

DAY = dt.timedelta(days=1)


@pytest.fixture
def owed(world, clock):
    now = dt.datetime.now(dt.UTC)

    def ask(kind: str, owner, subject: str, **fields) -> Ask:
        return Ask.objects.create(
            kind=kind, subject=subject, title=subject, owner=owner, job=world.job,
            application=world.sourced, opened_at=now - DAY, due_at=now + DAY, **fields,
        )  # fmt: skip

    Application.objects.filter(pk=world.sourced.pk).update(
        next_move_owner=world.hank, next_move_since=now - 3 * DAY
    )
    return {
        "review": ask("review_submission", world.hank, "review"),
        "held": ask("decide_after_debrief", world.ivy, "held", original_owner=world.hank),
        "scorecard": ask("submit_scorecard", world.hank, "scorecard"),
        "news": ask("update_candidate", world.rita, "news"),
        "done": ask("review_submission", world.hank, "done", status=AskStatus.DONE),
    }


def test_the_new_hiring_manager_takes_what_the_role_owed(world, owed):
    job_update(job=world.job, by=world.rita, data={"hiring_manager": world.olga})
    holders = {a.subject: (a.owner, a.original_owner) for a in Ask.objects.filter(job=world.job)}
    assert holders["review"] == (world.olga, None)
    assert holders["held"] == (world.olga, None)  # held for Hank by Ivy: Olga's own now
    assert holders["scorecard"] == (world.hank, None)  # owed as an interviewer
    assert holders["news"] == (world.rita, None)  # the recruiter's
    assert holders["done"] == (world.hank, None)  # answered: history stays
    sourced = Application.objects.get(pk=world.sourced.pk)
    assert sourced.next_move_owner == world.olga
    assert sourced.next_move_since == dt.datetime.now(dt.UTC) - 3 * DAY
    told = Message.objects.get(recipient=world.olga, template="asks-handed-over")
    assert told.subject == "You took over 2 asks from Hank Manager"
    assert "Hank Manager is no longer the hiring manager of Backend Engineer" in told.body_text


def test_a_new_hiring_manager_away_has_his_delegate_hold_them(world, owed):
    now = dt.datetime.now(dt.UTC)
    world.olga.out_of_office_from, world.olga.out_of_office_until = now - DAY, now + 5 * DAY
    world.olga.delegate = world.ada
    world.olga.save()
    job_update(job=world.job, by=world.rita, data={"hiring_manager": world.olga})
    review = Ask.objects.get(subject="review")
    assert (review.owner, review.original_owner) == (world.ada, world.olga)


def test_a_new_recruiter_takes_the_recruiters_asks(world, owed):
    job_update(job=world.job, by=world.ada, data={"recruiter": world.ada})
    assert Ask.objects.get(subject="news").owner == world.ada
    assert Ask.objects.get(subject="review").owner == world.hank


def test_a_new_hiring_manager_away_with_nobody_covering_has_them_escalated_at_once(world, owed):
    """As a review submitted to him then would be: nobody waits silently on someone away."""
    from closeloop.followups.engine import asks_advance

    now = dt.datetime.now(dt.UTC)
    world.olga.out_of_office_from, world.olga.out_of_office_until = now - DAY, now + 5 * DAY
    world.olga.manager = world.ada
    world.olga.save()
    job_update(job=world.job, by=world.rita, data={"hiring_manager": world.olga})
    review = Ask.objects.get(subject="review")
    assert (review.owner, review.original_owner) == (world.olga, None)
    assert review.next_nudge_at == now
    asks_advance(now=now)
    review.refresh_from_db()
    assert review.level == 1
    told = {n.recipient for n in review.nudges.get(level=1).notices.all()}
    assert world.ada in told or world.job.escalation_contact in told
