"""Booking, rescheduling and cancelling interviews (the panel gets an .ics each time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from closeloop.activity.services import activity_record
from closeloop.interviews import notices
from closeloop.interviews.models import (
    Interview,
    InterviewStatus,
)
from closeloop.interviews.selectors import (
    interview_can_book,
    interview_focus_attributes,
)
from closeloop.interviews.services.common import (
    MAX_INTERVIEW,
    _cancel_scorecard_asks,
    _check_when,
    _lock_application,
    _lock_interview,
    _names,
    _refresh_next_move,
    _require,
    _zone,
)
from closeloop.interviews.services.panels import panel_seats_sync
from closeloop.jobs.models import StageKind
from closeloop.lib.folding import by_name
from closeloop.lib.seen import seen_check, seen_stamp
from closeloop.lib.timefmt import absolute
from closeloop.pipeline import services as pipeline
from closeloop.pipeline.models import Application

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import InterviewRound


@dataclass
class Slot:
    """What a booking or a reschedule says: when, where, who, and what to probe."""

    starts_at: dt.datetime
    time_zone: str
    interviewers: list[User]
    ends_at: dt.datetime | None = None
    location: str = ""
    video_url: str = ""
    notes: str = ""


def _check_slot(slot: Slot, *, duration_minutes: int, now: dt.datetime) -> dt.datetime:
    """The slot's end; ValidationError with a clear message when the slot cannot be booked."""
    _zone(slot.time_zone)
    if slot.starts_at.tzinfo is None:
        raise ValidationError({"starts_at": "Give the start time with its time zone."})
    _check_when(slot.starts_at, "starts_at", now)
    ends_at = slot.ends_at or slot.starts_at + dt.timedelta(minutes=duration_minutes)
    if slot.starts_at <= now:
        raise ValidationError({"starts_at": "Pick a start time in the future."})
    if ends_at <= slot.starts_at:
        raise ValidationError({"ends_at": "An interview must end after it starts."})
    if ends_at - slot.starts_at > MAX_INTERVIEW:
        raise ValidationError({"ends_at": "An interview lasts at most 8 hours."})
    people = [person for person in slot.interviewers if person.is_active]
    if not people:
        raise ValidationError({"interviewers": "Choose at least one interviewer."})
    return ends_at


@transaction.atomic
def interview_book(
    *,
    application: Application,
    by: User,
    round: InterviewRound | None,
    slot: Slot,
    round_name: str = "",
) -> Interview:
    """Book an interview of one round of the job's plan; the panel gets an invitation (.ics).

    The end defaults to the start plus the round's duration; the interviewers default to
    the round's (the form prefills them), the notes to what the round probes.
    """
    application = _lock_application(application)
    job = application.job
    _require(interview_can_book(user=by, job=job), "Only the job's hiring team books interviews.")
    if not application.is_active:
        raise ValidationError("This candidate's application is closed.")
    if round is not None and round.job_id != job.pk:
        raise ValidationError({"round": "That round belongs to another job's plan."})
    name = round.name if round is not None else round_name.strip()
    if not name:
        raise ValidationError({"round": "Choose the round of the interview plan."})
    now = timezone.now()
    ends_at = _check_slot(slot, duration_minutes=round.duration_minutes if round else 45, now=now)
    interview = Interview.objects.create(
        application=application,
        round=round,
        round_name=name[:80],
        # Kept with the interview: the intake may remove the round from the plan later.
        focus_attributes=interview_focus_attributes(Interview(round=round)),
        starts_at=slot.starts_at,
        ends_at=ends_at,
        time_zone=slot.time_zone,
        location=slot.location.strip()[:200],
        video_url=slot.video_url.strip()[:500],
        notes=slot.notes.strip(),
        booked_by=by,
        created_at=now,
        updated_at=now,
    )
    panel = [person for person in slot.interviewers if person.is_active]
    interview.interviewers.set(panel)
    application = _move_to_interviewing(application, by, interview)
    _refresh_next_move(application)
    when = absolute(interview.starts_at, _zone(interview.time_zone))
    activity_record(
        kind="closeloop.interview.scheduled",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} scheduled the {interview.round_label} of {application.candidate.full_name} "
        f"with {_names(panel)} for {when} ({interview.time_zone})",
        data={"interview": interview.pk, "round": name},
    )
    notices.interview_invitation_send(
        interview=interview, by=by, change="booked", interviewers=panel
    )
    return interview


def _lines(text: str) -> str:
    """Text as compared: a browser sends line ends as CRLF, a script may have stored LF."""
    return text.replace("\r\n", "\n").strip()


def _unchanged(interview: Interview, slot: Slot, before: set[int], panel: list[User]) -> bool:
    """The slot says what the interview already says (time zone, place, link, notes, panel)."""
    return (
        slot.time_zone == interview.time_zone
        and slot.location.strip()[:200] == interview.location
        and slot.video_url.strip()[:500] == interview.video_url
        and _lines(slot.notes) == _lines(interview.notes)
        and {person.pk for person in panel} == before
    )


def _booking_changes(interview: Interview, slot: Slot) -> list[str]:
    """What a reschedule changes besides the time and the panel (its email gives those):
    "location: Room 2 → Room 4", and "notes changed", whose text only the panel reads."""
    changes = [
        f"{label}: {old or 'none'} → {new or 'none'}"
        for label, old, new in (
            ("time zone", interview.time_zone, slot.time_zone),
            ("location", interview.location, slot.location.strip()[:200]),
            ("video link", interview.video_url, slot.video_url.strip()[:500]),
        )
        if old != new
    ]
    if _lines(slot.notes) != _lines(interview.notes):
        changes.append("notes changed")
    return changes


def _move_to_interviewing(application: Application, by: User, interview: Interview) -> Application:
    """A booked interview means the candidate is interviewing: one in an earlier stage moves
    on, through the pipeline's own move (StageChange, timeline); a later stage stays."""
    stage = application.job.stages.filter(kind=StageKind.INTERVIEWING).order_by("position").first()
    if stage is None or application.stage.position >= stage.position:
        return application
    return pipeline.application_move(
        application=application, by=by, to_stage=stage, reason=f"{interview.round_label} booked"
    )


# What the reschedule form edits, and how a refusal names it.
RESCHEDULED_LABELS = {
    "starts_at": "start", "time_zone": "time zone", "duration_minutes": "length",
    "interviewers": "panel", "location": "location", "video_url": "video link",
    "notes": "notes for the interviewers",
}  # fmt: skip


def _rescheduled_values(interview: Interview) -> dict[str, object]:
    """The booking as its page shows it (the start to the minute, as the form gives it)."""
    return {
        "starts_at": interview.starts_at.replace(second=0, microsecond=0),
        "time_zone": interview.time_zone,
        "duration_minutes": interview.duration_minutes,
        "interviewers": set(interview.interviewers.values_list("pk", flat=True)),
        "location": interview.location,
        "video_url": interview.video_url,
        "notes": interview.notes,
    }


def _rescheduled_shown(interview: Interview, name: str) -> object:
    if name == "starts_at":
        when = absolute(interview.starts_at, _zone(interview.time_zone))
        return f"{when} ({interview.time_zone})"
    if name == "duration_minutes":
        return f"{interview.duration_minutes} minutes"
    if name == "interviewers":
        return [
            str(person) for person in interview.interviewers.order_by(*by_name("full_name"), "pk")
        ]
    return getattr(interview, name)


def interview_edit_seen(interview: Interview) -> str:
    """The fingerprint of what the reschedule form shows (`interview_reschedule` checks it)."""
    return seen_stamp(_rescheduled_values(interview))


@transaction.atomic
def interview_reschedule(
    *, interview: Interview, by: User, slot: Slot, reason: str = "", seen: str | None = None
) -> Interview:
    """Move an interview (time, place, panel, notes): same UID, SEQUENCE + 1 in the .ics.

    Interviewers taken off the panel get a cancellation for their calendar; those on it
    get the updated invitation.

    `seen`: the page's fingerprint (`interview_edit_seen`). When the booking was changed
    since that page was rendered, nothing changes and nobody is sent anything (`SavedSince`):
    the page would move the interview back. None checks nothing (a script's call).
    """
    interview = _lock_interview(interview)
    application = interview.application
    _require(
        interview_can_book(user=by, job=application.job),
        "Only the job's hiring team reschedules interviews.",
    )
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError(f"This interview is {interview.get_status_display().lower()}.")
    now = timezone.now()
    if interview.starts_at <= now:
        raise ValidationError("This interview has already started; it cannot be moved.")
    seen_check(
        seen=seen,
        values=_rescheduled_values(interview),
        what="this interview",
        labels=RESCHEDULED_LABELS,
        shown=lambda name: _rescheduled_shown(interview, name),
        outcome="Nothing was changed and nobody was sent anything; here is the page as it is "
        "now, with what you typed kept.",
    )
    ends_at = _check_slot(slot, duration_minutes=interview.duration_minutes, now=now)
    before = set(interview.interviewers.values_list("pk", flat=True))
    panel = [person for person in slot.interviewers if person.is_active]
    removed = list(interview.interviewers.exclude(pk__in=[p.pk for p in panel]))
    moved = (slot.starts_at, ends_at) != (interview.starts_at, interview.ends_at)
    if not moved and _unchanged(interview, slot, before, panel):
        # Nothing to tell anyone: no new invitation into every calendar.
        raise ValidationError(
            "The booking is as it was: change the time, the panel, the place or the notes to "
            "reschedule (nobody was sent anything)."
        )
    invited_for = (interview.starts_at, interview.time_zone)  # what those taken off knew
    edited = _booking_changes(interview, slot)  # read before the slot overwrites them
    interview.starts_at, interview.ends_at = slot.starts_at, ends_at
    interview.time_zone = slot.time_zone
    interview.location = slot.location.strip()[:200]
    interview.video_url = slot.video_url.strip()[:500]
    interview.notes = slot.notes.strip()
    interview.sequence += 1
    interview.updated_at = now
    interview.save()
    interview.interviewers.set(panel)
    _cancel_scorecard_asks([interview], [p.pk for p in removed], reason="taken off the panel")
    _refresh_next_move(application)
    when = absolute(interview.starts_at, _zone(interview.time_zone))
    whose = f"{application.candidate.full_name}'s {interview.round_label}"
    what = f"moved {whose} to {when} ({interview.time_zone})"
    if not moved:
        what = f"updated {whose}"
    added = [p for p in panel if p.pk not in before]
    changes = [
        f"{_names(added)} joined" if added else "",
        f"{_names(removed)} left" if removed else "",
    ]
    detail = "; ".join(part for part in [*changes, reason.strip()] if part)
    activity_record(
        kind="closeloop.interview.rescheduled",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} {what}",
        detail=detail,
        data={"interview": interview.pk, "sequence": interview.sequence},
    )
    notices.interview_invitation_send(
        interview=interview,
        by=by,
        change="rescheduled",
        interviewers=panel,
        reason=reason,
        was=invited_for[0] if moved else None,
        changes=[part for part in [*changes, *edited] if part],
    )
    if removed:
        notices.interview_cancellation_send(
            interview=interview,
            by=by,
            interviewers=removed,
            reason=reason,
            removed_only=True,
            invited_for=invited_for,
        )
    return interview


@transaction.atomic
def interview_cancel(
    *, interview: Interview, by: User, reason: str, seen: str | None = None
) -> Interview:
    """Call an interview off: its calendar entry is cancelled (.ics CANCEL) for everyone.

    `seen`: the page's fingerprint of the booking (`interview_edit_seen`). When the
    interview was moved or its panel changed since that page was rendered, nothing is
    cancelled and nobody is sent anything (`SavedSince`): whoever cancels decides on the
    booking as it is now. None checks nothing (a script's call)."""
    interview = _lock_interview(interview)
    _require(
        interview_can_book(user=by, job=interview.application.job),
        "Only the job's hiring team cancels interviews.",
    )
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError(f"This interview is {interview.get_status_display().lower()}.")
    seen_check(
        seen=seen,
        values=_rescheduled_values(interview),
        what="this interview",
        labels=RESCHEDULED_LABELS,
        shown=lambda name: _rescheduled_shown(interview, name),
        outcome="Nothing was cancelled and nobody was sent anything; here is the page as it is "
        "now: cancel again if it still should not take place.",
    )
    if not reason.strip():
        raise ValidationError({"reason": "Say why, so the panel knows."})
    _call_off(interview, by, reason)
    _refresh_next_move(interview.application)
    return interview


def _call_off(interview: Interview, by: User | None, reason: str, *, because: str = "") -> None:
    """Cancel one locked, scheduled interview: its asks, the timeline, the panel's CANCEL.

    `because`: it is called off as a consequence, not by hand, and this ends the timeline's
    "… was called off" ("with the search": its job was filled or closed; "as the candidate
    was rejected"). `by` ended the search or closed the application, not this interview: the
    timeline and the panel read it as that, not as "Rita cancelled" by hand."""
    application = interview.application
    now = timezone.now()
    interview.status = InterviewStatus.CANCELLED
    interview.cancelled_at = now
    interview.cancel_reason = reason.strip()[:300]
    interview.sequence += 1
    interview.updated_at = now
    interview.save()
    # Its panel sees the candidate only while another live interview of theirs holds them
    # there (the calendar feed still carries the cancellation to them).
    panel_seats_sync([application.pk])
    panel = list(interview.interviewers.all())
    _cancel_scorecard_asks([interview], [p.pk for p in panel], reason="interview cancelled")
    activity_record(
        kind="closeloop.interview.cancelled",
        actor=by,
        application=application,
        at=now,
        summary=(
            f"The {interview.round_label} of {application.candidate.full_name} was called off "
            f"{because}"
            if because
            else f"{by or 'Closeloop'} cancelled the {interview.round_label} of "
            f"{application.candidate.full_name}"
        ),
        detail=interview.cancel_reason,
        data={"interview": interview.pk},
    )
    notices.interview_cancellation_send(
        interview=interview,
        by=by,
        interviewers=panel,
        reason=interview.cancel_reason,
        consequence=bool(because),
    )
