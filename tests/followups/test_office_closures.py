"""Office closures: days the whole organisation is closed, skipped by everyone's business time.

The Christmas shutdown runs Thu 24 Dec 2026 – Fri 1 Jan 2027. hank works 09:00–17:00 in
London with England's holidays (Fri 25 Dec, Mon 28 Dec for Boxing Day, Fri 1 Jan): without
the shutdown Thu 24, Tue 29, Wed 30 and Thu 31 Dec are working days for him; with it, his
next working day after Wed 23 Dec is Mon 4 Jan.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from closeloop.followups import closures
from closeloop.followups.business_time import (
    add_business_days,
    calendar_for,
    people_not_working_weekly,
    people_off_time,
)
from closeloop.followups.models import Ask, OfficeClosure
from closeloop.followups.selectors import ask_row
from closeloop.followups.services import ask_open, office_closure_add, office_closure_delete

LONDON = zoneinfo.ZoneInfo("Europe/London")
SHUTDOWN = {"name": "Christmas shutdown", "first_day": "2026-12-24", "last_day": "2027-01-01"}


def london(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def dec(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return london(2026, 12, day, hour, minute)


def jan(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return london(2027, 1, day, hour, minute)


@pytest.fixture
def hank(world):
    hank = world.hank
    hank.time_zone, hank.holiday_country, hank.holiday_subdivision = "Europe/London", "GB", "ENG"
    hank.work_start, hank.work_end = dt.time(9), dt.time(17)
    hank.save()
    return hank


def shutdown(*, seen: bool = True, **changes) -> OfficeClosure:
    """The closure, written straight to the table; `seen`: as the process that wrote it
    (closures forgotten), else as another process did (this one still keeps what it read)."""
    data = {
        "name": "Christmas shutdown",
        "first_day": dt.date(2026, 12, 24),
        "last_day": dt.date(2027, 1, 1),
        **changes,
    }
    closure = OfficeClosure.objects.create(**data)
    if seen:
        closures.closures_forget()
    return closure


def question(world, owner, subject: str = "test:question") -> Ask:
    ask = ask_open(
        kind="answer_question",
        subject=subject,
        title="Answer a question",
        owner=owner,
        job=world.job,
        application=world.interviewed,
    )
    assert ask is not None
    return ask


def steps_at(ask: Ask) -> list[dt.datetime]:
    return [dt.datetime.fromisoformat(step["at"]) for step in ask.policy["steps"]]


# --- Business time --------------------------------------------------------------------------


def test_a_business_day_from_the_eve_of_the_shutdown_ends_after_it(hank):
    without = calendar_for(hank)
    assert add_business_days(without, dec(23, 15), 1) == dec(24, 15)
    shutdown()
    calendar = calendar_for(hank)
    assert not calendar.is_working_day(dt.date(2026, 12, 29))
    # 2 h on Wed 23 Dec, then 6 h on the first working day after the shutdown.
    assert add_business_days(calendar, dec(23, 15), 1) == jan(4, 15)


def test_an_ask_and_its_ladder_skip_the_closed_days(world, hank, clock):
    shutdown()
    clock.move_to(dec(23, 15))
    ask = question(world, hank)
    assert ask.due_at == jan(4, 15)
    halfway, due, escalation = steps_at(ask)
    assert halfway == jan(4, 11)  # 4 h: 2 h on Wed 23 Dec, 2 h on Mon 4 Jan
    assert due == jan(4, 15)
    assert escalation == jan(5, 15)  # 1 business day after due


def test_the_queue_says_the_time_left_without_the_closed_days(world, hank, clock):
    shutdown()
    clock.move_to(dec(23, 15))
    ask = question(world, hank)
    # Read in the middle of the shutdown: not overdue; 6 business hours left (Mon 4 Jan).
    row = ask_row(ask, dec(29, 12), url="")
    assert not row.overdue
    assert row.due_in == "due in 6 business hours"
    assert row.waited == "2 business hours"  # Wed 23 Dec 15:00–17:00 only


def test_a_weekly_meeting_is_not_off_because_one_week_is_closed(hank):
    shutdown()
    assert people_not_working_weekly([hank], dec(29, 10), dec(29, 11)) == []


def test_a_booking_on_a_closed_day_says_so(hank):
    shutdown()
    (off,) = people_off_time([hank], dec(29, 10), dec(29, 11))
    assert off.sentence == "Tue 29 Dec is an office closure (Christmas shutdown)"
    assert off.note == "Christmas shutdown (office closed)"


# --- Kept per process -----------------------------------------------------------------------


def test_closures_are_read_once_and_forgotten_when_changed_here(
    world, hank, clock, django_assert_num_queries
):
    closures.closures_forget()  # a process that has not read them yet: one query, then none
    with django_assert_num_queries(1):
        assert calendar_for(hank).closed_days == frozenset()
    with django_assert_num_queries(0):
        assert calendar_for(hank).closed_days == frozenset()
    shutdown(seen=False)  # written by another process: not seen yet
    assert calendar_for(hank).closed_days == frozenset()
    clock.move_to(dec(1, 10))
    added = office_closure_add(
        by=world.ada, name="Offsite", first_day=dt.date(2027, 2, 5), last_day=dt.date(2027, 2, 5)
    )
    days = calendar_for(hank).closed_days
    assert dt.date(2027, 2, 5) in days and dt.date(2026, 12, 29) in days
    office_closure_delete(by=world.ada, closure=added.closure)
    assert dt.date(2027, 2, 5) not in calendar_for(hank).closed_days


def test_another_processs_change_is_seen_once_the_closures_kept_are_old(hank, monkeypatch):
    calendar_for(hank)
    shutdown(seen=False)
    assert calendar_for(hank).closed_days == frozenset()
    monkeypatch.setattr(closures, "KEPT_FOR", 0.0)
    assert dt.date(2026, 12, 29) in calendar_for(hank).closed_days


# --- Re-timing ------------------------------------------------------------------------------


def test_adding_and_deleting_a_closure_retimes_the_asks_not_yet_due(
    world, hank, clock, login, client
):
    clock.move_to(dec(21, 10))
    late = question(world, hank, "test:late")  # due Tue 22 Dec 10:00: overdue by Wednesday
    clock.move_to(dec(23, 12))
    ask = question(world, hank)
    assert ask.due_at == dec(24, 12)
    assert steps_at(ask)[2] == dec(29, 12)  # escalation: Thu 24, then Tue 29 (two holidays)
    clock.move_to(dec(23, 13))
    login(world.ada)
    response = client.post(reverse("followups:office-closure-add"), SHUTDOWN)
    assert response.status_code == 302
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == [
        "Office closure added: Christmas shutdown, Thu 24 Dec 2026 – Fri 1 Jan 2027. "
        "1 open follow-up not yet due was re-timed, each keeping the business time it had "
        "left; overdue ones stay as they were."
    ]
    ask.refresh_from_db()
    # 7 business hours were left: 4 on Wed 23 Dec, 3 on Mon 4 Jan.
    assert ask.due_at == jan(4, 12)
    halfway, due, escalation = steps_at(ask)
    assert halfway == dec(23, 16)  # before the shutdown: where it was
    assert due == jan(4, 12)
    assert escalation == jan(5, 12)
    assert ask.next_nudge_at == halfway
    late_due = late.due_at
    late.refresh_from_db()
    assert late.due_at == late_due

    closure = OfficeClosure.objects.get()
    response = client.post(reverse("followups:office-closure-delete", args=[closure.pk]))
    assert response.status_code == 302
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said[-1].startswith("Office closure deleted: Christmas shutdown")
    assert "1 open follow-up not yet due was re-timed" in said[-1]
    ask.refresh_from_db()
    assert ask.due_at == dec(24, 12)
    assert steps_at(ask)[2] == dec(29, 12)
    assert not OfficeClosure.objects.exists()


def test_a_closure_long_past_retimes_nothing(world, hank, clock):
    clock.move_to(dec(23, 12))
    ask = question(world, hank)
    done = office_closure_add(
        by=world.ada,
        name="Offsite",
        first_day=dt.date(2026, 10, 2),
        last_day=dt.date(2026, 10, 2),
    )
    assert done.retimed == 0
    assert Ask.objects.get(pk=ask.pk).due_at == ask.due_at


# --- The settings page ----------------------------------------------------------------------


def test_the_settings_page_lists_the_closures(world, login, client, clock):
    clock.move_to(dec(1, 10))
    shutdown()
    shutdown(name="Long gone", first_day=dt.date(2026, 6, 1), last_day=dt.date(2026, 6, 1))
    login(world.ada)
    page = client.get(reverse("followups:service-levels")).content.decode()
    assert "Office closures" in page
    assert "Christmas shutdown" in page and "Thu 24 Dec 2026 – Fri 1 Jan 2027" in page
    assert "Long gone" not in page  # ended more than 90 days ago


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"last_day": "2026-12-23"}, "The last day is before the first day."),
        ({"last_day": "2027-01-24"}, "A closure lasts at most 31 days; this one would last 32."),
        (
            {"name": "Offsite", "first_day": "2026-12-31", "last_day": "2026-12-31"},
            "These days overlap “Christmas shutdown” (Thu 24 Dec 2026 – Fri 1 Jan 2027)",
        ),
        ({"name": " "}, "Name the closure"),
    ],
    ids=["last-before-first", "too-long", "overlap", "no-name"],
)
def test_a_closure_that_cannot_be_is_refused_and_nothing_saved(
    world, login, client, clock, changes, said
):
    clock.move_to(dec(1, 10))
    if changes.get("name") == "Offsite":
        shutdown()
    login(world.ada)
    before = OfficeClosure.objects.count()
    response = client.post(reverse("followups:office-closure-add"), {**SHUTDOWN, **changes})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert said in page.replace("&#x27;", "'")
    assert OfficeClosure.objects.count() == before


def test_deleting_asks_to_confirm_first(world, login, client, clock):
    clock.move_to(dec(1, 10))
    closure = shutdown()
    login(world.ada)
    url = reverse("followups:office-closure-delete", args=[closure.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Delete the office closure “Christmas shutdown”?" in page.content.decode()
    assert OfficeClosure.objects.filter(pk=closure.pk).exists()
    client.post(url)
    assert not OfficeClosure.objects.filter(pk=closure.pk).exists()
    again = client.post(url)  # a second tab
    assert again.status_code == 302


def test_only_admins_see_or_change_the_closures(world, login, client, clock):
    clock.move_to(dec(1, 10))
    closure = shutdown()
    login(world.rita)
    assert client.get(reverse("followups:service-levels")).status_code == 404
    added = client.post(reverse("followups:office-closure-add"), {**SHUTDOWN, "name": "Mine"})
    assert added.status_code == 404
    url = reverse("followups:office-closure-delete", args=[closure.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert list(OfficeClosure.objects.values_list("name", flat=True)) == ["Christmas shutdown"]
    with pytest.raises(Exception, match="Only admins"):
        office_closure_add(
            by=world.rita, name="Mine", first_day=dt.date(2027, 3, 1), last_day=dt.date(2027, 3, 1)
        )
