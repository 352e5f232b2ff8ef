"""Interviews and debriefs as calendar events: for email invitations and personal feeds.

The UID is stable for the life of the interview (or debrief meeting) and SEQUENCE is the
row's own counter, raised on every reschedule and on cancellation, so calendars replace
the event instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from closeloop.calendars.sources import CalendarEvent, people_names
from closeloop.interviews.models import Debrief, Interview
from closeloop.interviews.selectors import debrief_visible_q, interviews_mine_q

if TYPE_CHECKING:
    from closeloop.accounts.models import User


def _organizer(interview: Interview) -> str:
    person = interview.booked_by or interview.application.job.recruiter
    return person.email if person else ""


def interview_event(interview: Interview, *, cancelled: bool | None = None) -> CalendarEvent:
    """The interview as its interviewers' calendars should show it."""
    application = interview.application
    url = settings.SITE_URL + reverse("interviews:interview-detail", args=[interview.pk])
    where = interview.location or interview.video_url
    panel = list(interview.interviewers.all())
    lines = [
        f"{interview.round_label} with {application.candidate.full_name} "
        f"for {application.job.title}.",
    ]
    if interview.video_url:
        lines.append(f"Video: {interview.video_url}")
    if interview.notes:
        lines += ["", interview.notes]
    lines += ["", f"Briefing and scorecard: {url}"]
    return CalendarEvent(
        uid=interview.uid,
        sequence=interview.sequence,
        summary=f"Interview: {application.candidate.full_name} · {interview.round_name}",
        starts_at=interview.starts_at,
        ends_at=interview.ends_at,
        time_zone=interview.time_zone or "UTC",
        description="\n".join(lines),
        location=where,
        url=url,
        cancelled=interview.is_cancelled if cancelled is None else cancelled,
        organizer_email=_organizer(interview),
        attendee_emails=tuple(sorted(person.email for person in panel)),
        names=people_names(interview.booked_by or application.job.recruiter, *panel),
    )


def debrief_event(debrief: Debrief, *, cancelled: bool = False) -> CalendarEvent:
    """The debrief meeting (only once one is booked: `meets_at` set)."""
    assert debrief.meets_at is not None, "a debrief without a meeting is not an event"
    ends_at = debrief.meets_until
    assert ends_at is not None  # set whenever meets_at is
    application = debrief.application
    url = settings.SITE_URL + reverse("interviews:debrief-detail", args=[debrief.pk])
    attendees = list(debrief.attendees.all())
    return CalendarEvent(
        uid=debrief.uid,
        sequence=debrief.sequence,
        summary=f"Debrief: {application.candidate.full_name} · {debrief.round_name}",
        starts_at=debrief.meets_at,
        ends_at=ends_at,
        time_zone=debrief.time_zone or "UTC",
        description=(
            f"Decide on {application.candidate.full_name} for {application.job.title} after "
            f"the {debrief.round_label}.\n\nScorecards side by side: {url}"
        ),
        location=debrief.location,
        url=url,
        cancelled=cancelled,
        organizer_email=application.job.recruiter.email,
        attendee_emails=tuple(sorted(person.email for person in attendees)),
        names=people_names(application.job.recruiter, *attendees),
    )


# --- Feed sources (registered in InterviewsConfig.ready) ------------------------------------


def interview_events_for(user: User, start: dt.datetime, end: dt.datetime) -> list[CalendarEvent]:
    """The user's interviews overlapping [start, end): those they sit on, and every interview
    of the jobs they run (recruiter, coordinator, HM), as they are emailed those invitations
    too. Cancelled ones are included so subscribed calendars drop them."""
    ids = Interview.objects.filter(interviews_mine_q(user)).values("pk")
    interviews = (
        Interview.objects.filter(pk__in=ids, ends_at__gte=start, starts_at__lt=end)
        .select_related("application__candidate", "application__job__recruiter", "booked_by")
        .prefetch_related("interviewers")
        .order_by("starts_at", "pk")
    )
    return [interview_event(interview) for interview in interviews]


def debrief_events_for(user: User, start: dt.datetime, end: dt.datetime) -> list[CalendarEvent]:
    """Debrief meetings the user attends (hiring team or the application's panel) or runs
    (recruiter, coordinator, HM). Attendance goes through `debrief_visible_q`: an attendee
    who can no longer open the debrief (say, their interview was cancelled) gets no broken
    link."""
    mine = (
        (Q(attendees=user) & debrief_visible_q(user))
        | Q(application__job__hiring_manager=user)
        | Q(application__job__recruiter=user)
        | Q(application__job__coordinator=user)
    )
    ids = Debrief.objects.filter(mine).values("pk")
    debriefs = (
        Debrief.objects.filter(
            pk__in=ids, meets_at__isnull=False, meets_at__lt=end, meets_at__gte=start
        )
        .select_related("application__candidate", "application__job__recruiter")
        .prefetch_related("attendees")
        .order_by("meets_at", "pk")
    )
    return [debrief_event(debrief) for debrief in debriefs]
