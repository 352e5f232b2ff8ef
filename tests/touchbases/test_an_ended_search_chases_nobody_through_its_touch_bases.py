"""A job set Filled or Closed takes no new touch-base action items: its open ones were
dropped with the search, so a new one would put its owner in a queue (and an email) about a
search that is over. The touch-base page says why instead of offering the form; recording
the meeting (notes, held, skipped) stays open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.followups.models import Ask
from closeloop.jobs.models import JobOutcome, JobStatus
from closeloop.jobs.services import job_update
from closeloop.notify.models import Message
from closeloop.touchbases.models import ActionItem
from closeloop.touchbases.services import action_item_add, touchbase_notes_save

ENDINGS = [
    ({"status": JobStatus.FILLED}, "filled"),
    ({"status": JobStatus.CLOSED, "outcome": JobOutcome.CANCELLED}, "closed"),
]


@pytest.mark.parametrize(("data", "said"), ENDINGS)
def test_no_action_item_is_added_once_the_search_ended(world, current, data, said):
    job_update(job=world.job, by=world.rita, data=data)

    with pytest.raises(ValidationError) as refused:
        action_item_add(
            touchbase=current, by=world.rita, description="Share two example profiles",
            owner=world.hank, due_on=dt.date(2026, 11, 30),
        )  # fmt: skip

    assert refused.value.messages == [
        f"Backend Engineer is {said}: its action items ended with the search, so no new one "
        "is added. Reopen the job to agree one."
    ]
    assert not ActionItem.objects.exists()
    assert not Ask.objects.filter(kind="action_item").exists()
    assert not Message.objects.filter(recipient=world.hank, template="action-item-assigned")
    # The meeting is still a record to keep.
    touchbase_notes_save(touchbase=current, by=world.rita, notes="Agreed the offer.")


def test_the_page_says_why_instead_of_offering_the_form(world, current, login):
    url = reverse("touchbases:touchbase-detail", args=[current.pk])
    login(world.rita)
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})

    page = login(world.rita).get(url).content.decode()

    assert "Add an action item" not in page
    assert "its action items ended with the search" in page
    posted = login(world.rita).post(
        reverse("touchbases:action-item-add", args=[current.pk]),
        {"description": "Chase", "owner": world.hank.pk, "due_on": "2026-11-30"},
    )
    assert posted.status_code == 400
    assert "its action items ended with the search" in posted.content.decode()
    assert not ActionItem.objects.exists()


def test_a_reopened_search_takes_action_items_again(world, current):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})

    item = action_item_add(
        touchbase=current, by=world.rita, description="Share two example profiles",
        owner=world.hank, due_on=dt.date(2026, 11, 30),
    )  # fmt: skip

    assert item.is_open
