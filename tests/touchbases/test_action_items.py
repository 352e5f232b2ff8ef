"""Action items: each one is an action_item ask due on the agreed date; done closes it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask, AskStatus
from closeloop.notify.models import Message
from closeloop.touchbases.models import ActionItemStatus
from closeloop.touchbases.services import action_item_add, action_item_done, action_item_drop


def _add(current, by, owner, due_on=dt.date(2026, 11, 27), description="Send the exercise"):
    return action_item_add(
        touchbase=current, by=by, description=description, owner=owner, due_on=due_on
    )


def test_it_opens_an_ask_due_at_the_end_of_the_owners_day(world, current):
    world.hank.time_zone = "America/New_York"
    world.hank.save()
    item = _add(current, world.rita, world.hank)
    ask = Ask.objects.get(kind="action_item", subject=f"action:{item.pk}")
    assert ask.owner == world.hank and ask.requested_by == world.rita
    # Friday 17:00 in New York is 22:00 UTC.
    assert ask.due_at == item.due_at == dt.datetime(2026, 11, 27, 22, 0, tzinfo=dt.UTC)
    assert ask.policy["steps"][-1]["at"] == ask.due_at.isoformat()  # the ladder ends at due


@pytest.mark.parametrize(
    ("due_on", "due_at"),
    [
        # A Saturday: the end of the owner's next working day.
        (dt.date(2026, 11, 28), dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)),
        # Christmas Day: 26 and 27 Dec are the weekend, 28 Dec is Boxing Day (observed).
        (dt.date(2026, 12, 25), dt.datetime(2026, 12, 29, 17, 0, tzinfo=dt.UTC)),
    ],
    ids=["saturday", "public-holiday"],
)
def test_an_item_due_on_the_owners_day_off_is_due_at_the_end_of_their_next_working_day(
    world, current, due_on, due_at
):
    world.hank.time_zone, world.hank.holiday_country = "Europe/London", "GB"
    world.hank.holiday_subdivision = "ENG"
    world.hank.save()
    item = _add(current, world.rita, world.hank, due_on=due_on)
    ask = Ask.objects.get(kind="action_item", subject=f"action:{item.pk}")
    assert ask.due_at == item.due_at == due_at
    assert item.due_on == due_on  # the date agreed in the meeting is kept as said
    # The owner's email says when it is due in their queue, and why not the day agreed.
    told = Message.objects.get(recipient=world.hank, template="action-item-assigned")
    local = due_at.astimezone(world.hank.zone)
    assert f"(due {local:%a %d %b})" in told.subject
    assert (
        f"Due {local:%A %d %B, %H:%M} (end of your working day; agreed for "
        f"{due_on:%A %d %B}, a day you do not work)" in told.body_text
    )


def test_its_reminders_speak_of_the_item_and_its_meeting_never_of_a_candidate(
    world, current, clock
):
    _add(current, world.rita, world.hank, description="Send the revised job ad")
    clock.move_to(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC))  # due Fri 27 Nov 17:00
    asks_advance()  # the reminder at 80 %
    asks_advance()  # the notice at due
    notices_compose()
    message = Message.objects.get(recipient=world.hank, template="nudge")
    assert (
        "The action item “Send the revised job ad” from the touch-base of Thu 26 Nov "
        "is 2 business days overdue" in message.body_text
    )
    assert "candidate" not in (message.subject + message.body_text).lower()


def test_the_owner_is_told_unless_they_added_it_themselves(world, current):
    _add(current, world.rita, world.hank)
    _add(current, world.rita, world.rita, description="Book the onsite")
    assert (
        Message.objects.filter(recipient=world.hank, template="action-item-assigned").count() == 1
    )
    assert not Message.objects.filter(
        recipient=world.rita, template="action-item-assigned"
    ).exists()


def test_any_team_member_can_own_one(world, current):
    item = _add(current, world.hank, world.ivy)  # ivy is on the job's interview panel
    assert item.owner == world.ivy


@pytest.mark.parametrize(
    ("description", "due_on", "field"),
    [
        ("", dt.date(2026, 11, 27), "description"),
        ("x" * 301, dt.date(2026, 11, 27), "description"),
        ("Ok", dt.date(2026, 11, 20), "due_on"),
        ("Ok", dt.date(2028, 1, 1), "due_on"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(world, current, description, due_on, field):
    with pytest.raises(ValidationError) as error:
        _add(current, world.rita, world.hank, due_on=due_on, description=description)
    assert field in error.value.message_dict
    assert not Ask.objects.filter(kind="action_item").exists()


def test_an_outsider_cannot_own_or_add_one(world, current):
    with pytest.raises(ValidationError):
        _add(current, world.rita, world.olga)
    with pytest.raises(PermissionDenied):
        _add(current, world.olga, world.hank)
    with pytest.raises(PermissionDenied):
        _add(current, world.ivy, world.hank)  # interviewers do not run the meeting


def test_the_owner_marks_it_done_and_the_ask_closes(world, current):
    item = _add(current, world.rita, world.hank)
    action_item_done(item=item, by=world.hank)
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE and item.done_by == world.hank
    ask = Ask.objects.get(subject=f"action:{item.pk}")
    assert ask.status == AskStatus.DONE and ask.closed_by == world.hank
    with pytest.raises(ValidationError):
        action_item_done(item=item, by=world.hank)


def test_an_interviewer_owner_can_finish_their_own_item_but_not_others(world, current):
    mine = _add(current, world.rita, world.ivy)
    theirs = _add(current, world.rita, world.hank)
    action_item_done(item=mine, by=world.ivy)
    with pytest.raises(PermissionDenied):
        action_item_done(item=theirs, by=world.ivy)


def test_dropping_cancels_the_ask(world, current):
    item = _add(current, world.rita, world.hank)
    with pytest.raises(PermissionDenied):
        action_item_drop(item=item, by=world.ivy, reason="Not needed")
    action_item_drop(item=item, by=world.rita, reason="Not needed")
    assert Ask.objects.get(subject=f"action:{item.pk}").status == AskStatus.CANCELLED


def test_an_item_agreed_on_sunday_reaches_its_owner_on_monday_morning(
    world, current, clock, settings
):
    settings.QUIET_HOURS = True  # a real installation's default
    world.hank.time_zone = "Europe/Berlin"
    world.hank.save()
    clock.move_to(dt.datetime(2026, 11, 29, 6, 16, tzinfo=dt.UTC))  # Sunday, 07:16 in Berlin
    _add(current, world.rita, world.hank, due_on=dt.date(2026, 12, 2))
    message = Message.objects.get(recipient=world.hank, template="action-item-assigned")
    # Monday 09:00 in Berlin.
    assert message.deliveries.get().next_attempt_at == dt.datetime(
        2026, 11, 30, 8, 0, tzinfo=dt.UTC
    )
