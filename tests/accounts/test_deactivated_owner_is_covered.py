"""After a person is deactivated, nobody waits on them: the asks they held are held for them
by their successor, who sees the candidate and is named as covering for them on the board,
the application page and in reminders; an ask opened later for them (a job still names them
until an admin gives it someone else) goes to their delegate, else their manager."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.accounts.models import User
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.services import ask_open
from closeloop.pipeline.models import Application

DUE = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)


def hank_owes_sams_review(world) -> Ask:
    Application.objects.filter(pk=world.sourced.pk).update(next_move_owner=world.hank)
    return Ask.objects.create(
        kind="review_submission",
        subject=f"submission:{world.sourced.pk}",
        title="Review Sam Sourced",
        owner=world.hank,
        job=world.job,
        application=world.sourced,
        due_at=DUE,
        next_nudge_at=DUE,
        policy={"steps": [], "label": "x"},
    )


def test_the_successor_holds_the_leavers_ask_sees_the_candidate_and_is_named(world, clock, login):
    # olga manages hank but is on no team of this job: before, the moved ask pointed her at
    # a candidate she could not open.
    User.objects.filter(pk=world.hank.pk).update(manager=world.olga)
    ask = hank_owes_sams_review(world)
    login(world.ada).post(reverse("people:deactivate", args=[world.hank.pk]))
    ask.refresh_from_db()
    assert (ask.owner, ask.original_owner) == (world.olga, world.hank)

    olga = login(world.olga)
    page = olga.get(reverse("pipeline:application-detail", args=[world.sourced.pk]))
    assert page.status_code == 200
    assert "covering for Hank Manager" in page.content.decode()
    assert "Sam Sourced" in olga.get(reverse("pipeline:queue")).content.decode()

    board = login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk]))
    assert 'Olga Outsider’s move</span> <span class="muted">(covering for Hank Manager)' in (
        board.content.decode()
    )


def test_an_ask_opened_later_for_a_leaver_goes_to_their_delegate_else_their_manager(world, clock):
    User.objects.filter(pk=world.hank.pk).update(
        is_active=False, delegate=world.olga, manager=world.ada
    )
    hank = User.objects.get(pk=world.hank.pk)
    to_delegate = ask_open(
        kind="review_submission", subject="submission:901", title="Review", owner=hank,
        job=world.job, application=world.sourced,
    )  # fmt: skip
    assert (to_delegate.owner, to_delegate.original_owner) == (world.olga, hank)
    User.objects.filter(pk=world.olga.pk).update(is_active=False)  # the delegate left too
    hank = User.objects.get(pk=world.hank.pk)
    to_manager = ask_open(
        kind="review_submission", subject="submission:902", title="Review", owner=hank,
        job=world.job, application=world.interviewed,
    )  # fmt: skip
    assert (to_manager.owner, to_manager.original_owner) == (world.ada, hank)
    assert to_manager.status == AskStatus.OPEN and to_manager.level == 0


def _hank_leaves_with_olga_as_successor(world, login) -> None:
    User.objects.filter(pk=world.hank.pk).update(manager=world.olga)
    login(world.ada).post(reverse("people:deactivate", args=[world.hank.pk]))


def test_the_successor_signs_the_intake_the_leaver_owed(world, clock, login):
    from closeloop.intake.models import IntakeStatus, IntakeVersion

    version = IntakeVersion.objects.create(
        job=world.job, number=2, status=IntakeStatus.PROPOSED, title=world.job.title
    )
    Ask.objects.create(
        kind="sign_intake", subject=f"intake:{version.pk}:hiring_manager", title="Sign",
        owner=world.hank, job=world.job, due_at=DUE, next_nudge_at=DUE,
        policy={"steps": [], "label": "x"},
    )  # fmt: skip
    _hank_leaves_with_olga_as_successor(world, login)
    olga = login(world.olga)
    page = olga.get(reverse("intake:version", args=[world.job.pk, 2]))
    assert page.status_code == 200
    assert reverse("intake:sign", args=[world.job.pk, 2]) in page.content.decode()
    response = olga.post(reverse("intake:sign", args=[world.job.pk, 2]))
    assert response.url == reverse("pipeline:queue")  # her access ended with her signature
    signed = version.signatures.get()
    assert (signed.side, signed.signed_by) == ("hiring_manager", world.olga)
    assert signed.signed_for == world.hank  # she signed in his place, and the page says so
    page = login(world.ada).get(reverse("intake:version", args=[world.job.pk, 2]))
    assert "Olga Outsider (hiring manager, for Hank Manager)" in page.content.decode()


def test_whom_the_signatures_escalation_reached_reads_the_version(world, clock, login):
    """Olga, off the job's team, was told Hank's signature is late: the link opens for her
    while the ask is open (it answered 404)."""
    from closeloop.followups.models import Notice, Nudge
    from closeloop.intake.models import IntakeStatus, IntakeVersion

    version = IntakeVersion.objects.create(
        job=world.job, number=2, status=IntakeStatus.PROPOSED, title=world.job.title
    )
    ask = Ask.objects.create(
        kind="sign_intake", subject=f"intake:{version.pk}:hiring_manager", title="Sign",
        owner=world.hank, job=world.job, due_at=DUE, next_nudge_at=DUE, level=1,
        policy={"steps": [], "label": "x"},
    )  # fmt: skip
    page = reverse("intake:version", args=[world.job.pk, 2])
    assert login(world.olga).get(page).status_code == 404
    nudge = Nudge.objects.create(ask=ask, step=0, kind="escalation", level=1, scheduled_at=DUE)
    Notice.objects.create(nudge=nudge, recipient=world.olga, role="escalation")
    assert login(world.olga).get(page).status_code == 200
    Ask.objects.filter(pk=ask.pk).update(status=AskStatus.DONE)
    assert login(world.olga).get(page).status_code == 404


def test_the_successor_finishes_the_leavers_action_item(world, clock, login):
    from closeloop.touchbases.models import ActionItem, Touchbase, TouchbaseSeries

    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    series = TouchbaseSeries.objects.create(
        job=world.job, recruiter=world.rita, hiring_manager=world.hank, weekday=0,
        start_time=dt.time(9), first_at=start, uid="tb-leaver@closeloop",
    )  # fmt: skip
    meeting = Touchbase.objects.create(
        series=series, job=world.job, scheduled_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    item = ActionItem.objects.create(
        touchbase=meeting, job=world.job, description="Send the rubric", owner=world.hank,
        due_on=DUE.date(), due_at=DUE,
    )  # fmt: skip
    Ask.objects.create(
        kind="action_item", subject=f"action:{item.pk}", title="Send the rubric",
        owner=world.hank, job=world.job, due_at=DUE, next_nudge_at=DUE,
        policy={"steps": [], "label": "x"},
    )  # fmt: skip
    _hank_leaves_with_olga_as_successor(world, login)
    olga = login(world.olga)
    page = olga.get(reverse("touchbases:action-item", args=[item.pk]))
    assert page.status_code == 200
    assert "Held by you, covering for Hank Manager" in page.content.decode()
    response = olga.post(reverse("touchbases:action-item-done", args=[item.pk]))
    assert response.url == reverse("pipeline:queue")  # not a "Not found" page
    item.refresh_from_db()
    assert item.status == "done" and item.done_by == world.olga


def test_reactivated_hank_gets_back_what_was_held_for_him(world, clock, login):
    User.objects.filter(pk=world.hank.pk).update(manager=world.olga)
    ask = hank_owes_sams_review(world)
    ada = login(world.ada)
    ada.post(reverse("people:deactivate", args=[world.hank.pk]))
    ask.refresh_from_db()
    assert ask.owner == world.olga
    ada.post(reverse("people:reactivate", args=[world.hank.pk]))
    ask.refresh_from_db()
    assert (ask.owner, ask.original_owner) == (world.hank, None)
    page = login(world.rita).get(reverse("pipeline:application-detail", args=[world.sourced.pk]))
    assert "covering for" not in page.content.decode()
