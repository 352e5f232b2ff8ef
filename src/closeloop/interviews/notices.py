"""Messages about interviews and debriefs, with their calendar files.

Like every message they reach people inside their working hours (the outbox holds them),
except one about a meeting that starts, or started from, before those hours come round: a
reschedule of tomorrow's 08:00 interview cannot wait until 09:00. Each carries an .ics with
METHOD:REQUEST (same UID, higher SEQUENCE on a change) or METHOD:CANCEL. Called inside the
services' transactions, so the message and the change commit together.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from closeloop.calendars.ics import calendar_text
from closeloop.calendars.sources import people_names
from closeloop.followups.business_time import people_off_time
from closeloop.interviews.calendar import debrief_event, interview_event
from closeloop.interviews.selectors import (
    debrief_attendees_allowed,
    debrief_hold_ask,
    interview_focus_attributes,
)
from closeloop.lib.timefmt import absolute
from closeloop.notify.services import Attachment, message_queue, messages_withdraw_waiting
from closeloop.pipeline.models import Application
from closeloop.pipeline.selectors import application_visible_q

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.calendars.sources import CalendarEvent
    from closeloop.interviews.models import Debrief, Interview


def _ics(event: CalendarEvent, method: str, filename: str) -> Attachment:
    return Attachment(
        filename=filename,
        content=calendar_text([event], method=method),
        content_type=f"text/calendar; method={method}",
    )


def _people(*people: User | None, exclude: User | None = None) -> list[User]:
    """Active people, each once, in a stable order, leaving out the one who acted."""
    seen: dict[int, User] = {}
    for person in people:
        if person is None or not person.is_active or person.pk in seen:
            continue
        if exclude is not None and person.pk == exclude.pk:
            continue
        seen[person.pk] = person
    return list(seen.values())


def _local(moment: dt.datetime, zone_name: str) -> str:
    """ "Tue 24 Nov 14:00 (Europe/Berlin)": the zone the event was booked in."""
    return f"{absolute(moment, zoneinfo.ZoneInfo(zone_name or 'UTC'))} ({zone_name or 'UTC'})"


def _their_time(context: dict, person: User) -> dict[str, object]:
    """The meeting on the person's own clock, whether that reads as the booked time does
    (`same_clock`: the email then gives the booked time alone, not the same time twice), and
    the time it moved from, on their clock too."""
    starts_at, was = context.get("starts_at"), context.get("was_at")
    was_time = absolute(was, person.zone) if was else ""
    hold = context.get("hold_due_at")
    times: dict[str, object] = {"hold_until": absolute(hold, person.zone) if hold else ""}
    if not starts_at:
        return {**times, "their_time": "", "same_clock": False, "was_time": was_time}
    theirs = absolute(starts_at, person.zone)
    same = context.get("booked_time", "").startswith(f"{theirs} (")
    return {**times, "their_time": theirs, "same_clock": same, "was_time": was_time}


def _send(
    recipients: Iterable[User],
    template: str,
    context: dict,
    attachment: Attachment | None,
    *,
    links: dict[int, str] | None = None,
    own: dict[int, dict[str, object]] | None = None,
    data: dict[str, int] | None = None,
) -> None:
    """Queue one message per recipient. `links`: each recipient's own "Open in Closeloop"
    (`action_url`), when not everyone may open the same page ("" leaves the button out);
    `own`: what else is each recipient's own (the off-time notes of an invitation)."""
    now = timezone.now()
    # The meeting's time, and the time it moved from: whichever comes first is when the
    # message is of no more use.
    times = [context.get("starts_at"), context.get("was_at")]
    needed_by = min((moment for moment in times if moment and moment > now), default=None)
    for person in recipients:
        message_queue(
            recipient=person,
            template=template,
            channel=person.notify_channel,
            context={
                **context,
                "recipient": person,
                **_their_time(context, person),
                **({"action_url": links.get(person.pk, "")} if links is not None else {}),
                **(own or {}).get(person.pk, {}),
            },
            attachments=[attachment] if attachment else [],
            not_before=now,
            needed_by=needed_by,
            data=data,
        )


def interview_invitation_send(
    *,
    interview: Interview,
    by: User | None,
    change: str,
    interviewers: Iterable[User],
    reason: str = "",
    was: dt.datetime | None = None,
    changes: Iterable[str] = (),
) -> None:
    """Tell the panel (and the HM and recruiter) about a booking or a reschedule.

    `change` is "booked" or "rescheduled"; `was`, the time a rescheduled interview moved
    from (each reads it on their own clock); `changes`, what else a reschedule changed, in
    words ("location: Room 2 → Room 4", "notes changed"). Everyone gets it, even whoever
    booked it: it is their calendar entry.
    """
    job = interview.application.job
    panel = _people(*interviewers)
    team = _people(job.hiring_manager, job.recruiter, job.coordinator)
    team = [person for person in team if person.pk not in {p.pk for p in panel}]
    event = interview_event(interview)
    context = {
        "interview": interview,
        "candidate": interview.application.candidate,
        "job": job,
        "by": by,
        "change": change,
        "reason": reason,
        "changes": list(changes),
        "starts_at": interview.starts_at,
        "was_at": was,
        "booked_time": _local(interview.starts_at, interview.time_zone),
        "action_url": settings.SITE_URL
        + reverse("interviews:interview-detail", args=[interview.pk]),
        # Named for each recipient ("you, Jonas Weber and Sofia Lindqvist").
        "panel_people": list(interview.interviewers.all()),
        # What to probe is the round's focus; the notes are whatever the booker wrote
        # (often logistics), under their own heading.
        "focus": interview_focus_attributes(interview),
    }
    attachment = _ics(_observed_by(event, team), "REQUEST", "interview.ics")
    _send(
        panel,
        "interview-invitation",
        {**context, "on_panel": True},
        attachment,
        own=_off_time_notes(interview, panel, own_only=True),
    )
    _send(
        team,
        "interview-invitation",
        {**context, "on_panel": False},
        attachment,
        own=_off_time_notes(interview, team, own_only=False),
    )


def _observed_by(event: CalendarEvent, team: list[User]) -> CalendarEvent:
    """The event as the hiring team off the panel receive it too: listed as kept informed,
    not invited (a calendar shown a REQUEST that does not list its reader treats it each its
    own way), the organizer aside."""
    observers = [person for person in team if person.email != event.organizer_email]
    return replace(
        event,
        observer_emails=tuple(sorted(person.email for person in observers)),
        names=event.names + people_names(*observers),
    )


def _off_time_notes(
    interview: Interview, recipients: list[User], *, own_only: bool
) -> dict[int, dict[str, object]]:
    """Where the interview falls outside a panelist's working time (a public holiday, a day
    off, before or after their hours, out of office), by the rule the booking page and the
    briefing say it with (`people_off_time`): to a panelist, their own ("Fri 25 Dec is a
    public holiday for you (Christmas Day)"); to the recruiting side, the whole panel's."""
    panel = list(interview.interviewers.all())
    notes: dict[int, dict[str, object]] = {}
    for person in recipients:
        said = people_off_time(panel, interview.starts_at, interview.ends_at, reader=person)
        notes[person.pk] = {
            "off_time": [off.sentence for off in said if not own_only or off.person.pk == person.pk]
        }
    return notes


def interview_cancellation_send(
    *,
    interview: Interview,
    by: User | None,
    interviewers: Iterable[User],
    reason: str,
    removed_only: bool = False,
    invited_for: tuple[dt.datetime, str] | None = None,
    consequence: bool = False,
) -> None:
    """Withdraw the calendar entry: METHOD:CANCEL with the same UID and a higher SEQUENCE.

    `consequence`: called off because the job was filled or closed, or the candidate was
    rejected, withdrew or was hired; the message says so (`reason`: "The job was filled, so
    the search is over.") instead of naming whoever did that as the canceller.

    `removed_only`: the interview goes on, these people are just no longer on it. Otherwise
    the whole team that got the invitation gets the cancellation, whoever called it off.
    `invited_for`: the start and zone they were invited for, when the same change moved it
    (they hear of the time they knew, not the new one).
    """
    starts_at, zone = invited_for or (interview.starts_at, interview.time_zone)
    job = interview.application.job
    panel = _people(*interviewers)
    team = [] if removed_only else _people(job.hiring_manager, job.recruiter, job.coordinator)
    team = [person for person in team if person.pk not in {p.pk for p in panel}]
    event = interview_event(interview, cancelled=True)
    if removed_only:
        # RFC 5546: a CANCEL for attendees who left names only them, at the time they knew
        # (the rest of the panel keeps the event, at its new time when it moved).
        moved_by = starts_at - interview.starts_at
        event = replace(
            event,
            attendee_emails=tuple(sorted(person.email for person in panel)),
            starts_at=starts_at,
            ends_at=interview.ends_at + moved_by,
            time_zone=zone or "UTC",
        )
    context = {
        "interview": interview,
        "candidate": interview.application.candidate,
        "job": job,
        "by": by,
        "reason": reason,
        "removed_only": removed_only,
        "consequence": consequence,
        "starts_at": starts_at,
        "booked_time": _local(starts_at, zone),
    }
    recipients = panel + team
    attachment = _ics(_observed_by(event, team), "CANCEL", "interview.ics")
    links = _application_links(interview.application_id, recipients)
    _send(recipients, "interview-cancelled", context, attachment, links=links)


def _application_links(application_id: int, people: list[User]) -> dict[int, str]:
    """The application's page for those of `people` who may still open it: someone whose
    only interview of the candidate was called off (or who was taken off its panel) lost
    the candidate with it, and is sent no link that answers 404."""
    url = settings.SITE_URL + reverse("pipeline:application-detail", args=[application_id])
    return {
        person.pk: url
        for person in people
        if Application.objects.filter(application_visible_q(person), pk=application_id).exists()
    }


def debrief_opened_send(
    *,
    debrief: Debrief,
    missing: list[str],
    decider: User,
    due_at: dt.datetime | None = None,
    by: User | None = None,
) -> None:
    """The `decider` owes a decision now, due `due_at`: the HM, or their delegate while they
    are away (the HM and the recruiter hear too, the recruiter to book the meeting). `by`
    opened it by moving the candidate: the message says so, and they hear nothing of their
    own move."""
    job = debrief.application.job
    people = _people(decider, job.hiring_manager, job.recruiter, exclude=by)
    context = {
        "debrief": debrief,
        "candidate": debrief.application.candidate,
        "job": job,
        "missing": missing,
        "decider": decider,
        "covering": decider.pk != job.hiring_manager_id,
        "by": by,
        "stage": debrief.application.stage,
        "action_url": settings.SITE_URL + reverse("interviews:debrief-detail", args=[debrief.pk]),
    }
    # The decision's due time on each recipient's own clock.
    own: dict[int, dict[str, object]] = {
        person.pk: {"due_time": absolute(due_at, person.zone) if due_at else ""}
        for person in people
    }
    _send(people, "debrief-opened", context, None, own=own, data={"debrief": debrief.pk})


def debrief_settled_by_move_send(*, debrief: Debrief, by: User | None, owed: User) -> None:
    """Someone else's move of the candidate closed the debrief `owed` was to decide on: they
    hear that nothing more is asked of them (their decide ask was called off, so it left
    their queue without a word otherwise)."""
    context = {
        "debrief": debrief,
        "candidate": debrief.application.candidate,
        "job": debrief.application.job,
        "by": by or "Someone",
        "moved_back": not debrief.decision,
        "action_url": settings.SITE_URL + reverse("interviews:debrief-detail", args=[debrief.pk]),
    }
    _send(_people(owed, exclude=by), "debrief-settled-by-move", context, None)


def debrief_opened_withdraw(*, debrief: Debrief) -> int:
    """The debrief is decided (on its page, or by a move of the candidate): its "decide"
    messages still waiting for their recipients' working hours have nothing left to ask and
    are withdrawn; those already read or sent stay."""
    return messages_withdraw_waiting(
        template="debrief-opened", about={"debrief": debrief.pk}, now=timezone.now()
    )


def debrief_invitation_send(*, debrief: Debrief, by: User | None) -> None:
    """The debrief meeting is booked (or moved): an invitation with its .ics to attendees."""
    assert debrief.meets_at is not None, "an invitation is for a booked meeting"
    job = debrief.application.job
    context = {
        "debrief": debrief,
        "candidate": debrief.application.candidate,
        "job": job,
        "by": by,
        "starts_at": debrief.meets_at,
        "booked_time": _local(debrief.meets_at, debrief.time_zone),
        "action_url": settings.SITE_URL + reverse("interviews:debrief-detail", args=[debrief.pk]),
    }
    # Only people who can open the debrief: the invitation links to its page.
    attendees = debrief_attendees_allowed(
        application=debrief.application, people=debrief.attendees.all()
    )
    people = _people(*attendees, job.hiring_manager, job.recruiter)
    attachment = _ics(debrief_event(debrief), "REQUEST", "debrief.ics")
    _send(people, "debrief-invitation", context, attachment)


def debrief_decided_send(*, debrief: Debrief, by: User) -> None:
    """The recruiter tells the candidate: say what was decided and where to record it. A
    hold has no outcome to tell: she keeps the candidate posted until the day it is owed."""
    application = debrief.application
    job = application.job
    hold = debrief_hold_ask(debrief=debrief)
    context = {
        "debrief": debrief,
        "candidate": application.candidate,
        "job": job,
        "by": by,
        "on_hold": hold is not None,
        "hold_due_at": hold.due_at if hold is not None else None,
        "action_url": settings.SITE_URL
        + (
            reverse("pipeline:application-detail", args=[application.pk])
            if hold is not None
            else reverse("interviews:debrief-detail", args=[debrief.pk])
        ),
    }
    _send(_people(job.recruiter, job.coordinator, exclude=by), "debrief-decided", context, None)
