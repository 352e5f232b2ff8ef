"""My queue filtered to one kind of ask lists only the escalations of that kind: Olga's
queue at ?kind=decide_held_debrief showed "Escalations that reached you" with a review
escalation in it, which the filter said was not shown. The block now honours the filters
as the page's other lists do, and says how many escalations lie outside them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from closeloop.followups.models import Ask, AskStatus, Notice, Nudge

QUEUE = reverse("pipeline:queue")


def _escalated_review(world) -> Ask:
    """Hank's review of Sam, two days overdue, escalated to Olga by name an hour ago."""
    now = timezone.now()
    ask = Ask.objects.create(
        kind="review_submission",
        subject="test:escalated",
        title="Review Sam Sourced",
        owner=world.hank,
        job=world.job,
        application=world.sourced,
        opened_at=now - dt.timedelta(days=4),
        due_at=now - dt.timedelta(days=2),
        status=AskStatus.OPEN,
        level=1,
    )
    at = now - dt.timedelta(hours=1)
    nudge = Nudge.objects.create(
        ask=ask, step=0, kind="escalation", level=1, scheduled_at=at, created_at=at
    )
    Notice.objects.create(nudge=nudge, recipient=world.olga, role="escalation", created_at=at)
    return ask


def test_a_kind_filter_lists_only_escalations_of_that_kind(clock, world, login):
    ask = _escalated_review(world)
    client = login(world.olga)
    shown = client.get(QUEUE, {"kind": "review_submission"}).content.decode()
    assert 'id="org-escalations"' in shown and f"{ask.title}</a>" in shown
    other = client.get(QUEUE, {"kind": "decide_held_debrief"}).content.decode()
    assert f"{ask.title}</a>" not in other
    assert "1 escalation that reached you is outside these filters" in other
    overdue = client.get(QUEUE, {"overdue": "on"}).content.decode()
    assert f"{ask.title}</a>" in overdue


def test_see_all_keeps_the_filters(clock, world, login):
    ask = _escalated_review(world)
    client = login(world.olga)
    every = reverse("pipeline:queue-escalations")
    kept = client.get(every, {"kind": "review_submission"})
    assert [row.ask for row in kept.context["listing"].rows] == [ask]
    other = client.get(every, {"kind": "decide_held_debrief"})
    assert other.context["listing"].rows == []
    assert f'<a href="{every}">all of them</a>' in other.content.decode()
