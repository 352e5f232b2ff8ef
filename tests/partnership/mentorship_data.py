"""Data for the mentorship tests (a module, not a conftest: the other partnership parts
keep their own fixtures in this folder).

Times are relative to the shared clock, Monday 23 Nov 2026 10:00 UTC.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

_subjects = itertools.count(1)


def past_ask(owner, kind, *, days_ago, late_days=0, application=None, open_=False):
    """An ask of `kind` owed by `owner`, opened `days_ago` days back with a 2-day due time,
    answered `late_days` after due (negative: early), or still open: plain ORM, as the
    engine leaves it."""
    from closeloop.followups.models import Ask, AskStatus

    now = timezone.now()
    opened = now - dt.timedelta(days=days_ago)
    due = opened + dt.timedelta(days=2)
    closed = None if open_ else due + dt.timedelta(days=late_days)
    return Ask.objects.create(
        kind=kind,
        subject=f"test:{next(_subjects)}",
        title=f"{kind} for test",
        owner=owner,
        application=application,
        job=application.job if application else None,
        opened_at=opened,
        due_at=due,
        status=AskStatus.OPEN if open_ else AskStatus.DONE,
        closed_at=closed,
        response_seconds=None if open_ else 3600,
    )


def slow_reviews(world, count=3):
    """hank answered `count` reviews of Backend Engineer candidates late in the last two
    weeks and none in time."""
    return [
        past_ask(
            world.hank, "review_submission", days_ago=4 + i, late_days=1, application=world.sourced
        )
        for i in range(count)
    ]


def active_mentorship(mentor, mentee, by=None):
    """A pairing proposed and accepted through the services (first session planned)."""
    from closeloop.partnership.mentorship.services import mentorship_accept, mentorship_propose

    mentorship = mentorship_propose(mentor=mentor, mentee=mentee, by=by or mentor)
    return mentorship_accept(mentorship=mentorship, by=mentee)
