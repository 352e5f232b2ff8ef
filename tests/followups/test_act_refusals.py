"""One-click links that must not act: late, spent, revoked, outlived their holder, or forged.

Complements test_act_view.py (which covers the happy paths, expiry on POST, siblings and
a hiring manager taken off the job): every refusal is a clear page with no button, changes
nothing, and tells a person who lost access nothing about what happened since.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import ActionLink, Ask, AskStatus
from closeloop.notify.models import Message
from closeloop.notify.selectors import message_body_for
from closeloop.pipeline.models import StageChange, SubmissionDecision
from closeloop.pipeline.services import submission_decide


def recipient_reads(message):
    """The message's text as its recipient reads it (its sealed links opened)."""
    return message_body_for(message=message, user=message.recipient)[0]


UTC = dt.UTC
REMINDER_TIME = dt.datetime(2026, 11, 24, 10, 1, tzinfo=UTC)


@pytest.fixture
def links(world, submitted, clock) -> dict[str, str]:
    """The one-click links of hank's reminder email (paths), by button label."""
    clock.move_to(REMINDER_TIME)
    asks_advance()
    notices_compose()
    body = recipient_reads(Message.objects.get(recipient=world.hank))
    found = re.findall(r"^  ([^:\n]+): (http://\S+/act/\S+/)$", body, flags=re.M)
    return {label: url.split("127.0.0.1:8000", 1)[1] for label, url in found}


def unchanged(world) -> None:
    world.interviewed.refresh_from_db()
    assert world.interviewed.stage.name == "Submitted"
    assert Ask.objects.get(kind="review_submission").status == AskStatus.OPEN
    assert not ActionLink.objects.filter(used_at__isnull=False).exists()


def test_an_expired_link_shows_a_clear_page_without_a_button(client, world, links, clock):
    clock.move_to(REMINDER_TIME + dt.timedelta(hours=72))

    page = client.get(links["Advance"])

    assert page.status_code == 410
    assert b"This link has expired. Open Closeloop to answer instead." in page.content
    assert b"Nothing was changed." in page.content and b'<form method="post">' not in page.content
    assert b'href="/"' in page.content, "a way to answer in the app instead"
    unchanged(world)


def test_a_second_confirm_shows_the_answer_already_recorded(client, world, links):
    moves = StageChange.objects.filter(application=world.interviewed)
    before = moves.count()
    client.post(links["Advance"], {"closeness": 3, "calibration_note": "Fits.", "note": ""})

    again = client.post(links["Advance"], {"closeness": 3, "calibration_note": "Fits.", "note": ""})

    assert again.status_code == 410
    text = again.content.decode()
    assert "<h1>Already answered</h1>" in text
    assert "Carla Candidate: advanced</strong> by you, Tue 24 Nov 10:01." in text
    assert "Nothing was changed" not in text, "after a double click, the answer did count"
    assert moves.count() == before + 1


def test_a_link_revoked_by_an_answer_in_the_app_says_who_answered(client, world, links, submitted):
    submission_decide(
        submission=submitted,
        by=world.hank,
        decision=SubmissionDecision.PASSED,
        reason="compensation",
    )
    assert ActionLink.objects.filter(revoked_at__isnull=True).count() == 0

    page = client.get(links["Advance"])

    assert page.status_code == 410
    assert b"Carla Candidate: passed</strong> by you" in page.content
    assert b"<button" not in page.content.split(b"<main")[1]


def test_a_delegate_who_answered_in_the_app_is_told_the_answer_by_her_link(
    client, world, links, submitted
):
    """Olga covered the review and decided it in the app: her cover ended with her answer,
    but her own link still tells her what was recorded, not only that it cannot be used."""
    submission_decide(submission=submitted, by=world.hank, decision=SubmissionDecision.ADVANCED)
    Ask.objects.filter(kind="review_submission").update(
        owner=world.olga, original_owner=world.hank, closed_by=world.olga
    )
    ActionLink.objects.update(recipient=world.olga)
    page = client.get(links["Advance"])
    assert page.status_code == 410
    assert b"Carla Candidate: advanced</strong> by Hank Manager" in page.content


def test_a_token_kept_after_losing_access_is_refused_and_tells_nothing(
    client, world, links, submitted
):
    world.job.hiring_manager = world.olga
    world.job.save()
    refused = client.post(
        links["Pass"],
        {"closeness": 1, "calibration_note": "Not yet.", "reason": "other", "note": "Not for us"},
    )
    submission_decide(submission=submitted, by=world.olga, decision=SubmissionDecision.ADVANCED)
    later = client.get(links["Pass"])

    assert refused.status_code == 410
    assert b"You are no longer the hiring manager for this job." in refused.content
    assert later.status_code == 410 and b"already answered" in later.content
    assert b"Olga" not in later.content and b"advanced" not in later.content
    world.interviewed.refresh_from_db()
    assert world.interviewed.status == "active" and world.interviewed.stage.name == "Scheduling"


def test_a_deactivated_recipient_cannot_act(client, world, links):
    world.hank.is_active = False
    world.hank.save()

    response = client.post(
        links["Advance"], {"closeness": 3, "calibration_note": "Fits.", "note": ""}
    )

    assert response.status_code == 410 and b"no longer the hiring manager" in response.content
    unchanged(world)


def test_a_scanner_posting_without_the_csrf_cookie_changes_nothing(world, links):
    scanner = Client(enforce_csrf_checks=True)

    assert scanner.post(links["Advance"], {"note": ""}).status_code == 403
    assert scanner.head(links["Advance"]).status_code == 405
    assert scanner.options(links["Advance"]).status_code == 405
    unchanged(world)


def test_the_confirmation_page_shows_times_in_the_recipients_zone(client, world, links):
    world.hank.time_zone = "America/New_York"
    world.hank.save()

    page = client.get(links["Advance"]).content.decode()

    assert "(Mon 23 Nov 05:00) · your review is due Wed 25 Nov 05:00." in page


def test_the_confirmation_page_of_an_overdue_review_says_it_was_due(client, world, links, clock):
    clock.move_to(dt.datetime(2026, 11, 25, 11, 0, tzinfo=dt.UTC))  # an hour past due

    page = client.get(links["Advance"]).content.decode()

    assert "<strong>your review was due Wed 25 Nov 10:00</strong> and is overdue." in page
    assert "your review is due" not in page


def test_the_answer_is_yours_only_when_the_reader_gave_it(client, world, links, login):
    """Hank advances Carla from his email; Rita, signed in, opens its Pass button: Hank
    advanced her, not "you". Hank, signed in, reads that he did."""
    client.post(links["Advance"], {"closeness": 3, "calibration_note": "Fits.", "note": ""})

    rita_reads = login(world.rita).get(links["Pass"]).content.decode()
    assert "Carla Candidate: advanced</strong> by Hank Manager, Tue 24 Nov 10:01." in rita_reads
    hank_reads = login(world.hank).get(links["Pass"]).content.decode()
    assert "Carla Candidate: advanced</strong> by you, Tue 24 Nov 10:01." in hank_reads


def test_after_a_question_the_other_buttons_say_it_was_asked_not_answered(client, world, links):
    """A question from the email puts the review on hold; it answers nothing, so the other
    buttons say what was asked, when and by whom, and that the decision is still his."""
    client.post(links["Ask the recruiter a question"], {"text": "Notice period?"})

    page = client.get(links["Pass"])

    text = page.content.decode()
    assert page.status_code == 410
    assert "<h1>A question was asked from this email</h1>" in text
    assert (
        "You asked Rita Recruiter about <strong>Carla Candidate</strong> on Tue 24 Nov 10:01:"
        in text
    )
    assert '<blockquote class="link-quote">“Notice period?”</blockquote>' in text
    assert "The review is on hold until Rita Recruiter answers." in text
    assert "This request is still open (on hold: waiting for Rita&#x27;s answer)" in text
    assert "The decision is still yours" in text
    assert "already answered" not in text.lower()


def test_the_question_shown_is_escaped_and_cut_at_a_word(client, world, links):
    """The question is the HM's own words: shown as text, never markup, and a long one is
    cut at a word with an ellipsis rather than filling the page."""
    words = "<b>Notice</b> period and\nrelocation? " + "Also the visa question please " * 30
    client.post(links["Ask the recruiter a question"], {"text": words})

    text = client.get(links["Pass"]).content.decode()

    quote = re.search(r'<blockquote class="link-quote">“(.*?)”</blockquote>', text, re.S)
    assert quote is not None
    assert quote.group(1).startswith("&lt;b&gt;Notice&lt;/b&gt; period and relocation? Also")
    assert quote.group(1).endswith("please…") or quote.group(1).endswith("question…")
    assert len(quote.group(1)) < 320
    assert "<b>Notice" not in text


def test_after_a_snooze_the_other_buttons_do_not_call_it_answered(client, world, links, login):
    client.post(links["Snooze 1 business day"], {"reason": "At a conference"})

    text = login(world.rita).get(links["Advance"]).content.decode()

    assert "<h1>Snoozed from this email</h1>" in text
    assert (
        "Hank Manager chose <strong>Snooze 1 business day</strong> for Carla Candidate"
        " on Tue 24 Nov 10:01, saying:" in text
    )
    assert '<blockquote class="link-quote">“At a conference”</blockquote>' in text
    assert "The decision is still Hank Manager’s" in text
    assert "already answered" not in text.lower()
