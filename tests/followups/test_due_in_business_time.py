"""Every due time falls inside the owner's working hours on one of their working days.

Whatever the kind of ask, and whenever it opens — a Friday afternoon, a Thursday evening,
the eve of a public holiday — the engine counts its service level in the owner's calendar.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from closeloop.followups.business_time import calendar_for
from closeloop.followups.policies import DEFAULTS
from closeloop.followups.services import ask_open

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")

# (the owner's calendar, the moment the ask opens in it)
MOMENTS = {
    "friday-afternoon-london": ("Europe/London", "GB", "ENG", dt.datetime(2026, 11, 27, 15, 30)),
    "thursday-evening-london": ("Europe/London", "GB", "ENG", dt.datetime(2026, 12, 3, 18, 51)),
    "christmas-eve-london": ("Europe/London", "GB", "ENG", dt.datetime(2026, 12, 24, 16, 0)),
    "before-thanksgiving-new-york": (
        "America/New_York",
        "US",
        "NY",
        dt.datetime(2026, 11, 25, 15, 30),
    ),
}


def assert_inside_working_hours(owner, moment: dt.datetime) -> None:
    calendar = calendar_for(owner)
    local = moment.astimezone(calendar.zone)
    assert calendar.is_working_day(local.date()), f"due on a day off: {local:%a %d %b %H:%M}"
    assert calendar.work_start <= local.time() <= calendar.work_end, f"due at {local:%H:%M}"


@pytest.fixture
def owner(world):
    return world.hank


@pytest.mark.parametrize("moment", MOMENTS.values(), ids=MOMENTS.keys())
@pytest.mark.parametrize("kind", sorted(DEFAULTS))
def test_every_kind_of_ask_is_due_inside_the_owners_working_hours(world, owner, kind, moment):
    zone, country, region, local = moment
    owner.time_zone, owner.holiday_country, owner.holiday_subdivision = zone, country, region
    owner.save()
    opened_at = local.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    with time_machine.travel(opened_at, tick=False):
        ask = ask_open(
            kind=kind,
            subject=f"test:{kind}",
            title=f"Test {kind}",
            owner=owner,
            job=world.job,
            application=world.interviewed,
        )
    assert ask is not None and ask.due_at > opened_at
    assert_inside_working_hours(ask.owner, ask.due_at)


def test_the_debrief_decision_is_due_three_business_days_after_the_last_interview(world):
    """The interview ended on Christmas Eve at 16:00 in London: three working days of the
    hiring manager's are 24 Dec 16–17, 29, 30 and 31 Dec until 16:00 (25, 26, 28 Dec are
    public holidays in England)."""
    world.hank.time_zone, world.hank.holiday_country = "Europe/London", "GB"
    world.hank.holiday_subdivision = "ENG"
    world.hank.save()
    ended = dt.datetime(2026, 12, 24, 16, 0, tzinfo=LONDON)
    with time_machine.travel(ended, tick=False):
        ask = ask_open(
            kind="decide_after_debrief",
            subject="debrief:1",
            title="Decide",
            owner=world.hank,
            application=world.interviewed,
        )
    assert ask.due_at == dt.datetime(2026, 12, 31, 16, 0, tzinfo=LONDON)
