"""Coaching prompts drawn from a mentee's real behaviour, each with its evidence.

A prompt source is a plain function `(person, now, zone, reader) -> Prompt | None` registered in
`PROMPT_SOURCES` (`prompt_source_register`): slow reviews, passes citing reasons outside the
must-haves, late scorecards, candidates waiting on the person. Another part adds its own the
same way (a falling pulse score). Prompts are computed on read, from the asks, submissions
and applications themselves, so they are never stale and never stored; `zone` is the
reader's, so the evidence's times read as every other page shows that reader times, and
`reader` is who reads it: a title naming the person says "you" to the mentee themselves.

Evidence names the rows it came from (`application_id`, `job_id`) and carries two wordings:
`detail` names the candidate and the job, `summary` names neither. Which one a reader gets,
and whether it links, is decided by `prompts_for_viewer` with the pipeline's own permission
filter: a mentor sees a candidate only when their own role already lets them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q
from django.urls import reverse

from closeloop.accounts.selectors import person_for
from closeloop.followups.business_time import business_days_before, calendar_for
from closeloop.followups.models import Ask, AskStatus
from closeloop.intake.selectors import pass_citation_of, pass_is_off_list
from closeloop.jobs.models import Job
from closeloop.jobs.selectors import job_visible_q
from closeloop.lib.timefmt import absolute
from closeloop.partnership.pulses.selectors import PersonPulse, pulse_scores_for_person
from closeloop.partnership.pulses.services import DROP, LOW_SCORE
from closeloop.pipeline.models import (
    Application,
    ApplicationStatus,
    Submission,
    SubmissionDecision,
)
from closeloop.pipeline.selectors import application_visible_q, applications_with_move_wait

if TYPE_CHECKING:
    from closeloop.accounts.models import User

logger = logging.getLogger("closeloop.mentorship")

REVIEW_KIND = "review_submission"
SCORECARD_KIND = "submit_scorecard"
SLOW_REVIEW_WINDOW = dt.timedelta(days=14)
SLOW_REVIEWS_AT_LEAST = 2
LATE_SCORECARD_WINDOW = dt.timedelta(days=30)
LATE_SCORECARDS_AT_LEAST = 2
OUTSIDE_PASS_WINDOW = dt.timedelta(days=30)
WAITING_BUSINESS_DAYS = 5
EVIDENCE_MAX = 8


@dataclass(frozen=True)
class Evidence:
    """One row a prompt came from. `detail` names the candidate and job; `summary` only
    what happened and when, for a reader who may not see them."""

    summary: str
    detail: str
    application_id: int | None = None
    job_id: int | None = None


@dataclass(frozen=True)
class Prompt:
    key: str
    title: str
    suggestion: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class EvidenceShown:
    text: str
    url: str = ""


@dataclass(frozen=True)
class PromptShown:
    key: str
    title: str
    suggestion: str
    evidence: list[EvidenceShown] = field(default_factory=list)
    more: int = 0


PromptSource = Callable[["User", dt.datetime, "dt.tzinfo | None", "User | None"], "Prompt | None"]
PROMPT_SOURCES: dict[str, PromptSource] = {}


def prompt_source_register(key: str, source: PromptSource) -> None:
    """Add a kind of prompt (once per key: a second `ready()` changes nothing)."""
    PROMPT_SOURCES.setdefault(key, source)


def _day(zone: dt.tzinfo | None, moment: dt.datetime | None) -> str:
    """A moment in the reader's zone (not the mentee's: the mentor reads their own time)."""
    return absolute(moment, zone) if moment else ""


def _ask_evidence(ask: Ask, zone: dt.tzinfo | None, noun: str) -> Evidence:
    application = ask.application
    late = "still open" if ask.status == AskStatus.OPEN else "answered late"
    when = f"due {_day(zone, ask.due_at)}, {late}"
    about = ""
    if application is not None:
        about = f" of {application.candidate.full_name} for {application.job.title}"
    return Evidence(
        summary=f"A {noun} {when}",
        detail=f"The {noun}{about}: {when}",
        application_id=ask.application_id,
        job_id=ask.job_id,
    )


def _late_asks(person: User, kind: str, since: dt.datetime, now: dt.datetime) -> list[Ask]:
    """The person's asks of `kind` that were late: answered after due in the window, or
    open and past due now (held asks never count: their clock is stopped)."""
    answered_late = Q(status=AskStatus.DONE, closed_at__gte=since, closed_at__gt=F("due_at"))
    open_late = Q(status=AskStatus.OPEN, due_at__lte=now, held_at__isnull=True)
    return list(
        Ask.objects.filter(answered_late | open_late, owner=person, kind=kind)
        .select_related("application__candidate", "application__job")
        .order_by("-due_at")[:50]
    )


def _in_time_count(person: User, kind: str, since: dt.datetime) -> int:
    return Ask.objects.filter(
        owner=person,
        kind=kind,
        status=AskStatus.DONE,
        closed_at__gte=since,
        closed_at__lte=F("due_at"),
    ).count()


def prompt_slow_reviews(
    person: User, now: dt.datetime, zone: dt.tzinfo | None, reader: User | None = None
) -> Prompt | None:
    """Reviews slower than the agreed service level over the last two weeks: at least two
    late, and more late than in time."""
    since = now - SLOW_REVIEW_WINDOW
    late = _late_asks(person, REVIEW_KIND, since, now)
    on_time = _in_time_count(person, REVIEW_KIND, since)
    if len(late) < SLOW_REVIEWS_AT_LEAST or len(late) <= on_time:
        return None
    still_open = sum(ask.status == AskStatus.OPEN for ask in late)
    late_words = f"{len(late) - still_open} answered late"
    if still_open:
        late_words += f", {still_open} still open past due"
    return Prompt(
        "slow_reviews",
        f"Reviews slower than agreed: {late_words}, {on_time} in time in two weeks",
        "Talk about when reviews fit in the week: a fixed slot, or one-click answers from the "
        "email. Is the agreed service level realistic?",
        tuple(_ask_evidence(ask, zone, "review") for ask in late),
    )


def prompt_late_scorecards(
    person: User, now: dt.datetime, zone: dt.tzinfo | None, reader: User | None = None
) -> Prompt | None:
    since = now - LATE_SCORECARD_WINDOW
    late = _late_asks(person, SCORECARD_KIND, since, now)
    if len(late) < LATE_SCORECARDS_AT_LEAST:
        return None
    return Prompt(
        "late_scorecards",
        f"{len(late)} scorecards late in the last 30 days",
        "A late scorecard holds up the debrief and the decision. Writing it straight after "
        "the interview, while it is fresh, takes ten minutes.",
        tuple(_ask_evidence(ask, zone, "scorecard") for ask in late),
    )


def prompt_outside_passes(
    person: User, now: dt.datetime, zone: dt.tzinfo | None, reader: User | None = None
) -> Prompt | None:
    """Passes the person decided in the last 30 days for reasons their job's agreement does
    not contain: the drift watch's rule (`intake.selectors.pass_is_off_list`), over all of
    the person's jobs."""
    decided = (
        Submission.objects.filter(
            decided_by=person,
            decision=SubmissionDecision.PASSED,
            decided_at__gte=now - OUTSIDE_PASS_WINDOW,
        )
        .select_related("intake_citation", "application__candidate", "application__job")
        .order_by("-decided_at", "-pk")[:200]
    )
    off = [
        submission
        for submission in decided
        if pass_is_off_list(submission, pass_citation_of(submission), submission.application.job)
    ]
    if not off:
        return None
    evidence = []
    for submission in off[:50]:
        citation = pass_citation_of(submission)
        reason = citation.criterion if citation else submission.get_pass_reason_display()
        application = submission.application
        when = _day(zone, submission.decided_at)
        evidence.append(
            Evidence(
                summary=f"A pass on {when} for a reason not in the agreement",
                detail=f"Passed on {application.candidate.full_name} for "
                f"{application.job.title} on {when}: “{reason}”",
                application_id=application.pk,
                job_id=application.job_id,
            )
        )
    return Prompt(
        "outside_passes",
        f"{len(off)} passes for reasons not in the agreement in 30 days",
        "When a pass cites something the agreement does not list, the must-haves may be "
        "missing it: worth adding it to the intake, or letting it go.",
        tuple(evidence),
    )


def prompt_waiting_candidates(
    person: User, now: dt.datetime, zone: dt.tzinfo | None, reader: User | None = None
) -> Prompt | None:
    """Candidates waiting on the person's move for more than N business days, by the queue's
    own clock (an interview still to come is not a wait)."""
    cut = business_days_before(calendar_for(person), now, WAITING_BUSINESS_DAYS)
    owed = applications_with_move_wait(
        Application.objects.filter(status=ApplicationStatus.ACTIVE, next_move_owner=person), now
    )
    # `waited_since` is the queue's annotation (pipeline.selectors._queue_annotate).
    rows: list[Any] = list(
        owed.filter(Q(awaits_interview=False), Q(waited_since__lt=cut))
        .select_related("candidate", "job")
        .order_by(F("waited_since").asc(), "pk")[:50]
    )
    if not rows:
        return None
    evidence = [
        Evidence(
            summary=f"A candidate waiting since {_day(zone, row.waited_since)}",
            detail=f"{row.candidate.full_name} ({row.job.title}) waiting since "
            f"{_day(zone, row.waited_since)}",
            application_id=row.pk,
            job_id=row.job_id,
        )
        for row in rows
    ]
    return Prompt(
        "waiting_candidates",
        f"{len(rows)} candidate{'s' if len(rows) != 1 else ''} waiting on "
        f"{person_for(person, reader=reader, short=True)} for over "
        f"{WAITING_BUSINESS_DAYS} business days",
        "Candidates who wait a week start accepting other offers. Which of these can be "
        "decided today, and what stops the rest?",
        tuple(evidence),
    )


prompt_source_register("slow_reviews", prompt_slow_reviews)
prompt_source_register("outside_passes", prompt_outside_passes)
prompt_source_register("late_scorecards", prompt_late_scorecards)
prompt_source_register("waiting_candidates", prompt_waiting_candidates)


FALLING_PULSE_WINDOW = dt.timedelta(days=60)


def _pulse_falls(rows: list[PersonPulse]) -> list[tuple[PersonPulse | None, PersonPulse]]:
    """Per job, the latest revealed round about the person, with the one before it, when
    one of its scores is low or fell by more than a point: the rule of the pulses' own
    alerts, question by question."""
    by_job: dict[int, list[PersonPulse]] = {}
    for row in rows:  # oldest first
        by_job.setdefault(row.job_id, []).append(row)
    falls = []
    for rounds in by_job.values():
        latest = rounds[-1]
        previous = rounds[-2] if len(rounds) > 1 else None
        before = previous.scores if previous else (None,) * len(latest.scores)
        if any(
            score <= LOW_SCORE or (earlier is not None and earlier - score > DROP)
            for score, earlier in zip(latest.scores, before, strict=True)
        ):
            falls.append((previous, latest))
    return falls


def _flagged_words(previous: PersonPulse | None, latest: PersonPulse) -> str:
    """The questions that raised the prompt, each with its move: "Speed of answers 4 → 2"
    (or "Availability 2" without a round before). Not the average: one question falling two
    points moves the average less than one, and the mentor should know which it was."""
    words = []
    for index, score in enumerate(latest.scores):
        earlier = previous.scores[index] if previous else None
        if score <= LOW_SCORE or (earlier is not None and earlier - score > DROP):
            move = f"{earlier} → {score}" if earlier is not None else f"{score}"
            words.append(f"{latest.labels[index]} {move}")
    return ", ".join(words)


def prompt_falling_pulse(
    person: User, now: dt.datetime, zone: dt.tzinfo | None, reader: User | None = None
) -> Prompt | None:
    """A pulse about the person (what the other side of a job said of working with them)
    that is low or fell by more than a point since the round before."""
    falls = _pulse_falls(pulse_scores_for_person(person, now - FALLING_PULSE_WINDOW))
    if not falls:
        return None
    evidence = []
    for previous, latest in falls:
        when = _day(zone, latest.revealed_at)
        text = f"{_flagged_words(previous, latest)} in a pulse revealed {when}"
        # No job to link: a pulse is read by its two sides and admins only, so the mentor
        # gets the figures the prompt rests on, never whose answer or which job.
        evidence.append(Evidence(summary=text, detail=text))
    jobs = f"{len(falls)} job{'s' if len(falls) != 1 else ''}"
    return Prompt(
        "falling_pulse",
        f"A partnership pulse is low or falling on {jobs}",
        "Ask what the other side would change: the scores say how working together feels "
        "to them. Bring one thing to the next touch-base.",
        tuple(evidence),
    )


prompt_source_register("falling_pulse", prompt_falling_pulse)


def prompts_raised(
    person: User,
    now: dt.datetime,
    zone: dt.tzinfo | None = None,
    *,
    reader: User | None = None,
) -> list[Prompt]:
    """Every prompt the person's data raises now, its times in `zone` (the reader's; None:
    the zone active for the page), the person named for `reader` ("you" when it is them;
    None: by name). A failing source is left out: one broken prompt must not take the page
    down."""
    raised = []
    for key, source in PROMPT_SOURCES.items():
        try:
            prompt = source(person, now, zone, reader)
        except Exception:
            logger.exception("mentoring prompt %s failed for person %s", key, person.pk)
            continue
        if prompt is not None:
            raised.append(prompt)
    return raised


def prompts_for_viewer(*, viewer: User, prompts: list[Prompt]) -> list[PromptShown]:
    """The prompts as `viewer` may read them: evidence about a candidate the viewer may open
    names it and links to it; anything else is the summary, without a link."""
    app_ids = {e.application_id for p in prompts for e in p.evidence if e.application_id}
    job_ids = {e.job_id for p in prompts for e in p.evidence if e.job_id and not e.application_id}
    seen_apps = set(
        Application.objects.filter(application_visible_q(viewer), pk__in=app_ids).values_list(
            "pk", flat=True
        )
    )
    seen_jobs = set(
        Job.objects.filter(job_visible_q(viewer), pk__in=job_ids).values_list("pk", flat=True)
    )
    shown = []
    for prompt in prompts:
        rows = []
        for evidence in prompt.evidence[:EVIDENCE_MAX]:
            if evidence.application_id in seen_apps:
                url = reverse("pipeline:application-detail", args=[evidence.application_id])
                rows.append(EvidenceShown(evidence.detail, url))
            elif evidence.application_id is None and evidence.job_id in seen_jobs:
                url = reverse("jobs:job-detail", args=[evidence.job_id])
                rows.append(EvidenceShown(evidence.detail, url))
            else:
                rows.append(EvidenceShown(evidence.summary))
        more = max(0, len(prompt.evidence) - EVIDENCE_MAX)
        shown.append(PromptShown(prompt.key, prompt.title, prompt.suggestion, rows, more))
    return shown
