"""When a mentor or a mentee is already taken: what planning a session steers around and
what moving one warns about.

Busy is what the person is expected at: their other mentoring sessions (either side, any
pairing), the interviews they sit on, the debrief meetings they attend, their weekly
touch-bases, and their out-of-office time. Interviews of the jobs someone merely runs are
not in it: a recruiter is sent those invitations without attending. Read from the models
of the layers below (interviews, touch-bases), never from what their pages show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from closeloop.interviews.models import Debrief, Interview, InterviewStatus
from closeloop.partnership.mentorship.models import (
    MentoringSession,
    MentorshipStatus,
)
from closeloop.touchbases.models import TouchbaseSeries
from closeloop.touchbases.slots import slot_after, zone_or_utc

if TYPE_CHECKING:
    from collections.abc import Iterable

    from closeloop.accounts.models import User

# The longest meeting whose start before a window still reaches into it (a session, an
# interview, a debrief): only a bound for the query, each span is then checked exactly.
LONGEST_MEETING = dt.timedelta(hours=8)


@dataclass(frozen=True)
class Busy:
    person_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    what: str  # "another mentoring session", "an interview", "out of office"…

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.starts_at < end and start < self.ends_at


def busy_between(
    people: Iterable[User],
    start: dt.datetime,
    end: dt.datetime,
    *,
    besides: MentoringSession | None = None,
) -> list[Busy]:
    """Everything that takes `people` in [start, end), `besides` the session being planned
    (a session never clashes with itself when it moves). A handful of queries for the whole
    window, so a planner trying a week of hours asks once."""
    people = list(people)
    ids = [person.pk for person in people]
    since = start - LONGEST_MEETING
    spans: list[Busy] = []

    sessions = MentoringSession.objects.filter(
        Q(mentorship__mentor__in=ids) | Q(mentorship__mentee__in=ids),
        mentorship__status=MentorshipStatus.ACTIVE,
        cancelled_at__isnull=True,
        starts_at__gte=since,
        starts_at__lt=end,
    ).select_related("mentorship")
    if besides is not None:
        sessions = sessions.exclude(pk=besides.pk)
    for session in sessions:
        for pk in (session.mentorship.mentor_id, session.mentorship.mentee_id):
            if pk in ids:
                spans.append(
                    Busy(pk, session.starts_at, session.ends_at, "another mentoring session")
                )

    seats = Interview.interviewers.through.objects.filter(
        user__in=ids,
        interview__status=InterviewStatus.SCHEDULED,
        interview__starts_at__lt=end,
        interview__ends_at__gt=start,
    ).values_list("user_id", "interview__starts_at", "interview__ends_at")
    spans += [Busy(pk, begins, ends, "an interview") for pk, begins, ends in seats]

    attended = Debrief.attendees.through.objects.filter(
        user__in=ids, debrief__meets_at__gte=since, debrief__meets_at__lt=end
    ).values_list("user_id", "debrief__meets_at", "debrief__meeting_minutes")
    for pk, meets_at, minutes in attended:
        if meets_at is None:  # filtered out above; said for the type checker
            continue
        spans.append(Busy(pk, meets_at, meets_at + dt.timedelta(minutes=minutes), "a debrief"))

    series = TouchbaseSeries.objects.filter(
        Q(recruiter__in=ids) | Q(hiring_manager__in=ids), active=True, first_at__lt=end
    )
    for row in series:
        zone = zone_or_utc(row.time_zone)
        after = max(row.first_at, start - row.length)
        moment = slot_after(
            weekday=row.weekday, at=row.start_time, zone=zone, after=after, strict=False
        )
        while moment < end:
            for pk in {row.recruiter_id, row.hiring_manager_id} & set(ids):
                spans.append(Busy(pk, moment, moment + row.length, "a touch-base"))
            moment = slot_after(weekday=row.weekday, at=row.start_time, zone=zone, after=moment)

    for person in people:
        away, back = person.out_of_office_from, person.out_of_office_until
        if away and back and away < end and start < back:
            spans.append(Busy(person.pk, away, back, "out of office"))

    return [span for span in spans if span.overlaps(start, end)]


def busy_words(
    people: Iterable[User],
    start: dt.datetime,
    end: dt.datetime,
    *,
    besides: MentoringSession | None = None,
) -> str:
    """A moved session's warning when it clashes with what takes someone then: "Sofia
    Lindqvist has another mentoring session then." ("" when nothing does). Out of office is
    left to `people_off_time`, which the same page shows."""
    people = list(people)
    said = []
    for person in people:
        kinds = dict.fromkeys(
            span.what
            for span in busy_between([person], start, end, besides=besides)
            if span.person_id == person.pk and span.what != "out of office"
        )
        if kinds:
            said.append(f"{person.full_name} has {' and '.join(kinds)} then.")
    return " ".join(said)
