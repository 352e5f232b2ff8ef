"""The demo's touch-bases (issue 6, item 5): history, action items, a live next meeting, and
weekly updates that reach the Outbox on the worker's first loop."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from closeloop.demo.seed import demo_seed
from closeloop.jobs.models import Job, JobStatus
from closeloop.notify.models import Message
from closeloop.touchbases.models import ActionItem, ActionItemStatus, Touchbase, TouchbaseSeries
from closeloop.touchbases.selectors import touchbase_current
from closeloop.touchbases.weekly import weekly_updates_send


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        counts = demo_seed()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_every_active_job_has_a_series_with_held_meetings_and_a_next_one(demo):
    active = Job.objects.filter(status__in=[JobStatus.OPEN, JobStatus.ON_HOLD])
    assert demo["touchbase_series"] == active.count() == TouchbaseSeries.objects.count()
    for series in TouchbaseSeries.objects.select_related("job"):
        held = Touchbase.objects.filter(series=series, status="held")
        assert held.count() >= (0 if series.job.title == "Site Reliability Engineer" else 1)
        assert all(row.agenda.get("sections") and row.notes for row in held)
        assert touchbase_current(series=series) is not None, series.job.title


def test_action_items_some_done_and_one_of_hanks_overdue(demo):
    items = ActionItem.objects.all()
    assert items.filter(status=ActionItemStatus.DONE).count() >= 6
    now = timezone.now()
    overdue = [item for item in items.filter(status=ActionItemStatus.OPEN) if item.due_at <= now]
    assert [(item.owner.email, item.job.title) for item in overdue] == [
        ("hank@example.com", "Senior Backend Engineer")
    ]


def test_the_unmarked_meeting_reminds_rita(demo):
    from closeloop.followups.models import Ask, AskStatus

    open_holds = Ask.objects.filter(kind="hold_touchbase", status=AskStatus.OPEN)
    assert [(a.owner.email, a.job.title) for a in open_holds] == [
        ("rita@example.com", "Site Reliability Engineer")
    ]


def test_weekly_updates_go_out_on_the_first_loop(demo):
    weekly_updates_send()
    recipients = set(
        Message.objects.filter(template="weekly-update").values_list("recipient__email", flat=True)
    )
    assert "hank@example.com" in recipients and "rita@example.com" in recipients


def test_the_pages_render_for_rita_and_hank(demo, client):
    from closeloop.accounts.models import User

    job = Job.objects.get(title="Senior Backend Engineer")
    series = TouchbaseSeries.objects.get(job=job)
    current = touchbase_current(series=series)
    past = Touchbase.objects.filter(series=series, status="held").first()
    for email in ("rita@example.com", "hank@example.com"):
        client.force_login(User.objects.get(email=email))
        for url in (
            reverse("jobs:job-detail", args=[job.pk]),
            reverse("touchbases:touchbase-detail", args=[current.pk]),
            reverse("touchbases:touchbase-detail", args=[past.pk]),
            reverse("touchbases:weekly-update-preview"),
            reverse("touchbases:weekly-update-html"),
            reverse("accounts:profile"),
        ):
            assert client.get(url).status_code == 200, url
