"""Opening, closing, snoozing and holding asks. Only these functions change an ask's state.

Callers open and close asks inside the transaction of the change that causes them:
submitting a candidate opens `review_submission`; the HM's decision closes it. Opening the
same kind for the same subject twice returns the open ask, so retries are harmless.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.activity.models import Activity
from closeloop.activity.services import activity_build, activity_record
from closeloop.followups.business_time import (
    add_business_days,
    add_working_time,
    calendar_for,
    end_of_working_day,
    working_time_between,
)
from closeloop.followups.closures import Closure, closures_forget, closures_read
from closeloop.followups.links import links_revoke_for_ask
from closeloop.followups.models import (
    NUDGE_NOW_GAP,
    NUDGE_NOW_STEP,
    Ask,
    AskStatus,
    Notice,
    Nudge,
    OfficeClosure,
    ServiceLevel,
)
from closeloop.followups.notices import notice_not_before, present_or_stand_in, stand_in
from closeloop.followups.policies import (
    LevelSetting,
    LevelSettings,
    StepKind,
    json_amount,
    service_level_can_edit,
    service_level_changes,
    service_level_in_force,
    service_level_settings,
)
from closeloop.followups.selectors import ask_hold_note, ask_hold_words
from closeloop.lib.seen import seen_check, seen_stamp
from closeloop.lib.timefmt import absolute

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from django.db.models import QuerySet

    from closeloop.followups.business_time import WorkCalendar
    from closeloop.followups.policies import LevelInForce
    from closeloop.jobs.models import Job
    from closeloop.pipeline.models import Application


def ask_route(
    *, owner: User, at: dt.datetime, personal: bool = False
) -> tuple[User, User | None, bool]:
    """Who really holds an ask opened for `owner` at `at`.

    A `personal` ask (`Policy.personal`) is the owner's whatever happens: nobody covers it.

    Returns (holder, original owner if delegated, escalate at once). An owner out of office
    hands it to their delegate (or the delegate's delegate, when the delegate is away too:
    `notices.stand_in`); with nobody there it is escalated straight away. A deactivated
    owner (someone who left while a job still names them) hands it to their delegate, else
    their manager: nobody waits on a person who can no longer sign in.
    """
    if personal:
        return owner, None, False
    if not owner.is_active:
        successors = (owner.delegate, owner.manager)
        # Someone there to answer first (a successor away hands it to their own stand-in),
        # else a successor away, who will find it on their return.
        present = (present_or_stand_in(successor, at) for successor in successors)
        for holder in (*present, *successors):
            if holder is not None and holder.is_active and holder.pk != owner.pk:
                return holder, owner, False
        return owner, None, True
    if not owner.is_out_of_office(at):
        return owner, None, False
    delegate = stand_in(owner, at)
    if delegate is not None:
        return delegate, owner, False
    return owner, None, True


def ask_due_at(
    *,
    kind: str,
    owner: User,
    opened_at: dt.datetime,
    job: Job | None = None,
    due_on: dt.date | None = None,
) -> dt.datetime:
    """When an ask of `kind` opened at `opened_at` for `owner` falls due.

    The one place due times come from: the service level in force (job agreement >
    organisation > default) counted in business time, or an agreed date's end of working
    day, in the calendar of whoever holds the ask (the owner, or their delegate while they
    are away). Always inside that person's working hours on one of their working days.
    """
    policy = service_level_in_force(kind=kind, job=job).policy
    holder, _original, _escalate = ask_route(owner=owner, at=opened_at, personal=policy.personal)
    return policy.due_at(calendar_for(holder), opened_at, due_on)


def _schedule(
    policy: Any,
    holder: User,
    opened_at: dt.datetime,
    escalate_now: bool,
    due_on: dt.date | None = None,
) -> tuple[dt.datetime, list[dict[str, Any]]]:
    calendar = calendar_for(holder)
    due_at = policy.due_at(calendar, opened_at, due_on)
    steps = [
        {"kind": step.kind, "level": step.level, "at": step.at(calendar, opened_at, due_at)}
        for step in policy.steps
    ]
    if escalate_now:
        steps.insert(0, {"kind": StepKind.ESCALATION, "level": 1, "at": opened_at})
    steps.sort(key=lambda step: step["at"])
    return due_at, [{**step, "at": step["at"].isoformat()} for step in steps]


def ask_escalate_now(*, ask: Ask, at: dt.datetime) -> None:
    """Put an escalation first among the rungs still to come, due `at`: the ask now rests on
    someone away with nobody covering (as one opened for them then escalates at once). The
    engine sends it on its next loop. Not for an ask escalated already, or on hold (its
    rungs wait with it)."""
    if ask.level >= 1 or ask.held_at is not None:
        return
    steps = list(ask.policy.get("steps", []))
    steps.insert(ask.steps_done, {"kind": StepKind.ESCALATION, "level": 1, "at": at.isoformat()})
    ask.policy = {**ask.policy, "steps": steps}
    ask.next_nudge_at = at
    ask.save(update_fields=["policy", "next_nudge_at"])


@dataclass(frozen=True)
class AskRequest:
    """One ask to open: `ask_open`'s arguments, for opening many at once with `asks_open`."""

    kind: str
    subject: str
    title: str
    owner: User
    job: Job | None = None
    application: Application | None = None
    requested_by: User | None = None
    opened_at: dt.datetime | None = None
    due_on: dt.date | None = None
    facts: Mapping[str, object] | None = None
    waiting_since: dt.datetime | None = None


def ask_open(
    *,
    kind: str,
    subject: str,
    title: str,
    owner: User,
    job: Job | None = None,
    application: Application | None = None,
    requested_by: User | None = None,
    opened_at: dt.datetime | None = None,
    due_on: dt.date | None = None,
    facts: Mapping[str, object] | None = None,
    waiting_since: dt.datetime | None = None,
) -> Ask | None:
    """Open an ask (or return the open one for this kind and subject).

    The due time is the one in force when the ask opens (job agreement > organisation >
    default) and is stored with the ask, so later setting changes apply to new asks only.
    A caller that agreed a date with the owner (a touch-base action item) passes `due_on`:
    it is due at the end of that working day (see `ask_due_at`), and the ladder is placed
    against it. `facts` are what reminders say about the subject, named in the kind's
    wording (an action item's text and meeting date, an intake's version number).
    `waiting_since`: when the wait the ask answers began, if before it opened (a decision
    put on hold is owed since the debrief): what messages say it has waited
    (`Ask.waiting_since`); its due time and the owner's response time still count from its
    opening. Returns None, and chases nobody, when an admin has turned the kind off. In one
    transaction (`asks_open`'s).
    """
    request = AskRequest(
        kind=kind,
        subject=subject,
        title=title,
        owner=owner,
        job=job,
        application=application,
        requested_by=requested_by,
        opened_at=opened_at,
        due_on=due_on,
        facts=facts,
        waiting_since=waiting_since,
    )
    return asks_open([request])[0]


@transaction.atomic
def asks_open(requests: Sequence[AskRequest]) -> list[Ask | None]:
    """Open many asks at once, each exactly as `ask_open` opens it (the same rows, in the
    same order): for a writer of many, such as the demo's history. Returns, per request, the
    ask opened, the open one it matched (in the database or earlier in `requests`), or None
    for a kind turned off. A few queries for the whole batch instead of a few per ask.
    """
    keys = {(request.kind, request.subject) for request in requests}
    known: dict[tuple[str, str], Ask | None] = {
        (ask.kind, ask.subject): ask
        for ask in Ask.objects.filter(
            status=AskStatus.OPEN,
            kind__in={kind for kind, _ in keys},
            subject__in={subject for _, subject in keys},
        )
        if (ask.kind, ask.subject) in keys
    }
    settings = service_level_settings({request.kind for request in requests})
    results: list[Ask | None] = []
    opened: list[tuple[Ask, AskRequest, str]] = []
    for request in requests:
        key = (request.kind, request.subject)
        ask = known.get(key)
        if ask is None:
            built = _ask_build(request, settings)
            if built is not None:
                ask, note = built
                known[key] = ask
                opened.append((ask, request, note))
        results.append(ask)
    _asks_insert([ask for ask, _, _ in opened])
    Activity.objects.bulk_create(
        activity_build(
            kind="closeloop.ask.opened",
            actor=request.requested_by,
            job=ask.job,
            application=request.application,
            summary=f"{ask.owner} owes: {ask.title}{note}",
            at=ask.opened_at,
            data={"ask": ask.pk, "kind": ask.kind, "due_at": ask.due_at.isoformat()},
            team_only=True,
        )
        for ask, request, note in opened
    )
    return results


def _ask_build(request: AskRequest, settings: Mapping[str, ServiceLevel]) -> tuple[Ask, str] | None:
    """The unsaved ask a request opens and the note its opening activity adds, or None when
    its kind is turned off."""
    kind, application = request.kind, request.application
    job = request.job or (application.job if application else None)
    level = service_level_in_force(kind=kind, job=job, settings=settings)
    if not level.enabled:
        return None
    opened_at = request.opened_at or timezone.now()
    policy = level.policy
    holder, original, escalate_now = ask_route(
        owner=request.owner, at=opened_at, personal=policy.personal
    )
    due_at, steps = _schedule(policy, holder, opened_at, escalate_now, request.due_on)
    ask = Ask(
        kind=kind,
        subject=request.subject,
        title=request.title[:300],
        owner=holder,
        original_owner=original,
        requested_by=request.requested_by,
        job=job,
        application=application,
        stage_id=None if application is None else application.stage_id,
        opened_at=opened_at,
        due_at=due_at,
        next_nudge_at=dt.datetime.fromisoformat(steps[0]["at"]) if steps else None,
        policy={
            "kind": kind,
            "due": policy.due.describe(),
            "source": level.source,
            "steps": steps,
            "facts": {key: str(value) for key, value in (request.facts or {}).items()},
            # Opened while the owner was away with no delegate (escalated at once).
            "owner_away": escalate_now,
            **(
                {"waiting_since": request.waiting_since.isoformat()}
                if request.waiting_since is not None and request.waiting_since < opened_at
                else {}
            ),
        },
    )
    note = f" (delegated from {original}, who is out of office)" if original else ""
    return ask, note


def _asks_insert(asks: list[Ask]) -> None:
    """Insert in order; each ask gets its primary key (its opening activity names it)."""
    if connection.features.can_return_rows_from_bulk_insert:
        Ask.objects.bulk_create(asks)
        return
    for ask in asks:  # a backend that cannot say which keys a bulk insert gave
        ask.save(force_insert=True)


@transaction.atomic
def ask_close(
    *, kind: str, subject: str, by: User | None, via: str = "app", at: dt.datetime | None = None
) -> Ask | None:
    """Close the open ask of this kind and subject: who answered, when, how long it took."""
    ask = (
        Ask.objects.select_for_update(of=("self",))
        .filter(kind=kind, subject=subject, status=AskStatus.OPEN)
        .select_related("owner", "original_owner")
        .first()
    )
    if ask is None:
        return None
    at = at or timezone.now()
    calendar = calendar_for(ask.original_owner or ask.owner)
    ask.status, ask.closed_at, ask.closed_by, ask.closed_via = AskStatus.DONE, at, by, via
    # Time on hold was spent waiting on someone else: it is not the owner's response time.
    waited = working_time_between(calendar, ask.opened_at, at).total_seconds()
    ask.held_seconds = _held_seconds(ask, at)
    ask.response_seconds = max(0, int(waited) - ask.held_seconds)
    ask.next_nudge_at, ask.held_at, ask.held_for = None, None, None
    ask.save()
    links_revoke_for_ask(ask=ask, now=at)
    activity_record(
        kind="closeloop.ask.closed",
        actor=by,
        job=ask.job,
        application=ask.application,
        at=at,
        summary=f"Answered: {ask.title}",
        team_only=True,
        data={"ask": ask.pk, "response_seconds": ask.response_seconds, "via": via},
    )
    return ask


@transaction.atomic
def ask_cancel(*, kind: str, subject: str, reason: str) -> int:
    """Stop chasing asks that no longer make sense (the candidate withdrew, the job closed)."""
    return asks_cancel_where(Ask.objects.filter(kind=kind, subject=subject), reason=reason)


@transaction.atomic
def ask_reinstate(*, ask: Ask) -> Ask | None:
    """Open again an ask cancelled by a step since undone (a rejection reopened): the same
    row as it stood, with its opening, due time, the rungs it reached and its level, so an
    ask that was overdue is overdue still and its ladder carries on rather than starting
    over. A rung that fell due while it was cancelled comes due at once. None, and nothing
    changed, when it is not cancelled or another ask of its kind and subject is open."""
    ask = Ask.objects.select_for_update(of=("self",)).get(pk=ask.pk)
    if ask.status != AskStatus.CANCELLED:
        return None
    if Ask.objects.filter(kind=ask.kind, subject=ask.subject, status=AskStatus.OPEN).exists():
        return None
    steps = ask.policy.get("steps", [])
    ask.status, ask.closed_at, ask.closed_by, ask.closed_via = AskStatus.OPEN, None, None, ""
    ask.next_nudge_at = (
        dt.datetime.fromisoformat(steps[ask.steps_done]["at"])
        if ask.steps_done < len(steps)
        else None
    )
    ask.save(update_fields=["status", "closed_at", "closed_by", "closed_via", "next_nudge_at"])
    return ask


def asks_lock(*, kind: str, subjects: Sequence[str]) -> None:
    """Lock the asks of these subjects (in id order) for the rest of the transaction. A
    feature whose answers lock their ask and then their own row (a pulse round, a survey)
    closes that row the same way round, asks first, so an answer racing the close waits
    instead of deadlocking."""
    asks = Ask.objects.select_for_update().filter(kind=kind, subject__in=subjects).order_by("pk")
    list(asks.values("pk"))


def asks_cancel_where(asks: QuerySet[Ask], *, reason: str) -> int:
    """Cancel the open asks among `asks`: no more rungs, no hold; `reason` says why."""
    return asks.filter(status=AskStatus.OPEN).update(
        status=AskStatus.CANCELLED,
        closed_at=timezone.now(),
        closed_via=reason[:40],
        next_nudge_at=None,
        held_at=None,
        held_for=None,
    )


@transaction.atomic
def ask_snooze(*, ask: Ask, by: User, days: float = 1, reason: str) -> Ask:
    """Hold the owner's reminders for a while. The due time does not move (the clock runs)."""
    ask = Ask.objects.select_for_update(of=("self",)).select_related("owner").get(pk=ask.pk)
    if by.pk != ask.owner_id:
        raise PermissionDenied("Only the person who owes this can snooze it.")
    if ask.status != AskStatus.OPEN:
        raise ValidationError("This is already answered; there is nothing to snooze.")
    if ask.is_held:
        note = ask_hold_note(ask, reader=by)
        raise ValidationError(f"This is {note}; no reminder goes out until then.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why, so the recruiter knows what to expect."})
    now = timezone.now()
    ask.snoozed_until = add_business_days(calendar_for(ask.owner), now, days)
    ask.snooze_reason = reason.strip()[:300]
    ask.save(update_fields=["snoozed_until", "snooze_reason"])
    until = absolute(ask.snoozed_until, ask.owner.zone)
    activity_record(
        kind="closeloop.ask.snoozed",
        actor=by,
        job=ask.job,
        application=ask.application,
        summary=f"{by} snoozed “{ask.title}” until {until}: {ask.snooze_reason}",
        data={"ask": ask.pk},
        team_only=True,
    )
    return ask


@transaction.atomic
def ask_nudge_now(*, ask: Ask, by: User, now: dt.datetime | None = None) -> Nudge:
    """Send the ask's owner an extra reminder through the engine, now: a nudge and its
    notice, composed and delivered like the ladder's (inside the owner's working hours,
    batched with whatever else they are owed). At most one a day per ask."""
    now = now or timezone.now()
    ask = Ask.objects.select_for_update(of=("self",)).select_related("owner").get(pk=ask.pk)
    if ask.status != AskStatus.OPEN:
        raise ValidationError("This is already answered; there is nothing to chase.")
    if ask.is_held:
        note = ask_hold_note(ask, reader=by)
        raise ValidationError(f"This is {note}; no reminder goes out until then.")
    by_hand = ask.nudges.filter(step__gte=NUDGE_NOW_STEP)
    last = by_hand.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None and now - last < NUDGE_NOW_GAP:
        when = absolute(last, by.zone)
        raise ValidationError(
            f"{ask.owner} was reminded by hand {when}; one extra reminder a day is enough."
        )
    nudge = Nudge.objects.create(
        ask=ask,
        step=NUDGE_NOW_STEP + by_hand.count(),
        kind=StepKind.REMINDER,
        level=0,
        scheduled_at=now,
        created_at=now,
    )
    Notice.objects.create(
        nudge=nudge,
        recipient=ask.owner,
        role="owner",
        created_at=now,
        not_before=notice_not_before(ask.owner, now),
    )
    activity_record(
        kind="closeloop.ask.nudged",
        actor=by,
        job=ask.job,
        application=ask.application,
        summary=f"{by} sent {ask.owner} a reminder: “{ask.title}”",
        data={"ask": ask.pk},
        team_only=True,
    )
    return nudge


def _open_locked(kind: str, subject: str) -> Ask | None:
    return (
        Ask.objects.select_for_update(of=("self",))
        .filter(kind=kind, subject=subject, status=AskStatus.OPEN)
        .select_related("owner", "original_owner", "job")
        .first()
    )


def _held_seconds(ask: Ask, at: dt.datetime) -> int:
    """Business seconds the ask has spent on hold up to `at`, in the owner's calendar."""
    seconds = ask.held_seconds
    if ask.held_at is not None and at > ask.held_at:
        held = working_time_between(calendar_for(ask.owner), ask.held_at, at)
        seconds += int(held.total_seconds())
    return seconds


@transaction.atomic
def ask_hold(
    *,
    kind: str,
    subject: str,
    waiting_for: User,
    by: User | None,
    at: dt.datetime | None = None,
) -> Ask | None:
    """Put the open ask of this kind and subject on hold: its owner waits on someone else.

    Unlike a snooze (reminders wait, the due time stays, escalations go on), a hold stops the
    SLA clock: no rung is reached while it lasts (`next_nudge_at` is emptied, so the worker's
    due-asks index never sees the ask) and `ask_resume` gives the owner the business time
    back. `waiting_for` is whose answer it waits for, kept as the person (`held_for`): every
    page words it for its reader (`selectors.ask_hold_note`: "waiting for Rita's answer",
    "your answer" to Rita). Holding a held ask keeps the first hold. Returns None when no
    such ask is open.
    """
    ask = _open_locked(kind, subject)
    if ask is None or ask.is_held:
        return ask
    at = at or timezone.now()
    ask.held_at, ask.held_for, ask.next_nudge_at = at, waiting_for, None
    ask.save(update_fields=["held_at", "held_for", "next_nudge_at"])
    # The log is everyone's record, in the third person (as its other entries).
    activity_record(
        kind="closeloop.ask.held",
        actor=by,
        job=ask.job,
        application=ask.application,
        at=at,
        summary=f"On hold: {ask.title} ({ask_hold_words(ask, reader=None)})",
        data={"ask": ask.pk},
        team_only=True,
    )
    return ask


@transaction.atomic
def ask_resume(
    *, kind: str, subject: str, by: User | None, at: dt.datetime | None = None
) -> Ask | None:
    """Take the open ask of this kind and subject off hold and restart its ladder.

    The due time and every rung not reached yet move later by the business time it was held,
    in the owner's calendar: the owner gets back the time they waited. Resuming an ask that
    is not held changes nothing. Returns None when no such ask is open.
    """
    ask = _open_locked(kind, subject)
    if ask is None or ask.held_at is None:  # not held
        return ask
    at = at or timezone.now()
    calendar = calendar_for(ask.owner)
    held = working_time_between(calendar, ask.held_at, at) if at > ask.held_at else dt.timedelta()
    steps = list((ask.policy or {}).get("steps", []))
    if held:
        ask.due_at = add_working_time(calendar, ask.due_at, held)
        for step in steps[ask.steps_done :]:
            moved = add_working_time(calendar, dt.datetime.fromisoformat(step["at"]), held)
            step["at"] = moved.isoformat()
        ask.policy = {**ask.policy, "steps": steps}
    remaining = steps[ask.steps_done :]
    ask.next_nudge_at = dt.datetime.fromisoformat(remaining[0]["at"]) if remaining else None
    ask.held_seconds += int(held.total_seconds())
    reason = ask_hold_words(ask, reader=None)
    ask.held_at, ask.held_for = None, None
    fields = ["due_at", "policy", "next_nudge_at", "held_seconds", "held_at", "held_for"]
    ask.save(update_fields=fields)
    activity_record(
        kind="closeloop.ask.resumed",
        actor=by,
        job=ask.job,
        application=ask.application,
        at=at,
        summary=f"Resumed: {ask.title} (was {reason}); due {absolute(ask.due_at, ask.owner.zone)}",
        data={"ask": ask.pk, "held_seconds": int(held.total_seconds())},
        team_only=True,
    )
    return ask


@dataclass(frozen=True)
class Retimed:
    """What `asks_retime_for_calendar` did: asks re-timed, and those left as they were
    because they were overdue already."""

    moved: int
    overdue: int


def _retimed(
    old: WorkCalendar, new: WorkCalendar, start: dt.datetime, moment: dt.datetime
) -> dt.datetime:
    """`moment` in the new calendar: as much working time after `start` as it had in the old."""
    return add_working_time(new, start, working_time_between(old, start, moment))


def _due_retimed(
    old: WorkCalendar, new: WorkCalendar, start: dt.datetime, due_at: dt.datetime
) -> dt.datetime:
    """A due time in the new calendar. One at the end of a working day in the old (an agreed
    date: an action item "by Friday", a debrief to decide again on a day) stays at the end of
    that day, in the new calendar's hours (or of its next working day); any other keeps the
    business time it had left."""
    day = due_at.astimezone(old.zone).date()
    window = old.window(day)
    if window is not None and window[1] == due_at:
        return end_of_working_day(new, day, after=start)
    return _retimed(old, new, start, due_at)


@transaction.atomic
def asks_retime_for_calendar(
    *, user: User, before: WorkCalendar, now: dt.datetime | None = None
) -> Retimed:
    """`user`'s working calendar was `before` and is now their profile's: every open ask they
    owe that is not due yet keeps the business time it had left, counted in the new calendar,
    so it is still due inside their (new) working hours; one due at the end of a working day
    (an agreed date) stays due at the end of that day (`_due_retimed`). Its rungs not reached
    yet move the
    same way (the reminder halfway, the escalations after due), as `ask_resume` moves them,
    and `next_nudge_at` is the first of them. An ask on hold counts from when it was held
    (its clock stopped then; resuming adds the time held in the new calendar). Overdue asks
    stay as they were: a new calendar gives nobody fresh time. The snooze, if any, stays."""
    now = now or timezone.now()
    new = calendar_for(user)
    if new == before:
        return Retimed(0, 0)
    asks = Ask.objects.select_for_update(of=("self",)).filter(owner=user, status=AskStatus.OPEN)
    moved: list[Ask] = []
    overdue = 0
    for ask in asks.order_by("due_at", "pk"):
        start = ask.held_at if ask.held_at is not None else now
        if ask.due_at <= start:
            overdue += 1
            continue
        was_due, ask.due_at = ask.due_at, _due_retimed(before, new, start, ask.due_at)
        steps = list((ask.policy or {}).get("steps", []))
        for index in range(ask.steps_done, len(steps)):
            step_at = dt.datetime.fromisoformat(steps[index]["at"])
            if step_at > start:  # a rung whose time passed is reached on the next loop
                # The rung at the due time stays with it; the others keep their working time.
                moment = ask.due_at if step_at == was_due else _retimed(before, new, start, step_at)
                steps[index] = {**steps[index], "at": moment.isoformat()}
        if steps:
            ask.policy = {**ask.policy, "steps": steps}
        if ask.held_at is None:  # held: no rung until it resumes
            remaining = steps[ask.steps_done :]
            ask.next_nudge_at = dt.datetime.fromisoformat(remaining[0]["at"]) if remaining else None
        moved.append(ask)
    Ask.objects.bulk_update(moved, ["due_at", "policy", "next_nudge_at"])
    return Retimed(len(moved), overdue)


def _level_values(levels: Iterable[LevelInForce]) -> dict[str, object]:
    """Each kind's due time and switch as the settings page shows them (its fields' names)."""
    values: dict[str, object] = {}
    for level in levels:
        values[f"{level.kind}-amount"] = f"{level.policy.due.amount:g}"
        values[f"{level.kind}-enabled"] = level.enabled
    return values


def service_levels_seen(levels: Iterable[LevelInForce]) -> str:
    """The fingerprint of what the settings page shows (`service_levels_update` checks it)."""
    return seen_stamp(_level_values(levels))


# Key of the PostgreSQL advisory lock that makes saves of the service levels take turns.
SERVICE_LEVELS_LOCK = 0x736C6173  # "slas"


def _service_levels_lock() -> None:
    """Hold the organisation's service levels until the transaction ends.

    Locking their rows is not enough: a kind never set has no row, so two first saves of it
    both read the default, and the second overwrote the first (its page out of date, its
    audit line saying "was" the default). SQLite runs one writing transaction at a time
    (IMMEDIATE), so there is nothing to take there.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SERVICE_LEVELS_LOCK])


@transaction.atomic
def service_levels_update(
    *, by: User, levels: LevelSettings | Mapping[str, LevelSetting], seen: str | None = None
) -> list[str]:
    """Set the organisation's due times and on/off per ask kind; returns the kinds changed.

    `levels` come parsed from the settings form, or as given by any other caller, parsed
    here: all or nothing, one invalid setting raises ValidationError (keyed by kind) and
    nothing is stored. Each change is an activity, so the audit trail says who moved which
    promise. Asks already open keep the schedule they were opened with.

    `seen`: the settings page's fingerprint (`service_levels_seen`). When a kind this save
    changes was set differently since that page was rendered, nothing is saved
    (`SavedSince`): the page would undo that change. None checks nothing (a script's call).
    """
    if not service_level_can_edit(user=by):
        raise PermissionDenied("Only admins set the organisation's service levels.")
    settings = LevelSettings.parse(levels)
    # A second admin's save waits for this one, then compares against it.
    _service_levels_lock()
    changes = service_level_changes(settings)
    befores = {before.kind: before for before, _, _ in changes}
    labels = {}
    for before in befores.values():
        labels[f"{before.kind}-amount"] = f"“{before.policy.label}”, due in"
        labels[f"{before.kind}-enabled"] = f"“{before.policy.label}”, chased"

    def shown(name: str) -> object:
        kind, _, part = name.rpartition("-")
        level = befores[kind]
        if part == "amount":
            return level.policy.due.describe()
        return "on" if level.enabled else "off"

    seen_check(
        seen=seen,
        values=_level_values(befores.values()),
        what="the service levels",
        labels=labels,
        shown=shown,
    )
    now = timezone.now()
    changed = []
    for before, amount, enabled in changes:
        ServiceLevel.objects.update_or_create(
            kind=before.kind,
            defaults={"amount": amount, "enabled": enabled, "updated_by": by, "updated_at": now},
        )
        _record_level_change(by=by, before=before, amount=amount, enabled=enabled, at=now)
        changed.append(before.kind)
    return changed


def _record_level_change(
    *, by: User, before: LevelInForce, amount: float, enabled: bool, at: dt.datetime
) -> None:
    after = before.policy.with_due(amount).due.describe()
    if not enabled:
        what = "turned off" if before.enabled else f"due in {after} when turned on (still off)"
    elif not before.enabled:
        what = f"turned on, due in {after}"
    else:
        what = f"due in {after} (was {before.policy.due.describe()})"
    activity_record(
        kind="closeloop.settings.service_level_changed",
        actor=by,
        at=at,
        summary=f"{by} set “{before.policy.label}”: {what}",
        data={
            "kind": before.kind,
            "before": {"amount": before.policy.due.amount, "enabled": before.enabled},
            "after": {"amount": json_amount(amount), "enabled": enabled},
        },
        team_only=True,
    )


def asks_rename(*, asks: QuerySet[Ask], old: str, new: str, last: bool = False) -> int:
    """Something the open asks among `asks` are about was renamed (a job on its page or by a
    signed agreement, a candidate on theirs or merged into another record): they name `new`
    where their titles and their opener's facts, written when each opened, named `old`, so
    nobody goes by two names in queues, agendas and reminders. A title names its candidate
    first and its job last (a round, an item or an asker may come between), so only one
    occurrence changes: the first, or with `last` the last. Closed asks keep the name they
    were answered under. One UPDATE; returns how many changed."""
    if not old or old == new:
        return 0
    limit = Ask._meta.get_field("title").max_length
    changed = []
    for ask in asks.filter(status=AskStatus.OPEN).only("pk", "title", "policy"):
        facts = (ask.policy or {}).get("facts", {})
        renamed = {key: new for key, value in facts.items() if value == old}
        if old not in ask.title and not renamed:
            continue
        ask.title = _name_replaced(ask.title, old, new, last=last)[:limit]
        if renamed:
            ask.policy = {**ask.policy, "facts": {**facts, **renamed}}
        changed.append(ask)
    Ask.objects.bulk_update(changed, ["title", "policy"])
    return len(changed)


def _name_replaced(text: str, old: str, new: str, *, last: bool) -> str:
    head, found, tail = text.rpartition(old) if last else text.partition(old)
    return f"{head}{new}{tail}" if found else text


# --- Office closures ----------------------------------------------------------------------

# The longest closure an admin may declare, in days (a mistyped year would close a year).
CLOSURE_MAX_DAYS = 31
# Key of the PostgreSQL advisory lock that makes changes to the closures take turns, so two
# admins cannot add overlapping closures at once.
CLOSURES_LOCK = 0x636C6F73  # "clos"


@dataclass(frozen=True)
class ClosureChanged:
    """What adding or deleting a closure did: the closure, and how many open asks not yet
    due were re-timed around it."""

    closure: OfficeClosure
    retimed: int


def closure_days_words(first_day: dt.date, last_day: dt.date) -> str:
    """ "Thu 24 Dec – Fri 1 Jan 2027", "Fri 11 Dec 2026"."""
    last = f"{last_day:%a} {last_day.day} {last_day:%b %Y}"
    if first_day == last_day:
        return last
    year = "" if first_day.year == last_day.year else f" {first_day.year}"
    return f"{first_day:%a} {first_day.day} {first_day:%b}{year} – {last}"


def _closures_lock() -> None:
    if connection.vendor != "postgresql":
        return  # SQLite runs one writing transaction at a time
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLOSURES_LOCK])


def _closure_problems(name: str, first_day: dt.date, last_day: dt.date) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = "Name the closure (e.g. Christmas shutdown)."
    elif len(name) > 120:
        problems["name"] = f"Keep the name to 120 characters (it has {len(name)})."
    if last_day < first_day:
        problems["last_day"] = "The last day is before the first day."
    elif (last_day - first_day).days + 1 > CLOSURE_MAX_DAYS:
        days = (last_day - first_day).days + 1
        problems["last_day"] = (
            f"A closure lasts at most {CLOSURE_MAX_DAYS} days; this one would last {days}."
        )
    else:
        clash = OfficeClosure.objects.filter(first_day__lte=last_day, last_day__gte=first_day)
        other = clash.order_by("first_day").first()
        if other is not None:
            problems["first_day"] = (
                f"These days overlap “{other.name}” "
                f"({closure_days_words(other.first_day, other.last_day)}): change or delete "
                "that closure first."
            )
    return problems


def _closures_retime(
    *, before: frozenset[dt.date], days: Iterable[dt.date], now: dt.datetime
) -> int:
    """The closures were `before` and are now as stored: every open ask not yet due keeps
    the business time it had left (`asks_retime_for_calendar`, per owner). Closed `days`
    all past (in every time zone) change no time still to come: nothing to do."""
    closures_forget()
    if max(days) < now.date() - dt.timedelta(days=1):
        return 0
    waiting = Ask.objects.filter(status=AskStatus.OPEN).filter(
        Q(due_at__gt=now) | Q(held_at__isnull=False)
    )
    moved = 0
    for owner in User.objects.filter(pk__in=waiting.values("owner")).order_by("pk"):
        was = replace(calendar_for(owner), closed_days=before)
        moved += asks_retime_for_calendar(user=owner, before=was, now=now).moved
    return moved


def _closed_days(closures: Iterable[Closure]) -> frozenset[dt.date]:
    return frozenset(day for closure in closures for day in closure.days)


@transaction.atomic
def office_closure_add(
    *, by: User, name: str, first_day: dt.date, last_day: dt.date, now: dt.datetime | None = None
) -> ClosureChanged:
    """Close the whole organisation from `first_day` to `last_day` (both included, each
    person's own dates): business time skips those days for everyone. Refused with a
    ValidationError, nothing saved, when the last day is before the first, the closure lasts
    more than `CLOSURE_MAX_DAYS`, or it overlaps another. Open asks not yet due are re-timed
    so each keeps the business time it had left; overdue ones stay as they are."""
    if not service_level_can_edit(user=by):
        raise PermissionDenied("Only admins declare office closures.")
    now = now or timezone.now()
    name = " ".join((name or "").split())
    _closures_lock()
    problems = _closure_problems(name, first_day, last_day)
    if problems:
        raise ValidationError(problems)
    before = _closed_days(closures_read())
    closure = OfficeClosure.objects.create(
        name=name, first_day=first_day, last_day=last_day, created_by=by, created_at=now
    )
    transaction.on_commit(closures_forget)
    try:
        retimed = _closures_retime(before=before, days=[first_day, last_day], now=now)
    except BaseException:
        closures_forget()  # the closure read while re-timing is rolled back with it
        raise
    activity_record(
        kind="closeloop.settings.office_closure_added",
        actor=by,
        at=now,
        summary=f"{by} closed the office: {name}, {closure_days_words(first_day, last_day)}",
        data={"closure": closure.pk, "first_day": str(first_day), "last_day": str(last_day)},
        team_only=True,
    )
    return ClosureChanged(closure, retimed)


@transaction.atomic
def office_closure_delete(
    *, by: User, closure: OfficeClosure, now: dt.datetime | None = None
) -> ClosureChanged:
    """Open the office again on a closure's days; open asks not yet due are re-timed so each
    keeps the business time it had left (sooner, now those days count again)."""
    if not service_level_can_edit(user=by):
        raise PermissionDenied("Only admins declare office closures.")
    now = now or timezone.now()
    _closures_lock()
    before = _closed_days(closures_read())
    pk = closure.pk
    deleted, _ = OfficeClosure.objects.filter(pk=pk).delete()
    if not deleted:
        return ClosureChanged(closure, 0)  # deleted already (a second tab)
    transaction.on_commit(closures_forget)
    try:
        retimed = _closures_retime(
            before=before, days=[closure.first_day, closure.last_day], now=now
        )
    except BaseException:
        closures_forget()
        raise
    words = closure_days_words(closure.first_day, closure.last_day)
    activity_record(
        kind="closeloop.settings.office_closure_deleted",
        actor=by,
        at=now,
        summary=f"{by} deleted the office closure {closure.name}, {words}",
        data={
            "closure": pk,
            "first_day": str(closure.first_day),
            "last_day": str(closure.last_day),
        },
        team_only=True,
    )
    closure.pk = pk
    return ClosureChanged(closure, retimed)
