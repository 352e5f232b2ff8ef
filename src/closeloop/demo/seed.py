"""The deterministic demo organisation: 22 people, 10 jobs, 250 candidates, 90 days of history.

`demo_seed()` always builds the same people, jobs and candidates with the same fates (a fixed
random seed); only the timestamps move, because they are relative to the moment of seeding, so
the demo always looks alive: hank has submissions waiting on him, ivy has interviews this week,
rita has stale cards.

It writes rows in bulk (a few seconds on SQLite) but keeps every invariant the services keep:
each move has its StageChange, each event its Activity with the same dotted kind and summary
the services write, each active application's next move belongs to whom the stage says, and
the follow-up engine has its asks (opened through its own service). Story times are hours
relative to now; events land in the actor's working hours. Past notifications are not
recreated; the worker's first loops send the reminders and escalations that are due now.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.activity.models import Activity
from closeloop.demo import data
from closeloop.followups.business_time import (
    calendar_for,
    people_not_working,
    working_time_between,
)
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.services import AskRequest, asks_open
from closeloop.interviews.models import Interview, InterviewStatus
from closeloop.interviews.services import panel_seats_sync
from closeloop.jobs.models import (
    DEFAULT_STAGE_PLAN,
    Job,
    JobOutcome,
    JobStatus,
    MoveOwner,
    Stage,
    StageKind,
)
from closeloop.pipeline.models import (
    JOB_CLOSED_LABEL,
    JOB_CLOSED_REASON,
    Application,
    ApplicationStatus,
    Candidate,
    Question,
    RejectionReason,
    StageChange,
    Submission,
    SubmissionDecision,
    WithdrawalReason,
    closing_reason,
)
from closeloop.pipeline.services import (
    application_next_move_set,
    inform_ask_request,
    question_asks_answered,
    question_asks_open,
    submission_subject,
    update_ask_request,
)

DEMO_PASSWORD = "closeloop-demo"
DEMO_LOGINS: list[tuple[str, str]] = [
    ("rita@example.com", "Recruiter"),
    ("hank@example.com", "Hiring manager"),
    ("ivy@example.com", "Interviewer"),
    ("ada@example.com", "Admin"),
]
DEMO_SEED = 20251117
NEVER = math.inf  # a step whose moment has not come: the candidate waits there
DAY = 24.0  # story time is counted in hours
_HOUR = dt.timedelta(hours=1)


def demo_is_seeded() -> bool:
    """One indexed lookup: the demo admin exists once the organisation was seeded."""
    return User.objects.filter(email="ada@example.com").exists()


def demo_seed(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Build the demo organisation in one transaction; returns how many rows of each kind."""
    with transaction.atomic():
        org = _Org(now or timezone.now())
        org.build()
        counts = org.save()
        for module in DEMO_EXTENSIONS:
            counts.update(import_module(module).seed(org))
        # Features add candidates of their own (the intake's drift story): say what is there.
        counts["candidates"] = Candidate.objects.count()
        counts["applications"] = Application.objects.count()
        return counts


# Features seed their part of the demo after the pipeline exists, in this order (the intake
# sets interview plans and cadences that interviews and touch-bases read). Each module has
# `seed(org) -> dict[str, int]` and works through the features' own services.
DEMO_EXTENSIONS = [
    "closeloop.demo.intake",
    "closeloop.demo.interviews",
    "closeloop.demo.resumes",
    "closeloop.demo.touchbases",
    "closeloop.demo.comments",
    "closeloop.demo.partnership_calibration",
    "closeloop.demo.partnership_pulses",
    "closeloop.demo.partnership_surveys",
    "closeloop.demo.partnership_mentorship",
]


# ---------------------------------------------------------------------------------------------
# Time


def _working_time(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """Fold a moment of its calendar week into that week's working hours (Mon–Fri 09–18).

    The whole week maps in order onto its working time, so story events spread evenly over
    working days instead of piling up at the edges. A moment moves at most 9 hours later
    (Monday 00:00 to 09:00) and at most 2 days 6 hours earlier (Sunday night to Friday 18:00).
    """
    local = moment.astimezone(zone)
    monday = local.date() - dt.timedelta(days=local.weekday())
    hours = local.weekday() * 24 + local.hour + local.minute / 60
    day, fraction = divmod(hours / (7 * 24) * 5, 1)
    start = dt.datetime.combine(monday + dt.timedelta(days=int(day)), dt.time(9), tzinfo=zone)
    folded = start + dt.timedelta(minutes=int(fraction * 9 * 60))
    return folded.astimezone(dt.UTC)


def _in_working_hours(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    local = moment.astimezone(zone)
    return local.weekday() < 5 and 8 <= local.hour <= 17


def _fits(moment: dt.datetime, zone: zoneinfo.ZoneInfo, panel: list[User], minutes: int) -> bool:
    """An interview at `moment` is in the working day of its time zone and in the working
    time of everyone on its panel (their own hours, working days and public holidays), by
    the rule the booking page warns with."""
    ends = moment + dt.timedelta(minutes=minutes)
    return _in_working_hours(moment, zone) and not people_not_working(panel, moment, ends)


# The start times an interview may take on a day, in its time zone: every half hour of the
# working day, tried nearest the hour the story drew first.
_STARTS = [8 + half / 2 for half in range(20)]  # 08:00 … 17:30
# How many days a slot moves at most to find one that suits the panel (a fortnight of
# Christmas holidays and a weekend on either side).
_SLOT_DAYS_SCANNED = 21


def _day_slots(day: dt.date, zone: zoneinfo.ZoneInfo, hour: float) -> list[dt.datetime]:
    """The start times of `day` at or nearest `hour`, in UTC."""
    hours = sorted(_STARTS, key=lambda h: (abs(h - hour), h))
    return [
        dt.datetime.combine(day, dt.time(int(h), int(h % 1 * 60)), tzinfo=zone).astimezone(dt.UTC)
        for h in hours
    ]


def _past_slot(
    earliest: dt.datetime,
    latest: dt.datetime,
    zone: zoneinfo.ZoneInfo,
    hour: float,
    panel: list[User],
    minutes: int,
) -> dt.datetime | None:
    """The latest day between `earliest` and `latest` with a slot that suits the panel, at
    `hour` (local) or the nearest time to it that does, if any."""
    day = latest.astimezone(zone).date()
    while dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone) > earliest:
        for moment in _day_slots(day, zone, hour):
            if earliest <= moment <= latest and _fits(moment, zone, panel, minutes):
                return moment
        day -= dt.timedelta(days=1)
    return None


def _slot(
    moment: dt.datetime,
    zone: zoneinfo.ZoneInfo,
    hour: float,
    forward: bool,
    panel: list[User],
    minutes: int,
) -> dt.datetime:
    """An interview slot on `moment`'s local day at `hour`, or the nearest time of the day
    that suits the whole panel; on a day that suits nobody (a weekend, a public holiday of
    someone on it), the next such day (the previous one when not `forward`)."""
    day = moment.astimezone(zone).date()
    step = dt.timedelta(days=1 if forward else -1)
    for offset in range(_SLOT_DAYS_SCANNED):
        for start in _day_slots(day + offset * step, zone, hour):
            if _fits(start, zone, panel, minutes):
                return start
    # No day suits them all: the weekday at `hour`, as the recruiter would book it anyway.
    local = dt.datetime.combine(day, dt.time(int(hour), int(hour % 1 * 60)), tzinfo=zone)
    while local.weekday() >= 5:
        local += step
    return local.astimezone(dt.UTC)


# ---------------------------------------------------------------------------------------------
# The organisation


@dataclass
class _JobCtx:
    plan: data.JobPlan
    job: Job
    stages: dict[str, Stage]
    recruiter: User
    hm: User
    panel: list[User]
    horizon: float  # hours from now after which nothing happens on this job (0 when open)
    closing: str | None = None  # the note for candidates left at the close


RECRUITER_DELAY_HOURS = {"quick": (2, 30), "medium": (5, 110)}
HM_DELAY_HOURS = {"quick": (1, 20), "medium": (8, 60), "slow": (20, 100), "slowest": (50, 190)}


class _Org:
    """Builds every row in memory, then writes them table by table."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now.replace(second=0, microsecond=0)
        self.rng = random.Random(DEMO_SEED)
        self.users: dict[str, User] = {}
        self.zones: dict[int, zoneinfo.ZoneInfo] = {}
        self.jobs: dict[str, _JobCtx] = {}
        self.candidates: list[Candidate] = []
        self.applications: list[Application] = []
        self.submissions: list[Submission] = []
        self.questions: list[Question] = []
        self.interviews: list[tuple[Any, list[User]]] = []
        self.changes: list[Any] = []
        self.activities: list[Any] = []
        self.linked: list[tuple[Any, str, Any]] = []  # (activity, data key, row) to fill pks
        # Candidates in play owed news, and since when (the recruiter's waiting clock).
        self.news_owed: list[tuple[Application, dt.datetime]] = []
        # News given to candidates in play: (application, owed since, given at), in order.
        self.news_given: list[tuple[Application, dt.datetime, dt.datetime]] = []
        # Rejected candidates owed the outcome, and when they were told (None: not yet).
        self.outcomes_owed: list[tuple[Application, dt.datetime | None]] = []
        # Candidates whose debrief the HM puts on hold, through the debriefs' service, once
        # the interviews' seed has opened it.
        self.debriefs_held: list[Application] = []
        self.used_names: set[str] = set()
        self.used_emails: set[str] = set()

    # -- helpers ------------------------------------------------------------------------------

    def moment(self, hours: float) -> dt.datetime:
        return self.now + dt.timedelta(hours=hours)

    def _local_midnight(self, hours: float, zone: zoneinfo.ZoneInfo) -> dt.datetime:
        """The start of the day `hours` from now, in `zone`."""
        day = self.moment(hours).astimezone(zone).date()
        return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)

    def zone(self, user: User) -> zoneinfo.ZoneInfo:
        return self.zones[user.pk]

    def worked(self, moment: dt.datetime, person: User) -> dt.datetime:
        """The latest moment at or before `moment` (never after now) in the person's working
        hours, weekdays 09:00–18:00 in their zone: what they did then, they did at work (a
        story timed "yesterday" from a Sunday night lands on Friday afternoon)."""
        zone = self.zone(person) if person.pk in self.zones else person.zone
        local = min(moment, self.now).astimezone(zone)
        while True:
            start = dt.datetime.combine(local.date(), dt.time(9), tzinfo=zone)
            end = dt.datetime.combine(local.date(), dt.time(18), tzinfo=zone)
            if local.weekday() < 5 and local >= start:
                return min(local, end - dt.timedelta(minutes=1)).astimezone(dt.UTC)
            local = end - dt.timedelta(days=1)  # the previous day, at its end

    def worked_after(self, moment: dt.datetime, person: User) -> dt.datetime:
        """The earliest moment at or after `moment` in the person's working hours (as
        `worked`), or now when that is still ahead: the next working day for a step taken
        "two days later" that would fall on a weekend."""
        zone = self.zone(person) if person.pk in self.zones else person.zone
        local = moment.astimezone(zone)
        while True:
            start = dt.datetime.combine(local.date(), dt.time(9), tzinfo=zone)
            end = dt.datetime.combine(local.date(), dt.time(18), tzinfo=zone)
            if local.weekday() < 5 and local < end:
                return min(max(local, start).astimezone(dt.UTC), self.now)
            local = start + dt.timedelta(days=1)  # the next day, at its start

    def pick(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def activity(self, kind: str, summary: str, at: dt.datetime, **fields: Any) -> Any:
        application = fields.get("application")
        if application is not None:
            fields.setdefault("job", application.job)
            fields.setdefault("candidate", application.candidate)
        row = Activity(kind=kind, summary=summary[:300], at=at, **fields)
        self.activities.append(row)
        return row

    # -- build --------------------------------------------------------------------------------

    def build(self) -> None:
        self.build_people()
        for plan in data.JOBS:
            self.build_job(plan)
        for key, stories in _scripted_stories().items():
            ctx = self.jobs[key]
            for start, script in stories:
                story = _Story(self, ctx, start, script)
                story.run()
                if (
                    ctx.plan.status == JobStatus.FILLED
                    and story.application.status == ApplicationStatus.HIRED
                ):
                    # The filled job closed the day its hire was made: on the story's clock,
                    # not the hire's stamp, which working hours move with the moment of
                    # seeding (random stories near the horizon would then differ).
                    ctx.horizon = story.t
                    self.close_job(ctx, JobStatus.FILLED, ctx.horizon + 2)
        for plan in data.JOBS:
            self.build_random_stories(self.jobs[plan.key])

    def build_people(self) -> None:
        password = make_password(DEMO_PASSWORD)  # hashed once: argon2 is slow on purpose
        for index, person in enumerate(data.PEOPLE):
            roles = set(person.roles)
            user = User(
                email=person.email,
                full_name=person.name,
                title=person.title,
                password=password,
                is_admin="admin" in roles,
                is_staff="admin" in roles,
                is_superuser="admin" in roles,
                is_recruiter="recruiter" in roles,
                is_hiring_manager="hiring_manager" in roles,
                is_interviewer="interviewer" in roles,
                time_zone=person.zone,
                work_start=dt.time(person.work_start),
                work_end=dt.time(person.work_end),
                work_days=list(person.work_days),
                holiday_country=person.country,
                holiday_subdivision=person.subdivision,
                date_joined=self.now - dt.timedelta(days=400 - index * 11),
            )
            self.users[person.key] = user
        User.objects.bulk_create(self.users.values())
        for person in data.PEOPLE:
            user = self.users[person.key]
            user.manager = self.users[person.manager] if person.manager else None
            self.zones[user.pk] = zoneinfo.ZoneInfo(person.zone)
        away = self.users[data.OUT_OF_OFFICE_PERSON]
        away.delegate = self.users[data.OUT_OF_OFFICE_DELEGATE]
        first_day, last_day = data.OUT_OF_OFFICE_DAYS
        # Away from the start of a day to the start of another, in the person's own zone
        # (midnight UTC is 01:00 in Berlin: "back Sat 12 Dec 01:00" instead of "Fri 11 Dec").
        zone = self.zones[away.pk]
        away.out_of_office_from = self._local_midnight(first_day * DAY, zone)
        away.out_of_office_until = self._local_midnight(last_day * DAY, zone)
        User.objects.bulk_update(
            self.users.values(),
            ["manager", "delegate", "out_of_office_from", "out_of_office_until"],
        )

    def build_job(self, plan: data.JobPlan) -> None:
        recruiter, hm = self.users[plan.recruiter], self.users[plan.hiring_manager]
        created = _working_time(self.moment(-plan.opened_days_ago * DAY), self.zone(recruiter))
        job = Job.objects.create(
            title=plan.title,
            team=plan.team,
            location=plan.location,
            remote=plan.remote,
            headcount=plan.headcount,
            status=JobStatus.OPEN if plan.status == "filled" else plan.status,
            must_haves="\n".join(plan.must_haves),
            recruiter=recruiter,
            hiring_manager=hm,
            escalation_contact=self.users[plan.escalation] if plan.escalation else None,
            created_at=created,
            opened_at=None if plan.status == JobStatus.DRAFT else created,
        )
        panel = [self.users[key] for key in plan.interviewers]
        job.interviewers.set(panel)
        stages = Stage.objects.bulk_create(
            Stage(job=job, kind=kind, name=name, move_owner=owner, position=index)
            for index, (kind, name, owner) in enumerate(DEFAULT_STAGE_PLAN)
        )
        summary = f"{recruiter} opened {job.title}"
        self.activity("closeloop.job.created", summary, created, actor=recruiter, job=job)
        ctx = _JobCtx(
            plan=plan,
            job=job,
            stages={stage.kind: stage for stage in stages},
            recruiter=recruiter,
            hm=hm,
            panel=sorted(panel, key=lambda u: u.pk),
            horizon=0.0,
        )
        self.jobs[plan.key] = ctx
        if plan.status in (JobStatus.ON_HOLD, JobStatus.CLOSED):
            ctx.horizon = -plan.changed_days_ago * DAY
            self.close_job(ctx, plan.status, ctx.horizon)

    def close_job(self, ctx: _JobCtx, status: str, hours: float) -> None:
        """Record the status change; candidates still in play at a close are let go."""
        job = ctx.job
        at = _working_time(self.moment(hours), self.zone(ctx.recruiter))
        job.status = status
        if status in (JobStatus.FILLED, JobStatus.CLOSED):
            job.closed_at, job.closed_by = at, ctx.recruiter
            note = (
                "We filled the role; thank you for your time."
                if status == JobStatus.FILLED
                else "The role was closed: we could not find the profile in this market."
            )
            # How the search ended: the closed demo search is the one that failed.
            job.outcome = JobOutcome.FILLED if status == JobStatus.FILLED else JobOutcome.FAILED
            ctx.closing = note
        else:
            job.held_at = at
        job.save(update_fields=["status", "held_at", "closed_at", "closed_by", "outcome"])
        self.activity(
            "closeloop.job.updated",
            f"{ctx.recruiter} changed status",
            at,
            actor=ctx.recruiter,
            job=job,
            data={"fields": ["status"], "status": status},
        )

    def build_random_stories(self, ctx: _JobCtx) -> None:
        scripted = len(_scripted_stories().get(ctx.plan.key, []))
        first = -ctx.plan.opened_days_ago * DAY + 12
        last = ctx.horizon - 6
        for _ in range(ctx.plan.candidates - scripted):
            # Skewed towards the recent past: pipelines fill up as a search matures.
            start = first + (last - first) * self.rng.random() ** 0.35
            _Story(self, ctx, start, []).run()

    # -- candidates ---------------------------------------------------------------------------

    def new_candidate(self, ctx: _JobCtx, at: dt.datetime) -> tuple[Candidate, dict[str, str]]:
        rng, plan = self.rng, ctx.plan
        first, last = self.new_name()
        company = rng.choice(data.COMPANIES[plan.family])
        title = rng.choice(data.TITLES[plan.family])
        location = rng.choice(data.LOCATIONS[plan.region])
        low, high = plan.budget
        band = rng.random()
        if band < 0.68:
            pay = rng.uniform(low, high)
        elif band < 0.9:
            pay = high * rng.uniform(1.06, 1.3)
        else:
            pay = low * rng.uniform(0.85, 0.97)
        compensation = int(round(pay, -3))
        handle = f"{first}-{last}".lower().replace("'", "")
        links = [f"https://www.linkedin.com/in/{handle}-{rng.randint(1000, 9999)}"]
        site = data.LINK_SITES.get(plan.family)
        if site == "github":
            links.append(f"https://github.com/{handle.replace('-', '')}")
        elif site == "portfolio":
            links.append(f"https://{handle.replace('-', '')}.example.net/portfolio")
        email = self.new_email(first, last)
        candidate = Candidate(
            full_name=f"{first} {last}",
            email=email,
            phone=data.PHONES[plan.region].format(rng.randint(0, 99)),
            location=location,
            links="\n".join(links),
            current_company=company,
            current_title=title,
            expected_compensation=compensation,
            compensation_currency=plan.currency,
            source=self.pick(data.SOURCES),
            created_by=ctx.recruiter,
            created_at=at,
            updated_at=at,
        )
        self.candidates.append(candidate)
        facts = {
            "first": first,
            "company": company,
            "title": title,
            "location": location,
            "years": str(rng.randint(3, 14)),
            "notice": str(rng.choice([2, 4, 4, 8, 12])),
            "comp": f"{plan.currency} {compensation:,}",
            "over": "1" if compensation > high else "",
            "other": rng.choice([c for c in data.COMPANIES[plan.family] if c != company]),
        }
        return candidate, facts

    def new_name(self) -> tuple[str, str]:
        while True:
            first, last = self.rng.choice(data.FIRST_NAMES), self.rng.choice(data.LAST_NAMES)
            if f"{first} {last}" not in self.used_names:
                self.used_names.add(f"{first} {last}")
                return first, last

    def new_email(self, first: str, last: str) -> str:
        local = f"{first}.{last}".lower().replace("'", "")
        domain = self.rng.choice(["example.org", "example.net"])
        email, n = f"{local}@{domain}", 1
        while email in self.used_emails:
            n += 1
            email = f"{local}{n}@{domain}"
        self.used_emails.add(email)
        return email

    # -- save ---------------------------------------------------------------------------------

    def save(self) -> dict[str, int]:
        Candidate.objects.bulk_create(self.candidates, batch_size=500)
        Application.objects.bulk_create(self.applications, batch_size=500)
        Submission.objects.bulk_create(self.submissions, batch_size=500)
        Question.objects.bulk_create(self.questions, batch_size=500)
        Interview.objects.bulk_create([row for row, _ in self.interviews], batch_size=500)
        Through = Interview.interviewers.through
        panels = [(row, user) for row, users in self.interviews for user in users]
        Through.objects.bulk_create(
            [Through(interview_id=row.pk, user_id=user.pk) for row, user in panels], batch_size=500
        )
        # Panel rows inserted in bulk send no m2m signal: the seats are filled here.
        panel_seats_sync({row.application_id for row, _ in self.interviews})
        StageChange.objects.bulk_create(self.changes, batch_size=500)
        for activity, key, row in self.linked:
            activity.data = {**activity.data, key: row.pk}
        Activity.objects.bulk_create(self.activities, batch_size=500)
        asks = self.open_asks()
        return {
            "users": len(self.users),
            "jobs": len(self.jobs),
            "candidates": len(self.candidates),
            "applications": len(self.applications),
            "submissions": len(self.submissions),
            "interviews": len(self.interviews),
            "stage_changes": len(self.changes),
            "activities": len(self.activities),
            "asks": asks,
        }

    def open_asks(self) -> int:
        """The follow-up engine's asks, opened through its own service as the pipeline does.

        Every submission opened a review ask for its hiring manager: answered ones are closed
        at the decision (so responsiveness is measured), the rest cancelled or still open.
        Every rejection opened the recruiter's ask to tell the candidate, closed once told;
        every piece of news given to a candidate in play answered the recruiter's
        waiting-clock ask, and every candidate still in play has one open. Past ladder
        rungs are not replayed: the worker reaches them on its first loops, as it would after
        any pause, and batches them into one message per person. The asks are opened many
        at a time (`asks_open`), in the order one `ask_open` each would open them.
        """
        answered: list[tuple[Ask, User, dt.datetime]] = []
        questions: dict[int, list[Question]] = {}
        for question in sorted(self.questions, key=lambda q: q.asked_at):
            questions.setdefault(question.submission.pk, []).append(question)
        reviews = [
            AskRequest(
                kind="review_submission",
                subject=submission_subject(submission),
                title=f"Review {submission.application.candidate.full_name} for "
                f"{submission.application.job.title}",
                owner=submission.application.job.hiring_manager,
                job=submission.application.job,
                application=submission.application,
                requested_by=submission.submitted_by,
                opened_at=submission.submitted_at,
            )
            for submission in self.submissions
        ]
        # A question puts its review on hold through the pipeline's services, which find the
        # review in the database: the reviews up to a questioned one are opened first.
        asked = [
            index
            for index, submission in enumerate(self.submissions)
            if submission.decision == SubmissionDecision.PENDING and questions.get(submission.pk)
        ]
        start = 0
        for end in [*asked, len(reviews) - 1]:
            opened = asks_open(reviews[start : end + 1])
            for submission, ask in zip(self.submissions[start : end + 1], opened, strict=True):
                self.review_answered(submission, ask, answered)
                if submission.decision == SubmissionDecision.PENDING:
                    self.question_asks(submission.application, questions.get(submission.pk, []))
            start = end + 1
        informs = asks_open(
            [
                inform_ask_request(application, application.closed_at)
                for application, _ in self.outcomes_owed
            ]
        )
        for (application, told_at), ask in zip(self.outcomes_owed, informs, strict=True):
            if told_at is not None:
                answered.append((ask, application.job.recruiter, told_at))
        self.close_answered(answered)
        given = self.news_answered()
        asks_open([update_ask_request(application, since) for application, since in self.news_owed])
        return len(self.submissions) + len(self.outcomes_owed) + given + len(self.news_owed)

    def news_answered(self) -> int:
        """Each piece of news given to a candidate in play answered the recruiter's waiting
        clock, owed since the news before (or since the candidate was added), and started
        the next, as `candidate_updated` does. A candidate has one such ask open at a time,
        so they are opened and closed in turns: every candidate's first news, then their
        second, and so on (a few bulk writes each)."""
        turns: list[list[tuple[Application, dt.datetime, dt.datetime]]] = []
        told: dict[int, int] = {}
        for application, since, at in self.news_given:
            turn = told.get(id(application), 0)
            told[id(application)] = turn + 1
            if turn == len(turns):
                turns.append([])
            turns[turn].append((application, since, at))
        for news in turns:
            asks = asks_open(
                [update_ask_request(application, since) for application, since, _ in news]
            )
            self.close_answered(
                [
                    (ask, application.job.recruiter, at)
                    for (application, _, at), ask in zip(news, asks, strict=True)
                    if ask is not None
                ]
            )
        return len(self.news_given)

    def review_answered(
        self,
        submission: Submission,
        ask: Ask,
        answered: list[tuple[Ask, User, dt.datetime]],
    ) -> None:
        """The HM's decision answers the review; a withdrawal or a closed job cancels it."""
        if submission.decided_by_id == submission.application.job.hiring_manager_id:
            answered.append((ask, submission.decided_by, submission.decided_at))
        elif submission.decision != SubmissionDecision.PENDING:
            # Withdrawn, or let go when the job closed: no answer to measure.
            ask.status, ask.closed_via = AskStatus.CANCELLED, "closed"
            ask.closed_at, ask.next_nudge_at = submission.decided_at, None
            ask.save(update_fields=["status", "closed_at", "closed_via", "next_nudge_at"])

    def question_asks(self, application: Application, questions: list[Question]) -> None:
        """The HM's questions on a pending submission, through the pipeline's own services:
        each opened the recruiter's ask and put the review on hold; an answer closed the ask
        and, once none was left open, resumed the review with the held time given back."""
        for question in questions:
            question_asks_open(question=question, application=application, at=question.asked_at)
            if question.answered_at is not None:
                question_asks_answered(
                    question=question, by=question.answered_by, at=question.answered_at
                )

    def close_answered(self, answered: list[tuple[Ask, User, dt.datetime]]) -> None:
        """What ask_close records, in bulk: who answered, when, and the working time it took."""
        closings = []
        for ask, by, at in answered:
            calendar = calendar_for(ask.original_owner or ask.owner)
            ask.status, ask.closed_at, ask.closed_by = AskStatus.DONE, at, by
            ask.closed_via, ask.next_nudge_at = "app", None
            waited = working_time_between(calendar, ask.opened_at, at)
            ask.response_seconds = int(waited.total_seconds())
            closings.append(
                Activity(
                    kind="closeloop.ask.closed",
                    actor=by,
                    job=ask.job,
                    application=ask.application,
                    candidate=ask.application.candidate,
                    at=at,
                    summary=f"Answered: {ask.title}"[:300],
                    team_only=True,
                    data={"ask": ask.pk, "response_seconds": ask.response_seconds, "via": "app"},
                )
            )
        fields = ["status", "closed_at", "closed_by", "closed_via", "next_nudge_at"]
        _rows_update([ask for ask, _, _ in answered], [*fields, "response_seconds"])
        Activity.objects.bulk_create(closings, batch_size=500)


def _rows_update(rows: list[Any], fields: list[str]) -> None:
    """Write `fields` of each row as `row.save(update_fields=fields)` does: one short UPDATE
    per row, the statement built once and sent with executemany (compiling an UPDATE a row
    cost more than running it; bulk_update's CASE per field is slower still). For rows
    with no save() of their own, no signal receivers and no auto_now among `fields`."""
    if not rows:
        return
    meta = rows[0]._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    # The model's own table and columns, quoted; every value goes as a parameter.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# ---------------------------------------------------------------------------------------------
# One candidate's story on one job


Script = list[tuple[str, Any, float]]  # (step, outcome, absolute hour of the step)


@dataclass
class _Story:
    """Walks one application through the pipeline, writing what the services would write.

    Each step draws an outcome and a delay; when the delay reaches past the job's horizon
    (now, or the day the job went on hold or closed) the candidate stays where they are.
    A script (for the personas' showcase cases) fixes outcomes and times instead.
    """

    org: _Org
    ctx: _JobCtx
    t: float
    script: Script
    application: Any = None  # the Application, once added
    facts: dict[str, str] = field(default_factory=dict)
    last_at: dt.datetime | None = None
    pending: Any = None  # the submission waiting for the HM
    open_question: Any = None
    planned_answer: str = ""
    scheduled: list[Any] = field(default_factory=list)
    answered_at: dt.datetime | None = None
    informed_at: dt.datetime | None = None
    told_outcome: bool = False
    scripted: bool = False

    def __post_init__(self) -> None:
        self.scripted = bool(self.script)

    # -- the flow -----------------------------------------------------------------------------

    def run(self) -> None:
        self.add()
        waiting = self.flow() and self.application.status == ApplicationStatus.ACTIVE
        if waiting and self.ctx.horizon < 0:
            # The job closed or went on hold: nobody is left in play at a close, and an
            # offer does not survive months of silence.
            self.t = max(self.t, self.ctx.horizon)
            if self.ctx.closing:
                self.close_with_job(self.ctx.recruiter, note=self.ctx.closing)
            elif self.application.stage.kind == StageKind.OFFER:
                self.withdraw_with(data.OFFER_DECLINES)
        if self.application.status == ApplicationStatus.REJECTED:
            self.told_outcome = self.inform_later("Told them we will not go ahead, and why.")
        self.settle()

    def flow(self) -> bool:
        """Returns True when the candidate is left waiting (still in play)."""
        ctx = self.ctx
        outcome, delay = self.choose(
            "sourced", {"submit": 68, "reject": 22, "withdraw": 10}, self.recruiter_delay
        )
        if not self.wait(delay):
            return True
        if outcome == "reject":
            return self.reject_with(ctx.recruiter, data.SOURCING_REJECT_REASONS, data.PASS_NOTES)
        if outcome == "withdraw":
            return self.withdraw_with(data.SOURCING_WITHDRAWALS)
        self.submit()
        if not self.hm_decides():
            return self.application.status == ApplicationStatus.ACTIVE
        outcome, delay = self.choose(
            "screen", {"interview": 72, "reject": 22, "withdraw": 6}, self.hm_delay
        )
        if not self.wait(delay):
            return True
        if outcome == "reject":
            return self.reject_with(ctx.hm, data.SCREEN_REJECT_REASONS, data.PASS_NOTES)
        if outcome == "withdraw":
            return self.withdraw_with(data.LATE_WITHDRAWALS)
        self.move(StageKind.INTERVIEWING, ctx.hm, self.say(data.SCREEN_NOTES))
        for number, round_name in enumerate(ctx.plan.rounds):
            if not self.interview(number, round_name, last=number == len(ctx.plan.rounds) - 1):
                return self.application.status == ApplicationStatus.ACTIVE
        return self.decide_and_offer()

    def hm_decides(self) -> bool:
        """The HM's answer to the submission (maybe after a question); True on advance."""
        ctx = self.ctx
        asks, delay = self.choose("question", {"ask": 14, "no": 86}, lambda: self.hm_delay() / 2)
        if asks == "ask":
            if not self.wait(delay):
                return False
            self.ask(data.OPEN_QUESTION if self.scripted else None)
            _, delay = self.choose("answer", {"answer": 1}, self.recruiter_delay)
            if not self.wait(delay):
                return False
            self.answer()
        # Slow hiring managers lose candidates while they wait (the problem Closeloop solves).
        slow = _hm_speed(ctx) in ("slow", "slowest")
        weights = {"advance": 48, "pass": 46, "withdraw": 6 if slow else 1}
        outcome, delay = self.choose("decide", weights, self.hm_delay)
        if not self.wait(delay):
            return False
        if outcome == "pass":
            self.pass_()
            return False
        if outcome == "withdraw":
            self.withdraw_with(data.SLOW_WITHDRAWAL)
            return False
        self.advance()
        return True

    def interview(self, position: int, round_name: str, *, last: bool) -> bool:
        """Book one round, hold it, then go on, or stop; True when the candidate goes on."""
        ctx = self.ctx
        panel, delay = self.choose("book", None, lambda: self.org.rng.uniform(2, 20))
        if panel is None:
            size = 1 if len(ctx.panel) < 3 else self.org.rng.choice([1, 2, 2])
            panel = self.org.rng.sample(ctx.panel, size)
        else:
            panel = [self.org.users[key] for key in panel]
        if not self.wait(delay):
            return False
        _, start = self.choose("start", None, lambda: self.org.rng.uniform(30, 110))
        hour = self.org.rng.choice(data.INTERVIEW_HOURS)
        # As long as the round in the agreed plan; still drawn, so later draws stay the same.
        self.org.rng.choice([45, 60, 60, 90])
        minutes = data.round_minutes(position)
        interview = self.book(round_name, panel, start, hour, minutes)
        if not self.wait(start + minutes / 60):
            if ctx.horizon < 0 and ctx.closing is None:  # on hold: the panel is called off
                self.t = ctx.horizon
                self.cancel(interview)
            return False
        interview.status = InterviewStatus.COMPLETED
        self.scheduled.remove(interview)
        self.last_at = max(self.last_at, interview.ends_at)
        weights = {"next": 74, "reject": 21, "withdraw": 5}
        outcome, delay = self.choose("after", weights, lambda: self.org.rng.uniform(4, 40))
        if not self.wait(delay):
            return False
        if outcome == "reject":
            self.facts["round"] = round_name.lower()
            self.reject_with(ctx.hm, data.INTERVIEW_REJECT_REASONS, data.INTERVIEW_REJECT_NOTES)
            return False
        if outcome == "withdraw":
            self.withdraw_with(data.LATE_WITHDRAWALS)
            return False
        if last:
            self.move(StageKind.DEBRIEF, ctx.recruiter, "All interviews done; debrief booked")
        return True

    def decide_and_offer(self) -> bool:
        ctx = self.ctx
        outcome, delay = self.choose("debrief", {"offer": 55, "reject": 45}, self.hm_delay)
        if outcome == "hold":  # scripted: the HM puts the debrief on hold (demo/interviews.py)
            self.org.debriefs_held.append(self.application)
        if not self.wait(delay):
            return True
        if outcome == "reject":
            return self.reject_with(ctx.hm, data.DEBRIEF_REJECT_REASONS, data.DEBRIEF_NOTES)
        self.move(StageKind.OFFER, ctx.hm, self.say(data.OFFER_NOTES))
        self.inform("Walked them through the offer.")
        outcome, delay = self.choose(
            "offer", {"accept": 50, "decline": 50}, lambda: self.org.rng.uniform(40, 170)
        )
        if not self.wait(delay):
            return True
        # Only the scripted stories hire (the demo has exactly its two hires); a random
        # candidate who would accept takes another offer instead.
        if outcome == "accept" and self.scripted:
            self.move(StageKind.HIRED, ctx.recruiter, "Offer accepted")
            return False
        return self.withdraw_with(data.OFFER_DECLINES)

    # -- choices and time ---------------------------------------------------------------------

    def choose(
        self, step: str, weights: dict[str, int] | None, delay: Callable[[], float]
    ) -> tuple[Any, float]:
        """The outcome and delay of a step: from the script, else drawn."""
        if self.script:
            name, outcome, at = self.script.pop(0)
            if name != step:
                raise ValueError(f"demo script expected {step!r}, found {name!r}")
            return outcome, at - self.t
        return (self.org.pick(weights) if weights else None), delay()

    def wait(self, delay: float) -> bool:
        """Move the story clock on; False when that moment lies beyond the job's horizon."""
        if self.t + delay >= self.ctx.horizon - 0.1:
            return False
        self.t += delay
        return True

    def recruiter_delay(self) -> float:
        low, high = RECRUITER_DELAY_HOURS[_recruiter_speed(self.ctx)]
        return self.org.rng.uniform(low, high)

    def hm_delay(self) -> float:
        # Hours of the calendar. "slowest" (Hank) is the demo's bottleneck: his median review
        # takes longer than the two business days his agreements promise.
        low, high = HM_DELAY_HOURS[_hm_speed(self.ctx)]
        return self.org.rng.uniform(low, high)

    def stamp(self, actor: User) -> dt.datetime:
        """Now-in-the-story as a timestamp: in the actor's working hours, after the last event."""
        ceiling = self.org.now - dt.timedelta(minutes=1)
        at = min(_working_time(self.org.moment(self.t), self.org.zone(actor)), ceiling)
        last = self.last_at
        if last is not None and at <= last:
            # Keep the story in order without stepping into the future.
            gap = min(dt.timedelta(minutes=7), (ceiling - last) / 2)
            at = last + max(gap, dt.timedelta(seconds=1))
        self.last_at = at
        return at

    def say(self, options: list[str]) -> str:
        must = self.org.rng.choice(self.ctx.plan.must_haves)
        return self.org.rng.choice(options).format(must=must, **self.facts)

    # -- what the services do -----------------------------------------------------------------

    def add(self) -> None:
        ctx, recruiter = self.ctx, self.ctx.recruiter
        at = self.stamp(recruiter)
        candidate, self.facts = self.org.new_candidate(ctx, at)
        self.application = Application(
            candidate=candidate, job=ctx.job, stage=ctx.stages[StageKind.SOURCED], created_at=at
        )
        self.org.applications.append(self.application)
        self.enter(StageKind.SOURCED, recruiter, "Added", at, first=True)
        self.org.activity(
            "closeloop.application.created",
            f"{recruiter} added {candidate.full_name} to {ctx.job.title} (Sourced)",
            at,
            actor=recruiter,
            application=self.application,
        )

    def enter(
        self, kind: str, by: User, reason: str, at: dt.datetime, *, first: bool = False
    ) -> None:
        """Like the services' _set_stage: the application moves and a StageChange says so."""
        application, stage = self.application, self.ctx.stages[kind]
        hired = kind == StageKind.HIRED
        to_status = ApplicationStatus.HIRED if hired else ApplicationStatus.ACTIVE
        self.org.changes.append(
            StageChange(
                application=application,
                from_stage=None if first else application.stage,
                to_stage=stage,
                from_status="" if first else application.status,
                to_status=to_status,
                by=by,
                at=at,
                reason=reason,
            )
        )
        application.stage, application.status = stage, to_status
        application.entered_stage_at = at

    def move(self, kind: str, by: User, reason: str) -> None:
        at = self.stamp(by)
        from_name = self.application.stage.name
        self.enter(kind, by, reason, at)
        to_name = self.ctx.stages[kind].name
        self.org.activity(
            "closeloop.application.moved",
            f"{by} moved {self.application.candidate.full_name} from {from_name} to {to_name}",
            at,
            actor=by,
            application=self.application,
            detail=reason,
            data={"from": from_name, "to": to_name},
        )

    def submit(self) -> None:
        ctx, recruiter = self.ctx, self.ctx.recruiter
        at = self.stamp(recruiter)
        musts = list(ctx.plan.must_haves)
        met = [m for m in musts if self.org.rng.random() < 0.7] or musts[:1]
        pitch = self.pitch(met)
        self.pending = Submission(
            application=self.application,
            submitted_by=recruiter,
            submitted_at=at,
            pitch=pitch,
            must_haves_met=met,
            must_haves_listed=musts,
        )
        self.org.submissions.append(self.pending)
        self.enter(StageKind.SUBMITTED, recruiter, "Submitted to the HM", at)
        row = self.org.activity(
            "closeloop.submission.created",
            f"{recruiter} submitted {self.application.candidate.full_name} to {ctx.hm}",
            at,
            actor=recruiter,
            application=self.application,
            detail=pitch,
        )
        self.org.linked.append((row, "submission", self.pending))
        self.inform(f"Told them they are with {ctx.hm.short_name} now.")

    def pitch(self, met: list[str]) -> str:
        rng, facts = self.org.rng, self.facts
        parts = [
            rng.choice(data.PITCH_OPENERS).format(**facts),
            f"Meets the must-haves: {'; '.join(met)}.",
            rng.choice(data.PITCH_EXTRAS).format(**facts),
        ]
        if facts["over"]:
            parts.append(data.PITCH_OVER_BUDGET.format(**facts))
        return " ".join(parts)

    def ask(self, text: str | None = None) -> None:
        ctx = self.ctx
        at = self.stamp(ctx.hm)
        index = self.org.rng.randrange(len(data.QUESTIONS))
        must = self.org.rng.choice(ctx.plan.must_haves)
        question_text, answer = data.QUESTIONS[index]
        self.open_question = Question(
            submission=self.pending,
            asked_by=ctx.hm,
            asked_at=at,
            text=(text or question_text).format(must=must, **self.facts),
        )
        self.planned_answer = answer.format(must=must, **self.facts)
        self.org.questions.append(self.open_question)
        self.org.activity(
            "closeloop.submission.question_asked",
            f"{ctx.hm} asked {ctx.recruiter} about {self.application.candidate.full_name}",
            at,
            actor=ctx.hm,
            application=self.application,
            detail=self.open_question.text,
            team_only=True,
        )

    def answer(self) -> None:
        ctx, question = self.ctx, self.open_question
        at = self.stamp(ctx.recruiter)
        question.answer = self.planned_answer
        question.answered_by, question.answered_at = ctx.recruiter, at
        self.answered_at = at
        self.open_question = None
        self.org.activity(
            "closeloop.submission.question_answered",
            f"{ctx.recruiter} answered {ctx.hm}'s question",
            at,
            actor=ctx.recruiter,
            application=self.application,
            detail=question.answer,
            team_only=True,
        )

    def advance(self) -> None:
        ctx = self.ctx
        note = self.say(data.ADVANCE_NOTES)
        at = self.stamp(ctx.hm)
        self.decided(SubmissionDecision.ADVANCED, at)
        self.enter(StageKind.HM_REVIEW, ctx.hm, note or "Advanced by the HM", at)
        self.org.activity(
            "closeloop.submission.advanced",
            f"{ctx.hm} advanced {self.application.candidate.full_name} to "
            f"{ctx.stages[StageKind.HM_REVIEW].name}",
            at,
            actor=ctx.hm,
            application=self.application,
            detail=note,
        )
        self.inform(f"Told them {ctx.hm.short_name} would like to talk.")

    def pass_(self) -> None:
        ctx = self.ctx
        reason = self.org.pick(data.PASS_REASONS)
        note = self.say(data.PASS_NOTES[reason])
        at = self.stamp(ctx.hm)
        self.decided(SubmissionDecision.PASSED, at, reason=reason, note=note)
        self.close(ApplicationStatus.REJECTED, ctx.hm, reason, note, at)
        self.org.activity(
            "closeloop.submission.passed",
            f"{ctx.hm} passed on {self.application.candidate.full_name}: "
            f"{RejectionReason(reason).label}",
            at,
            actor=ctx.hm,
            application=self.application,
            detail=note,
            data={"reason": reason},
        )

    def decided(self, decision: str, at: dt.datetime, *, reason: str = "", note: str = "") -> None:
        self.pending.decision = decision
        self.pending.decided_by = self.ctx.hm
        self.pending.decided_at = at
        self.pending.pass_reason = reason
        self.pending.decision_note = note
        self.pending = None

    def reject_with(self, by: User, reasons: dict[str, int], notes: dict[str, list[str]]) -> bool:
        reason = self.org.pick(reasons)
        self.reject(by, reason, note=self.say(notes[reason]))
        return False

    def reject(self, by: User, reason: str, *, note: str) -> None:
        """Like application_reject: a pending submission is passed with the same reason."""
        at = self.stamp(by)
        if self.pending is not None:
            self.decided_by_other(SubmissionDecision.PASSED, by, at, reason, note)
        for interview in list(self.scheduled):
            self.cancel(interview, quiet=True)
        self.close(ApplicationStatus.REJECTED, by, reason, note, at)
        self.org.activity(
            "closeloop.application.rejected",
            f"{by} rejected {self.application.candidate.full_name}: "
            f"{RejectionReason(reason).label}",
            at,
            actor=by,
            application=self.application,
            detail=note,
            data={"reason": reason},
        )

    def close_with_job(self, by: User, *, note: str) -> None:
        """Like pipeline.services.on_job_closed: rejected as the job closed, a pending
        submission closed before a decision."""
        at = self.stamp(by)
        if self.pending is not None:
            self.pending.decision = SubmissionDecision.CLOSED
            self.pending.decision_note = JOB_CLOSED_LABEL
            self.pending = None
        for interview in list(self.scheduled):
            self.cancel(interview, quiet=True)
        self.close(ApplicationStatus.REJECTED, by, JOB_CLOSED_REASON, note, at)
        self.org.activity(
            "closeloop.application.rejected",
            f"{self.application.candidate.full_name} closed with the job, closed by {by}",
            at,
            actor=by,
            application=self.application,
            detail=note,
            data={"reason": JOB_CLOSED_REASON},
        )

    def withdraw_with(self, reasons: dict[str, int]) -> bool:
        """Like application_withdraw, recorded by the recruiter."""
        recruiter = self.ctx.recruiter
        reason = self.org.pick(reasons)
        note = self.say(data.WITHDRAWAL_NOTES[reason])
        at = self.stamp(recruiter)
        if self.pending is not None:  # closed before a decision, as the services do
            self.pending.decision = SubmissionDecision.CLOSED
            self.pending.decision_note = "Candidate withdrew"
            self.pending = None
        self.close(ApplicationStatus.WITHDRAWN, recruiter, reason, note, at)
        self.org.activity(
            "closeloop.application.withdrawn",
            f"{self.application.candidate.full_name} withdrew: {WithdrawalReason(reason).label}",
            at,
            actor=recruiter,
            application=self.application,
            detail=note,
            data={"reason": reason},
        )
        return False

    def decided_by_other(
        self, decision: str, by: User, at: dt.datetime, reason: str, note: str
    ) -> None:
        pending = self.pending
        self.decided(decision, at, reason=reason, note=note)
        pending.decided_by = by

    def close(self, status: str, by: User, reason: str, note: str, at: dt.datetime) -> None:
        """Like the services' _close: a StageChange in place, then the closed fields."""
        application = self.application
        self.org.changes.append(
            StageChange(
                application=application,
                from_stage=application.stage,
                to_stage=application.stage,
                from_status=application.status,
                to_status=status,
                by=by,
                at=at,
                reason=closing_reason(reason, note),
            )
        )
        application.status = status
        application.closed_reason, application.closed_note = reason, note
        application.closed_at = at

    def book(
        self, round_name: str, panel: list[User], start: float, hour: float, minutes: int
    ) -> Interview:
        """Schedule an interview round; the recruiter books it, the activity says with whom."""
        ctx, org = self.ctx, self.org
        booked_at = self.stamp(ctx.recruiter)
        lead = min(panel, key=lambda u: u.pk)
        place = org.rng.choice(data.INTERVIEW_PLACES).format(office=ctx.job.location)
        office = data.OFFICE_ZONES.get(ctx.job.location)
        if office is None:  # a remote job has no office to meet in
            place = "Video call"
        # In the office's time zone when held there, else in the lead interviewer's.
        zone = zoneinfo.ZoneInfo(office) if place.endswith(" office") else org.zone(lead)
        forward = self.t + start + minutes / 60 >= ctx.horizon - 0.1
        starts = _slot(org.moment(self.t + start), zone, hour, forward, panel, minutes)
        if forward and ctx.horizon == 0 and starts <= org.now + _HOUR:
            starts = _slot(starts + dt.timedelta(days=1), zone, hour, True, panel, minutes)
        if not forward:
            earliest, latest = booked_at + 2 * _HOUR, org.moment(-2 - minutes / 60)
            held = min(max(starts, earliest), latest)
            if held != starts and not _fits(held, zone, panel, minutes):
                # Kept after its booking and before now, the slot left the working time
                # (booked at 17:00, held at 19:00): the latest slot in between that suits
                # the panel.
                # Else a call right after booking, in the working day of its time zone: a
                # panel with no working time in common between booking and now (Mei off
                # on Fridays, booked on Thursday evening) is held then all the same.
                soon = booked_at + dt.timedelta(minutes=10)
                in_hours = soon <= latest and _in_working_hours(soon, zone)
                found = _past_slot(earliest, latest, zone, hour, panel, minutes)
                held = found or (soon if in_hours else held)
            starts = held
        interview = Interview(
            application=self.application,
            round_name=round_name,
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=minutes),
            time_zone=str(zone),
            location=place,
            created_at=booked_at,
        )
        org.interviews.append((interview, panel))
        self.scheduled.append(interview)
        names = " and ".join(str(user) for user in sorted(panel, key=lambda u: u.pk))
        row = org.activity(
            "closeloop.interview.scheduled",
            f"{ctx.recruiter} scheduled {round_name} for "
            f"{self.application.candidate.full_name} with {names}",
            booked_at,
            actor=ctx.recruiter,
            application=self.application,
            data={"round": round_name},
        )
        org.linked.append((row, "interview", interview))
        self.inform(f"Invited them to the {round_name.lower()}.")
        return interview

    def inform(self, note: str) -> None:
        """Like candidate_updated: the recruiter gave the candidate news."""
        recruiter, application = self.ctx.recruiter, self.application
        at = self.stamp(recruiter)
        if application.status == ApplicationStatus.ACTIVE:  # else the outcome's ask answers
            since = self.informed_at or application.created_at
            self.org.news_given.append((application, since, at))
        application.candidate_updated_at = self.informed_at = at
        self.org.activity(
            "closeloop.candidate.informed",
            f"{recruiter} updated {self.application.candidate.full_name}",
            at,
            actor=recruiter,
            application=self.application,
            detail=note,
        )

    def inform_later(self, note: str) -> bool:
        """News given a little after a decision, unless that moment has not come yet."""
        delay = self.org.rng.uniform(2, 60)
        if self.t + delay >= -0.1:
            return False
        self.t += delay
        self.inform(note)
        return True

    def cancel(self, interview: Any, *, quiet: bool = False) -> None:
        interview.status = InterviewStatus.CANCELLED
        self.scheduled.remove(interview)
        if quiet:
            return
        at = self.stamp(self.ctx.recruiter)
        self.org.activity(
            "closeloop.interview.cancelled",
            f"{self.ctx.recruiter} cancelled the {interview.round_name} with "
            f"{self.application.candidate.full_name}: the job is on hold",
            at,
            actor=self.ctx.recruiter,
            application=self.application,
        )

    def settle(self) -> None:
        """Whose move it is now, by the same rules the services apply."""
        application, ctx = self.application, self.ctx
        if application.status == ApplicationStatus.ACTIVE:
            self.org.news_owed.append((application, self.informed_at or application.created_at))
        elif application.status == ApplicationStatus.REJECTED:
            told_at = self.informed_at if self.told_outcome else None
            self.org.outcomes_owed.append((application, told_at))
        if application.status != ApplicationStatus.ACTIVE:
            application_next_move_set(application=application, owner=None, at=None, save=False)
            return
        if self.open_question is not None:
            owner, since = ctx.recruiter, self.open_question.asked_at
        elif self.pending is not None:
            owner = ctx.hm
            since = max(self.pending.submitted_at, self.answered_at or self.pending.submitted_at)
        else:
            since = application.entered_stage_at
            owner = {
                MoveOwner.RECRUITER: ctx.recruiter,
                MoveOwner.HIRING_MANAGER: ctx.hm,
                MoveOwner.NOBODY: None,
            }.get(application.stage.move_owner, ctx.recruiter)
            if application.stage.move_owner == MoveOwner.INTERVIEWERS and self.scheduled:
                upcoming = min(self.scheduled, key=lambda i: i.starts_at)
                owner = min(self.panel_of(upcoming), key=lambda u: u.pk)
        # Set on the unsaved row (the seeder saves in bulk), through the pipeline's one door.
        application_next_move_set(application=application, owner=owner, at=since, save=False)

    def panel_of(self, interview: Interview) -> list[User]:
        return next(users for row, users in self.org.interviews if row is interview)


def _recruiter_speed(ctx: _JobCtx) -> str:
    return next(p.speed for p in data.PEOPLE if p.key == ctx.plan.recruiter)


def _hm_speed(ctx: _JobCtx) -> str:
    return next(p.speed for p in data.PEOPLE if p.key == ctx.plan.hiring_manager)


# ---------------------------------------------------------------------------------------------
# The showcase: fixed stories so every persona's first page has something to act on.


def _through_interviews(rounds: Iterable[tuple[list[str], float]]) -> Script:
    """Steps of interview rounds held at the given hours (each booked two days before)."""
    steps: Script = []
    for panel, at in rounds:
        steps += [("book", panel, at - 2 * DAY), ("start", None, at)]
        steps.append(("after", "next", at + 20))
    return steps


def _scripted_stories() -> dict[str, list[tuple[float, Script]]]:
    """(start hour, script) per job key. Hours are relative to the moment of seeding."""
    d = DAY

    def pending(submitted: float) -> tuple[float, Script]:
        start = submitted - 2 * d
        steps = [("sourced", "submit", submitted), ("question", "no", submitted)]
        return start, [*steps, ("decide", "wait", NEVER)]

    def upcoming_interview(hours_ahead: float, panel: list[str]) -> tuple[float, Script]:
        # The later the interview, the more recently the candidate got this far.
        shift = hours_ahead / 24 * d
        return -15 * d + shift, [
            ("sourced", "submit", -13 * d + shift),
            ("question", "no", -13 * d + shift),
            ("decide", "advance", -10 * d + shift),
            ("screen", "interview", -7 * d + shift),
            ("book", panel, -6.2 * d + shift),
            ("start", None, hours_ahead),
        ]

    stale = [
        (-9.3 * d, [("sourced", "submit", NEVER)]),
        (-8.2 * d, [("sourced", "submit", NEVER)]),
    ]
    # Hank's oldest review: eleven days back is four of his business days or more even
    # over Christmas and New Year, so its escalations (to Sofia, then Ada) are due whenever
    # the demo is seeded.
    oldest_pending = pending(-11 * d)
    # A first round a week ago with Ivy and Jonas: Jonas has written his scorecard, Ivy's is
    # overdue (interviews.py leaves it out), so she sees the others' blind.
    awaiting_scorecard = (
        -21 * d,
        [
            ("sourced", "submit", -19 * d),
            ("question", "no", -19 * d),
            ("decide", "advance", -16 * d),
            ("screen", "interview", -10 * d),
            ("book", ["ivy", "jonas"], -9 * d),
            ("start", None, -7 * d),
            ("after", "next", NEVER),
        ],
    )
    # All three rounds done, the debrief open: Hank owes the decision.
    debrief_waiting = (
        -30 * d,
        [
            ("sourced", "submit", -28 * d),
            ("question", "no", -28 * d),
            ("decide", "advance", -25 * d),
            ("screen", "interview", -22 * d),
            *_through_interviews(
                [(["jonas"], -18 * d), (["ivy", "jonas"], -13 * d), (["sofia"], -8 * d)]
            ),
            ("debrief", "offer", NEVER),
        ],
    )
    unanswered = (
        -7 * d,
        [
            ("sourced", "submit", -5.2 * d),
            ("question", "ask", -2.1 * d),
            ("answer", "answer", NEVER),
        ],
    )
    offer_waiting = (
        -38 * d,
        [
            ("sourced", "submit", -36 * d),
            ("question", "no", -36 * d),
            ("decide", "advance", -33 * d),
            ("screen", "interview", -30 * d),
            *_through_interviews([(["oliver"], -26 * d), (["raj", "ivy"], -20 * d)]),
            ("debrief", "offer", -5.4 * d),
            ("offer", "accept", NEVER),
        ],
    )
    hire = (
        -70 * d,
        [
            ("sourced", "submit", -68 * d),
            ("question", "no", -68 * d),
            ("decide", "advance", -63 * d),
            ("screen", "interview", -58 * d),
            *_through_interviews(
                [(["sofia"], -54 * d), (["jonas", "ivy"], -48 * d), (["jonas"], -44 * d)],
            ),
            # Hired five weeks ago: its 30-day quality-of-hire check-in is answered.
            ("debrief", "offer", -40 * d),
            ("offer", "accept", -35 * d),
        ],
    )
    # Turned down after a first round an hour ago: the debrief is decided and rita owes the
    # candidate the outcome (her news is quick, so the random stories rarely leave one).
    rejected_after_round = (
        -12 * d,
        [
            ("sourced", "submit", -10 * d),
            ("question", "no", -10 * d),
            ("decide", "advance", -8 * d),
            ("screen", "interview", -6 * d),
            *_through_interviews([(["jonas"], -2 * d)])[:-1],
            ("after", "reject", -0.05 * d),
        ],
    )
    # Both rounds done, the debrief opened: Hank put it on hold, to decide again by a day
    # he gave; his ask to decide keeps it chased (demo/interviews.py holds it).
    debrief_held = (
        -24 * d,
        [
            ("sourced", "submit", -22 * d),
            ("question", "no", -22 * d),
            ("decide", "advance", -19 * d),
            ("screen", "interview", -16 * d),
            *_through_interviews([(["raj"], -13 * d), (["oliver", "raj"], -7 * d)]),
            ("debrief", "hold", NEVER),
        ],
    )
    # An offer on the backend search that the candidate turned down: its funnel reaches offers.
    offer_declined = (
        -52 * d,
        [
            ("sourced", "submit", -50 * d),
            ("question", "no", -50 * d),
            ("decide", "advance", -47 * d),
            ("screen", "interview", -44 * d),
            *_through_interviews(
                [(["jonas"], -40 * d), (["ivy", "jonas"], -35 * d), (["sofia"], -31 * d)]
            ),
            ("debrief", "offer", -27 * d),
            ("offer", "decline", -20 * d),
        ],
    )
    # The sales search's one hire so far (of three), three weeks ago.
    sales_hire = (
        -60 * d,
        [
            ("sourced", "submit", -58 * d),
            ("question", "no", -58 * d),
            ("decide", "advance", -55 * d),
            ("screen", "interview", -50 * d),
            *_through_interviews([(["nina"], -45 * d), (["paul", "nina"], -38 * d)]),
            ("debrief", "offer", -30 * d),
            ("offer", "accept", -21 * d),
        ],
    )
    return {
        "backend": [
            pending(-2.6 * d),
            pending(-4.4 * d),
            pending(-6.1 * d),
            pending(-8.2 * d),
            pending(-9.6 * d),
            oldest_pending,
            unanswered,
            awaiting_scorecard,
            debrief_waiting,
            *stale,
            upcoming_interview(26, ["ivy"]),
            upcoming_interview(50, ["ivy", "jonas"]),
            rejected_after_round,
            offer_declined,
        ],
        "sre": [
            pending(-2.2 * d),
            pending(-4.6 * d),
            pending(-7.4 * d),
            (-8.5 * d, [("sourced", "submit", NEVER)]),
            offer_waiting,
            upcoming_interview(98, ["ivy"]),
            debrief_held,
        ],
        "em": [hire],
        "ae": [sales_hire],
    }
