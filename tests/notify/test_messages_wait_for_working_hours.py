"""Every message waits for its recipient's working hours (README "Respect"), held in one
place: `notify.services.message_queue`, by the engine's business time. Only the messages
listed in AT_ONCE pass it, each for a reason; a new call that wants to must be listed here.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from closeloop.followups.notices import working_moment_for
from closeloop.notify import outbox
from closeloop.notify.models import Delivery, DeliveryStatus, Message
from closeloop.notify.services import _WORKING_MOMENT, delivery_retry, message_queue
from poison import Poison

SOURCE = Path(__file__).resolve().parents[2] / "src" / "closeloop"

# Sunday 29 Nov 2026 06:16 UTC: 07:16 in Berlin, the small hours in New York.
SUNDAY = dt.datetime(2026, 11, 29, 6, 16, tzinfo=dt.UTC)
# Monday 30 Nov 09:00 in Berlin (CET) and in London (UTC).
MONDAY_9_BERLIN = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
MONDAY_9_UTC = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)

# (file, function) → why the message goes at once, whatever the hour.
AT_ONCE = {
    ("notify/services.py", "password_reset_queue"): "the person is waiting for it to sign in",
    ("notify/services.py", "invitation_queue"): "the invitee has no working hours of their own "
    "yet and the admin is often beside them",
    ("touchbases/weekly.py", "weekly_update_send_one"): "the day and time are the person's "
    "own choice on their profile",
}


def _calls(tree: ast.AST) -> list[tuple[int, str, ast.Call]]:
    """(line, enclosing function, call) of every call to message_queue."""
    found: list[tuple[int, str, ast.Call]] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name == "message_queue":
                found.append((node.lineno, function, node))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "")
    return found


def _sources() -> list[tuple[str, ast.AST]]:
    return [
        (str(path.relative_to(SOURCE)), ast.parse(path.read_text()))
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_only_the_listed_messages_go_at_once():
    at_once = {
        (path, function)
        for path, tree in _sources()
        for _line, function, call in _calls(tree)
        if any(keyword.arg == "at_once" or keyword.arg is None for keyword in call.keywords)
    }
    assert at_once == set(AT_ONCE)


def test_every_message_is_queued_through_message_queue():
    """A delivery made elsewhere would skip the hold; the calls are there to be found."""
    elsewhere = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name == "Delivery" and path != "notify/services.py":
                    elsewhere.append(f"{path}:{node.lineno}")
    assert elsewhere == []
    assert sum(len(_calls(tree)) for _path, tree in _sources()) >= 15


def test_the_scan_finds_a_call_that_goes_at_once():
    planted = ast.parse(
        "def rush(person):\n    notify.services.message_queue(recipient=person, at_once=True)\n"
    )
    assert [(function, len(call.keywords)) for _l, function, call in _calls(planted)] == [
        ("rush", 2)
    ]


def test_the_engines_business_time_holds_the_outbox():
    assert [working_moment_for] == _WORKING_MOMENT


@pytest.fixture(autouse=True)
def _quiet_hours_on(settings):
    settings.QUIET_HOURS = True  # a real installation's default (the folder turns it off)


@pytest.fixture
def berliner(world):
    hank = world.hank
    hank.time_zone, hank.holiday_country, hank.holiday_subdivision = "Europe/Berlin", "DE", "BE"
    hank.save()
    return hank


def _queue(person, **options):
    message = message_queue(
        recipient=person,
        template="notice",
        context={"recipient": person, "subject": "Hello", "body": "Hi.", "action_url": ""},
        **options,
    )
    return Delivery.objects.get(message=message).next_attempt_at


def test_a_message_on_sunday_waits_for_monday_morning_in_the_recipients_zone(
    world, berliner, time_machine
):
    time_machine.move_to(SUNDAY, tick=False)
    assert _queue(berliner) == MONDAY_9_BERLIN
    assert _queue(world.rita) == MONDAY_9_UTC
    # A moment asked for is held too.
    assert _queue(berliner, not_before=SUNDAY + dt.timedelta(hours=1)) == MONDAY_9_BERLIN


def test_inside_working_hours_it_goes_at_once(world, berliner, time_machine):
    monday_10_berlin = MONDAY_9_BERLIN + dt.timedelta(hours=1)
    time_machine.move_to(monday_10_berlin, tick=False)
    assert _queue(berliner) == monday_10_berlin


def test_at_once_goes_at_any_hour(world, berliner, time_machine):
    time_machine.move_to(SUNDAY, tick=False)
    assert _queue(berliner, at_once=True) == SUNDAY


def test_a_message_needed_before_working_hours_goes_at_once(world, berliner, time_machine):
    time_machine.move_to(SUNDAY, tick=False)
    monday_8_berlin = MONDAY_9_BERLIN - dt.timedelta(hours=1)
    assert _queue(berliner, needed_by=monday_8_berlin) == SUNDAY
    # Needed as his hours begin, or within the hour after: held, it would arrive as the
    # meeting starts, so it goes now, with notice.
    assert _queue(berliner, needed_by=MONDAY_9_BERLIN) == SUNDAY
    assert _queue(berliner, needed_by=MONDAY_9_BERLIN + dt.timedelta(minutes=59)) == SUNDAY
    # Needed later, or needed for something already past: held as any message.
    later = MONDAY_9_BERLIN + dt.timedelta(hours=1)
    assert _queue(berliner, needed_by=later) == MONDAY_9_BERLIN
    assert _queue(berliner, needed_by=SUNDAY - dt.timedelta(days=1)) == MONDAY_9_BERLIN


def test_with_quiet_hours_off_it_goes_at_once(world, berliner, time_machine, settings):
    settings.QUIET_HOURS = False
    time_machine.move_to(SUNDAY, tick=False)
    assert _queue(berliner) == SUNDAY


# --- every later attempt waits as the first did --------------------------------------------

# Friday 27 Nov 16:59:50 in London: ten seconds of hank's working week left.
FRIDAY_LAST_SECONDS = dt.datetime(2026, 11, 27, 16, 59, 50, tzinfo=dt.UTC)
SATURDAY = dt.datetime(2026, 11, 28, 11, 0, tzinfo=dt.UTC)


def _delivery_after_a_busy_server(person, smtp_sink, **options):
    _queue(person, **options)
    smtp_sink.refuse.append("451 Try again later")
    outbox.deliver_due(worker="w1")
    delivery = Delivery.objects.get(message__recipient=person)
    assert delivery.status == DeliveryStatus.QUEUED and delivery.attempts == 1
    return delivery


def test_a_retry_after_a_busy_server_waits_for_the_next_working_morning(
    world, smtp_sink, time_machine
):
    time_machine.move_to(FRIDAY_LAST_SECONDS, tick=False)
    delivery = _delivery_after_a_busy_server(world.hank, smtp_sink)
    # Not at 17:00 and some seconds, after hank's day ended: Monday 09:00.
    assert delivery.next_attempt_at == MONDAY_9_UTC
    time_machine.move_to(SATURDAY, tick=False)
    assert outbox.deliver_due(worker="w1").handled == 0
    time_machine.move_to(MONDAY_9_UTC, tick=False)
    assert outbox.deliver_due(worker="w1").handled == 1
    assert len(smtp_sink.received) == 1


def test_a_retry_inside_working_hours_waits_only_its_backoff(world, smtp_sink, time_machine):
    monday_10 = MONDAY_9_UTC + dt.timedelta(hours=1)
    time_machine.move_to(monday_10, tick=False)
    delivery = _delivery_after_a_busy_server(world.hank, smtp_sink)
    assert monday_10 < delivery.next_attempt_at <= monday_10 + outbox.BASE_BACKOFF


def test_a_message_that_went_at_once_is_retried_at_once(world, smtp_sink, time_machine):
    """A password reset (at once) and news of a meeting before working hours (needed_by) are
    retried after the backoff alone, at any hour, as they went first."""
    time_machine.move_to(FRIDAY_LAST_SECONDS, tick=False)
    delivery = _delivery_after_a_busy_server(world.hank, smtp_sink, at_once=True)
    assert delivery.next_attempt_at <= FRIDAY_LAST_SECONDS + outbox.BASE_BACKOFF
    saturday_meeting = SATURDAY - dt.timedelta(hours=2)
    delivery = _delivery_after_a_busy_server(world.rita, smtp_sink, needed_by=saturday_meeting)
    assert delivery.next_attempt_at <= FRIDAY_LAST_SECONDS + outbox.BASE_BACKOFF


def test_an_admins_retry_on_saturday_waits_for_monday_in_the_recipients_zone(
    world, berliner, smtp_sink, time_machine
):
    time_machine.move_to(MONDAY_9_BERLIN - dt.timedelta(days=3), tick=False)  # Friday
    _queue(berliner)
    smtp_sink.refuse.append("554 Message rejected")
    outbox.deliver_due(worker="w1")
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    time_machine.move_to(SATURDAY, tick=False)
    delivery_retry(delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.next_attempt_at == MONDAY_9_BERLIN
    # A password reset retried on Saturday goes on Saturday: the person is waiting for it.
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    Message.objects.filter(pk=delivery.message_id).update(at_once=True)
    delivery_retry(delivery=Delivery.objects.get(pk=delivery.pk))
    assert Delivery.objects.get(pk=delivery.pk).next_attempt_at == SATURDAY


def test_a_delivery_that_raised_is_pushed_back_into_working_hours(
    world, smtp_sink, time_machine, monkeypatch
):
    time_machine.move_to(FRIDAY_LAST_SECONDS, tick=False)
    _queue(world.hank)
    Poison(monkeypatch, outbox, "delivery_send", lambda **row: True)
    assert outbox.deliver_due(worker="w1").failed == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.next_attempt_at == MONDAY_9_UTC


# --- a delivery whose worker died mid-send is sent again inside working hours ---------------


def _orphaned(person, **options):
    """A delivery claimed by a worker that then died mid-send: its lease runs out."""
    _queue(person, **options)
    [pk] = outbox.delivery_claim(worker="dead")
    return Delivery.objects.get(pk=pk)


def test_a_delivery_whose_lease_expired_after_hours_waits_for_the_next_working_morning(
    world, smtp_sink, time_machine
):
    time_machine.move_to(FRIDAY_LAST_SECONDS, tick=False)
    orphan = _orphaned(world.hank)
    # The worker is back on Saturday: the message is not sent again then, but on Monday.
    time_machine.move_to(SATURDAY, tick=False)
    assert outbox.delivery_claim(worker="w2") == []
    orphan.refresh_from_db()
    assert orphan.status == DeliveryStatus.QUEUED and orphan.next_attempt_at == MONDAY_9_UTC
    assert orphan.leased_by == "" and "stopped mid-send" in orphan.last_error
    assert orphan.attempts == 1  # the dead worker's attempt still counts
    time_machine.move_to(MONDAY_9_UTC, tick=False)
    assert outbox.deliver_due(worker="w2").handled == 1
    assert len(smtp_sink.received) == 1


def test_a_delivery_whose_lease_expired_inside_working_hours_goes_again_at_once(
    world, time_machine
):
    monday_10 = MONDAY_9_UTC + dt.timedelta(hours=1)
    time_machine.move_to(monday_10, tick=False)
    orphan = _orphaned(world.hank)
    later = monday_10 + outbox.LEASE + dt.timedelta(seconds=1)
    assert outbox.delivery_claim(worker="w2", now=later) == [orphan.pk]


def test_a_delivery_that_went_at_once_goes_again_at_once_when_its_lease_expired(
    world, time_machine
):
    time_machine.move_to(FRIDAY_LAST_SECONDS, tick=False)
    orphan = _orphaned(world.hank, at_once=True)
    time_machine.move_to(SATURDAY, tick=False)
    assert outbox.delivery_claim(worker="w2") == [orphan.pk]
