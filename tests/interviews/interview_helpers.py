"""Shared helpers of the interview tests (imported by name: pytest puts this dir on the path)."""

from __future__ import annotations

import datetime as dt

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
MONDAY_15 = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)


def book(world, round_, panel, starts_at, *, zone="UTC", by=None, **extra):
    from closeloop.interviews.services import Slot, interview_book

    return interview_book(
        application=world.interviewed,
        by=by or world.rita,
        round=round_,
        slot=Slot(
            starts_at=starts_at,
            time_zone=zone,
            interviewers=list(panel),
            location=extra.pop("location", "Berlin office, room 2"),
            **extra,
        ),
    )


def score(interview, user, *, recommendation="yes", notes="Solid.", submit=True, ratings=None):
    from closeloop.interviews.services import ScorecardInput, scorecard_save

    return scorecard_save(
        interview=interview,
        by=user,
        data=ScorecardInput(
            ratings=ratings or {"Python": 3, "System design": 4},
            recommendation=recommendation,
            notes=notes,
        ),
        submit=submit,
    )


def end(clock, interview, *, after=dt.timedelta(minutes=1)):
    """Travel to just after the interview and run the worker's completion step."""
    from closeloop.interviews.services import interviews_complete

    clock.move_to(interview.ends_at + after)
    return interviews_complete().handled


def open_asks(kind, **filters):
    from closeloop.followups.models import Ask, AskStatus

    return list(Ask.objects.filter(kind=kind, status=AskStatus.OPEN, **filters).order_by("pk"))
