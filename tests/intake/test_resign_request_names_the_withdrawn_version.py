"""Version 1 in force, version 2 proposed, then version 3 proposed before hank signed 2: the
request to sign 3 says 2 is withdrawn (no longer to sign) and what changed from 2, the terms
hank was last asked to sign, as well as from 1."""

from __future__ import annotations

from html import unescape

from closeloop.intake.services import intake_draft_save, intake_draft_start, intake_propose
from closeloop.notify.models import Message


def _propose(world, **data):
    draft = intake_draft_start(job=world.job, by=world.rita, source="last")
    intake_draft_save(version=draft, by=world.rita, step="requirements", data=data)
    return intake_propose(version=draft, by=world.rita)


def _request(world):
    return Message.objects.filter(template="intake-sign", recipient=world.hank).latest("pk")


def test_the_request_for_version_3_says_version_2_is_withdrawn(signed, world):
    _propose(world, must_haves="Python\nPostgreSQL\nKafka")
    _propose(world, must_haves="Python\nPostgreSQL\nKafka", nice_to_haves="Rust")
    message = _request(world)
    for body in (message.body_text, message.body_html):
        assert "version 3 of the intake agreement" in body
        assert "amending version 1 (in force)." in body
        assert "Version 1 stays in force until you have both signed." in body
        assert "Version 2, proposed before, is withdrawn: you no longer need to sign it." in body
        assert "What differs from version 2:" in body
        assert "Nice-to-haves: added Rust" in body


def test_with_no_version_in_force_the_replaced_one_is_withdrawn_not_in_force(proposed, world):
    _propose(world, must_haves="Python\nKafka")
    body = _request(world).body_text
    assert "replacing version 1, which is withdrawn: you no longer need to sign it." in body
    assert "stays in force" not in body


def test_a_plain_amendment_still_says_the_old_version_stays_in_force(signed, world):
    _propose(world, must_haves="Python\nKafka")
    body = _request(world).body_text
    assert "What differs from version 1:" in body
    assert "Must-haves: added Kafka; removed PostgreSQL, On-call experience" in body
    assert "Version 1 stays in force until you have both signed." in body
    assert "withdrawn" not in body


def _propose_as(world, by, **data):
    draft = intake_draft_start(job=world.job, by=by, source="last")
    intake_draft_save(version=draft, by=by, step="requirements", data=data)
    return intake_propose(version=draft, by=by)


def test_the_proposer_of_the_withdrawn_version_hears_it_was_replaced(signed, world):
    """Hank proposed version 2 (signed for his side); Rita proposes 3 before signing it."""
    _propose_as(world, world.hank, must_haves="Python\nPostgreSQL\nKafka")
    _propose_as(world, world.rita, must_haves="Python\nPostgreSQL\nKafka", nice_to_haves="Rust")
    message = _request(world)
    for body in (message.body_text, unescape(message.body_html)):
        assert "Your proposal, version 2, is withdrawn: Rita's version 3 replaces it." in body
        assert "no longer need to sign" not in body
        assert "What differs from version 2:" in body
        assert "Nice-to-haves: added Rust" in body


def test_with_none_in_force_the_proposer_hears_his_version_was_replaced(proposed, world):
    """Rita proposed version 1; Hank proposes 2 before signing it: Rita is asked to sign."""
    _propose_as(world, world.hank, must_haves="Python\nKafka")
    message = Message.objects.filter(template="intake-sign", recipient=world.rita).latest("pk")
    for body in (message.body_text, message.body_html):
        assert "replacing your proposal, version 1, which is withdrawn." in body
        assert "no longer need to sign" not in body


def test_the_proposer_of_the_version_in_force_hears_it_amended_not_replaced(signed, world):
    """Rita proposed version 1, Hank signed it (in force); Hank proposes 2: Rita's version 1
    is not "your proposal" replaced, it is the agreement in force, amended."""
    _propose_as(world, world.hank, must_haves="Python\nKafka")
    message = Message.objects.filter(template="intake-sign", recipient=world.rita).latest("pk")
    for body in (message.body_text, unescape(message.body_html)):
        assert "proposed version 2 of the intake agreement" in body
        assert "amending version 1 (in force)." in body
        assert "Version 1 stays in force until you have both signed." in body
        assert "your proposal" not in body.lower()
        assert "replacing" not in body
        assert "withdrawn" not in body
