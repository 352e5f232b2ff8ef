"""The demo's interviews, scorecards and debriefs (on top of the interviews seed.py books).

- every interview is tied to its round of the job's plan (the intake seed writes the plans;
  a job without one gets its rounds here), booked by the job's recruiter;
- interviews that took place have their panel's scorecards, submitted a few hours after,
  each closing its interviewer's scorecard ask (opened at the interview's end);
- one recent round on Hank's jobs misses Ivy's scorecard: her ask is open and overdue
  (whatever the moment of seeding), so the worker reminds her and escalates to Hank;
- candidates waiting in a Debrief stage have an open debrief and Hank's (or their HM's)
  decide ask, opened through the real service;
- one candidate on Hank's SRE search has a debrief he put on hold (through its service), to
  decide again by a day he gave: his ask to decide keeps it chased;
- candidates who went on to an offer, or were rejected after their interviews, have a
  decided debrief with the rationale, and the candidate informed;
- every other round a candidate went on from (to a later round, or to the recruiter's next
  move) was debriefed too: the hiring manager decided to go on, as the product asks after
  every round.
Deterministic: a fixed random seed and the organisation's own clock.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from closeloop.activity.models import Activity
from closeloop.demo.data import round_minutes
from closeloop.followups.business_time import (
    MAX_DAYS_SCANNED,
    calendar_for,
    next_working_moment,
)
from closeloop.followups.models import AskStatus
from closeloop.followups.services import ask_due_at, asks_open
from closeloop.interviews.models import (
    Debrief,
    DebriefDecision,
    DebriefOpenedBecause,
    DebriefStatus,
    Interview,
    InterviewStatus,
    Recommendation,
    Scorecard,
    ScorecardStatus,
)
from closeloop.interviews.selectors import round_same_q
from closeloop.interviews.services import (
    Decision,
    debrief_decide,
    debrief_open,
    scorecard_ask_open,
    scorecard_ask_request,
)
from closeloop.jobs.models import InterviewRound, StageKind
from closeloop.pipeline.models import ApplicationStatus, RejectionReason
from closeloop.pipeline.services import application_next_move_set

RNG_SEED = 5
NOTES = {
    "strong_yes": "Clear, structured answers with concrete examples; would raise our bar.",
    "yes": "Good depth on the core topics; a few gaps that coaching closes.",
    "no": "Struggled to go beyond the basics when pushed for specifics.",
    "strong_no": "Could not explain their own past work in any detail.",
}


def seed(org: Any) -> dict[str, int]:
    rng = random.Random(RNG_SEED)
    rounds = _link_rounds(org)
    interviews = list(
        Interview.objects.select_related(
            "application__job__recruiter",
            "application__candidate",
            "application__stage",
            "round",
        )
        .prefetch_related("interviewers")
        .order_by("starts_at", "pk")
    )
    missing = _pick_missing(org, interviews)
    written = _scorecards(interviews, rng, org.now, skip=missing)
    _scorecard_asks_answered(org, written)
    cards = len(written)
    overdue = _open_missing_ask(missing, org)
    decided = _decided_debriefs(org, interviews, rng)
    waiting = _waiting_debriefs(org, interviews, rng)
    held = _debriefs_held(org)
    decided += _rounds_gone_on_from(org, rng)
    return {
        "interview_rounds": rounds,
        "scorecards": cards,
        "overdue_scorecards": overdue,
        "debriefs_decided": decided,
        "debriefs_waiting": waiting - held,
        "debriefs_held": held,
    }


def _link_rounds(org: Any) -> int:
    """Tie each interview to its round by name; jobs without a plan get one from data.py."""
    created = 0
    for ctx in org.jobs.values():
        job = ctx.job
        by_name = {r.name: r for r in job.interview_rounds.all()}
        for position, name in enumerate(ctx.plan.rounds):
            if name not in by_name:
                focus = [
                    m
                    for i, m in enumerate(ctx.plan.must_haves)
                    if i % len(ctx.plan.rounds) == position
                ]
                taken = set(job.interview_rounds.values_list("position", flat=True))
                spot = position if position not in taken else max(taken) + 1
                by_name[name] = InterviewRound.objects.create(
                    job=job,
                    position=spot,
                    name=name,
                    duration_minutes=round_minutes(position),
                    focus_attributes=focus,
                )
                by_name[name].interviewers.set(ctx.panel)
                created += 1
        for name, round_ in by_name.items():
            Interview.objects.filter(application__job=job, round_name=name).update(
                round=round_, booked_by=ctx.recruiter, focus_attributes=round_.focus_attributes
            )
    return created


def _attributes(interview: Interview) -> list[str]:
    return [str(a) for a in (interview.round.focus_attributes if interview.round else [])]


def _pick_missing(org: Any, interviews: list[Interview]) -> tuple[Interview, Any] | None:
    """A recent round on one of Hank's jobs where Ivy has not written her scorecard.

    Ivy sees the others' scorecards blind and Hank hears of the missing one. The round is
    one whose scorecard is overdue by now in her calendar, weekends and holidays counted
    (seed.py scripts such a round a week back; another of hers may be more recent).
    """
    ivy, hank = org.users.get("ivy"), org.users.get("hank")
    late = [
        (interview, person)
        for interview in interviews
        if interview.status == InterviewStatus.COMPLETED
        and interview.ends_at >= org.now - dt.timedelta(days=45)
        and interview.application.status == ApplicationStatus.ACTIVE
        # A candidate still in interviews: the debrief stories are other candidates'.
        and interview.application.stage.kind == StageKind.INTERVIEWING
        for person in sorted(interview.interviewers.all(), key=lambda u: u.pk)
        if _scorecard_due(interview, person) < org.now
    ]
    ivys = [
        (interview, person)
        for interview, person in late
        if person == ivy and interview.application.job.hiring_manager_id == hank.pk
    ]
    pool = ivys or late
    return max(pool, key=lambda pair: pair[0].ends_at) if pool else None


def _scorecard_due(interview: Interview, person: Any) -> dt.datetime:
    job = interview.application.job
    return ask_due_at(kind="submit_scorecard", owner=person, opened_at=interview.ends_at, job=job)


def _verdict(rng: random.Random, application: Any) -> str:
    good = application.status != ApplicationStatus.REJECTED
    weights = [5, 50, 35, 10] if good else [25, 45, 25, 5]
    return rng.choices(
        ["strong_yes", "yes", "no", "strong_no"]
        if good
        else ["strong_no", "no", "yes", "strong_yes"],
        weights=weights,
    )[0]


def _card_written_at(
    ended: dt.datetime, person: Any, rng: random.Random, now: dt.datetime
) -> dt.datetime:
    """When an interviewer sent their card: in their own working hours (weekdays 08–18 in
    their zone) within their next eight working hours after the round, never after the
    moment of seeding. A round just before a night or a weekend gets its cards the next
    working day; one with no working time of theirs since, soon after it ended."""
    working: list[dt.datetime] = []
    moment = ended + dt.timedelta(minutes=rng.randrange(30))  # not always on the half hour
    while len(working) < 16:
        moment += dt.timedelta(minutes=30)
        if moment > now:
            break
        local = moment.astimezone(person.zone)
        if local.weekday() < 5 and 8 <= local.hour < 18:
            working.append(moment)
    if not working:  # none of their working time yet: straight after the round
        return min(ended + dt.timedelta(minutes=rng.randrange(5, 30)), now)
    return rng.choice(working)


def _scorecards(
    interviews: list[Interview],
    rng: random.Random,
    now: dt.datetime,
    *,
    skip: tuple[Interview, Any] | None,
) -> list[Scorecard]:
    rows = []
    for interview in interviews:
        if interview.status != InterviewStatus.COMPLETED:
            continue
        for person in sorted(interview.interviewers.all(), key=lambda u: u.pk):
            if skip is not None and (interview, person) == skip:
                continue
            verdict = _verdict(rng, interview.application)
            lean = {"strong_yes": 4, "yes": 3, "no": 2, "strong_no": 1}[verdict]
            ratings = {
                a: max(1, min(4, lean + rng.choice([-1, 0, 0, 1]))) for a in _attributes(interview)
            }
            at = _card_written_at(interview.ends_at, person, rng, now)
            rows.append(
                Scorecard(
                    interview=interview,
                    interviewer=person,
                    status=ScorecardStatus.SUBMITTED,
                    ratings=ratings,
                    recommendation=Recommendation(verdict),
                    notes=NOTES[verdict],
                    created_at=at,
                    updated_at=at,
                    submitted_at=at,
                )
            )
    Scorecard.objects.bulk_create(rows, batch_size=500)
    return rows


def _scorecard_asks_answered(org: Any, cards: list[Scorecard]) -> None:
    """Each card answered the interviewer's scorecard ask, opened at the interview's end as
    the worker opens it and closed at the card, so interviewers have figures (a card sent
    after its candidate left answered nothing: leaving cancelled the ask; none opens for a
    candidate gone before the interview ended). Opened and closed in bulk (`asks_open`, the
    seed's `close_answered`)."""
    cards = [card for card in cards if not _left_before(card.interview)]
    asks = asks_open([scorecard_ask_request(card.interview, card.interviewer) for card in cards])
    answered, cancelled = [], []
    for card, ask in zip(cards, asks, strict=True):
        if ask is None:
            continue
        closed_at = card.interview.application.closed_at
        if closed_at is not None and closed_at < card.submitted_at:
            cancelled.append((ask, closed_at))
        else:
            answered.append((ask, card.interviewer, card.submitted_at))
    org.close_answered(answered)
    for ask, closed_at in cancelled:
        ask.status, ask.closed_via = AskStatus.CANCELLED, "closed"
        ask.closed_at, ask.next_nudge_at = closed_at, None
        ask.save(update_fields=["status", "closed_at", "closed_via", "next_nudge_at"])


def _left_before(interview: Interview) -> bool:
    closed_at = interview.application.closed_at
    return closed_at is not None and closed_at < interview.ends_at


def _open_missing_ask(missing: tuple[Interview, Any] | None, org: Any) -> int:
    """The overdue scorecard: opened at the interview's end, as the worker would have."""
    if missing is None:
        return 0
    interview, person = missing
    ask = scorecard_ask_open(interview, person)
    # The candidate waits on that feedback: the move is the interviewer's, as the product
    # says once an interview ends with a card missing (her scorecard is owed from its end).
    if ask is not None and interview.application.is_active:
        application_next_move_set(
            application=interview.application, owner=person, at=interview.ends_at
        )
    # Far enough ahead that the page shows "missing, overdue, escalated" (and the candidate
    # waits on the interviewer) for a day before the worker (rightly) opens the debrief
    # without it. Not at the seeding: the worker would open it the moment the demo starts,
    # a debrief a week late whose decision nobody could have made before.
    due = (ask.due_at if ask else interview.ends_at) + dt.timedelta(days=2)
    later = max(due, org.now + dt.timedelta(days=1))
    Interview.objects.filter(pk=interview.pk).update(scorecards_due_at=later)
    return 1 if ask else 0


def _rounds_by_application(interviews: list[Interview]) -> dict[Any, list[Interview]]:
    grouped: dict[Any, list[Interview]] = defaultdict(list)
    for interview in interviews:
        if interview.status == InterviewStatus.COMPLETED:
            grouped[interview.application].append(interview)
    return grouped


def _decided_debriefs(org: Any, interviews: list[Interview], rng: random.Random) -> int:
    """Candidates who got an offer (or a rejection) after their last round: decided."""
    debriefs, activities = [], []
    for application, done in _rounds_by_application(interviews).items():
        last = max(done, key=lambda i: i.ends_at)
        advanced = application.stage.kind in (StageKind.OFFER, StageKind.HIRED)
        rejected = (
            application.status == ApplicationStatus.REJECTED
            and application.closed_at
            and application.closed_at > last.ends_at
        )
        if not (advanced or rejected):
            continue
        job = application.job
        decided_at = application.entered_stage_at if advanced else application.closed_at
        reason = application.closed_reason if rejected else ""
        reason = reason if reason in RejectionReason.values else ("other" if rejected else "")
        rationale = (
            "Strong on the must-haves we care most about; the concerns raised are coachable."
            if advanced
            else application.closed_note or "The panel found gaps against the must-haves."
        )
        decided = max(decided_at, last.ends_at + dt.timedelta(hours=1))
        # Opened some hours after the round, and never after the decision it led to.
        opened = min(last.ends_at + dt.timedelta(hours=rng.uniform(4, 24)), decided)
        debrief = Debrief(
            application=application,
            round=last.round,
            round_name=last.round_name,
            status=DebriefStatus.DECIDED,
            opened_at=opened,
            opened_because=DebriefOpenedBecause.ALL_IN,
            last_interview_ended_at=last.ends_at,
            time_zone=job.hiring_manager.time_zone,
            decision=DebriefDecision.ADVANCE if advanced else DebriefDecision.REJECT,
            reject_reason=reason,
            rationale=rationale,
            to_stage=application.stage if advanced else None,
            decided_by=job.hiring_manager,
            decided_at=decided,
            informed_at=application.candidate_updated_at
            if application.candidate_updated_at and application.candidate_updated_at >= decided_at
            else None,
            informed_by=job.recruiter if application.candidate_updated_at else None,
        )
        debriefs.append((debrief, [i.pk for i in done if i.round_id == last.round_id]))
    Debrief.objects.bulk_create([d for d, _ in debriefs], batch_size=500)
    for debrief, ids in debriefs:
        Interview.objects.filter(pk__in=ids).update(debrief=debrief)
        verb = "advance" if debrief.decision == DebriefDecision.ADVANCE else "reject"
        activities.append(
            Activity(
                kind="closeloop.debrief.decided",
                at=debrief.decided_at,
                actor=debrief.decided_by,
                job=debrief.application.job,
                candidate=debrief.application.candidate,
                application=debrief.application,
                summary=f"{debrief.decided_by} decided after the {debrief.round_name} debrief: "
                f"{verb} {debrief.application.candidate.full_name}",
                detail=debrief.rationale,
                data={"debrief": debrief.pk, "decision": debrief.decision},
                team_only=True,
            )
        )
    Activity.objects.bulk_create(activities, batch_size=500)
    return len(debriefs)


def _waiting_debriefs(org: Any, interviews: list[Interview], rng: random.Random) -> int:
    """Active candidates in a Debrief stage: their debrief is open, the HM owes a decision."""
    opened = 0
    for application, done in _rounds_by_application(interviews).items():
        if application.status != ApplicationStatus.ACTIVE:
            continue
        if application.stage.kind != StageKind.DEBRIEF:
            continue
        last = max(done, key=lambda i: i.ends_at)
        same = [i for i in done if i.round_id == last.round_id]
        at = max(
            last.ends_at + dt.timedelta(hours=rng.uniform(2, 20)), application.entered_stage_at
        )
        # Opened in the hiring manager's working hours: the decision is owed from then.
        hm = application.job.hiring_manager
        at = max(_working_moment_by(calendar_for(hm), at, org.now), last.ends_at)
        complete = all(
            {c.interviewer_id for c in i.scorecards.all() if c.is_submitted}
            >= {p.pk for p in i.interviewers.all()}
            for i in same
        )
        if debrief_open(
            interview=last,
            because=DebriefOpenedBecause.ALL_IN if complete else DebriefOpenedBecause.TIME_PASSED,
            interviews=same,
            now=min(at, org.now),
        ):
            opened += 1
    return opened


def _working_moment_by(calendar: Any, moment: dt.datetime, latest: dt.datetime) -> dt.datetime:
    """The first working moment of `calendar` from `moment`, or, when that is after `latest`
    (now), the last one before `latest`."""
    at = next_working_moment(calendar, moment)
    if at <= latest:
        return at
    day = latest.astimezone(calendar.zone).date()
    for _ in range(MAX_DAYS_SCANNED):
        window = calendar.window(day)
        if window is not None and window[0] <= latest:
            return min(latest, window[1] - dt.timedelta(minutes=1))
        day -= dt.timedelta(days=1)
    return latest


def _debriefs_held(org: Any) -> int:
    """The debriefs seed.py scripts to be held: their hiring manager puts them on hold through
    the debriefs' service, to decide again by a working day later this week or next; the
    hold's ask keeps the decision chased (his queue lists the candidate with it)."""
    held = 0
    for application in org.debriefs_held:
        debrief = Debrief.objects.filter(application=application, status=DebriefStatus.OPEN).first()
        if debrief is None:
            continue
        hm = application.job.hiring_manager
        debrief_decide(
            debrief=debrief,
            by=hm,
            decision=Decision(
                decision=DebriefDecision.HOLD,
                rationale="Strong on incident response; I want to see how the other finalist "
                "does in the incident scenario before deciding.",
                decide_again_on=_working_day_ahead(org.now, hm, days=3),
            ),
        )
        held += 1
    return held


def _working_day_ahead(now: dt.datetime, person: Any, *, days: int) -> dt.date:
    """The first working day (their working days, not a public holiday of theirs) at least
    `days` days after today in the person's calendar."""
    calendar = calendar_for(person)
    day = now.astimezone(person.zone).date() + dt.timedelta(days=days)
    for _ in range(MAX_DAYS_SCANNED):
        if calendar.is_working_day(day):
            break
        day += dt.timedelta(days=1)
    return day


def _rounds_gone_on_from(org: Any, rng: random.Random) -> int:
    """Decided debriefs ("go on") for the rounds no debrief covers yet, whose candidate went
    on: to a later interview, or to a move the hiring manager handed back after the round.
    The product opens a debrief after every round, so none is left without one."""
    decided, opened = [], 0
    for interview in _rounds_without_debrief():
        application = interview.application
        later = [
            other.created_at
            for other in application.interviews.all()
            if other.starts_at > interview.ends_at
        ]
        moved_on = application.next_move_since and application.next_move_since > interview.ends_at
        if Debrief.objects.filter(
            round_same_q(round_id=interview.round_id, round_name=interview.round_name),
            application=application,
        ).exists():
            continue
        if not (later or moved_on):
            opened += _debrief_after_the_cards(org, interview)
            continue
        bound = min([*later, application.next_move_since or org.now, org.now])
        at = interview.ends_at + dt.timedelta(hours=rng.uniform(2, 30))
        decided.append((interview, max(min(at, bound), interview.ends_at)))
    for interview, at in decided:
        _decide_to_go_on(interview, at)
    return len(decided) + opened


def _debrief_after_the_cards(org: Any, interview: Interview) -> int:
    """A round the candidate has not gone on from: with every card in, its debrief opened at
    the last card (the hiring manager owes the decision); otherwise the worker opens it when
    the cards are due, as it does for any round."""
    cards = list(interview.scorecards.filter(status=ScorecardStatus.SUBMITTED))
    # A candidate who left after the round (withdrew, or was turned down without a debrief)
    # has none opened: the worker opens it only if they are reopened.
    closed = not interview.application.is_active
    if closed or {c.interviewer_id for c in cards} < {p.pk for p in interview.interviewers.all()}:
        due = max(_scorecard_due(interview, p) for p in interview.interviewers.all())
        Interview.objects.filter(pk=interview.pk, scorecards_due_at__isnull=True).update(
            scorecards_due_at=due
        )
        return 0
    interviews = list(
        Interview.objects.filter(
            round_same_q(round_id=interview.round_id, round_name=interview.round_name),
            application=interview.application,
            status=InterviewStatus.COMPLETED,
        ).prefetch_related("interviewers", "scorecards")
    )
    at = min(max(c.submitted_at for c in cards), org.now)
    opened = debrief_open(
        interview=interview, because=DebriefOpenedBecause.ALL_IN, interviews=interviews, now=at
    )
    return 1 if opened else 0


def _rounds_without_debrief() -> list[Interview]:
    """The last interview of each completed round no debrief covers (one row a round)."""
    rows = (
        Interview.objects.filter(status=InterviewStatus.COMPLETED, debrief__isnull=True)
        .select_related(
            "application__job__hiring_manager",
            "application__job__recruiter",
            "application__candidate",
            "application__stage",
            "round",
        )
        .prefetch_related("application__interviews", "interviewers")
        .order_by("application_id", "round_id", "round_name", "-ends_at", "-pk")
    )
    last: dict[tuple[int, int | None, str], Interview] = {}
    for interview in rows:
        last.setdefault(
            (interview.application_id, interview.round_id, interview.round_name), interview
        )
    return list(last.values())


def _decide_to_go_on(interview: Interview, at: dt.datetime) -> None:
    application = interview.application
    hm = application.job.hiring_manager
    debrief = Debrief.objects.create(
        application=application,
        round=interview.round,
        round_name=interview.round_name,
        status=DebriefStatus.DECIDED,
        opened_at=interview.ends_at,
        opened_because=DebriefOpenedBecause.ALL_IN,
        last_interview_ended_at=interview.ends_at,
        time_zone=hm.time_zone,
        decision=DebriefDecision.ADVANCE,
        rationale="Strong enough on this round's focus to go on to the next.",
        to_stage=application.stage,
        for_next_round=True,
        decided_by=hm,
        decided_at=at,
        informed_at=at,
        informed_by=application.job.recruiter,
    )
    Interview.objects.filter(
        application=application,
        round_id=interview.round_id,
        round_name=interview.round_name,
        status=InterviewStatus.COMPLETED,
    ).update(debrief=debrief)
    Activity.objects.create(
        kind="closeloop.debrief.decided",
        at=at,
        actor=hm,
        job=application.job,
        candidate=application.candidate,
        application=application,
        summary=f"{hm} decided after the {interview.round_name} debrief: advance "
        f"{application.candidate.full_name}",
        detail=debrief.rationale,
        data={"debrief": debrief.pk, "decision": debrief.decision},
        team_only=True,
    )
