"""Mentorship writes: propose, accept or decline, end; goals; sessions with notes and action
items; the "working with me" card. Every change that someone else must know of sends its
message here, in the transaction of the change.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from closeloop.accounts.selectors import person_for, possessive_for
from closeloop.activity.services import activity_record
from closeloop.calendars.ics import calendar_text
from closeloop.calendars.sources import CalendarEvent, people_names
from closeloop.followups.business_time import WorkCalendar, calendar_for, is_working_moment
from closeloop.followups.services import ask_cancel, ask_close, ask_open
from closeloop.followups.subjects import subject_key
from closeloop.lib.text import validate_multiline_text, validate_single_line_text
from closeloop.lib.timefmt import zone_or_utc
from closeloop.notify.services import Attachment, message_queue
from closeloop.partnership.mentorship.busy import busy_between
from closeloop.partnership.mentorship.models import (
    NOTES_MAX,
    OPEN_STATUSES,
    TEXT_MAX,
    ActionStatus,
    GoalFigure,
    MentoringAction,
    MentoringGoal,
    MentoringSession,
    Mentorship,
    MentorshipStatus,
    WorkingCard,
)
from closeloop.partnership.mentorship.policies import ACCEPT_MENTORSHIP, MENTORING_ACTION
from closeloop.partnership.mentorship.selectors import (
    mentorship_answers,
    mentorship_answers_as_mentor,
    mentorship_decline_told,
)

if TYPE_CHECKING:
    from closeloop.accounts.models import User

CADENCE_DAYS = (7, 14, 21, 28)
SESSION_HORIZON_DAYS = 366
FIRST_SESSION_HOUR = 10
PROPOSED_TEMPLATE = "mentorship-proposed"
INVITE_TEMPLATE = "mentoring-session-invite"
ENDED_TEMPLATE = "mentorship-ended"
DECLINED_TEMPLATE = "mentorship-declined"


# --- subjects and small checks ---------------------------------------------------------------


def mentorship_subject(mentorship: Mentorship) -> str:
    return subject_key("mentorship", mentorship.pk)


def action_subject(item: MentoringAction) -> str:
    return subject_key("mentoring-action", item.pk)


def _one_line(value: str, *, field: str, required: str) -> str:
    """A short plain-text value, spaces folded; refused when empty, too long or with control
    characters (a field-keyed ValidationError, so a form shows it beside the box)."""
    text = " ".join((value or "").split())
    if not text:
        raise ValidationError({field: required})
    if len(text) > TEXT_MAX:
        raise ValidationError({field: f"Keep it under {TEXT_MAX} characters."})
    try:
        validate_single_line_text(text)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return text


def _is_party(user: User, mentorship: Mentorship) -> bool:
    return user.pk in (mentorship.mentor_id, mentorship.mentee_id)


def _require_party(user: User, mentorship: Mentorship) -> None:
    if not _is_party(user, mentorship):
        raise PermissionDenied("Only the mentor and the mentee can change this mentorship.")


def _require_active(mentorship: Mentorship) -> None:
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise ValidationError("This mentorship is not active.")


def _locked(mentorship: Mentorship) -> Mentorship:
    return (
        Mentorship.objects.select_for_update()
        .select_related("mentor", "mentee")
        .get(pk=mentorship.pk)
    )


def _url(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(f"partnership:{name}", args=[pk])


# --- the pairing -----------------------------------------------------------------------------


@transaction.atomic
def mentorship_propose(
    *, mentor: User, mentee: User, by: User, note: str = "", cadence_days: int = 14
) -> Mentorship:
    """Propose a pairing (an admin, or the mentor themself): the mentee gets an
    `accept_mentorship` ask and an email saying who proposed it and why; a mentor someone
    else proposed gets an email saying so and that they may decline."""
    if not (by.is_active and (by.is_admin or by.pk == mentor.pk)):
        raise PermissionDenied("Only an admin or the mentor can propose a mentorship.")
    errors: dict[str, str] = {}
    if mentor.pk == mentee.pk:
        errors["mentee"] = "A mentor and a mentee are two different people."
    elif not (mentor.is_active and mentee.is_active):
        errors["mentee"] = "Both people must have an active account."
    if cadence_days not in CADENCE_DAYS:
        errors["cadence_days"] = "Choose every 1, 2, 3 or 4 weeks."
    if errors:
        raise ValidationError(errors)
    note = " ".join((note or "").split())
    if note:
        note = _one_line(note, field="note", required="")
    _refuse_reverse_pair(mentor=mentor, mentee=mentee, by=by)
    now = timezone.now()
    try:
        with transaction.atomic():
            mentorship = Mentorship.objects.create(
                mentor=mentor,
                mentee=mentee,
                proposed_by=by,
                note=note,
                cadence_days=cadence_days,
                proposed_at=now,
            )
    except IntegrityError as error:
        raise ValidationError(
            {"mentee": f"{mentor} and {mentee} already have a proposed or active mentorship."}
        ) from error
    ask_open(
        kind=ACCEPT_MENTORSHIP,
        subject=mentorship_subject(mentorship),
        # What he owes, in his queue: an answer, to whoever asked it.
        title=f"Answer {by.short_name}'s proposal: {mentor} as your mentor"
        if by.pk != mentor.pk
        else f"Answer {mentor.short_name}'s offer to mentor you",
        owner=mentee,
        requested_by=by,
        opened_at=now,
        facts={"mentor": mentor.full_name},
    )
    activity_record(
        kind="closeloop.mentorship.proposed",
        actor=by,
        at=now,
        summary=f"{by} proposed {mentor} as {mentee}'s mentor",
        data={"mentorship": mentorship.pk},
        team_only=True,
    )
    # The mentee answers it; a mentor someone else proposed hears of it at once too, since
    # theirs is a decline to give (`mentorship_answers_as_mentor`), not a wait for the end.
    told = [(mentee, False)] + ([(mentor, True)] if by.pk != mentor.pk else [])
    for person, as_mentor in told:
        message_queue(
            recipient=person,
            template=PROPOSED_TEMPLATE,
            channel=person.notify_channel,
            context={
                "recipient": person,
                "mentorship": mentorship,
                "by": by,
                "as_mentor": as_mentor,
                "url": _url("mentorship-detail", mentorship.pk),
            },
            data={"mentorship": mentorship.pk},
        )
    return mentorship


def _refuse_reverse_pair(*, mentor: User, mentee: User, by: User) -> None:
    """A pair mentors one way at a time: proposing Hank as Sofia's mentor while Sofia
    mentors Hank (or is proposed as his mentor) is refused, in words for whoever proposes.
    Both people's rows are locked first (in id order), so two reverse proposals made at
    once queue behind each other and the second sees the first."""
    people = get_user_model()._default_manager.select_for_update()
    list(people.filter(pk__in=[mentor.pk, mentee.pk]).order_by("pk").values("pk"))
    reverse_pair = Mentorship.objects.filter(
        mentor=mentee, mentee=mentor, status__in=OPEN_STATUSES
    ).first()
    if reverse_pair is None:
        return
    other = capfirst(person_for(mentee, reader=by))
    if reverse_pair.is_active:
        already = f"{other} already {'mentor' if other == 'You' else 'mentors'}"
        pair = f"{already} {person_for(mentor, reader=by)}"
    else:
        pair = (
            f"{other} {'are' if other == 'You' else 'is'} already proposed as "
            f"{possessive_for(mentor, reader=by)} mentor"
        )
    raise ValidationError(
        {"mentee": f"{pair}: a pair mentors one way at a time, so this is not proposed."}
    )


def _answer(mentorship: Mentorship, by: User, status: str, via: str) -> Mentorship:
    mentorship = _locked(mentorship)
    if by.pk != mentorship.mentee_id:
        raise PermissionDenied("Only the proposed mentee can answer this proposal.")
    if mentorship.status != MentorshipStatus.PROPOSED:
        raise ValidationError("This proposal has already been answered.")
    now = timezone.now()
    mentorship.status, mentorship.answered_at = status, now
    mentorship.declined_by = by if status == MentorshipStatus.DECLINED else None
    mentorship.save(update_fields=["status", "answered_at", "declined_by"])
    ask_close(
        kind=ACCEPT_MENTORSHIP, subject=mentorship_subject(mentorship), by=by, via=via, at=now
    )
    activity_record(
        kind=f"closeloop.mentorship.{status}",
        actor=by,
        at=now,
        summary=f"{by} {'accepted' if status == MentorshipStatus.ACTIVE else 'declined'} "
        f"{mentorship.mentor} as mentor",
        data={"mentorship": mentorship.pk},
        team_only=True,
    )
    return mentorship


def _first_start(mentorship: Mentorship, now: dt.datetime) -> dt.datetime:
    """A week after acceptance, on the hour, in both people's working hours and clear of
    what already takes either of them (`busy.busy_between`: their other mentoring sessions,
    interviews, debriefs, touch-bases, time out of office): 10:00 in the mentor's day when
    that suits the mentee too, else the nearest hour that does (a London mentor meets a New
    York mentee at 14:00 London, 09:00 theirs); a starting point both can move. With no
    hour in common that week, the free hour nearest 10:00 in the mentor's working days; with
    none either, 10:00 on the mentor's next working day."""
    mentor = calendar_for(mentorship.mentor)
    first = now.astimezone(mentor.zone).date() + dt.timedelta(days=7)
    found = _free_start(mentorship, first, dt.time(FIRST_SESSION_HOUR), days=7)
    if found is not None:
        return found
    day = first
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(FIRST_SESSION_HOUR), tzinfo=mentor.zone)


def _free_start(
    mentorship: Mentorship,
    first: dt.date,
    at: dt.time,
    *,
    days: int,
    besides: MentoringSession | None = None,
) -> dt.datetime | None:
    """The first start from the mentor's local day `first` on, over `days` days, at `at`'s
    minute past the hours nearest `at`: in both people's working hours and clear of both
    people's busy time; failing that, in the mentor's working hours and clear of both (the
    mentee may have no hour in common with them). None when nothing is free."""
    people = (mentorship.mentor, mentorship.mentee)
    mentor, mentee = calendar_for(mentorship.mentor), calendar_for(mentorship.mentee)
    length = dt.timedelta(minutes=mentorship.session_minutes)
    hours = sorted(range(7, 19), key=lambda hour: (abs(hour - at.hour), hour))
    window_start = dt.datetime.combine(first, dt.time(0), tzinfo=mentor.zone)
    window_end = window_start + dt.timedelta(days=days + 1)
    taken = busy_between(people, window_start, window_end, besides=besides)
    for calendars in ((mentor, mentee), (mentor,)):
        for day in (first + dt.timedelta(days=n) for n in range(days)):
            for hour in hours:
                start = dt.datetime.combine(day, dt.time(hour, at.minute), tzinfo=mentor.zone)
                if all(_works_through(c, start, length) for c in calendars) and not any(
                    span.overlaps(start, start + length) for span in taken
                ):
                    return start
    return None


def _works_through(calendar: WorkCalendar, start: dt.datetime, length: dt.timedelta) -> bool:
    """Whether the person works from `start` to its end (the same working window)."""
    last = start + length - dt.timedelta(minutes=1)
    return is_working_moment(calendar, start) and is_working_moment(calendar, last)


def _next_start(mentorship: Mentorship, held: MentoringSession, now: dt.datetime) -> dt.datetime:
    """The session after `held`: a cadence later, at the same time, unless either person is
    busy then (or that day is off for someone who works at that hour the rest of the time);
    then the nearest free hour that suits both on that day or the days after, within the
    cadence. Nothing free: the cadence's own time, which either of them can move."""
    start = held.starts_at + dt.timedelta(days=mentorship.cadence_days)
    while start <= now:
        start += dt.timedelta(days=mentorship.cadence_days)
    length = dt.timedelta(minutes=mentorship.session_minutes)
    people = (mentorship.mentor, mentorship.mentee)
    calendars = [calendar_for(person) for person in people]
    # A time the two keep outside someone's hours (a Tokyo mentor and a New York mentee) is
    # theirs to keep: only a day off breaks it, not the hour.
    agreed = all(_works_through(c, held.starts_at, length) for c in calendars)
    suits = not agreed or all(_works_through(c, start, length) for c in calendars)
    if suits and not busy_between(people, start, start + length):
        return start
    local = start.astimezone(calendars[0].zone)
    days = max(1, mentorship.cadence_days - 1)
    found = _free_start(mentorship, local.date(), local.time(), days=days)
    return found or start


@transaction.atomic
def mentorship_accept(*, mentorship: Mentorship, by: User, via: str = "app") -> Mentorship:
    """The mentee accepts: the pairing is active and its first session is planned (both get
    the invitation)."""
    mentorship = _answer(mentorship, by, MentorshipStatus.ACTIVE, via)
    _session_create(mentorship, _first_start(mentorship, mentorship.answered_at or timezone.now()))
    return mentorship


@transaction.atomic
def mentorship_decline(*, mentorship: Mentorship, by: User, via: str = "app") -> Mentorship:
    """The mentee declines, or the mentor of a proposal someone else made (an admin's) does:
    nothing more happens. The other person and whoever proposed it are told by email
    (`_tell_declined`)."""
    mentorship = _locked(mentorship)
    if mentorship_answers_as_mentor(viewer=by, mentorship=mentorship):
        _mentor_declines(mentorship, by)
    else:
        mentorship = _answer(mentorship, by, MentorshipStatus.DECLINED, via)
    _tell_declined(mentorship, by)
    return mentorship


def _mentor_declines(mentorship: Mentorship, by: User) -> None:
    """The mentor says no to a proposal made for them: it ends as declined, and the mentee,
    who never answered, is no longer asked to (their ask is cancelled, not answered)."""
    now = timezone.now()
    mentorship.status, mentorship.answered_at = MentorshipStatus.DECLINED, now
    mentorship.declined_by = by
    mentorship.save(update_fields=["status", "answered_at", "declined_by"])
    ask_cancel(
        kind=ACCEPT_MENTORSHIP, subject=mentorship_subject(mentorship), reason="mentor declined"
    )
    activity_record(
        kind=f"closeloop.mentorship.{MentorshipStatus.DECLINED}",
        actor=by,
        at=now,
        summary=f"{by} declined to mentor {mentorship.mentee}",
        data={"mentorship": mentorship.pk},
        team_only=True,
    )


def _tell_declined(mentorship: Mentorship, by: User) -> None:
    """Those `mentorship_decline_told` names hear that `by` declined, each in words from
    their own side."""
    other = mentorship.mentee if by.pk == mentorship.mentor_id else mentorship.mentor
    for person in mentorship_decline_told(mentorship=mentorship, by=by):
        if person.pk != other.pk:
            headline = f"{by} declined your proposal of a mentorship with {other}"
        elif mentorship.proposed_by_id == person.pk:
            headline = f"{by} declined your mentorship proposal"
        else:
            headline = f"{by} declined the proposal of a mentorship with you"
        message_queue(
            recipient=person,
            template=DECLINED_TEMPLATE,
            channel=person.notify_channel,
            context={
                "recipient": person,
                "headline": headline,
                "url": _url("mentorship-detail", mentorship.pk),
            },
            data={"mentorship": mentorship.pk, "declined": True},
        )


@transaction.atomic
def mentorship_end(*, mentorship: Mentorship, by: User, because: str = "") -> Mentorship:
    """Either person (or an admin) ends the pairing; a proposal still open is withdrawn (by
    its mentor or mentee only when they made it: otherwise theirs is a decline).
    Sessions still ahead are called off and open action items stop being chased. The people
    are told by email who ended it (`because`, when given, says why: someone left), with
    each session called off at its time in their zone and its CANCEL for their calendar."""
    mentorship = _locked(mentorship)
    if not (_is_party(by, mentorship) or by.is_admin):
        raise PermissionDenied("Only the mentor, the mentee or an admin can end a mentorship.")
    if mentorship.status not in (MentorshipStatus.PROPOSED, MentorshipStatus.ACTIVE):
        raise ValidationError("This mentorship has already ended.")
    proposed = mentorship.status == MentorshipStatus.PROPOSED
    if proposed and not because and mentorship_answers(viewer=by, mentorship=mentorship):
        # The mentee or the mentor did not make this proposal, so they cannot withdraw it:
        # their "no" is a decline, told as one (the page offers them Decline, not Withdraw).
        return mentorship_decline(mentorship=mentorship, by=by)
    now = timezone.now()
    mentorship.status, mentorship.ended_at, mentorship.ended_by = MentorshipStatus.ENDED, now, by
    mentorship.save(update_fields=["status", "ended_at", "ended_by"])
    ask_cancel(kind=ACCEPT_MENTORSHIP, subject=mentorship_subject(mentorship), reason="ended")
    ahead = list(
        mentorship.sessions.filter(starts_at__gt=now, cancelled_at__isnull=True, held_at=None)
    )
    for session in ahead:
        session.cancelled_at, session.sequence = now, session.sequence + 1
        session.save(update_fields=["cancelled_at", "sequence"])
    dropped: dict[int, int] = {}
    for item in MentoringAction.objects.filter(
        session__mentorship=mentorship, status=ActionStatus.OPEN
    ):
        item.status = ActionStatus.DROPPED
        item.save(update_fields=["status"])
        ask_cancel(kind=MENTORING_ACTION, subject=action_subject(item), reason="mentorship ended")
        dropped[item.owner_id] = dropped.get(item.owner_id, 0) + 1
    _tell_ended(mentorship, by, because, proposed=proposed, called_off=ahead, dropped=dropped)
    activity_record(
        kind="closeloop.mentorship.ended",
        actor=by,
        at=now,
        summary=f"{by} ended the mentorship of {mentorship.mentor} and {mentorship.mentee}",
        data={"mentorship": mentorship.pk},
        team_only=True,
    )
    return mentorship


# --- goals -----------------------------------------------------------------------------------


@transaction.atomic
def goal_add(*, mentorship: Mentorship, by: User, text: str, figure: str = "") -> MentoringGoal:
    """A goal either person writes; `figure` ties it to a measured figure shown beside it."""
    _require_party(by, mentorship)
    _require_active(mentorship)
    text = _one_line(text, field="text", required="Write the goal.")
    if figure not in GoalFigure.values:
        raise ValidationError({"figure": "Choose a figure from the list."})
    return MentoringGoal.objects.create(
        mentorship=mentorship, text=text, figure=figure, created_by=by, created_at=timezone.now()
    )


@transaction.atomic
def goal_reached(*, goal: MentoringGoal, by: User) -> MentoringGoal:
    _require_party(by, goal.mentorship)
    _require_active(goal.mentorship)  # an ended pairing is a record: read, not changed
    if goal.reached_at is not None:
        raise ValidationError("This goal is already marked reached.")
    goal.reached_at = timezone.now()
    goal.save(update_fields=["reached_at"])
    return goal


# --- sessions --------------------------------------------------------------------------------


def session_event(session: MentoringSession, mentorship: Mentorship) -> CalendarEvent:
    """The session as a calendar event, the same in the feed and in the emailed .ics."""
    url = _url("mentorship-session", session.pk)
    return CalendarEvent(
        uid=session.uid,
        sequence=session.sequence,
        summary=f"Mentoring: {mentorship.mentor.short_name} and {mentorship.mentee.short_name}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        time_zone=mentorship.mentor.time_zone or "UTC",
        description=f"Mentoring session. The agenda (goals, prompts, open items): {url}",
        url=url,
        cancelled=session.cancelled_at is not None,
        organizer_email=mentorship.mentor.email,
        attendee_emails=(mentorship.mentor.email, mentorship.mentee.email),
        names=people_names(mentorship.mentor, mentorship.mentee),
    )


def _invite(
    session: MentoringSession, mentorship: Mentorship, *, was_at: dt.datetime | None = None
) -> None:
    """Both people get the session by email with the .ics attached (a call-off goes with
    the email saying the mentorship ended, `_tell_ended`). `was_at`: the time a moved
    session had, which their calendars still show until this arrives."""
    now = timezone.now()
    # Held for working hours like any message, unless the session (or the time it moved
    # from, whichever comes first) begins before them.
    needed_by = min((at for at in (session.starts_at, was_at) if at and at > now), default=None)
    ics = calendar_text([session_event(session, mentorship)], method="REQUEST")
    attachment = Attachment("mentoring.ics", ics, "text/calendar; method=REQUEST")
    for person, other in (
        (mentorship.mentor, mentorship.mentee),
        (mentorship.mentee, mentorship.mentor),
    ):
        if not person.is_active:  # someone who left gets no more invitations
            continue
        message_queue(
            recipient=person,
            template=INVITE_TEMPLATE,
            context={
                "recipient": person,
                "other": other,
                "session": session,
                "starts_words": _starts_words(session, person),
                "starts_short": f"{session.starts_at.astimezone(person.zone):%a %d %b %H:%M}",
                "url": _url("mentorship-session", session.pk),
            },
            attachments=[attachment],
            data={"mentoring_session": session.pk, "sequence": session.sequence},
            needed_by=needed_by,
        )


def _starts_words(session: MentoringSession, person: User) -> str:
    """The session's start in the person's own zone, as the invitation gave it: "Monday 14
    December 2026, 10:00" (their own zone, so not named). Formatted here: the template's
    date filter would convert to the zone active while sending, not the recipient's."""
    zone = zone_or_utc(person.time_zone)
    return f"{session.starts_at.astimezone(zone):%A %d %B %Y, %H:%M}"


def _ended_words(person: User, other: User, by: User, *, proposed: bool) -> str:
    """Who ended it, from the reader's side: "Sofia Lindqvist ended your mentorship", "Ada
    Admin ended your mentorship with Hank Hill", "You ended your mentorship with Hank Hill"."""
    what = "withdrew the mentorship proposal" if proposed else "ended your mentorship"
    if by.pk == other.pk:
        return f"{by} {what}"
    if proposed:
        what = f"withdrew the proposal of a mentorship with {other}"
    else:
        what = f"ended your mentorship with {other}"
    return f"{'You' if by.pk == person.pk else by} {what}"


def _tell_ended(
    mentorship: Mentorship,
    by: User,
    because: str,
    *,
    proposed: bool,
    called_off: list[MentoringSession],
    dropped: dict[int, int],
) -> None:
    """Each person of the pairing hears that it ended and who ended it, with the sessions
    called off (their CANCELs attached, so calendars drop them) and how many of their own
    action items were dropped. The one who ended it themselves gets the email only when it
    carries calendar cancellations; someone who left gets nothing more."""
    attachments = [
        Attachment(
            "mentoring.ics",
            calendar_text([session_event(session, mentorship)], method="CANCEL"),
            "text/calendar; method=CANCEL",
        )
        for session in called_off
    ]
    # Held for working hours like any message, unless a session it calls off begins first:
    # held, the cancellation would reach the calendar after the session it removes.
    needed_by = min((session.starts_at for session in called_off), default=None)
    for person, other in (
        (mentorship.mentor, mentorship.mentee),
        (mentorship.mentee, mentorship.mentor),
    ):
        if not person.is_active or (person.pk == by.pk and not called_off):
            continue
        message_queue(
            recipient=person,
            template=ENDED_TEMPLATE,
            context={
                "recipient": person,
                "other": other,
                "by": by,
                "headline": _ended_words(person, other, by, proposed=proposed),
                "because": because,
                "proposed": proposed,
                "called_off": [_starts_words(session, person) for session in called_off],
                "dropped": dropped.get(person.pk, 0),
                "url": _url("mentorship-detail", mentorship.pk),
            },
            attachments=attachments,
            data={"mentorship": mentorship.pk, "ended": True},
            needed_by=needed_by,
        )


def _session_create(mentorship: Mentorship, starts_at: dt.datetime) -> MentoringSession:
    session = MentoringSession.objects.create(
        mentorship=mentorship, starts_at=starts_at, minutes=mentorship.session_minutes
    )
    _invite(session, mentorship)
    return session


def session_next(mentorship: Mentorship, now: dt.datetime) -> MentoringSession | None:
    """The next session not yet held or called off (the one the page puts first)."""
    return (
        mentorship.sessions.filter(held_at=None, cancelled_at=None, starts_at__gte=now)
        .order_by("starts_at")
        .first()
    )


@transaction.atomic
def session_schedule(
    *, mentorship: Mentorship, by: User, starts_at: dt.datetime
) -> MentoringSession:
    """Set the time of the next session: the planned one moves (its invitation is replaced
    in both calendars), or a new one is planned when none is."""
    mentorship = _locked(mentorship)
    _require_party(by, mentorship)
    _require_active(mentorship)
    now = timezone.now()
    if starts_at <= now:
        raise ValidationError({"starts_at": "Choose a time in the future."})
    if starts_at > now + dt.timedelta(days=SESSION_HORIZON_DAYS):
        raise ValidationError({"starts_at": "Choose a time within a year."})
    session = session_next(mentorship, now)
    if session is None:
        return _session_create(mentorship, starts_at)
    was_at = session.starts_at
    session.starts_at, session.sequence = starts_at, session.sequence + 1
    session.save(update_fields=["starts_at", "sequence"])
    _invite(session, mentorship, was_at=was_at)
    return session


@transaction.atomic
def session_notes_save(*, session: MentoringSession, by: User, notes: str) -> MentoringSession:
    _require_party(by, session.mentorship)
    _require_active(session.mentorship)
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        raise ValidationError({"notes": f"Keep the notes under {NOTES_MAX} characters."})
    try:
        validate_multiline_text(notes)
    except ValidationError as error:
        raise ValidationError({"notes": error.messages}) from error
    session.notes = notes
    session.save(update_fields=["notes"])
    return session


@transaction.atomic
def session_held(*, session: MentoringSession, by: User) -> MentoringSession:
    """Mark the session held; the next one is planned a cadence later (unless one already
    is), so the rhythm keeps going without anyone booking it."""
    mentorship = _locked(session.mentorship)
    _require_party(by, mentorship)
    _require_active(mentorship)
    session = MentoringSession.objects.select_for_update().get(pk=session.pk)
    now = timezone.now()
    if session.held_at is not None or session.cancelled_at is not None:
        raise ValidationError("This session is already marked held or called off.")
    if session.starts_at > now:
        raise ValidationError("A session can be marked held once it has started.")
    session.held_at = now
    session.save(update_fields=["held_at"])
    if session_next(mentorship, now) is None:
        _session_create(mentorship, _next_start(mentorship, session, now))
    return session


# --- action items ----------------------------------------------------------------------------


@transaction.atomic
def action_add(
    *, session: MentoringSession, by: User, owner: User, description: str, due_on: dt.date
) -> MentoringAction:
    """Agree an action item in a session, owed by the mentor or the mentee: a
    `mentoring_action` ask in their queue, due at the end of that working day."""
    mentorship = session.mentorship
    _require_party(by, mentorship)
    _require_active(mentorship)
    description = _one_line(description, field="description", required="Say what needs doing.")
    if not _is_party(owner, mentorship):
        raise ValidationError({"owner": "Choose the mentor or the mentee."})
    today = timezone.now().astimezone(owner.zone).date()
    if due_on < today:
        raise ValidationError({"due_on": "The due date is in the past."})
    if due_on > today + dt.timedelta(days=SESSION_HORIZON_DAYS):
        raise ValidationError({"due_on": "Choose a date within a year."})
    now = timezone.now()
    item = MentoringAction.objects.create(
        session=session,
        owner=owner,
        description=description,
        due_on=due_on,
        created_by=by,
        created_at=now,
    )
    ask = ask_open(
        kind=MENTORING_ACTION,
        subject=action_subject(item),
        title=f"{description} (mentoring)",
        owner=owner,
        requested_by=by,
        opened_at=now,
        due_on=due_on,
        facts={"item": description},
    )
    # A day the owner does not work moves to their next working day, in their queue and the
    # reminders: the session page says the same day.
    due_day = ask.due_at.astimezone(owner.zone).date() if ask is not None else due_on
    if due_day != item.due_on:
        item.due_on = due_day
        item.save(update_fields=["due_on"])
    return item


@transaction.atomic
def action_done(*, item: MentoringAction, by: User, via: str = "app") -> MentoringAction:
    _require_party(by, item.session.mentorship)
    item = MentoringAction.objects.select_for_update().get(pk=item.pk)
    if item.status != ActionStatus.OPEN:
        raise ValidationError("This action item is already closed.")
    now = timezone.now()
    item.status, item.done_at = ActionStatus.DONE, now
    item.save(update_fields=["status", "done_at"])
    ask_close(kind=MENTORING_ACTION, subject=action_subject(item), by=by, via=via, at=now)
    return item


# --- working with me -------------------------------------------------------------------------

CARD_FIELDS = ("best_times", "channel", "looks_for", "feedback")


@transaction.atomic
def working_card_save(*, user: User, by: User, values: dict[str, str]) -> WorkingCard:
    """Each person writes their own card; every line is optional plain text."""
    if by.pk != user.pk:
        raise PermissionDenied("Only the person can write their own card.")
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name in CARD_FIELDS:
        text = " ".join((values.get(name) or "").split())
        if len(text) > TEXT_MAX:
            errors[name] = [f"Keep it under {TEXT_MAX} characters."]
            continue
        try:
            validate_single_line_text(text)
        except ValidationError as error:
            errors[name] = error.messages
            continue
        cleaned[name] = text
    if errors:
        raise ValidationError(errors)
    card, _ = WorkingCard.objects.update_or_create(
        user=user, defaults={**cleaned, "updated_at": timezone.now()}
    )
    return card
