"""Where mentorship things appear elsewhere: calendar feeds and the ask registry."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse

from closeloop.partnership.mentorship.models import MentoringSession
from closeloop.partnership.mentorship.services import session_event

if TYPE_CHECKING:
    from collections.abc import Iterable

    from closeloop.accounts.models import User
    from closeloop.calendars.sources import CalendarEvent
    from closeloop.followups.subjects import Subject


def mentoring_events(user: User, start: dt.datetime, end: dt.datetime) -> Iterable[CalendarEvent]:
    """The user's mentoring sessions in the window, as mentor or mentee (called-off ones
    too, marked cancelled, so a subscribed calendar drops them)."""
    sessions = (
        MentoringSession.objects.filter(
            Q(mentorship__mentor=user) | Q(mentorship__mentee=user),
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("mentorship__mentor", "mentorship__mentee")
        .order_by("starts_at")[:500]
    )
    return [session_event(session, session.mentorship) for session in sessions]


def mentorship_url(subject: Subject) -> str | None:
    """An accept_mentorship ask ("mentorship:<pk>") is answered on the mentorship's page."""
    return reverse("partnership:mentorship-detail", args=[subject.pk]) if subject.pk else None


def action_url(subject: Subject) -> str | None:
    """A mentoring_action ask ("mentoring-action:<pk>") is finished on the item's page."""
    return reverse("partnership:mentorship-action", args=[subject.pk]) if subject.pk else None
