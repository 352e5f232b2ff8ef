"""The action item page (where the queue and reminders link) and its buttons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.touchbases.models import ActionItemStatus
from closeloop.touchbases.services import action_item_add
from page_ids import ids_repeated


@pytest.fixture
def item(world, current):
    return action_item_add(
        touchbase=current,
        by=world.rita,
        description="Share the salary benchmark",
        owner=world.ivy,
        due_on=dt.date(2026, 11, 27),
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("ivy", 200), ("rita", 200), ("hank", 200), ("ada", 200), ("olga", 404)],
)
def test_the_owner_and_the_team_see_it(world, item, login, persona, status):
    response = login(getattr(world, persona)).get(reverse("touchbases:action-item", args=[item.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"Share the salary benchmark" in response.content


def test_the_owner_without_touch_base_access_sees_no_link_to_it(world, item, login):
    text = login(world.ivy).get(reverse("touchbases:action-item", args=[item.pk])).content.decode()
    assert "Mark done" in text and "Drop it" not in text
    assert reverse("touchbases:touchbase-detail", args=[item.touchbase_id]) not in text


def test_a_guessed_id_is_404(world, item, login):
    url = reverse("touchbases:action-item", args=[item.pk + 50])
    assert login(world.rita).get(url).status_code == 404


def test_the_owner_marks_it_done(world, item, login):
    response = login(world.ivy).post(reverse("touchbases:action-item-done", args=[item.pk]))
    assert response.url == reverse("touchbases:action-item", args=[item.pk])
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE


def test_done_from_the_touch_base_page_goes_back_there(world, item, login):
    response = login(world.rita).post(
        reverse("touchbases:action-item-done", args=[item.pk]), {"back": str(item.touchbase_id)}
    )
    assert response.url == reverse("touchbases:touchbase-detail", args=[item.touchbase_id])


@pytest.mark.parametrize("back", ["//evil.example", "²", "٣", "1" * 19])
def test_an_outside_back_value_is_ignored(world, item, login, back):
    response = login(world.rita).post(
        reverse("touchbases:action-item-done", args=[item.pk]), {"back": back}
    )
    assert response.status_code == 302
    assert response.url == reverse("touchbases:action-item", args=[item.pk])
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE


def test_twice_done_says_so(world, item, login):
    client = login(world.ivy)
    client.post(reverse("touchbases:action-item-done", args=[item.pk]))
    response = client.post(reverse("touchbases:action-item-done", args=[item.pk]), follow=True)
    assert b"already closed" in response.content


@pytest.mark.parametrize(("persona", "status"), [("olga", 404), ("ivy", 403)])
def test_dropping_is_for_whoever_runs_the_meeting(world, item, login, persona, status):
    response = login(getattr(world, persona)).post(
        reverse("touchbases:action-item-drop", args=[item.pk])
    )
    assert response.status_code == status
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN


def test_the_recruiter_drops_it(world, item, login):
    client = login(world.rita)
    page = client.get(reverse("touchbases:action-item", args=[item.pk])).content.decode()
    # One more press, saying what it does; she is led back to the touch-base, not her queue.
    assert "<summary>Drop it</summary>" in page and "Ivy Interviewer’s reminders stop" in page
    touchbase = reverse("touchbases:touchbase-detail", args=[item.touchbase_id])
    assert f'class="crumbs"><a href="{touchbase}">' in page
    client.post(reverse("touchbases:action-item-drop", args=[item.pk]), {"reason": "Not needed"})
    item.refresh_from_db()
    assert item.status == ActionItemStatus.CANCELLED
    page = client.get(reverse("touchbases:action-item", args=[item.pk])).content.decode()
    # She reads her own drop as hers (pages name their reader "you").
    assert (
        "Dropped</span> " in page
        and "by you: Not needed</dd>" in page
        and "by Rita Recruiter" not in page
    )


def test_the_meeting_it_was_agreed_in_reads_in_the_series_zone_named(world, item, login):
    """As every list of the series' meetings: the meeting's own time, its zone named when
    it is not the reader's (rita reads in New York here)."""
    from closeloop.accounts.models import User
    from closeloop.touchbases.templatetags.touchbase_panels import meeting_when

    User.objects.filter(pk=world.rita.pk).update(time_zone="America/New_York")
    zone = item.touchbase.series.time_zone
    text = login(world.rita).get(reverse("touchbases:action-item", args=[item.pk])).content.decode()
    assert f"in the touch-base of {meeting_when(item.touchbase.scheduled_at, zone)}" in text
    assert f"({zone})" in text


@pytest.mark.parametrize("persona", ["ivy", "rita", "hank"])
def test_the_page_gives_each_element_its_own_id(world, item, login, persona):
    page = login(getattr(world, persona)).get(reverse("touchbases:action-item", args=[item.pk]))
    assert ids_repeated(page.content.decode()) == []
