"""Existing data for the tests that edit it: every form that edits something finds a value in
each of its fields, so a field the form loses on the way (a date rendered in a shape the
browser cannot show, a box left out) shows up as a changed value.

Built on the shared `world` at Monday 23 Nov 2026 10:00 UTC (imported by name: pytest puts
tests/ on the path). `snapshot()` reads a row's stored values, for before/after comparisons.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
FILL_DATE = dt.date(2027, 2, 26)
START_DATE = dt.date(2027, 4, 1)
INTERVIEW_AT = dt.datetime(2026, 11, 25, 14, 0, tzinfo=BERLIN)  # Wednesday, Berlin time
DEBRIEF_AT = dt.datetime(2026, 11, 27, 15, 30, tzinfo=BERLIN)  # Friday, Berlin time
AWAY_FROM = dt.datetime(2026, 12, 21, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
BACK_ON = dt.datetime(2027, 1, 4, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))

# Bookkeeping that a save may legitimately touch without anyone changing the field.
VOLATILE = {"updated_at", "notes_updated_at", "sequence", "next_run_at", "last_login"}


@dataclass
class Editing:
    job: Any
    agreement: Any  # intake version 1, signed by both
    interview: Any  # Carla's Technical interview, Wednesday 14:00 Berlin, ivy on the panel
    scorecard: Any  # ivy's draft
    debrief: Any  # the round's debrief, meeting on Friday 15:30 Berlin
    touchbase: Any  # the next meeting of the agreed weekly series, with notes
    action_item: Any  # an open item for hank, due Thursday
    schedule: Any  # hank's weekly update: Tuesdays 07:45
    service_level: Any  # the organisation's review time: 3 business days


def snapshot(obj: Any, *, exclude: set[str] = frozenset()) -> dict[str, Any]:
    """The row's stored values (fresh from the database), many-to-many sets included."""
    fresh = type(obj).objects.get(pk=obj.pk)
    values: dict[str, Any] = {}
    for field in fresh._meta.concrete_fields:
        if field.name not in VOLATILE | set(exclude):
            values[field.name] = getattr(fresh, field.attname)
    for field in fresh._meta.many_to_many:
        if field.name not in exclude:
            values[field.name] = sorted(getattr(fresh, field.name).values_list("pk", flat=True))
    return values


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """{field: (before, after)} for every value that differs."""
    return {name: (before[name], after[name]) for name in before if before[name] != after[name]}


def _sign_intake(world: Any) -> Any:
    from closeloop.intake.services import (
        intake_draft_save,
        intake_draft_start,
        intake_propose,
        intake_sign,
    )

    version = intake_draft_start(job=world.job, by=world.rita)
    steps = {
        "role": {"title": "Backend Engineer", "team": "Platform", "location": "Berlin",
                 "remote": True, "headcount": 2, "compensation_min": 80000,
                 "compensation_max": 100000, "compensation_currency": "EUR",
                 "target_fill_date": FILL_DATE, "target_start_date": START_DATE},
        "requirements": {"must_haves": "Python\nPostgreSQL\nOn-call experience",
                         "nice_to_haves": "Go\nKafka",
                         "deal_breakers": "Needs visa sponsorship"},
        "plan": {"interview_plan": [
            {"name": "Technical", "duration_minutes": 60,
             "focus_attributes": ["Python", "System design"], "interviewers": [world.ivy.pk]},
            {"name": "Team conversation", "duration_minutes": 45,
             "focus_attributes": ["Collaboration"], "interviewers": [world.hank.pk]},
        ]},
        "cadence": {"service_levels": {"review_submission": Decimal("1.5")},
                    "touchbase_weekday": 1, "touchbase_time": dt.time(10, 30),
                    "touchbase_minutes": 30, "touchbase_time_zone": "Europe/Berlin",
                    "escalation_contact": world.ada, "notes": "Hank reviews on Tuesdays."},
    }  # fmt: skip
    for step, values in steps.items():
        version = intake_draft_save(version=version, by=world.rita, step=step, data=values)
    intake_propose(version=version, by=world.rita)
    return intake_sign(version=version, by=world.hank)


def _profiles(world: Any) -> None:
    from closeloop.accounts.models import User

    User.objects.filter(pk=world.hank.pk).update(
        title="Engineering manager",
        time_zone="Europe/London",
        work_days=[0, 1, 2, 3],
        work_start=dt.time(8, 30),
        work_end=dt.time(17, 15),
        holiday_country="GB",
        holiday_subdivision="ENG",
        out_of_office_from=AWAY_FROM,
        out_of_office_until=BACK_ON,
        delegate=world.olga,
        notify_channel="in_app",
        batch_window_minutes=240,
    )
    world.hank.refresh_from_db()


def _candidate(world: Any) -> None:
    candidate = world.interviewed.candidate
    candidate.phone = "+49 30 1234567"
    candidate.location = "Hamburg"
    candidate.current_title = "Senior Engineer"
    candidate.current_company = "Acme GmbH"
    candidate.links = "https://github.com/carla\nhttps://carla.example.org"
    candidate.expected_compensation = 92000
    candidate.compensation_currency = "EUR"
    candidate.save()


def build(world: Any) -> Editing:
    """Give every editable thing of the shared world a value in each of its fields."""
    from closeloop.followups.models import ServiceLevel
    from closeloop.interviews.services import (
        Meeting,
        ScorecardInput,
        Slot,
        debrief_open,
        debrief_schedule,
        interview_book,
        scorecard_save,
    )
    from closeloop.jobs.models import InterviewRound
    from closeloop.touchbases.models import Touchbase
    from closeloop.touchbases.services import action_item_add, touchbase_notes_save
    from closeloop.touchbases.weekly import weekly_update_configure

    _profiles(world)
    _candidate(world)
    agreement = _sign_intake(world)
    job = world.job
    job.refresh_from_db()
    job.coordinator = world.olga
    job.save(update_fields=["coordinator"])
    technical = InterviewRound.objects.get(job=job, name="Technical")
    interview = interview_book(
        application=world.interviewed,
        by=world.rita,
        round=technical,
        slot=Slot(
            starts_at=INTERVIEW_AT,
            time_zone="Europe/Berlin",
            interviewers=[world.ivy],
            location="Berlin office, room 2",
            video_url="https://meet.example.com/carla",
            notes="Probe the on-call stories.",
        ),
    )
    scorecard = scorecard_save(
        interview=interview,
        by=world.ivy,
        data=ScorecardInput(
            ratings={"Python": 3, "System design": 4}, recommendation="yes", notes="Solid."
        ),
        submit=False,
    )
    debrief = debrief_open(
        interview=interview, because="by_hand", interviews=[interview], now=INTERVIEW_AT
    )
    debrief = debrief_schedule(
        debrief=debrief,
        by=world.rita,
        meeting=Meeting(
            meets_at=DEBRIEF_AT, minutes=45, time_zone="Europe/Berlin", location="Room 4"
        ),
        attendees=[world.rita, world.hank, world.ivy],
    )
    touchbase = Touchbase.objects.filter(series__job=job).order_by("scheduled_at").first()
    touchbase = touchbase_notes_save(
        touchbase=touchbase, by=world.rita, notes="Pay band first.\nThen Carla."
    )
    item = action_item_add(
        touchbase=touchbase,
        by=world.rita,
        description="Send the revised pay band to finance",
        owner=world.hank,
        due_on=dt.date(2026, 11, 26),
    )
    schedule = weekly_update_configure(
        person=world.hank, by=world.hank, enabled=True, weekday=1, send_time=dt.time(7, 45)
    )
    level = ServiceLevel.objects.create(
        kind="review_submission", amount=Decimal("3"), enabled=True, updated_by=world.ada
    )
    return Editing(job, agreement, interview, scorecard, debrief, touchbase, item, schedule, level)
