"""One-click tokens are never stored usable: the outbox keeps each message with its tokens
sealed (encrypted with a key from SECRET_KEY), the email opens them as it leaves, and only
the recipient's own Outbox page shows them opened."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.links import token_hash
from closeloop.followups.models import ActionLink
from closeloop.lib.sealed import seal, unseal_text
from closeloop.notify.models import Delivery, Message
from closeloop.notify.outbox import deliver_due
from closeloop.notify.selectors import message_body_for

REMINDER_TIME = dt.datetime(2026, 11, 24, 10, 1, tzinfo=dt.UTC)
ACT = re.compile(r"https?://[^/\s]+(/act/[^/\s\"'<>]+/)")


@pytest.fixture
def message(world, submitted, clock):
    """Hank's reminder with its four one-click buttons, stored in the outbox."""
    clock.move_to(REMINDER_TIME)
    asks_advance()
    notices_compose()
    return Message.objects.get(recipient=world.hank)


def tokens_in(text: str) -> list[str]:
    return [path.removeprefix("/act/").strip("/") for path in ACT.findall(text)]


def test_the_stored_message_holds_no_usable_token(client, world, message):
    opened = tokens_in(message_body_for(message=message, user=world.hank)[0])
    assert len(opened) == 4
    for token in opened:
        assert ActionLink.objects.filter(token_hash=token_hash(token)).exists()
        assert token not in message.body_text and token not in message.body_html
    # What the table holds are sealed markers; followed as links they act on nothing.
    stored = tokens_in(message.body_text) + tokens_in(message.body_html)
    assert stored and all(token.startswith("sealed.") for token in stored)
    for token in stored:
        response = client.get(f"/act/{token}/")
        assert response.status_code == 404 and b"not valid" in response.content


def test_the_email_as_sent_carries_the_working_links(client, world, message):
    deliver_due(worker="test")
    [email] = mail.outbox
    html = email.alternatives[0][0]
    sent = tokens_in(email.body)
    assert len(sent) == 4 and set(tokens_in(html)) == set(sent)
    assert "sealed." not in email.body + html
    advance = re.search(r"^  Advance: \S+/act/(\S+)/$", email.body, re.M)[1]
    response = client.get(f"/act/{advance}/")
    assert response.status_code == 200 and b"Advance: Carla Candidate?" in response.content


def test_only_the_recipient_reads_the_links_opened(world, message):
    for reader in (world.ada, world.rita):
        text, html = message_body_for(message=message, user=reader)
        assert tokens_in(text) == [] and tokens_in(html) == []
        assert "sealed." not in text + html
        assert "#only-for-the-recipient" in text


def test_a_database_restored_under_another_key_gives_dead_links_not_errors(settings):
    marker = seal("a-secret-token", audience=7)
    settings.SECRET_KEY = "another-key-entirely-" + "x" * 40
    assert unseal_text(f"go /act/{marker}/", audience=7, unusable="dead") == "go /act/dead/"
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY, "nope"]
    assert unseal_text(marker, audience=7, unusable="dead") == "dead"


def test_a_rotated_key_still_opens_while_it_is_a_fallback(settings):
    old = settings.SECRET_KEY
    marker = seal("a-secret-token", audience=7)
    settings.SECRET_KEY = "the-new-key-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = [old]
    assert unseal_text(f"[{marker}]", audience=7, unusable="dead") == "[a-secret-token]"


def test_a_tampered_marker_opens_to_the_unusable_text():
    marker = seal("a-secret-token", audience=7)
    tampered = marker[:-6] + ("A" if marker[-6] != "A" else "B") + marker[-5:]
    assert unseal_text(tampered, audience=7, unusable="dead") == "dead"


def test_a_marker_copied_into_someone_elses_message_opens_to_nothing(world, message):
    """A dump's reader who types hank's sealed marker into text that reaches them (a
    candidate's name, a note) gets nothing usable: it was sealed for hank alone."""
    hanks = tokens_in(message_body_for(message=message, user=world.hank)[0])
    stolen = tokens_in(message.body_text)[0]
    planted = Message.objects.create(
        recipient=world.rita,
        template="notice",
        subject="News",
        body_text=f"Name: {stolen}\nLink: http://127.0.0.1:8000/act/{stolen}/\n",
        message_id=Message.new_message_id(),
    )
    Delivery.objects.create(message=planted)
    text, _ = message_body_for(message=planted, user=world.rita)
    assert "#only-for-the-recipient" in text and not any(token in text for token in hanks)
    deliver_due(worker="test")
    [to_rita] = [email for email in mail.outbox if email.to == [world.rita.email]]
    assert "link-no-longer-valid" in to_rita.body
    assert not any(token in to_rita.body for token in hanks)
