"""Opening many asks at once (`asks_open`) writes exactly what `ask_open` writes one by one:
the same asks, due times and ladders (job > organisation > default, delegation, an owner
away with nobody covering, an agreed date), the same opening activities, in the same order;
in a few queries for the whole batch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from closeloop.activity.models import Activity
from closeloop.followups.models import Ask, AskStatus, ServiceLevel
from closeloop.followups.services import AskRequest, ask_open, asks_open

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@pytest.fixture
def requests(world, clock):
    """Asks of every sort: a job's own due time, an organisation's, a delegate covering for
    an owner away, an owner away with no delegate, an agreed date with facts."""
    now = timezone.now()
    world.job.service_levels = {"review_submission": 1}
    world.job.save(update_fields=["service_levels"])
    ServiceLevel.objects.create(kind="answer_question", amount=2, updated_by=world.ada)
    world.olga.out_of_office_from, world.olga.out_of_office_until = now - DAY, now + 3 * DAY
    world.olga.delegate = world.ada
    world.olga.save()
    world.ivy.out_of_office_from, world.ivy.out_of_office_until = now - DAY, now + 3 * DAY
    world.ivy.save()
    return [
        AskRequest(
            kind="review_submission",
            subject=f"submission:{world.interviewed.pk}",
            title="Review Carla for Backend Engineer",
            owner=world.hank,
            job=world.job,
            application=world.interviewed,
            requested_by=world.rita,
            opened_at=now - 30 * HOUR,
        ),
        AskRequest(
            kind="answer_question",
            subject="question:1",
            title="Answer Hank's question about Sam",
            owner=world.rita,
            application=world.sourced,
            requested_by=world.hank,
            facts={"asker": "Hank", "question": "Has Sam run on-call?"},
        ),
        AskRequest(
            kind="review_submission",
            subject=f"submission:{world.other_application.pk}",
            title="Review Otto for Data Analyst",
            owner=world.olga,
            application=world.other_application,
            requested_by=world.ada,
        ),
        AskRequest(
            kind="answer_question",
            subject="question:2",
            title="Answer Rita's question about Carla",
            owner=world.ivy,
            job=world.job,
            application=world.interviewed,
        ),
        AskRequest(
            kind="action_item",
            subject="action_item:1",
            title="Share two example profiles (Backend Engineer)",
            owner=world.hank,
            job=world.job,
            requested_by=world.rita,
            opened_at=now - 2 * HOUR,
            due_on=(now + 2 * DAY).date(),
            facts={"item": "Share two example profiles", "meeting": "Mon 23 Nov"},
        ),
    ]


def written(since: tuple[int, int]) -> tuple[list[dict], list[dict]]:
    """The asks and activities written, without their keys (an activity names its ask by
    the ask's place in the list)."""
    asks = list(Ask.objects.filter(pk__gt=since[0]).order_by("pk").values())
    place = {ask.pop("id"): index for index, ask in enumerate(asks)}
    activities = list(Activity.objects.filter(pk__gt=since[1]).order_by("pk").values())
    for activity in activities:
        activity.pop("id")
        activity["data"] = {**activity["data"], "ask": place[activity["data"]["ask"]]}
    return asks, activities


def last_keys() -> tuple[int, int]:
    """The newest ask and activity before the test writes its own."""
    ask = Ask.objects.order_by("-pk").values_list("pk", flat=True).first()
    activity = Activity.objects.order_by("-pk").values_list("pk", flat=True).first()
    return ask or 0, activity or 0


def test_opening_many_at_once_writes_what_opening_one_by_one_writes(requests):
    before = last_keys()
    with transaction.atomic():
        for request in requests:
            ask_open(**vars(request))
        one_by_one = written(before)
        transaction.set_rollback(True)
    opened = asks_open(requests)
    assert written(before) == one_by_one
    assert [ask.pk for ask in opened] == sorted(
        Ask.objects.filter(pk__gt=before[0]).values_list("pk", flat=True)
    )
    # What the requests were chosen to show: each source of due time and both ways of routing.
    policies = {ask.subject: ask.policy for ask in opened}
    assert policies[requests[0].subject]["source"] == "job"
    assert policies[requests[1].subject]["source"] == "organisation"
    assert opened[2].owner == requests[2].owner.delegate
    assert policies[requests[3].subject]["owner_away"] is True
    assert policies[requests[4].subject]["facts"]["meeting"] == "Mon 23 Nov"


def test_the_batch_costs_the_same_few_queries_however_many_asks_it_opens(requests):
    with transaction.atomic():
        with CaptureQueriesContext(connection) as two:
            asks_open(requests[:2])
        transaction.set_rollback(True)
    with CaptureQueriesContext(connection) as five:
        asks_open(requests)
    assert len(five) == len(two)


def test_an_open_ask_is_returned_not_opened_again_and_a_kind_turned_off_opens_nothing(
    requests, world
):
    first = ask_open(**vars(requests[0]))
    ServiceLevel.objects.create(kind="action_item", amount=1, enabled=False)
    again = asks_open([requests[0], requests[1], requests[1], requests[4]])
    assert again[0] == first
    assert again[1] is not None and again[2] == again[1]
    assert again[3] is None
    subjects = [request.subject for request in requests]
    assert Ask.objects.filter(status=AskStatus.OPEN, subject__in=subjects).count() == 2
    assert not Ask.objects.filter(kind="action_item").exists()
