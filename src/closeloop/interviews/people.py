"""What a person's deactivation or absence leaves to do in interviews: the interviews with
them on the panel still to come, or in the time they are away (docs/architecture.md#people).
Plugged into accounts' deactivation page and the profile's out-of-office notice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.hooks import Impact, ImpactLink
from closeloop.interviews.models import Interview, InterviewStatus
from closeloop.interviews.selectors import interviews_on_panel_between
from closeloop.lib.text import listed
from closeloop.lib.timefmt import absolute

if TYPE_CHECKING:
    import datetime as dt

    from closeloop.accounts.models import User

SHOWN = 10  # the deactivation page lists the soonest; the rest are counted


def deactivation_interviews_impact(*, user: User, by: User) -> list[Impact]:
    """Interviews still to come with the person on the panel: their candidates wait on
    them until someone else takes the seat (they are not moved automatically: the panel is
    chosen for the round)."""
    upcoming = Interview.objects.filter(
        interviewers=user, status=InterviewStatus.SCHEDULED, starts_at__gte=timezone.now()
    ).order_by("starts_at", "pk")
    count = upcoming.count()
    if not count:
        return []
    rows = upcoming.select_related("application__candidate")[:SHOWN]
    links = tuple(
        ImpactLink(
            f"{interview.application.candidate.full_name}, {interview.round_name} "
            f"({interview.starts_at:%a %d %b})",
            reverse("interviews:interview-reschedule", args=[interview.pk]),
        )
        for interview in rows
    )
    more = f" (the {SHOWN} soonest below)" if count > SHOWN else ""
    return [
        Impact(
            f"{count} interview{'s' if count != 1 else ''} still to come "
            f"{'have' if count != 1 else 'has'} {user} on the panel{more}.",
            action="Give each one another interviewer:",
            links=links,
        )
    ]


AWAY_SHOWN = 5  # the notice names the soonest; the rest are counted


def absence_interviews_note(*, user: User, start: dt.datetime, end: dt.datetime) -> list[str]:
    """The interviews the person is on the panel of while away, each with its candidate and
    start in their own zone: "You are on the panel of 1 interview while away: Portfolio
    review with Carla Candidate, Mon 07 Dec 13:30 — ask Rita to rebook it or find a
    stand-in." (not moved automatically: the panel is chosen for the round)."""
    interviews = list(
        interviews_on_panel_between(user=user, start=start, end=end).select_related(
            "application__job__recruiter"
        )
    )
    if not interviews:
        return []
    count = len(interviews)
    named = "; ".join(
        f"{interview.round_name} with {interview.application.candidate.full_name}, "
        f"{absolute(interview.starts_at, user.zone)}"
        for interview in interviews[:AWAY_SHOWN]
    )
    more = f"; and {count - AWAY_SHOWN} more" if count > AWAY_SHOWN else ""
    ask = _rebook_words(user, interviews)
    plural = "s" if count != 1 else ""
    return [f"You are on the panel of {count} interview{plural} while away: {named}{more} — {ask}."]


def _rebook_words(user: User, interviews: list[Interview]) -> str:
    """Whom to ask to rebook: the recruiter by name when the interviews are all one
    recruiter's ("ask Rita to rebook them"), each named when several ("ask their recruiters,
    Ada and Rita, …"), nobody to ask for the reader's own."""
    one = len(interviews) == 1
    what = "rebook it or find a stand-in" if one else "rebook them or find stand-ins"
    recruiters = {i.application.job.recruiter_id: i.application.job.recruiter for i in interviews}
    if len(recruiters) == 1:
        (recruiter,) = recruiters.values()
        return what if recruiter.pk == user.pk else f"ask {recruiter.short_name} to {what}"
    others = listed(sorted(r.short_name for r in recruiters.values() if r.pk != user.pk))
    if user.pk in recruiters:
        return f"rebook yours and ask {others} to rebook theirs, or find stand-ins"
    return f"ask their recruiters, {others}, to {what}"
