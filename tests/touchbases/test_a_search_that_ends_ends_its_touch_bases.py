"""A job set Filled or Closed ends its touch-bases with the search: the series' cancellation
says the job was filled or closed (not that "no cadence is agreed"), and its open action
items are dropped, saying why, out of their owners' queues; the job form says so before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.activity.models import Activity
from closeloop.followups.models import Ask, AskStatus
from closeloop.jobs.models import JobOutcome, JobStatus
from closeloop.jobs.services import job_update
from closeloop.notify.models import Message
from closeloop.pipeline.models import Application, ApplicationStatus
from closeloop.touchbases.models import ActionItem, ActionItemStatus, TouchbaseSeries
from closeloop.touchbases.services import action_item_add, action_item_done, series_sync
from page_forms import job_edit_post

ENDINGS = [
    ({"status": JobStatus.FILLED}, "filled"),
    ({"status": JobStatus.CLOSED, "outcome": JobOutcome.CANCELLED}, "closed"),
]


def _cancellations(person) -> list[Message]:
    return [
        message
        for message in Message.objects.filter(recipient=person, template="touchbase-invite")
        if message.subject.startswith("Cancelled")
    ]


@pytest.fixture
def hanks_item(world, current):
    return action_item_add(
        touchbase=current, by=world.rita, description="Share two example profiles",
        owner=world.hank, due_on=dt.date(2026, 11, 30),
    )  # fmt: skip


@pytest.mark.parametrize(("data", "said"), ENDINGS)
def test_the_series_cancellation_says_the_job_ended(world, series, data, said):
    job_update(job=world.job, by=world.rita, data=data)

    # At once, in the close's transaction, not on the worker's next loop.
    assert not TouchbaseSeries.objects.get(pk=series.pk).active
    for person, other in ((world.rita, world.hank), (world.hank, world.rita)):
        (message,) = _cancellations(person)
        assert (
            f"Your weekly touch-base with {other} on Backend Engineer has ended: the job was "
            f"{said}, so the meetings end with the search." in message.body_text
        )
        assert "no cadence" not in message.body_text + message.body_html
    stopped = Activity.objects.get(kind="closeloop.touchbase.series_stopped")
    assert stopped.summary == (
        f"Touch-base series ended: the job was {said}, so the meetings end with the search"
    )


def test_a_removed_cadence_still_says_so(world, series):
    world.job.touchbase_weekday = None
    world.job.save()
    series_sync(job=world.job, by=world.rita)
    (message,) = _cancellations(world.hank)
    assert "has ended: no cadence is agreed any more." in message.body_text


@pytest.mark.parametrize(("data", "said"), ENDINGS)
def test_open_action_items_are_dropped_with_the_search(world, hanks_item, login, data, said):
    done = action_item_add(
        touchbase=hanks_item.touchbase, by=world.rita, description="Update the outreach",
        owner=world.rita, due_on=dt.date(2026, 11, 30),
    )  # fmt: skip
    action_item_done(item=done, by=world.rita)

    job_update(job=world.job, by=world.rita, data=data)

    item = ActionItem.objects.get(pk=hanks_item.pk)
    assert item.status == ActionItemStatus.CANCELLED
    assert item.dropped_because == f"the job was {said}"
    assert item.done_by == world.rita
    ask = Ask.objects.get(kind="action_item", subject=item.subject)
    assert (ask.status, ask.closed_via) == (AskStatus.CANCELLED, f"the job was {said}")
    # The finished one stays finished.
    assert ActionItem.objects.get(pk=done.pk).status == ActionItemStatus.DONE

    client = login(world.hank)
    queue = client.get(reverse("pipeline:queue")).content.decode()
    assert "Share two example profiles" not in queue
    page = client.get(reverse("touchbases:action-item", args=[item.pk])).content.decode()
    assert f": the job was {said}, so it ended with the search" in page
    assert "Mark done" not in page


def test_a_reopened_job_keeps_its_dropped_items_dropped(world, hanks_item):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})
    assert ActionItem.objects.get(pk=hanks_item.pk).status == ActionItemStatus.CANCELLED


def test_the_job_form_says_the_items_will_be_dropped_and_waits_for_the_tick(
    world, hanks_item, login
):
    # No active candidate: the open action item alone asks for the tick.
    Application.objects.filter(job=world.job).update(status=ApplicationStatus.REJECTED)
    client = login(world.rita)
    page = client.get(reverse("jobs:job-edit", args=[world.job.pk])).content.decode()
    assert "When I set it Filled or Closed, drop its open touch-base action item too" in page
    assert (
        "1 open touch-base action item (Hank&#x27;s “Share two example profiles”) will be "
        "dropped with the search" in page
    )
    assert "active candidates" not in page

    refused = job_edit_post(client, world.job, status=JobStatus.FILLED)
    assert refused.status_code == 400
    assert (
        "Ending the search would also drop its open touch-base action item: tick the box"
        in refused.content.decode()
    )
    assert ActionItem.objects.get(pk=hanks_item.pk).is_open

    saved = job_edit_post(client, world.job, status=JobStatus.FILLED, ending_confirmed="on")
    assert saved.status_code == 302
    shown = client.get(saved["Location"]).content.decode()
    assert "1 open touch-base action item was dropped with the search." in shown


def test_the_form_names_both_when_candidates_and_items_would_end(world, hanks_item, login):
    page = login(world.rita).get(reverse("jobs:job-edit", args=[world.job.pk])).content.decode()
    assert (
        "When I set it Filled or Closed, close its active candidates and drop its open "
        "touch-base action item too" in page
    )


def test_past_three_items_the_form_counts_the_rest(world, current, login):
    for n in range(5):
        action_item_add(
            touchbase=current, by=world.rita, description=f"Item {n}", owner=world.hank,
            due_on=dt.date(2026, 11, 30) + dt.timedelta(days=n),
        )  # fmt: skip
    page = login(world.rita).get(reverse("jobs:job-edit", args=[world.job.pk])).content.decode()
    assert (
        "5 open touch-base action items (Hank&#x27;s “Item 0”, Hank&#x27;s “Item 1”, "
        "Hank&#x27;s “Item 2” and 2 more) will be dropped with the search" in page
    )


def test_the_form_calls_the_readers_own_item_theirs(world, current, login):
    action_item_add(
        touchbase=current, by=world.rita, description="Call the agency", owner=world.rita,
        due_on=dt.date(2026, 11, 30),
    )  # fmt: skip
    page = login(world.rita).get(reverse("jobs:job-edit", args=[world.job.pk])).content.decode()
    assert "1 open touch-base action item (your “Call the agency”) will be dropped" in page


def test_the_meeting_skipped_with_the_series_promises_no_held_agenda(world, current, login):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    current.refresh_from_db()
    assert current.skip_reason == "The touch-base series ended."
    page = login(world.rita).get(reverse("touchbases:touchbase-detail", args=[current.pk]))
    html = page.content.decode()
    assert "it is kept as it stands when you mark the meeting held" not in html
    assert "the meeting did not take place (skipped), so it is not kept." in html
