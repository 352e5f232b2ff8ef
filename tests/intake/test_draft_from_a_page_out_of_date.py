"""The shared intake draft saved, proposed or discarded from a page opened before someone
else's save: refused with what was saved meanwhile, never undoing it, and never signing terms
the signer was not shown (closeloop.lib.seen)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from intake_helpers import REQUIREMENTS

from closeloop.intake.models import IntakeSignature, IntakeStatus, IntakeVersion
from closeloop.intake.services import (
    intake_draft_save,
    intake_draft_seen,
    intake_draft_start,
    intake_propose,
)
from closeloop.lib.seen import SavedSince
from closeloop.notify.models import Message
from page_forms import changed, page_form


def step_url(world, step: str) -> str:
    return reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": step})


def two_tabs(world):
    rita = Client()
    rita.force_login(world.rita)
    hank = Client()
    hank.force_login(world.hank)
    return rita, hank


def test_a_step_saved_from_an_older_page_keeps_the_other_sides_change(world, drafted):
    """Rita moves Go to the must-haves; Hank, on his older page, adds a deal-breaker: his save
    is refused, Rita's move stands, and his page now holds her lists beside his addition."""
    rita, hank = two_tabs(world)
    url = step_url(world, "requirements")
    ritas = page_form(rita.get(url).text)
    hanks = page_form(hank.get(url).text)
    must = REQUIREMENTS["must_haves"] + "\nGo"
    assert rita.post(url, changed(ritas, must_haves=must, nice_to_haves="")).status_code == 302

    deal_breakers = REQUIREMENTS["deal_breakers"] + "\nNo on-call"
    refused = hank.post(url, changed(hanks, deal_breakers=deal_breakers))

    assert refused.status_code == 400
    text = refused.content.decode()
    assert (
        "Someone saved changes to this draft since you opened the page: must-haves and "
        "nice-to-haves." in text
    )
    assert text.count("Someone saved changes") == 1  # said once
    drafted.refresh_from_db()
    assert (drafted.must_haves, drafted.nice_to_haves) == (must, "")
    assert drafted.deal_breakers == REQUIREMENTS["deal_breakers"]
    again = page_form(text)
    assert again["must_haves"] == [must] and again["nice_to_haves"] == [""]
    assert again["deal_breakers"] == [deal_breakers]

    assert hank.post(url, again).status_code == 302
    drafted.refresh_from_db()
    assert (drafted.must_haves, drafted.deal_breakers) == (must, deal_breakers)


def test_the_pay_raised_on_one_page_is_not_lowered_from_another(world, drafted):
    rita, hank = two_tabs(world)
    url = step_url(world, "role")
    ritas = page_form(rita.get(url).text)
    hanks = page_form(hank.get(url).text)
    assert rita.post(url, changed(ritas, compensation_max="120000")).status_code == 302

    refused = hank.post(url, changed(hanks, headcount="2"))

    assert refused.status_code == 400
    assert "since you opened the page: pay up to." in refused.content.decode()
    drafted.refresh_from_db()
    assert (drafted.compensation_max, drafted.headcount) == (120000, 1)
    assert page_form(refused.content.decode())["compensation_max"] == ["120000"]


def test_the_interview_plan_changed_since_comes_back_in_the_rounds(world, drafted):
    rita, hank = two_tabs(world)
    url = step_url(world, "plan")
    ritas = page_form(rita.get(url).text)
    hanks = page_form(hank.get(url).text)
    assert rita.post(url, changed(ritas, **{"round-0-duration_minutes": "90"})).status_code == 302

    refused = hank.post(url, hanks)  # Hank saves his page unchanged ("Save and continue")

    assert refused.status_code == 400
    assert "since you opened the page: interview plan." in refused.content.decode()
    drafted.refresh_from_db()
    assert drafted.interview_plan[0]["duration_minutes"] == 90
    again = page_form(refused.content.decode())
    assert again["round-0-duration_minutes"] == ["90"]
    assert hank.post(url, again).status_code == 302


def test_proposing_from_a_review_page_shown_before_a_change_signs_nothing(world, drafted):
    """Rita's review page shows EUR 80,000–100,000; Hank then saves a top of 150,000; Rita's
    "Propose and sign" is refused: nothing is proposed or signed, and the page shows the
    draft as it is now. Proposed from that page, it goes through."""
    rita, hank = two_tabs(world)
    review = step_url(world, "review")
    propose = reverse("intake:propose", kwargs={"pk": world.job.pk})
    ritas = page_form(rita.get(review).text, propose)
    role = step_url(world, "role")
    raised = changed(page_form(hank.get(role).text), compensation_max="150000")
    assert hank.post(role, raised).status_code == 302

    refused = rita.post(propose, ritas)

    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Someone saved changes to this draft since you opened the page: pay up to." in text
    assert "Nothing was proposed or signed" in text
    assert "150,000" in text
    drafted.refresh_from_db()
    assert drafted.status == IntakeStatus.DRAFT
    assert not IntakeSignature.objects.exists()
    assert not Message.objects.filter(template="intake-sign").exists()

    assert rita.post(propose, page_form(text, propose)).status_code == 302
    drafted.refresh_from_db()
    assert (drafted.status, drafted.compensation_max) == (IntakeStatus.PROPOSED, 150000)


def test_discarding_from_a_review_page_shown_before_a_change_keeps_the_draft(world, drafted):
    rita, hank = two_tabs(world)
    review = step_url(world, "review")
    discard = reverse("intake:discard", kwargs={"pk": world.job.pk})
    ritas = page_form(rita.get(review).text, discard)
    role = step_url(world, "role")
    renamed = changed(page_form(hank.get(role).text), team="Data platform")
    assert hank.post(role, renamed).status_code == 302

    assert rita.post(discard, ritas).status_code == 400
    assert IntakeVersion.objects.filter(pk=drafted.pk, team="Data platform").exists()


def test_a_draft_discarded_and_started_again_is_not_the_one_the_page_showed(world, drafted):
    seen = intake_draft_seen(version=drafted, step="role")
    drafted.delete()
    again = intake_draft_start(job=world.job, by=world.rita)
    try:
        intake_draft_save(
            version=again, by=world.hank, step="role", data={"headcount": 2}, seen=seen
        )
    except SavedSince as error:
        assert "draft" in error.changed
    else:
        raise AssertionError("A page of another draft saved into this one.")


def test_scripts_that_send_no_fingerprint_are_not_checked(world, drafted):
    intake_draft_save(version=drafted, by=world.hank, step="role", data={"headcount": 2})
    version = intake_propose(version=drafted, by=world.rita)
    assert version.status == IntakeStatus.PROPOSED


def test_the_request_to_re_sign_names_who_proposed_not_who_changed_what(world, signed, clock):
    """Hank raises the pay in the amendment's draft, Rita proposes it: the email to Hank says
    Rita proposed version 2 and what differs from version 1, not that Rita changed it."""
    draft = intake_draft_start(job=world.job, by=world.rita, source="last")
    intake_draft_save(version=draft, by=world.hank, step="role", data={"compensation_max": 150000})
    intake_propose(version=draft, by=world.rita)
    message = Message.objects.filter(recipient=world.hank, template="intake-sign").latest("pk")
    assert "proposed by Rita" in message.subject and "re-sign" in message.subject
    assert "Rita Recruiter proposed version 2 of the intake agreement" in message.body_text
    assert "What differs from version 1:" in message.body_text
    assert "Compensation range: EUR 80,000–100,000 → EUR 80,000–150,000" in message.body_text
    assert "changed the intake" not in message.body_text + message.subject
