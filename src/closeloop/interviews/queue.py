"""What the pipeline's queue reads about interviews (`pipeline.interview_source`).

Registered from `InterviewsConfig.ready`: the queue shows a candidate's next scheduled
interview in its "whose move" ("Hold the Technical interview"), lists apart the candidates
who wait for an interview still to come (or still under way with every scorecard in: only
its end, and the debrief, are ahead), and lists the person's upcoming interviews.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Least
from django.urls import reverse

from closeloop.interviews.models import Interview, InterviewStatus, Scorecard, ScorecardStatus
from closeloop.interviews.selectors import scorecards_blind_on_a_panel
from closeloop.pipeline.interview_source import InterviewSource
from closeloop.pipeline.models import ApplicationStatus

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.pipeline.models import Application


def _scheduled_prefetch() -> Prefetch:
    # With their panels: a row names the whole panel of the interview it waits for.
    scheduled = (
        Interview.objects.filter(status=InterviewStatus.SCHEDULED)
        .prefetch_related("interviewers")
        .order_by("starts_at", "pk")
    )
    return Prefetch("interviews", queryset=scheduled, to_attr="scheduled_interviews")


def _next_scheduled(application: Application) -> Interview | None:
    scheduled = getattr(application, "scheduled_interviews", None)  # the prefetch's
    if scheduled is not None:
        return scheduled[0] if scheduled else None
    return application.interviews.filter(status=InterviewStatus.SCHEDULED).first()


def _acts_at(user: User, application: Application, now: dt.datetime) -> str:
    """The page where `user` does what the candidate waits on them for: the briefing of their
    soonest scheduled interview of the application, at the scorecard form once it has begun."""
    scheduled = getattr(application, "scheduled_interviews", None)  # the prefetch's
    if scheduled is None:
        mine = application.interviews.filter(status=InterviewStatus.SCHEDULED, interviewers=user)
        theirs = mine.order_by("starts_at", "pk").first()
    else:
        theirs = next(
            (
                interview
                for interview in scheduled
                if any(person.pk == user.pk for person in interview.interviewers.all())
            ),
            None,
        )
    if theirs is None:
        return ""
    url = reverse("interviews:interview-detail", args=[theirs.pk])
    return url + "#scorecard" if theirs.starts_at <= now else url


def _scheduled_of_row() -> QuerySet[Interview]:
    return Interview.objects.filter(application=OuterRef("pk"), status=InterviewStatus.SCHEDULED)


def _card_missing() -> Exists:
    """SQL per interview row: an interviewer on it has not submitted their scorecard (the
    rule the round's debrief opens on, `services.rounds._round_missing`)."""
    submitted = Scorecard.objects.filter(
        interview=OuterRef("interview"),
        interviewer=OuterRef("user"),
        status=ScorecardStatus.SUBMITTED,
    )
    seats = Interview.interviewers.through.objects.filter(interview=OuterRef("pk"))
    return Exists(seats.filter(~Exists(submitted)))


def _owner_next_at(now: dt.datetime) -> Subquery:
    """When the candidate's wait on the owner's interviews ends: the start of their next
    one, or the end of one under way whose scorecards are all in (only its end is ahead, and
    the round's debrief opens then)."""
    owners = _scheduled_of_row().filter(interviewers=OuterRef("next_move_owner"))
    waits_until = Case(
        When(~_card_missing(), starts_at__lte=now, then=F("ends_at")), default=F("starts_at")
    )
    ahead = owners.annotate(waits_until=waits_until).order_by("waits_until")
    return Subquery(ahead.values("waits_until")[:1])


def _owner_owed_since(now: dt.datetime) -> Subquery:
    """When the owner's feedback became owed: the end of their earliest begun interview that
    misses a scorecard, under way or held (`_feedback_due` asks the same of the scheduled
    ones only: whether the row waits on feedback at all), no later than `now`."""
    # Completed by the worker or not: a held interview still owes its missing scorecards
    # from its end (the scorecard ask's opening), never from the booking before it.
    owed = Interview.objects.filter(
        _card_missing(),
        application=OuterRef("pk"),
        status__in=(InterviewStatus.SCHEDULED, InterviewStatus.COMPLETED),
        interviewers=OuterRef("next_move_owner"),
        starts_at__lte=now,
    )
    since = Least(F("ends_at"), Value(now, output_field=DateTimeField()))
    return Subquery(owed.order_by("ends_at").annotate(since=since).values("since")[:1])


def _owner_owed_round(now: dt.datetime) -> Subquery:
    """The round whose scorecard the owner still owes: their earliest interview of the
    candidate begun by `now`, under way or held, without their own submitted scorecard (the
    interviews `_owner_owed_since` reads, narrowed to the owner's card)."""
    theirs = Scorecard.objects.filter(
        interview=OuterRef("pk"),
        interviewer=OuterRef(OuterRef("next_move_owner")),
        status=ScorecardStatus.SUBMITTED,
    )
    owed = Interview.objects.filter(
        ~Exists(theirs),
        application=OuterRef("pk"),
        status__in=(InterviewStatus.SCHEDULED, InterviewStatus.COMPLETED),
        interviewers=OuterRef("next_move_owner"),
        starts_at__lte=now,
    )
    return Subquery(owed.order_by("ends_at", "pk").values("round_name")[:1])


def _on_owner_panel(user: User | int, now: dt.datetime) -> Exists:
    # Two joins of the panel: the user's seat and the owner's seat on the same interview.
    ahead = _scheduled_of_row().filter(starts_at__gt=now, interviewers=user)
    return Exists(ahead.filter(interviewers=OuterRef("next_move_owner")))


def _panel_ahead_ids(user: User | int, now: dt.datetime) -> QuerySet[Interview, Any]:
    """The ids of the applications with a scheduled interview not begun by `now` whose panel
    the user sits on: every row `_on_owner_panel` can hold for them, read by the panels'
    user index (a few hundred rows, where all their seats are thousands)."""
    ahead = Interview.objects.filter(
        status=InterviewStatus.SCHEDULED, starts_at__gt=now, interviewers=user
    )
    return ahead.order_by().values("application_id")


def _started(now: dt.datetime) -> Exists:
    return Exists(_scheduled_of_row().filter(starts_at__lte=now))


def _feedback_due(now: dt.datetime) -> Exists:
    return Exists(_scheduled_of_row().filter(_card_missing(), starts_at__lte=now))


def _upcoming_for(user: User, now: dt.datetime, days: int) -> list[Interview]:
    # `under_way`: begun by `now` (not ended, as listed): it reads "under way, ends 10:45",
    # not as the next interview to come.
    under_way = Case(
        When(starts_at__lte=now, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return list(
        Interview.objects.annotate(under_way=under_way)
        .filter(
            interviewers=user,
            status=InterviewStatus.SCHEDULED,
            application__status=ApplicationStatus.ACTIVE,
            ends_at__gte=now,
            starts_at__lt=now + dt.timedelta(days=days),
        )
        .select_related("application__candidate", "application__job")
        .order_by("starts_at", "pk")[:50]
    )


QUEUE_SOURCE = InterviewSource(
    scheduled_prefetch=_scheduled_prefetch,
    next_scheduled=_next_scheduled,
    owner_next_at=_owner_next_at,
    owner_owed_since=_owner_owed_since,
    owner_owed_round=_owner_owed_round,
    on_owner_panel=_on_owner_panel,
    panel_ahead_ids=_panel_ahead_ids,
    started=_started,
    feedback_due=_feedback_due,
    upcoming_for=_upcoming_for,
    blind=lambda user, application: scorecards_blind_on_a_panel(
        user=user, applications=[application]
    ),
    acts_at=_acts_at,
)
