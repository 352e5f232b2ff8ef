"""One-click pages read by whoever opens them: a signed-in reader sees their own clock and
is "you"; a signed-out reader (the recipient, from their email) is told the zone of the
times; and the decision is named as whoever holds it now."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.notify.models import Message
from closeloop.notify.selectors import message_body_for

REMINDER_TIME = dt.datetime(2026, 11, 24, 10, 1, tzinfo=dt.UTC)
ADVANCE = {"closeness": 3, "calibration_note": "Fits.", "note": ""}


@pytest.fixture
def links(world, submitted, clock) -> dict[str, str]:
    """The one-click links of hank's reminder email (paths), by button label; hank is in
    Berlin, rita in London."""
    world.hank.time_zone = "Europe/Berlin"
    world.hank.save()
    world.rita.time_zone = "Europe/London"
    world.rita.save()
    clock.move_to(REMINDER_TIME)
    asks_advance()
    notices_compose()
    message = Message.objects.get(recipient=world.hank)
    body = message_body_for(message=message, user=world.hank)[0]
    found = re.findall(r"^  ([^:\n]+): (http://\S+/act/\S+/)$", body, flags=re.M)
    return {label: url.split("127.0.0.1:8000", 1)[1] for label, url in found}


def test_a_signed_in_reader_reads_times_on_her_own_clock(client, world, links, login):
    client.post(links["Advance"], ADVANCE)

    rita_reads = login(world.rita).get(links["Pass"]).content.decode()

    assert "Carla Candidate: advanced</strong> by Hank Manager, Tue 24 Nov 10:01." in rita_reads
    assert "Times are in" not in rita_reads


def test_signed_out_the_times_are_the_recipients_and_say_in_which_zone(client, world, links):
    client.post(links["Advance"], ADVANCE)

    page = client.get(links["Pass"]).content.decode()

    assert "Carla Candidate: advanced</strong> by you, Tue 24 Nov 11:01." in page
    assert "Times are in Europe/Berlin." in page


def test_the_hold_reason_says_your_answer_to_the_one_it_waits_for(client, world, links, login):
    client.post(links["Ask the recruiter a question"], {"text": "Notice period?"})

    rita_reads = login(world.rita).get(links["Pass"]).content.decode()

    assert "The review is on hold until you answer." in rita_reads
    assert "This request is still open (on hold: waiting for your answer)" in rita_reads
    assert "Rita&#x27;s answer" not in rita_reads


def test_the_decision_names_who_covers_while_its_holder_is_away(client, world, links, clock):
    client.post(links["Snooze 1 business day"], {"reason": "At a conference"})
    now = REMINDER_TIME + dt.timedelta(minutes=5)
    clock.move_to(now)
    world.hank.out_of_office_from = now - dt.timedelta(minutes=1)
    world.hank.out_of_office_until = now + dt.timedelta(days=3)
    world.hank.delegate = world.olga
    world.hank.save()

    page = client.get(links["Advance"]).content.decode()

    assert "The decision is still Olga Outsider’s, covering for you" in page
    assert "The decision is still yours" not in page


def test_the_login_hint_is_for_signed_out_readers_only(client, world, links, login):
    client.post(links["Ask the recruiter a question"], {"text": "Notice period?"})

    signed_out = client.get(links["Pass"]).content.decode()
    signed_in = login(world.hank).get(links["Pass"]).content.decode()

    assert "(you may need to log in)" in signed_out
    assert "log in" not in signed_in


def test_the_done_page_has_no_login_hint_for_a_signed_in_recipient(client, world, links, login):
    page = login(world.hank).post(links["Advance"], ADVANCE).content.decode()

    assert "Done, thank you" in page
    assert "log in" not in page
