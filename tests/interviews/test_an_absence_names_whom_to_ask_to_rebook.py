"""Saving an absence names the recruiter to ask to rebook the interviews it collides with:
"ask Rita to rebook them" when they are all hers, each recruiter when several."""

from __future__ import annotations

import datetime as dt

from closeloop.interviews.models import Interview
from closeloop.interviews.people import absence_interviews_note

AWAY_FROM = dt.datetime(2026, 11, 27, 0, 0, tzinfo=dt.UTC)
AWAY_UNTIL = dt.datetime(2026, 12, 5, 0, 0, tzinfo=dt.UTC)


def _panel(person, application, *starts):
    for start in starts:
        interview = Interview.objects.create(
            application=application, round_name="Panel", starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
        )  # fmt: skip
        interview.interviewers.add(person)


def _note(person) -> str:
    (line,) = absence_interviews_note(user=person, start=AWAY_FROM, end=AWAY_UNTIL)
    return line


def test_all_of_one_recruiter_names_her(world, clock):
    _panel(
        world.hank, world.interviewed,
        dt.datetime(2026, 11, 30, 12, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 1, 12, 30, tzinfo=dt.UTC),
    )  # fmt: skip
    assert _note(world.hank).endswith("— ask Rita to rebook them or find stand-ins.")


def test_several_recruiters_are_each_named(world, clock):
    _panel(world.hank, world.interviewed, dt.datetime(2026, 11, 30, 12, 30, tzinfo=dt.UTC))
    _panel(world.hank, world.other_application, dt.datetime(2026, 12, 1, 12, 30, tzinfo=dt.UTC))
    assert _note(world.hank).endswith(
        "— ask their recruiters, Ada and Rita, to rebook them or find stand-ins."
    )


def test_the_recruiter_herself_is_asked_nobody(world, clock):
    _panel(world.rita, world.interviewed, dt.datetime(2026, 11, 30, 12, 30, tzinfo=dt.UTC))
    assert _note(world.rita).endswith("— rebook it or find a stand-in.")
