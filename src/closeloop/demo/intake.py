"""The demo's intake agreements, written through the intake's own services.

Every job gets an intake that was signed by both a few days after it opened (that sets its
interview rounds, touch-base cadence and service levels), except:

- *Staff Security Engineer* (draft job): version 1 proposed by Marcus, awaiting Sofia (HM);
- *Senior Backend Engineer*: version 2 (budget raised, Kafka moved from nice-to-have to
  must-have) proposed by Rita yesterday, awaiting Hank's re-signature — version 1 stays in
  force;
- *Site Reliability Engineer*: after the agreement, Hank passed three submissions in a row
  for reasons the agreement does not contain, so the job page shows drift flags.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from closeloop.activity.models import Activity
from closeloop.demo.data import round_minutes
from closeloop.intake.models import IntakeVersion, PassCitation
from closeloop.intake.selectors import ON_LIST_REASONS
from closeloop.intake.services import (
    intake_draft_save,
    intake_draft_start,
    intake_propose,
    intake_sign,
)
from closeloop.interviews.models import Interview
from closeloop.notify.models import Message
from closeloop.pipeline.models import Application, ApplicationStatus, Submission, SubmissionDecision
from closeloop.pipeline.services import application_submit, candidate_add, submission_pass_citing
from closeloop.touchbases.models import TouchbaseSeries

AWAITING_HM = "security"
AMENDED = "backend"
DRIFTING = "sre"
HOUR = dt.timedelta(hours=1)
# Opened 80 days ago with a 70-day target: the search running behind its agreed date, which
# the insights' funnel and the overview show.
BEHIND = "ae"

DEAL_BREAKERS = {
    "backend": ["Needs visa sponsorship", "No on-call at all"],
    "sre": ["No on-call at all"],
    "sales": ["No German"],
}
NICE_TO_HAVES = {
    "backend": ["Go", "Kafka"],
    "sre": ["Python tooling"],
    "design": ["Design systems"],
    "data": ["dbt"],
}
# Off-list reasons Hank gives on the drifting job (none is a must-have or deal-breaker).
DRIFT_PASSES = [
    ("Tariq Benali", "Wants someone who has led a platform migration"),
    ("Ines Duarte", "Prefers candidates from a FAANG-scale company"),
    ("Kofi Mensah", "Not enough Go experience"),
]


def _role(ctx: Any, opened: dt.datetime, budget: tuple[int, int]) -> dict[str, Any]:
    plan = ctx.plan
    # The drifting job was promised fast, the one behind too fast; the others have a target
    # their pace can meet.
    days = {DRIFTING: 100, BEHIND: 70}.get(plan.key, 150)
    fill = _working_day((opened + dt.timedelta(days=days)).date())
    return {
        "title": plan.title,
        "team": plan.team,
        "location": plan.location,
        "remote": plan.remote,
        "headcount": plan.headcount,
        "compensation_min": budget[0],
        "compensation_max": budget[1],
        "compensation_currency": plan.currency,
        "target_fill_date": fill,
        "target_start_date": _working_day(fill + dt.timedelta(days=45)),
    }


def _working_day(day: dt.date) -> dt.date:
    """The day, or the Monday after when it falls on a weekend: nobody starts on a Sunday."""
    return day + dt.timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def _rounds(ctx: Any) -> list[dict[str, Any]]:
    """The job's rounds; must-haves spread over them as focus attributes. A round names the
    people its interviews are booked with (the seed booked them already), so the plan and
    the interviews agree; a round nobody reached takes one of the panel (the HM the last)."""
    plan, panel = ctx.plan, ctx.panel
    booked = _booked_panels(ctx.job)
    rounds = []
    for index, name in enumerate(plan.rounds):
        focus = [m for i, m in enumerate(plan.must_haves) if i % len(plan.rounds) == index]
        people = booked.get(name) or ({panel[index % len(panel)].pk} if panel else set())
        if not booked.get(name) and index == len(plan.rounds) - 1:
            people.add(ctx.hm.pk)
        rounds.append(
            {"name": name, "duration_minutes": round_minutes(index),
             "focus_attributes": focus[:4], "interviewers": sorted(people)}
        )  # fmt: skip
    return rounds


def _booked_panels(job: Any) -> dict[str, set[int]]:
    """Round name -> everyone an interview of that round on the job is booked with."""
    panels: dict[str, set[int]] = defaultdict(set)
    through = Interview.interviewers.through.objects.filter(interview__application__job=job)
    for name, person in through.values_list("interview__round_name", "user_id"):
        panels[name].add(person)
    return panels


def _cadence(ctx: Any, index: int) -> dict[str, Any]:
    return {
        "service_levels": {"review_submission": 2, "submit_scorecard": 1},
        "touchbase_weekday": index % 4,  # Monday to Thursday, spread over the jobs
        "touchbase_time": dt.time(10 + index % 3, 30 if index % 2 else 0),
        "touchbase_minutes": 30,
        "touchbase_time_zone": ctx.hm.time_zone,
        "escalation_contact": ctx.job.escalation_contact,
        "notes": "Weekly touch-base on the agenda Closeloop prepares; decisions within a day "
        "of each debrief.",
    }


def _draft(
    ctx: Any, index: int, at: dt.datetime, budget: tuple[int, int], extra: list[str]
) -> IntakeVersion:
    plan, by = ctx.plan, ctx.recruiter
    source = "last" if IntakeVersion.objects.filter(job=ctx.job).exists() else "blank"
    version = intake_draft_start(job=ctx.job, by=by, at=at, source=source)
    steps = {
        "role": _role(ctx, ctx.job.created_at, budget),
        "requirements": {
            "must_haves": "\n".join([*plan.must_haves, *extra]),
            # A criterion promoted to a must-have leaves the nice-to-haves (one list each).
            "nice_to_haves": "\n".join(
                n for n in NICE_TO_HAVES.get(plan.family, []) if n not in extra
            ),
            "deal_breakers": "\n".join(DEAL_BREAKERS.get(plan.family, [])),
        },
        "plan": {"interview_plan": _rounds(ctx)},
        "cadence": _cadence(ctx, index),
    }
    for step, data in steps.items():
        version = intake_draft_save(version=version, by=by, step=step, data=data, at=at)
    return version


def _drift(ctx: Any) -> int:
    """Three fresh submissions on the drifting job, each passed for an off-list reason."""
    musts = list(ctx.plan.must_haves[:3])
    low, high = ctx.plan.budget
    for number, (name, reason) in enumerate(DRIFT_PASSES):
        first, last = name.split()
        handle = f"{first}-{last}".lower()
        added = candidate_add(
            job=ctx.job,
            by=ctx.recruiter,
            data={
                "full_name": name,
                "email": f"{first}.{last}@example.org".lower(),
                "location": ctx.plan.location,
                "current_title": "Senior Site Reliability Engineer",
                "current_company": ["Northwind Cloud", "Fabrikam Hosting", "Contoso Ops"][number],
                "links": f"https://www.linkedin.com/in/{handle}-{4100 + number}",
                "expected_compensation": (low + high) // 2,
                "compensation_currency": ctx.plan.currency,
                "source": "referral",
            },
            same_name_ok=True,  # the seed's own people: another of the name is someone else
        )
        submission = application_submit(
            application=added.application,
            by=ctx.recruiter,
            pitch=f"{first} brings {', '.join(musts)}: years of each, in production.",
            must_haves_met=musts,
        )
        submission_pass_citing(submission=submission, by=ctx.hm, kind="other", criterion=reason)
    return len(DRIFT_PASSES)


def _leave_series_to_touchbases() -> None:
    """Signing set up each job's touch-base series at its (historic) signing time; the
    touch-base demo sets the series up itself, from the same cadence, with a short history."""
    series = list(TouchbaseSeries.objects.values_list("pk", flat=True))
    Message.objects.filter(data__touchbase_series__in=series).delete()
    Activity.objects.filter(
        kind__startswith="closeloop.touchbase.", data__series__in=series
    ).delete()
    TouchbaseSeries.objects.filter(pk__in=series).delete()


def _range_covering(ctx: Any) -> tuple[int, int]:
    """The job's budget widened to the pay of the candidates already put forward: on jobs
    that run to plan the recruiter screens for the range (Backend and SRE keep theirs, so
    their stories — a raised budget, drift — have something to show)."""
    low, high = ctx.plan.budget
    pay = (
        Application.objects.filter(
            job=ctx.job,
            status=ApplicationStatus.ACTIVE,
            candidate__expected_compensation__isnull=False,
        )
        .exclude(stage__kind="sourced")
        .values_list("candidate__expected_compensation", flat=True)
    )
    step = 5_000
    low = min([low, *pay]) // step * step
    high = -(-max([high, *pay]) // step) * step
    return low, high


def _cite_missing_must_haves(ctx: Any) -> None:
    """On jobs that run to plan the HM's passes cite the must-have the pitch did not meet
    (the agreement at work); the demo's history only stored a generic reason."""
    musts = list(ctx.plan.must_haves)
    passes = Submission.objects.filter(
        application__job=ctx.job, decision=SubmissionDecision.PASSED, decided_by=ctx.hm
    ).exclude(pass_reason__in=ON_LIST_REASONS)
    citations = []
    for submission in passes:
        missing = [m for m in musts if m not in (submission.must_haves_met or [])]
        if missing:
            citations.append(
                PassCitation(submission=submission, kind="must_have", criterion=missing[0])
            )
    PassCitation.objects.bulk_create(citations, ignore_conflicts=True)


def seed(org: Any) -> dict[str, int]:
    now = org.now
    quiet: list[int] = []  # versions whose (historic) messages the demo does not keep
    counts = {"intake_versions": 0, "intake_drift_passes": 0}
    for index, (key, ctx) in enumerate(org.jobs.items()):
        budget = ctx.plan.budget if key in {AMENDED, DRIFTING} else _range_covering(ctx)
        if key not in {AMENDED, DRIFTING}:
            _cite_missing_must_haves(ctx)
        # Each step at work, in its author's own hours (org.worked), in order.
        opened = ctx.job.created_at
        proposed_at = org.worked_after(opened + HOUR, ctx.recruiter)
        later = max(opened + dt.timedelta(days=2), proposed_at + HOUR)
        signed_at = org.worked_after(later, ctx.hm)
        if key == AWAITING_HM:
            drafted = org.worked(now - dt.timedelta(days=2), ctx.recruiter)
            version = _draft(ctx, index, drafted, budget, [])
            proposed = max(org.worked(now - dt.timedelta(days=1), ctx.recruiter), drafted)
            intake_propose(version=version, by=ctx.recruiter, at=proposed)
            counts["intake_versions"] += 1
            continue
        version = _draft(ctx, index, opened, budget, [])
        intake_propose(version=version, by=ctx.recruiter, at=proposed_at)
        intake_sign(version=version, by=ctx.hm, at=signed_at)
        quiet.append(version.pk)
        counts["intake_versions"] += 1
        if key == AMENDED:
            raised = (budget[0], budget[1] + 10_000)
            drafted = max(org.worked(now - dt.timedelta(days=1, hours=2), ctx.recruiter), signed_at)
            amended = _draft(ctx, index, drafted, raised, ["Kafka"])
            proposed = max(org.worked(now - dt.timedelta(days=1), ctx.recruiter), drafted)
            intake_propose(version=amended, by=ctx.recruiter, at=proposed)
            counts["intake_versions"] += 1
        if key == DRIFTING:
            counts["intake_drift_passes"] = _drift(ctx)
    # The signed versions are history: their sign requests were answered long ago.
    Message.objects.filter(data__intake_version__in=quiet).delete()
    _leave_series_to_touchbases()
    assert IntakeVersion.objects.count() == counts["intake_versions"]
    return counts
