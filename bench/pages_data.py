"""Data generator for the page benchmark: a real organisation's size, and its busy people.

An organisation of 1,000 jobs and ~350 people (300 hiring managers over the 5 bench
calendars, 20 directors, 30 recruiters, 2 admins) with N candidates. Each candidate applies
to one job, 15% to a second. The applications are spread over the jobs (a mild skew: the
busiest ordinary job has a few hundred) and over the stages. One job has exactly `big_job`
applications (2,000 by default). Two personas carry more than their share:

- the busy hiring manager (hm0@bench.example) runs 10 jobs, the big one among them, and sits
  on the interview panels of 20 other jobs;
- the busy recruiter (recruiter0@bench.example) runs 50 jobs, the big one among them, and
  interviews on the panels of 10 other jobs.

Every application carries what the product would have written on its way to where it is:
its stage changes, its activity (the timelines), a submission once it reached Submitted
(pending, advanced or passed; some with a question to the recruiter), interviews with their
panels and scorecards once it reached Interviewing (the next one booked, or one just held
with scorecards missing), a debrief after the last round, and the open asks the follow-up
engine would chase: review_submission, answer_question (the review on hold meanwhile),
update_candidate for every active candidate (a quiet waiting clock), inform_candidate after a
recent rejection, submit_scorecard and decide_after_debrief. Each ask's policy JSON is what
`followups.services._schedule` computes for its owner's calendar and opening time, as
`ask_open` stores it.

People and jobs (a few thousand rows) go through the ORM. Everything else is written with
the raw batched inserts of bench/asks_data.py (COPY on PostgreSQL), with explicit ids; a
column this generator does not name gets the model field's default, so a column added to a
model later does not break it (a new column without a default stops it with its name).

Times are relative to `now`, the real time when the data is generated: the pages read the
clock, not a fixed moment. Every person's password is PASSWORD.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from asks_data import CALENDARS, bulk_load, rows_insert, sequences_reset
from django.db import connection
from django.db.models import JSONField

PASSWORD = "bench-pages-password"
PERSONAS = {
    "admin": "admin0@bench.example",
    "busy_hm": "hm0@bench.example",
    "busy_recruiter": "recruiter0@bench.example",
}
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)

BUSY_HM_JOBS = 10
BUSY_RECRUITER_JOBS = 50
BUSY_HM_PANELS = 20  # other jobs whose interview panel includes the busy hiring manager
BUSY_RECRUITER_PANELS = 10
SECOND_APPLICATION = 0.15
FLUSH_ROWS = 200_000  # rows held in memory before they are written
JOB_SKEW = 0.3  # weight of the job of rank r: 1 / r^JOB_SKEW

JOB_STATUSES = [("open", 80), ("on_hold", 5), ("draft", 3), ("filled", 7), ("closed", 5)]
# Where an application stands: (status, weight) for an ordinary job and for the big one.
APPLICATION_STATUSES = {
    "ordinary": [("active", 40), ("rejected", 48), ("withdrawn", 10), ("hired", 2)],
    "big": [("active", 55), ("rejected", 36), ("withdrawn", 8), ("hired", 1)],
    "closed_job": [("rejected", 80), ("withdrawn", 18), ("hired", 2)],
}
# Stage index in the default plan (0 Sourced … 5 Offer, 6 Hired) by application status.
STAGE_WEIGHTS = {
    "active": [30, 14, 8, 28, 10, 10, 0],
    "rejected": [30, 35, 5, 20, 10, 0, 0],
    "withdrawn": [30, 20, 10, 30, 5, 5, 0],
}
STATUS_CHOICES = {
    kind: ([name for name, _ in pairs], [weight for _, weight in pairs])
    for kind, pairs in APPLICATION_STATUSES.items()
}
SUBMITTED, SCHEDULING, INTERVIEWING, DEBRIEF, OFFER, HIRED = 1, 2, 3, 4, 5, 6
OPEN_QUESTION = 0.12  # pending submissions where the HM asked the recruiter something
NEXT_INTERVIEW_BOOKED = 0.6  # else the last one was just held and scorecards are missing
SCORECARD_MISSING = 0.5
INFORM_OWED = 0.6  # of the rejections of the last 3 days: the candidate is not told yet

ROUNDS = [  # (name, minutes, focus attributes): the panel is the recruiter, two, the HM + one
    ("Screening call", 30, ["Motivation", "Communication"]),
    ("Technical interview", 60, ["System design", "Coding", "Debugging"]),
    ("Team interview", 45, ["Collaboration", "Ownership"]),
]
# Names and words for the rows (a page's size depends on them, so they look real).
# fmt: off
ROLES = ["Backend Engineer", "Frontend Engineer", "Data Engineer", "Product Designer",
         "Site Reliability Engineer", "Product Manager", "Data Scientist", "QA Engineer",
         "Engineering Manager", "Security Engineer", "Mobile Engineer", "Solutions Architect"]
TEAMS = ["Payments", "Search", "Growth", "Platform", "Checkout", "Identity", "Billing",
         "Mobile", "Insights", "Logistics", "Support tools", "Marketplace"]
FIRST = ["Amelia", "Ben", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines",
         "Jonas", "Kemi", "Luca", "Maya", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sami",
         "Tara", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia", "Aiko", "Bruno", "Chloe",
         "Diego", "Emma", "Felix", "Hana", "Ivan", "Julia", "Karim", "Lena", "Marco", "Nora"]
LAST = ["Adler", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen",
        "Ivanova", "Jansen", "Kowalski", "Lopez", "Moreau", "Novak", "Okafor", "Petrov",
        "Quint", "Rossi", "Schmidt", "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz",
        "Zimmer", "Almeida", "Brandt", "Carvalho", "Dahl", "Esposito", "Fontaine", "Gruber"]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell",
             "Soylent", "Cyberdyne", "Vandelay", "Wonka", "Gringotts", "Oscorp", ""]
TITLES = ["Software Engineer", "Senior Engineer", "Staff Engineer", "Designer", "Analyst",
          "Team Lead", "Consultant", "Developer", ""]
PLACES = ["London", "Berlin", "New York", "Madrid", "Lisbon", "Remote", "Paris", "Warsaw", ""]
SOURCES = ["sourced", "referral", "inbound", "agency", "internal", "event"]
REJECTIONS = ["skills", "experience", "compensation", "location", "communication", "team_fit",
              "other_candidate"]
WITHDRAWALS = ["other_offer", "counter_offer", "process_too_slow", "compensation", "personal",
               "not_interested"]
# fmt: on
RECOMMENDATIONS = ["strong_no", "no", "yes", "yes", "strong_yes"]
MUST_HAVES = [
    "Five years building production services",
    "Owns work end to end",
    "Clear written communication",
    "Has mentored others",
    "Has run on-call",
]
PITCH = (
    "{name} has spent six years at {company} building the services this team runs, led "
    "the migration of their billing stack and mentors two engineers. Strong on the "
    "must-haves; open to a move within the quarter."
)
QUESTION = "Has {name} run an on-call rotation for a customer-facing service, and for how long?"
NOTES = (
    "<p>Clear about trade-offs and honest about what they did not know.</p><ul><li>Good "
    "structure</li><li>Asked sharp questions about the team</li></ul>"
)


# --- people and jobs (ORM) ---------------------------------------------------------------


@dataclass
class Person:
    pk: int
    full_name: str
    calendar: int

    @property
    def short(self) -> str:
        return self.full_name.split(" ")[0]


@dataclass
class JobInfo:
    pk: int
    title: str
    status: str
    hm: Person
    recruiter: Person
    stages: list[int] = field(default_factory=list)  # stage ids by position
    rounds: list[int] = field(default_factory=list)  # interview round ids by position
    panel: list[Person] = field(default_factory=list)  # the job's interviewers


@dataclass
class Org:
    admins: list[Person]
    directors: list[Person]
    recruiters: list[Person]
    managers: list[Person]
    jobs: list[JobInfo] = field(default_factory=list)

    @property
    def busy_hm(self) -> Person:
        return self.managers[0]

    @property
    def busy_recruiter(self) -> Person:
        return self.recruiters[0]

    @property
    def big_job(self) -> JobInfo:
        return self.jobs[0]


def _people(prefix: str, count: int, rng: random.Random, password: str, **flags: Any) -> list:
    from closeloop.accounts.models import User

    people = []
    for i in range(count):
        zone, country, subdivision = CALENDARS[i % len(CALENDARS)]
        people.append(
            User(
                email=f"{prefix}{i}@bench.example",
                full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)} ({prefix}{i})",
                password=password,
                time_zone=zone,
                holiday_country=country,
                holiday_subdivision=subdivision,
                **flags,
            )
        )
    return people


def org_create(rng: random.Random) -> Org:
    """The people: admins, directors (the HMs' managers and escalation contacts), recruiters
    and hiring managers; directors and hiring managers also interview. One password hash for
    everyone (hashing ~350 times with Argon2 would take longer than the rest of the people)."""
    from django.contrib.auth.hashers import make_password

    from closeloop.accounts.models import User

    password = make_password(PASSWORD)

    def create(prefix: str, count: int, **flags: Any) -> list[Person]:
        rows = User.objects.bulk_create(_people(prefix, count, rng, password, **flags))
        return [Person(u.pk, u.full_name, i % len(CALENDARS)) for i, u in enumerate(rows)]

    admins = create("admin", 2, is_admin=True)
    directors = create("director", 20, is_hiring_manager=True, is_interviewer=True)
    recruiters = create("recruiter", 30, is_recruiter=True)
    managers = _people("hm", 300, rng, password, is_hiring_manager=True, is_interviewer=True)
    for i, person in enumerate(managers):
        person.manager_id = directors[i % len(directors)].pk
    rows = User.objects.bulk_create(managers)
    people = [Person(u.pk, u.full_name, i % len(CALENDARS)) for i, u in enumerate(rows)]
    return Org(admins=admins, directors=directors, recruiters=recruiters, managers=people)


def _owners(people: list[Person], busy: int, total: int, rng: random.Random) -> list[Person]:
    """Who holds each of `total` jobs: the busy person (the first) holds `busy` of them,
    job 0 (the big job) among them; the others take the rest in turn."""
    rest = people[1:]
    owners = [people[0]] * busy + [rest[i % len(rest)] for i in range(total - busy)]
    head, tail = owners[:1], owners[1:]
    rng.shuffle(tail)
    return head + tail  # job 0, the big job, is the busy person's


def jobs_create(org: Org, rng: random.Random, count: int = 1000) -> None:
    """The jobs with the default stage plan, three interview rounds and a panel each."""
    from closeloop.jobs.models import DEFAULT_STAGE_PLAN, InterviewRound, Job, Stage

    hms = _owners(org.managers, BUSY_HM_JOBS, count, rng)
    recruiters = _owners(org.recruiters, BUSY_RECRUITER_JOBS, count, rng)
    director_of = {
        m.pk: org.directors[i % len(org.directors)].pk for i, m in enumerate(org.managers)
    }
    statuses = ["open", *rng.choices(*zip(*JOB_STATUSES, strict=True), k=count - 1)]
    now = dt.datetime.now(dt.UTC)
    opened = [None if s == "draft" else now - rng.randint(20, 300) * DAY for s in statuses]
    jobs = Job.objects.bulk_create(
        Job(
            title=f"{rng.choice(ROLES)}, {rng.choice(TEAMS)} (J{i:04d})",
            team=rng.choice(TEAMS),
            location=rng.choice(PLACES),
            status=statuses[i],
            must_haves="\n".join(rng.sample(MUST_HAVES, 3)),
            hiring_manager_id=hms[i].pk,
            recruiter_id=recruiters[i].pk,
            escalation_contact_id=director_of[hms[i].pk],
            opened_at=opened[i],
        )
        for i in range(count)
    )  # fmt: skip
    org.jobs = [
        JobInfo(job.pk, job.title, job.status, hms[i], recruiters[i]) for i, job in enumerate(jobs)
    ]
    stages = Stage.objects.bulk_create(
        Stage(job_id=job.pk, kind=kind, name=name, move_owner=move, position=position)
        for job in org.jobs
        for position, (kind, name, move) in enumerate(DEFAULT_STAGE_PLAN)
    )
    rounds = InterviewRound.objects.bulk_create(
        InterviewRound(job_id=job.pk, position=position, name=name, duration_minutes=minutes,
                       focus_attributes=focus)
        for job in org.jobs
        for position, (name, minutes, focus) in enumerate(ROUNDS)
    )  # fmt: skip
    info = {job.pk: job for job in org.jobs}
    for stage in stages:
        info[stage.job_id].stages.append(stage.pk)
    for round_ in rounds:
        info[round_.job_id].rounds.append(round_.pk)
    _panels_create(org, rng)


def _panels_create(org: Org, rng: random.Random) -> None:
    """Three interviewers per job from the other hiring managers and the directors; the busy
    people sit on other jobs' panels too, so the 'jobs I interview for' filters find rows."""
    from closeloop.jobs.models import Job

    pool = org.managers[1:] + org.directors
    others = org.jobs[1:]
    hm_panels = {
        j.pk for j in rng.sample([j for j in others if j.hm != org.busy_hm], BUSY_HM_PANELS)
    }
    rec_panels = {
        j.pk for j in rng.sample([j for j in others if j.recruiter != org.busy_recruiter],
                                 BUSY_RECRUITER_PANELS)
    }  # fmt: skip
    through = Job.interviewers.through
    rows = []
    for job in org.jobs:
        panel = [p for p in rng.sample(pool, 4) if p != job.hm][:3]
        if job.pk in hm_panels:
            panel[0] = org.busy_hm
        if job.pk in rec_panels:
            panel[-1] = org.busy_recruiter
        job.panel = panel
        rows += [through(job_id=job.pk, user_id=p.pk) for p in panel]
    through.objects.bulk_create(rows)


# --- raw tables ------------------------------------------------------------------------------


def _prepared_default(model_field: Any) -> Any:
    """The value an ORM insert would write for a column this generator does not name."""
    if model_field.has_default():
        value = model_field.get_default()
    elif model_field.null:
        return None
    else:
        value = model_field.get_default()  # "" for text columns, None for the rest
    if value is None and not model_field.null:
        table = model_field.model._meta.db_table
        raise ValueError(f"{table}.{model_field.column} needs a value: add it to the generator.")
    if isinstance(model_field, JSONField):
        return json.dumps(value)
    return model_field.get_db_prep_save(value, connection)


class Table:
    """One model's rows, inserted raw: `id` and the columns named here per row, the model's
    defaults for every other column."""

    def __init__(self, model: Any, columns: Sequence[str]) -> None:
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model._meta.db_table} has no column {sorted(unknown)}")
        self.model = model
        self.table = model._meta.db_table
        self.defaults = tuple(
            _prepared_default(f) for c, f in fields.items() if c != "id" and c not in columns
        )
        self.columns = ["id", *columns, *(c for c in fields if c != "id" and c not in columns)]
        self.rows: list[tuple] = []
        self.inserted = 0
        self.seconds = 0.0

    def add(self, *values: Any) -> int:
        pk = self.inserted + len(self.rows) + 1
        self.rows.append((pk, *values))
        return pk

    def reserve(self) -> int:
        """An id for a row whose values are known only after its children (see `fill`)."""
        self.rows.append(())
        return self.inserted + len(self.rows)

    def fill(self, pk: int, *values: Any) -> None:
        self.rows[pk - self.inserted - 1] = (pk, *values)

    def flush(self) -> None:
        """Insert the rows held so far, and let their memory go."""
        begin, defaults = time.perf_counter(), self.defaults
        self.inserted += rows_insert(self.table, self.columns, (r + defaults for r in self.rows))
        self.rows = []
        self.seconds += time.perf_counter() - begin


def utc_adapter() -> Any:
    """What the database takes for an aware datetime. Django's own adapter costs a third of
    the generation on SQLite, so this one does its work directly: naive UTC text there (as
    Django stores it), the datetime itself on PostgreSQL."""
    if connection.vendor != "sqlite":
        return lambda value: value

    def adapt(value: dt.datetime) -> str:
        if value.tzinfo is not dt.UTC:
            value = value.astimezone(dt.UTC)
        return str(value.replace(tzinfo=None))

    return adapt


def tables() -> dict[str, Table]:
    """The raw tables, in an order that inserts every row after the rows it points at."""
    from closeloop.activity.models import Activity
    from closeloop.followups.models import Ask
    from closeloop.interviews.models import Debrief, Interview, PanelSeat, Scorecard
    from closeloop.pipeline.models import Application, Candidate, Question, StageChange, Submission

    return {
        "candidates": Table(Candidate, [
            "full_name", "email", "phone", "location", "links", "current_company",
            "current_title", "expected_compensation", "source", "created_at", "updated_at"]),
        "applications": Table(Application, [
            "candidate_id", "job_id", "stage_id", "status", "entered_stage_at",
            "next_move_owner_id", "next_move_since", "candidate_updated_at", "closed_reason",
            "closed_at", "created_at"]),
        "submissions": Table(Submission, [
            "application_id", "submitted_by_id", "submitted_at", "pitch", "must_haves_met",
            "decision", "decided_by_id", "decided_at", "pass_reason"]),
        "questions": Table(Question, [
            "submission_id", "asked_by_id", "asked_at", "text", "answer", "answered_by_id",
            "answered_at"]),
        "debriefs": Table(Debrief, [
            "application_id", "round_id", "round_name", "status", "opened_at",
            "opened_because", "last_interview_ended_at", "decision", "reject_reason",
            "rationale", "decided_by_id", "decided_at"]),
        "interviews": Table(Interview, [
            "application_id", "round_id", "round_name", "focus_attributes", "starts_at",
            "ends_at", "time_zone", "location", "video_url", "status", "booked_by_id",
            "created_at", "updated_at", "completed_at", "scorecards_due_at", "debrief_id"]),
        "panels": Table(Interview.interviewers.through, ["interview_id", "user_id"]),
        # What the interview services keep beside each panel (raw rows send no signal).
        "seats": Table(PanelSeat, ["user_id", "application_id", "job_id"]),
        "scorecards": Table(Scorecard, [
            "interview_id", "interviewer_id", "status", "ratings", "recommendation", "notes",
            "created_at", "updated_at", "submitted_at"]),
        "stage_changes": Table(StageChange, [
            "application_id", "from_stage_id", "to_stage_id", "from_status", "to_status",
            "by_id", "at", "reason"]),
        "activities": Table(Activity, [
            "kind", "at", "actor_id", "job_id", "candidate_id", "application_id", "summary",
            "detail", "data", "team_only"]),
        "asks": Table(Ask, [
            "kind", "subject", "title", "owner_id", "requested_by_id", "job_id",
            "application_id", "status", "opened_at", "due_at", "next_nudge_at", "steps_done",
            "level", "policy", "held_at", "held_for_id"]),
    }  # fmt: skip


class Ladders:
    """Each ask's due time and ladder, from the real `_schedule` in its owner's calendar."""

    def __init__(self, now: dt.datetime) -> None:
        from closeloop.accounts.models import User

        self.now = now
        self.holders = [
            User(time_zone=zone, holiday_country=country, holiday_subdivision=subdivision)
            for zone, country, subdivision in CALENDARS
        ]
        self.cache: dict[tuple[str, int, dt.datetime], tuple] = {}

    def fields(self, kind: str, calendar: int, opened_at: dt.datetime, held: bool) -> tuple:
        """(opened_at, due_at, next_nudge_at, steps_done, level, policy JSON) as ask_open and
        the worker leave them: every rung past `now` reached (or, held, none pending)."""
        from closeloop.followups.policies import policy_for
        from closeloop.followups.services import _schedule

        # On a quarter-hour grid: asks opened in the same quarter share one computed ladder.
        opened_at = opened_at.replace(minute=opened_at.minute // 15 * 15, second=0, microsecond=0)
        key = (kind, calendar, opened_at)
        if key not in self.cache:
            policy = policy_for(kind)
            due_at, steps = _schedule(policy, self.holders[calendar], opened_at, False)
            stored = {
                "kind": kind,
                "due": policy.due.describe(),
                "source": "default",
                "steps": steps,
                "facts": {},
                "owner_away": False,
            }
            times = [dt.datetime.fromisoformat(step["at"]) for step in steps]
            past = sum(t <= self.now for t in times)
            level = max((step["level"] for step in steps[:past]), default=0)
            self.cache[key] = (
                due_at,
                times[past] if past < len(times) else None,
                past,
                level,
                json.dumps(stored),
            )
        due_at, next_at, past, level, policy_json = self.cache[key]
        return opened_at, due_at, None if held else next_at, past, level, policy_json


# --- the pipeline --------------------------------------------------------------------------


@dataclass
class Plan:
    """One application to generate: where it stands, and the times it got there."""

    cid: int
    candidate: str
    job: JobInfo
    status: str
    stage: int
    times: list[dt.datetime]  # when it entered each stage up to `stage`
    closed_at: dt.datetime | None = None
    reason: str = ""


class Generator:
    """Fills the raw tables application by application, as the product would have."""

    def __init__(self, org: Org, now: dt.datetime, rng: random.Random) -> None:
        self.org, self.now, self.rng = org, now, rng
        self.t = tables()
        self.ladders = Ladders(now)
        self.at = utc_adapter()
        # (user, application) pairs already given a panel seat.
        self.seated: set[tuple[int, int]] = set()

    # -- choosing ------------------------------------------------------------------------

    def plan(self, cid: int, candidate: str, job: JobInfo, forced: tuple | None) -> Plan:
        rng, now = self.rng, self.now
        kind = "big" if job is self.org.big_job else "ordinary"
        if job.status in ("filled", "closed"):
            kind = "closed_job"
        status, stage = forced or (None, None)
        if status is None:
            status = rng.choices(*STATUS_CHOICES[kind])[0]
        if stage is None:
            stage = HIRED if status == "hired" else rng.choices(range(7), STAGE_WEIGHTS[status])[0]
        closed_at, reason = None, ""
        if status == "active":  # in its stage for 5 days on average, a few for weeks
            waited = dt.timedelta(days=rng.expovariate(1 / 5))
            last = now - min(45 * DAY, max(dt.timedelta(minutes=20), waited))
        else:
            oldest = 300 if kind == "closed_job" else 200
            closed_at = now - dt.timedelta(days=rng.uniform(0.02, oldest))
            last = closed_at - dt.timedelta(hours=rng.uniform(1, 12 * 24))
            reason = rng.choice(REJECTIONS if status == "rejected" else WITHDRAWALS)
            if status == "hired":
                last, closed_at, reason = closed_at, None, ""
        times = [last]
        for _ in range(stage):
            times.insert(0, times[0] - dt.timedelta(hours=rng.uniform(1, 9 * 24)))
        return Plan(cid, candidate, job, status, stage, times, closed_at, reason)

    # -- writing -------------------------------------------------------------------------

    def application(self, plan: Plan) -> int:
        """All the rows of one application; returns its id."""
        job, at, applications = plan.job, self.at, self.t["applications"]
        app_id = applications.reserve()
        self._history(plan, app_id)
        moved = self._submission(plan, app_id) if plan.stage >= SUBMITTED else None
        owner, since = moved or self._next_move(plan)
        if plan.stage >= INTERVIEWING:
            owner = self._interviews(plan, app_id) or owner
        updated = self._news(plan, app_id)
        active = plan.status == "active"
        applications.fill(
            app_id, plan.cid, job.pk, job.stages[plan.stage], plan.status, at(plan.times[-1]),
            owner.pk if active else None, at(since) if active else None,
            at(updated) if updated else None, plan.reason,
            at(plan.closed_at) if plan.closed_at else None, at(plan.times[0]),
        )  # fmt: skip
        return app_id

    def _next_move(self, plan: Plan) -> tuple[Person, dt.datetime]:
        """Whose move it is, read off the stage (a question or an interview may say more)."""
        job = plan.job
        owner = job.hm if plan.stage in (SUBMITTED, DEBRIEF) else job.recruiter
        return owner, plan.times[-1]

    def _activity(
        self,
        plan: Plan,
        app_id: int,
        kind: str,
        when: dt.datetime,
        actor: Person,
        summary: str,
        detail: str = "",
        data: str = "{}",
        team_only: bool = False,
    ) -> None:
        self.t["activities"].add(
            kind,
            self.at(when),
            actor.pk,
            plan.job.pk,
            plan.cid,
            app_id,
            summary[:300],
            detail,
            data,
            team_only,
        )

    def _history(self, plan: Plan, app_id: int) -> None:
        """The stage changes and the activity that tell how the application got here."""
        from closeloop.jobs.models import DEFAULT_STAGE_PLAN

        job, at, names = plan.job, self.at, [name for _kind, name, _move in DEFAULT_STAGE_PLAN]
        changes = self.t["stage_changes"]
        for s, when in enumerate(plan.times):
            by = job.hm if s in (SCHEDULING, OFFER) else job.recruiter
            to_status = "hired" if s == HIRED else "active"
            reason = "Added" if s == 0 else "Submitted to the HM" if s == SUBMITTED else ""
            changes.add(
                app_id,
                job.stages[s - 1] if s else None,
                job.stages[s],
                "active" if s else "",
                to_status,
                by.pk,
                at(when),
                reason,
            )
            if s == 0:
                self._activity(
                    plan,
                    app_id,
                    "closeloop.application.created",
                    when,
                    by,
                    f"{by.full_name} added {plan.candidate} to {job.title} (Sourced)",
                )
            elif s not in (SUBMITTED, SCHEDULING):  # those two are the submission's own
                self._activity(
                    plan, app_id, "closeloop.application.moved", when, by,
                    f"{by.full_name} moved {plan.candidate} from {names[s - 1]} to {names[s]}",
                    data=json.dumps({"from": names[s - 1], "to": names[s]}),
                )  # fmt: skip
        if plan.closed_at:
            by = job.recruiter
            verb = "rejected" if plan.status == "rejected" else "recorded the withdrawal of"
            changes.add(
                app_id,
                job.stages[plan.stage],
                job.stages[plan.stage],
                "active",
                plan.status,
                by.pk,
                at(plan.closed_at),
                plan.reason,
            )
            self._activity(
                plan,
                app_id,
                f"closeloop.application.{plan.status}",
                plan.closed_at,
                by,
                f"{by.full_name} {verb} {plan.candidate}: {plan.reason.replace('_', ' ')}",
                data=json.dumps({"reason": plan.reason}),
            )

    def _submission(self, plan: Plan, app_id: int) -> tuple[Person, dt.datetime] | None:
        """The submission to the HM; a pending one is the HM's review ask, or (a question
        asked) the recruiter's answer with the review on hold. Returns (whose move, since)
        while the submission is pending."""
        job, at, rng = plan.job, self.at, self.rng
        submitted = plan.times[SUBMITTED]
        pending = plan.stage == SUBMITTED and plan.status in ("active", "withdrawn")
        passed = plan.stage == SUBMITTED and plan.status == "rejected"
        decided = None if pending else plan.closed_at if passed else plan.times[SCHEDULING]
        pitch = PITCH.format(name=plan.candidate, company=rng.choice(COMPANIES) or "a start-up")
        sub_id = self.t["submissions"].add(
            app_id, job.recruiter.pk, at(submitted), pitch, json.dumps(MUST_HAVES[:2]),
            "pending" if pending else "passed" if passed else "advanced",
            None if pending else job.hm.pk, at(decided) if decided else None,
            plan.reason if passed else "",
        )  # fmt: skip
        self._activity(
            plan,
            app_id,
            "closeloop.submission.created",
            submitted,
            job.recruiter,
            f"{job.recruiter.full_name} submitted {plan.candidate} to {job.hm.full_name}",
            detail=pitch,
            data=json.dumps({"submission": sub_id}),
        )
        if decided and not passed:
            self._activity(
                plan,
                app_id,
                "closeloop.submission.advanced",
                decided,
                job.hm,
                f"{job.hm.full_name} advanced {plan.candidate}",
            )
        if not (pending and plan.status == "active"):
            return None
        review = (
            plan,
            app_id,
            "review_submission",
            f"submission:{sub_id}",
            f"Review {plan.candidate} for {job.title}",
            job.hm,
            submitted,
        )
        if rng.random() >= OPEN_QUESTION:
            self._ask(*review, requested_by=job.recruiter)
            return job.hm, submitted
        asked = submitted + (self.now - submitted) * rng.uniform(0.2, 0.9)
        q_id = self.t["questions"].add(
            sub_id, job.hm.pk, at(asked), QUESTION.format(name=plan.candidate), "", None, None
        )
        self._activity(
            plan,
            app_id,
            "closeloop.submission.question_asked",
            asked,
            job.hm,
            f"{job.hm.full_name} asked {job.recruiter.full_name} about {plan.candidate}",
            detail=QUESTION.format(name=plan.candidate),
            team_only=True,
        )
        self._ask(
            plan,
            app_id,
            "answer_question",
            f"question:{q_id}",
            f"Answer {job.hm.short}'s question about {plan.candidate}",
            job.recruiter,
            asked,
            requested_by=job.hm,
        )
        hold = (job.recruiter, asked)
        self._ask(*review, requested_by=job.recruiter, hold=hold)
        return job.recruiter, asked

    def _interviews(self, plan: Plan, app_id: int) -> Person | None:
        """The rounds held (and the next one booked, or just held with scorecards missing).
        Returns whose move it is when an interview decides it."""
        rng, now = self.rng, self.now
        start = plan.times[INTERVIEWING]
        ongoing = plan.status == "active" and plan.stage == INTERVIEWING
        if ongoing:
            held = rng.randint(0, 2)
        elif plan.stage == INTERVIEWING:
            held = rng.randint(1, 3)
        else:
            held = 3
        end = plan.times[INTERVIEWING + 1] if plan.stage > INTERVIEWING else plan.closed_at or now
        debrief = self._debrief(plan, app_id, start, end) if plan.stage >= DEBRIEF else None
        span = max(end - start, HOUR)
        for r in range(held):
            begins = start + span * (r + 0.5) / (held + 1)
            self._interview(plan, app_id, r, begins, debrief if r == 2 else None, missing=False)
        if not ongoing:
            return None
        if rng.random() < NEXT_INTERVIEW_BOOKED:
            begins = now + dt.timedelta(hours=rng.uniform(2, 10 * 24))
            return self._interview(plan, app_id, held, begins, None, missing=False, booked=True)
        minutes = ROUNDS[held][1]
        begins = max(
            start, now - dt.timedelta(hours=rng.uniform(1, 30)) - minutes * dt.timedelta(minutes=1)
        )
        return self._interview(plan, app_id, held, begins, None, missing=True) or plan.job.recruiter

    def _panel(self, job: JobInfo, r: int) -> list[Person]:
        if r == 0:
            return [job.recruiter]
        if r == 1:
            return job.panel[:2]
        return [job.hm, job.panel[-1]]

    def _interview(
        self,
        plan: Plan,
        app_id: int,
        r: int,
        begins: dt.datetime,
        debrief: int | None,
        *,
        missing: bool,
        booked: bool = False,
    ) -> Person | None:
        """One interview with its panel and scorecards; returns who owes the next move on it
        (the first interviewer of a booked one, the first without a scorecard of one held)."""
        at, job, rng = self.at, plan.job, self.rng
        name, minutes, focus = ROUNDS[r]
        ends = begins + dt.timedelta(minutes=minutes)
        booked_at = min(begins - 2 * DAY, self.now)
        calendar_zone = CALENDARS[job.hm.calendar][0]
        iv_id = self.t["interviews"].add(
            app_id, job.rounds[r], name, json.dumps(focus), at(begins), at(ends), calendar_zone,
            "Video call", "https://meet.example/bench", "scheduled" if booked else "completed",
            job.recruiter.pk, at(booked_at), at(booked_at),
            None if booked else at(ends), None if booked else at(ends + DAY), debrief,
        )  # fmt: skip
        panel = self._panel(job, r)
        owing = []
        for person in panel:
            self.t["panels"].add(iv_id, person.pk)
            if (person.pk, app_id) not in self.seated:
                self.seated.add((person.pk, app_id))
                self.t["seats"].add(person.pk, app_id, job.pk)
            if booked:
                continue
            if missing and rng.random() < SCORECARD_MISSING:
                owing.append(person)
                title = f"Scorecard: {plan.candidate}, {name} ({job.title})"
                self._ask(
                    plan,
                    app_id,
                    "submit_scorecard",
                    f"scorecard:{iv_id}:{person.pk}",
                    title,
                    person,
                    ends,
                )
                continue
            submitted = at(ends + dt.timedelta(hours=rng.uniform(1, 20)))
            ratings = json.dumps({attribute: rng.randint(1, 4) for attribute in focus})
            self.t["scorecards"].add(
                iv_id,
                person.pk,
                "submitted",
                ratings,
                rng.choice(RECOMMENDATIONS),
                NOTES,
                submitted,
                submitted,
                submitted,
            )
        if booked:
            return min(panel, key=lambda p: p.pk)
        return min(owing, key=lambda p: p.pk) if owing else None

    def _debrief(self, plan: Plan, app_id: int, start: dt.datetime, end: dt.datetime) -> int:
        """The debrief after the last round: open (the HM's decide ask) or decided."""
        at, job = self.at, plan.job
        span = max(end - start, HOUR)
        last_end = start + span * 2.5 / 4 + dt.timedelta(minutes=ROUNDS[2][1])
        open_ = plan.status == "active" and plan.stage == DEBRIEF
        rejected = plan.status == "rejected" and plan.stage == DEBRIEF
        withdrew = plan.status == "withdrawn" and plan.stage == DEBRIEF
        status = "open" if open_ else "closed" if withdrew else "decided"
        decision = "" if status != "decided" else "reject" if rejected else "advance"
        decided = plan.closed_at if rejected else plan.times[min(plan.stage, OFFER)]
        debrief_id = self.t["debriefs"].add(
            app_id, job.rounds[2], ROUNDS[2][0], status, at(last_end), "all_in", at(last_end),
            decision, plan.reason if rejected else "",
            "Strong signal on ownership." if decision else "",
            job.hm.pk if decision else None, at(decided) if decision else None,
        )  # fmt: skip
        if open_:
            self._ask(
                plan,
                app_id,
                "decide_after_debrief",
                f"debrief:{debrief_id}",
                f"Decide on {plan.candidate} after the Team interview debrief ({job.title})",
                job.hm,
                min(last_end, self.now),
            )
        return debrief_id

    def _news(self, plan: Plan, app_id: int) -> dt.datetime | None:
        """The candidate waiting clock: every active candidate is owed news (update_candidate,
        from the last news given); a recent rejection is owed the outcome (inform_candidate).
        Returns when the candidate last heard from us."""
        rng, job, now = self.rng, plan.job, self.now
        subject = f"application:{app_id}"
        if plan.status == "active":
            last_news = max(plan.times[0], now - dt.timedelta(hours=rng.uniform(0.5, 6 * 24)))
            self._ask(
                plan,
                app_id,
                "update_candidate",
                subject,
                f"Give {plan.candidate} news ({job.title})",
                job.recruiter,
                last_news,
            )
            return last_news if last_news > plan.times[0] else None
        if plan.status == "rejected" and plan.closed_at:
            if plan.closed_at > now - 3 * DAY and rng.random() < INFORM_OWED:
                self._ask(
                    plan,
                    app_id,
                    "inform_candidate",
                    subject,
                    f"Tell {plan.candidate} the outcome ({job.title})",
                    job.recruiter,
                    plan.closed_at,
                )
                return None
            return plan.closed_at + dt.timedelta(hours=rng.uniform(1, 24))
        return None

    def _ask(
        self,
        plan: Plan,
        app_id: int,
        kind: str,
        subject: str,
        title: str,
        owner: Person,
        opened: dt.datetime,
        *,
        requested_by: Person | None = None,
        hold: tuple[Person, dt.datetime] | None = None,
    ) -> None:
        """An open ask as ask_open stores it; on hold (its ladder stopped) with `hold`: whose
        answer it waits for, since when."""
        at = self.at
        opened_at, due_at, next_at, steps, level, policy = self.ladders.fields(
            kind, owner.calendar, opened, held=hold is not None
        )
        held_for, held_at = hold or (None, None)
        self.t["asks"].add(
            kind, subject, title[:300], owner.pk, requested_by.pk if requested_by else None,
            plan.job.pk, app_id, "open", at(opened_at), at(due_at),
            at(next_at) if next_at else None, steps, level, policy,
            at(held_at) if held_at else None, held_for.pk if held_for else None,
        )  # fmt: skip

    def flush(self) -> None:
        for table in self.t.values():
            table.flush()

    def candidate(self, cid: int, name: str, created: dt.datetime) -> None:
        rng, at = self.rng, self.at
        self.t["candidates"].add(
            name, f"candidate{cid}@mail.example", f"+44 20 7946 {cid % 10000:04d}",
            rng.choice(PLACES), f"https://www.linkedin.com/in/candidate-{cid}",
            rng.choice(COMPANIES), rng.choice(TITLES), rng.choice([None, 70000, 85000, 100000]),
            rng.choice(SOURCES), at(created), at(created),
        )  # fmt: skip


def _job_weights(org: Org, rng: random.Random) -> tuple[list[JobInfo], list[float]]:
    """The jobs that take applications besides the big one, with a mild skew."""
    jobs = [j for j in org.jobs[1:] if j.status != "draft"]
    rng.shuffle(jobs)
    weights = [1 / (rank + 1) ** JOB_SKEW for rank in range(len(jobs))]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return jobs, cumulative


def candidates_generate(gen: Generator, *, candidates: int, big_job: int) -> int:
    """Every candidate and their applications; returns the application page's id.

    The rows go to the database whenever FLUSH_ROWS are held, every table in the order of
    `tables()`: a row's parents are always written in the same flush or an earlier one.
    """
    org, rng = gen.org, gen.rng
    jobs, cumulative = _job_weights(org, rng)
    in_big = {1, 2} | set(rng.sample(range(3, candidates + 1), max(0, big_job - 2)))
    # Candidate 1 (the candidate page): interviewing on the big job, passed over on another of
    # the busy recruiter's jobs. Candidate 2 (the application page): waiting for the busy
    # HM's review on the big job.
    other_job = next(
        j for j in org.jobs[1:] if j.recruiter == org.busy_recruiter and j.status == "open"
    )
    forced = {
        (1, org.big_job.pk): ("active", INTERVIEWING),
        (1, other_job.pk): ("rejected", SUBMITTED),
        (2, org.big_job.pk): ("active", SUBMITTED),
    }
    showcase = 0
    for cid in range(1, candidates + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        first = org.big_job if cid in in_big else rng.choices(jobs, cum_weights=cumulative)[0]
        applied = [first]
        if cid == 1:
            applied.append(other_job)
        elif rng.random() < SECOND_APPLICATION:
            second = rng.choices(jobs, cum_weights=cumulative)[0]
            if second is not first:
                applied.append(second)
        plans = [gen.plan(cid, name, job, forced.get((cid, job.pk))) for job in applied]
        gen.candidate(cid, name, min(p.times[0] for p in plans))
        for plan in plans:
            app_id = gen.application(plan)
            if cid == 2 and plan.job is org.big_job:
                showcase = app_id
        if sum(len(table.rows) for table in gen.t.values()) >= FLUSH_ROWS:
            gen.flush()
    gen.flush()
    return showcase


def generate(
    *,
    candidates: int,
    big_job: int,
    now: dt.datetime,
    seed: int,
    history: Callable[[Org, random.Random], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Build the organisation; returns counts, timings and what the pages are measured on.
    `history`, if given, adds more rows once the applications are written (history_data)."""
    from closeloop.accounts.models import User

    rng = random.Random(seed)
    started = time.perf_counter()
    org = org_create(rng)
    jobs_create(org, rng)
    people_s = time.perf_counter() - started
    begin = time.perf_counter()
    gen = Generator(org, now, rng)
    big = min(big_job, candidates)
    with bulk_load():
        application_page = candidates_generate(gen, candidates=candidates, big_job=big)
    sequences_reset(*(table.model for table in gen.t.values()))
    history_rows: dict[str, Any] = {}
    if history is not None:
        with bulk_load():
            history_rows = history(org, rng)
    insert_s = sum(table.seconds for table in gen.t.values())
    result: dict[str, Any] = {
        "people_jobs_s": round(people_s, 2),
        "build_rows_s": round(time.perf_counter() - begin - insert_s, 2),
        "insert_rows_s": round(insert_s, 2),
    }
    for name, table in gen.t.items():
        result[f"{name}_rows"] = table.inserted
        result[f"{name}_s"] = round(table.seconds, 2)
    result.update(history_rows)
    result.update(
        people=User.objects.count(),
        jobs=len(org.jobs),
        candidates=candidates,
        big_job={"id": org.big_job.pk, "applications": big},
        personas={role: User.objects.get(email=email).pk for role, email in PERSONAS.items()},
        candidate_page=1,
        application_page=application_page,
        now=now.isoformat(),
        total_s=round(time.perf_counter() - started, 2),
    )
    return result
