"""series_sync: the job's agreed cadence becomes a series, an invitation, and a next meeting."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from closeloop.activity.models import Activity
from closeloop.notify.models import Message
from closeloop.touchbases.models import Touchbase, TouchbaseSeries, TouchbaseStatus
from closeloop.touchbases.services import series_sync

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _invites(person) -> list[Message]:
    return list(
        Message.objects.filter(recipient=person, template="touchbase-invite").order_by("pk")
    )


def _event(message: Message):
    (attachment,) = message.attachments
    assert attachment["content_type"].startswith("text/calendar; method=")
    calendar = Calendar.from_ical(attachment["content"])
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_it_creates_the_series_and_the_next_meeting(world, series):
    assert series.weekday == 3 and series.start_time == dt.time(14, 0)
    assert series.first_at == dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
    (occurrence,) = Touchbase.objects.filter(series=series)
    assert occurrence.scheduled_at == series.first_at
    assert occurrence.ends_at == series.first_at + dt.timedelta(minutes=30)
    assert series.next_due_at == occurrence.ends_at
    assert Activity.objects.filter(kind="closeloop.touchbase.series_created").exists()


def test_it_sends_both_sides_a_recurring_invitation(world, series):
    for person in (world.rita, world.hank):
        (message,) = _invites(person)
        calendar, event = _event(message)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(event["UID"]) == series.uid
        assert int(event["SEQUENCE"]) == 0
        assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["TH"]
        london = zoneinfo.ZoneInfo("Europe/London")
        assert event["DTSTART"].dt == dt.datetime(2026, 11, 26, 14, 0, tzinfo=london)
        assert "Thursdays 14:00" in message.subject
        attendees = {str(row): row.params for row in event["ATTENDEE"]}
        assert attendees["mailto:hank@example.com"]["CN"] == world.hank.full_name
        assert attendees["mailto:hank@example.com"]["PARTSTAT"] == "NEEDS-ACTION"
        assert attendees["mailto:rita@example.com"]["CN"] == world.rita.full_name
    # Each reads who meets from their own side: "You and Hank…", "Rita… and you".
    assert "You and Hank Manager meet every Thursday" in _invites(world.rita)[0].body_text
    assert "Rita Recruiter and you meet every Thursday" in _invites(world.hank)[0].body_text


def test_each_reads_the_meeting_in_their_own_zone_too(world, cadence):
    """Hank works in New York: 14:00 London is 09:00 for him (Rita's zone is London's)."""
    world.hank.time_zone = "America/New_York"
    world.hank.save()
    series_sync(job=cadence, by=world.rita)
    (his,) = _invites(world.hank)
    said = " — for you, 09:00 on Thursdays in America/New_York — for 30 minutes"
    assert "every Thursday at 14:00 (Europe/London)" + said in his.body_text
    assert said in his.body_html
    assert "for you" not in _invites(world.rita)[0].body_text


def test_an_unchanged_cadence_changes_nothing(world, series):
    again = series_sync(job=world.job, by=world.rita)
    assert again.sequence == 0
    assert len(_invites(world.hank)) == 1
    assert Touchbase.objects.filter(series=series).count() == 1


def test_a_changed_cadence_moves_the_next_meeting_and_resends_with_a_higher_sequence(world, series):
    job = world.job
    job.touchbase_weekday, job.touchbase_time_zone = 1, "Europe/Berlin"  # Tuesdays 14:00 Berlin
    job.save()
    changed = series_sync(job=job, by=world.rita)
    assert changed.sequence == 1 and changed.uid == series.uid
    (occurrence,) = Touchbase.objects.filter(series=series)
    assert occurrence.scheduled_at == dt.datetime(2026, 11, 24, 13, 0, tzinfo=dt.UTC)
    latest = _invites(world.hank)[-1]
    _, event = _event(latest)
    assert int(event["SEQUENCE"]) == 1
    assert event["RRULE"]["BYDAY"] == ["TU"]


def test_a_removed_cadence_cancels_the_series(world, series):
    job = world.job
    job.touchbase_weekday = None
    job.save()
    series_sync(job=job, by=world.rita)
    series.refresh_from_db()
    assert not series.active and series.next_due_at is None
    assert Touchbase.objects.get(series=series).status == TouchbaseStatus.SKIPPED
    message = _invites(world.rita)[-1]
    calendar = Calendar.from_ical(message.attachments[0]["content"])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert message.subject.startswith("Cancelled")


def test_a_job_without_a_cadence_has_no_series(world):
    assert series_sync(job=world.job) is None
    assert not TouchbaseSeries.objects.exists()


def test_the_recurring_event_keeps_its_local_time_across_daylight_saving(world, clock):
    """Tuesdays 10:00 Berlin from October: 08:00 UTC in summer time, 09:00 UTC after 25 Oct."""
    clock.move_to(dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC))
    job = world.job
    job.touchbase_weekday, job.touchbase_time = 1, dt.time(10, 0)
    job.touchbase_minutes, job.touchbase_time_zone = 45, "Europe/Berlin"
    job.save()
    series_sync(job=job, by=world.rita)
    _, event = _event(_invites(world.hank)[-1])
    start = event["DTSTART"].dt
    assert start.utcoffset() == dt.timedelta(hours=2)  # written in Berlin time, CEST
    assert event["DTEND"].dt - start == dt.timedelta(minutes=45)
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    first_four = list(rule[:4])
    assert [m.astimezone(BERLIN).strftime("%a %H:%M") for m in first_four] == ["Tue 10:00"] * 4
    assert [m.astimezone(dt.UTC).hour for m in first_four] == [8, 8, 8, 9]  # 27 Oct is CET
    assert [m.date().isoformat() for m in first_four] == [
        "2026-10-06", "2026-10-13", "2026-10-20", "2026-10-27",
    ]  # fmt: skip


@pytest.mark.parametrize("zone", ["", "Not/AZone"])
def test_an_unusable_time_zone_falls_back_to_utc(world, zone):
    job = world.job
    job.touchbase_weekday, job.touchbase_time, job.touchbase_time_zone = 0, dt.time(9), zone
    job.save()
    series = series_sync(job=job)
    assert series.time_zone == "UTC"


def test_a_new_recruiter_gets_the_series_and_the_old_one_its_cancellation(world, series):
    from closeloop.accounts.models import User

    rose = User.objects.create_user(
        "rose@example.com", "correct-horse-battery", full_name="Rose Recruiter", is_recruiter=True
    )
    job = world.job
    job.recruiter = rose
    job.save()
    Message.objects.all().delete()
    series = series_sync(job=job, by=world.ada)
    assert series.sequence == 1 and series.recruiter == rose
    (left,) = _invites(world.rita)
    calendar, event = _event(left)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == series.uid and int(event["SEQUENCE"]) == 1
    assert [str(a) for a in _as_list(event["ATTENDEE"])] == ["mailto:rita@example.com"]
    assert left.subject == "You are off the weekly touch-base on Backend Engineer"
    assert "no longer on it" in left.body_text
    for person in (rose, world.hank):  # the new team gets the updated series
        (message,) = _invites(person)
        calendar, event = _event(message)
        assert str(calendar["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == 1


def test_changing_the_hiring_manager_on_the_job_form_moves_the_series_at_once(world, series):
    """Not on the worker's next loop: the page Rita lands on names Olga at once."""
    from closeloop.jobs.services import job_update

    job_update(job=world.job, by=world.rita, data={"hiring_manager": world.olga})
    series.refresh_from_db()
    assert series.hiring_manager == world.olga
    assert [str(_event(m)[0]["METHOD"]) for m in _invites(world.olga)] == ["REQUEST"]


def test_a_new_hiring_manager_takes_the_old_ones_place(world, series):
    job = world.job
    job.hiring_manager = world.olga
    job.save()
    Message.objects.all().delete()
    series_sync(job=job, by=world.rita)
    (left,) = _invites(world.hank)
    assert str(_event(left)[0]["METHOD"]) == "CANCEL"
    assert [str(_event(m)[0]["METHOD"]) for m in _invites(world.olga)] == ["REQUEST"]
    assert [str(_event(m)[0]["METHOD"]) for m in _invites(world.rita)] == ["REQUEST"]


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _set_status(world, status):
    from closeloop.jobs.services import job_update

    job_update(job=world.job, by=world.rita, data={"status": status})
    world.job.refresh_from_db()


def test_a_job_reopened_within_the_week_gets_its_next_meeting_back(world, current):
    from closeloop.touchbases.selectors import touchbase_current

    _set_status(world, "closed")
    series_sync(job=world.job, by=world.rita)
    current.refresh_from_db()
    assert current.status == TouchbaseStatus.SKIPPED
    _set_status(world, "open")
    series = series_sync(job=world.job, by=world.rita)
    assert series.active and series.sequence == 2
    again = touchbase_current(series=series)
    assert again is not None and again.pk == current.pk
    assert again.status == TouchbaseStatus.PLANNED and again.skip_reason == ""
    assert series.next_due_at == again.ends_at
    assert Touchbase.objects.filter(series=series).count() == 1


def test_a_skip_someone_recorded_stays_when_the_series_restarts(world, current):
    from closeloop.touchbases.services import touchbase_skip

    touchbase_skip(touchbase=current, by=world.rita, reason="Hank is on holiday")
    _set_status(world, "closed")
    series_sync(job=world.job, by=world.rita)
    _set_status(world, "open")
    series_sync(job=world.job, by=world.rita)
    current.refresh_from_db()
    assert current.status == TouchbaseStatus.SKIPPED
    assert current.skip_reason == "Hank is on holiday"


def test_a_removed_cadence_stops_the_hold_reminder_but_not_action_items(world, current, clock):
    """Only the meetings end: the items are commitments, still owed while the search runs (a
    search that ends drops them: test_a_search_that_ends_ends_its_touch_bases)."""
    from closeloop.followups.models import Ask, AskStatus
    from closeloop.touchbases.models import ActionItemStatus
    from closeloop.touchbases.services import action_item_add, touchbases_advance

    item = action_item_add(
        touchbase=current, by=world.rita, description="Send the benchmark",
        owner=world.hank, due_on=dt.date(2026, 11, 30),
    )  # fmt: skip
    clock.move_to(dt.datetime(2026, 11, 26, 14, 31, tzinfo=dt.UTC))
    touchbases_advance()  # the meeting ended unrecorded: its hold reminder opens
    hold = Ask.objects.get(kind="hold_touchbase")
    assert hold.status == AskStatus.OPEN
    world.job.touchbase_weekday = None
    world.job.save()
    series_sync(job=world.job, by=world.rita)
    hold.refresh_from_db()
    assert hold.status == AskStatus.CANCELLED and hold.closed_via == "series ended"
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN
    assert Ask.objects.get(subject=item.subject).status == AskStatus.OPEN
