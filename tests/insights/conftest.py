"""Asks with chosen response times, due times and closing times, written straight to the
table (the engine's own tests cover how they get there)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from closeloop.followups.models import Ask, AskStatus
from closeloop.pipeline.models import Application

# The shared world's frozen moment (tests/conftest.py): Monday 23 November 2026, 10:00 UTC.
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
HOUR = 3600
_subjects = itertools.count(1)


def waited(application, days: int, owner) -> None:
    """The application has waited `days` days on `owner`'s move (its stage entered then)."""
    since = NOW - dt.timedelta(days=days)
    Application.objects.filter(pk=application.pk).update(
        next_move_owner=owner, next_move_since=since, entered_stage_at=since
    )


def ask_row(owner, *, job=None, kind="review_submission", **fields) -> Ask:
    """An unsaved ask of `owner`: answered when `closed_at` is given, else open."""
    closed_at = fields.get("closed_at")
    fields.setdefault("status", AskStatus.DONE if closed_at else AskStatus.OPEN)
    fields.setdefault("opened_at", (closed_at or NOW) - dt.timedelta(days=3))
    fields.setdefault("due_at", (closed_at or NOW) + dt.timedelta(days=1))
    if closed_at:
        fields.setdefault("closed_by", owner)
        fields.setdefault("closed_via", "web")
    return Ask(
        owner=owner, job=job, kind=kind, subject=f"test:{next(_subjects)}",
        title="Something owed", **fields,
    )  # fmt: skip


@pytest.fixture
def make_asks():
    def _make(*asks: Ask) -> list[Ask]:
        return Ask.objects.bulk_create(asks)

    return _make
