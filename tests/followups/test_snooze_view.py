"""Snoozing from My queue: the confirmation names the day the snooze ends (a Saturday's ends
on Monday, not "tomorrow"), and a refused reason says what was wrong with it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.followups.models import Ask

SATURDAY = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)


def _ask(world) -> Ask:
    return Ask.objects.create(
        kind="review_submission", subject="test:snooze", title="Review Sam", owner=world.hank,
        job=world.job, application=world.sourced, due_at=SATURDAY + dt.timedelta(days=3),
    )  # fmt: skip


def _said(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_a_saturdays_snooze_says_it_ends_on_monday(world, login, clock):
    clock.move_to(SATURDAY)
    ask = _ask(world)
    url = reverse("followups:ask-snooze", args=[ask.pk])
    said = _said(login(world.hank).post(url, {"reason": "Travelling"}, follow=True))
    ask.refresh_from_db()
    assert ask.snoozed_until is not None and ask.snoozed_until.weekday() == 0
    assert "Snoozed until Mon 30 Nov" in said and "tomorrow" not in said


def test_an_empty_or_too_long_reason_is_named_and_nothing_changes(world, login, clock):
    clock.move_to(SATURDAY)
    ask = _ask(world)
    url = reverse("followups:ask-snooze", args=[ask.pk])
    client = login(world.hank)
    assert "Say why you are snoozing" in _said(client.post(url, {"reason": ""}, follow=True))
    said = _said(client.post(url, {"reason": "x" * 301}, follow=True))
    assert "Keep the reason to 300 characters (it has 301)." in said
    ask.refresh_from_db()
    assert ask.snoozed_until is None
