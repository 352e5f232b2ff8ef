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


def debrief_open(world, clock, interview, jonas, *, hank_away: bool = False):
    """Carla's Technical round ends with both scorecards in and its debrief opens; with
    `hank_away`, while hank is out of office with olga (a hiring manager too) his delegate."""
    from closeloop.interviews.models import Debrief
    from closeloop.interviews.services import debriefs_open_due

    if hank_away:
        world.hank.out_of_office_from = interview.starts_at - dt.timedelta(days=1)
        world.hank.out_of_office_until = interview.ends_at + dt.timedelta(days=30)
        world.hank.delegate = world.olga
        world.hank.save()
    world.interviewed.interviews.filter(round__isnull=True).update(status="cancelled")
    end(clock, interview)
    score(interview, jonas, recommendation="strong_yes")
    score(interview, world.ivy, recommendation="yes")
    debriefs_open_due()
    return Debrief.objects.get()
