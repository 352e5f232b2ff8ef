"""The personal calendar feed: secret, revocable, the owner's events only, never cached,
and the token never reaches the logs."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.urls import reverse
from icalendar import Calendar

from closeloop.calendars.models import CalendarFeed
from closeloop.calendars.services import feed_issue, feed_revoke
from closeloop.interviews.models import Interview
from closeloop.lib.logging import RedactTokens


def _path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _uids(response) -> set[str]:
    return {str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_feed_lists_only_the_owners_interviews(client, world):
    mine = world.interviewed.interviews.get()
    other_start = mine.starts_at + dt.timedelta(hours=3)
    other = Interview.objects.create(
        application=world.other_application, round_name="Case", starts_at=other_start,
        ends_at=other_start + dt.timedelta(hours=1),
    )  # fmt: skip
    other.interviewers.add(world.olga)
    url = feed_issue(user=world.ivy)
    response = client.get(_path(url))  # no login: calendar apps cannot log in
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store"
    assert _uids(response) == {f"interview-{mine.pk}@closeloop"}
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert event.decoded("DTSTART").astimezone(dt.UTC) == mine.starts_at.replace(microsecond=0)


def test_only_a_hash_of_the_token_is_stored(world):
    url = feed_issue(user=world.ivy)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43
    assert not CalendarFeed.objects.filter(token_hash=token).exists()


def test_a_new_address_kills_the_old_one_and_revoking_kills_both(client, world):
    old = _path(feed_issue(user=world.ivy))
    new = _path(feed_issue(user=world.ivy))
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    feed_revoke(user=world.ivy)
    assert client.get(new).status_code == 404


def test_a_deactivated_person_has_no_feed(client, world):
    url = _path(feed_issue(user=world.ivy))
    world.ivy.is_active = False
    world.ivy.save()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("token", ["x", "y" * 43, "../../etc/passwd", "a" * 500])
def test_guessed_tokens_answer_404(client, db, token):
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_the_profile_panel_creates_shows_once_and_revokes(client, world):
    client.force_login(world.ivy)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Create my calendar address" in page
    response = client.post(reverse("calendars:feed-create"), follow=True)  # shown after a redirect
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    token = body.split("/calendar/feed/", 1)[1].split(".ics", 1)[0]
    assert len(token) >= 43
    page = client.get(reverse("accounts:profile")).content.decode()
    assert token not in page and "Switch the feed off" in page
    response = client.post(reverse("calendars:feed-revoke"))
    assert response.status_code == 302 and not CalendarFeed.objects.exists()


def test_feed_management_needs_a_login_and_a_post(client, world):
    assert client.post(reverse("calendars:feed-create")).status_code == 302  # to login
    client.force_login(world.ivy)
    response = client.get(reverse("calendars:feed-create"))  # a GET only shows a new address
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    assert not CalendarFeed.objects.exists()


def test_feed_tokens_never_reach_the_logs(client, world):
    handler = logging.getLogger("django.request").parent.handlers[0]
    assert any(isinstance(f, RedactTokens) for f in handler.filters)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        client.get("/calendar/feed/" + "z" * 43 + ".ics")  # a 404, logged as a warning
    finally:
        handler.setStream(previous)
    logged = stream.getvalue()
    assert "z" * 43 not in logged and "/calendar/feed/[redacted]" in logged


def test_the_feed_answers_head_with_its_headers_and_no_body(client, world):
    # Calendar apps and link checkers ask HEAD first: a 405 reads as a dead address.
    url = _path(feed_issue(user=world.ivy))
    response = client.head(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store"
    assert response.content == b""
    assert client.post(url).status_code == 405
