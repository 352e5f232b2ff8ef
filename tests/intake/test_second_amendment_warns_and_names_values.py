"""A second amendment proposed while the first awaits a signature: the review page says the
pending version will be withdrawn before "Propose and sign" is pressed, and the request to
re-sign names each changed value, old and new (the side-by-side diff's own rows)."""

from __future__ import annotations

from html import unescape

from django.urls import reverse

from closeloop.intake.services import intake_draft_save, intake_draft_start, intake_propose
from closeloop.notify.models import Message


def _draft(world, **role):
    draft = intake_draft_start(job=world.job, by=world.rita, source="last")
    return intake_draft_save(version=draft, by=world.rita, step="role", data=role)


def _review(world, login):
    client = login(world.rita)
    url = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "review"})
    return unescape(client.get(url).content.decode())


def test_the_review_page_says_the_pending_version_will_be_withdrawn(signed, world, login):
    intake_propose(version=_draft(world, compensation_max=110000), by=world.rita)
    _draft(world, compensation_max=120000)
    page = _review(world, login)
    assert "Version 2, still awaiting a signature from Hank Manager, will be withdrawn" in page
    assert "version 1 stays in force until then" in page
    assert page.index("will be withdrawn") < page.index("Propose and sign")


def test_a_plain_amendment_withdraws_nothing(signed, world, login):
    _draft(world, compensation_max=120000)
    page = _review(world, login)
    assert "withdrawn" not in page
    assert "version 1 stays in force until then" in page


def test_with_none_in_force_nothing_is_said_to_stay_in_force(proposed, world, login):
    _draft(world, compensation_max=120000)
    page = _review(world, login)
    assert "Version 1, still awaiting a signature from Hank Manager, will be withdrawn" in page
    assert "stays in force" not in page


def test_the_request_to_re_sign_names_old_and_new_values(signed, world):
    intake_propose(version=_draft(world, compensation_max=110000), by=world.rita)
    message = Message.objects.filter(template="intake-sign", recipient=world.hank).latest("pk")
    for body in (message.body_text, unescape(message.body_html)):
        assert "Compensation range: EUR 80,000–100,000 → EUR 80,000–110,000" in body


def test_a_second_amendment_names_values_against_both_versions(signed, world):
    intake_propose(version=_draft(world, compensation_max=110000), by=world.rita)
    intake_propose(version=_draft(world, compensation_max=120000), by=world.rita)
    message = Message.objects.filter(template="intake-sign", recipient=world.hank).latest("pk")
    for body in (message.body_text, unescape(message.body_html)):
        assert "Compensation range: EUR 80,000–100,000 → EUR 80,000–120,000" in body
        assert "Compensation range: EUR 80,000–110,000 → EUR 80,000–120,000" in body
