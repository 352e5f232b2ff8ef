"""One-click answers: GET confirms, only POST acts, once; everything else is refused clearly."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import pytest

from closeloop.activity.models import Activity
from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import ActionLink, Ask, AskStatus
from closeloop.lib.logging import RedactTokens
from closeloop.notify.models import Message
from closeloop.notify.selectors import message_body_for
from closeloop.pipeline.models import ApplicationStatus, SubmissionDecision
from closeloop.pipeline.services import submission_decide


def recipient_reads(message):
    """The message's text as its recipient reads it (its sealed links opened)."""
    return message_body_for(message=message, user=message.recipient)[0]


UTC = dt.UTC
REMINDER_TIME = dt.datetime(2026, 11, 24, 10, 1, tzinfo=UTC)


@pytest.fixture
def links(world, submitted, clock):
    """The one-click links of hank's reminder email, by action label."""
    clock.move_to(REMINDER_TIME)
    asks_advance()
    notices_compose()
    body = recipient_reads(Message.objects.get(recipient=world.hank))
    found = dict(re.findall(r"^  ([^:\n]+): (http://\S+/act/\S+/)$", body, flags=re.M))
    assert set(found) == {
        "Advance",
        "Pass",
        "Ask the recruiter a question",
        "Snooze 1 business day",
    }
    return {label: url.split("127.0.0.1:8000", 1)[1] for label, url in found.items()}


def test_get_shows_a_confirmation_page_and_changes_nothing(client, world, links):
    for _ in range(3):
        response = client.get(links["Advance"])
    assert response.status_code == 200
    assert b"Advance: Carla Candidate?" in response.content
    assert b"This moves Carla Candidate to Scheduling and tells Rita" in response.content
    assert response["Referrer-Policy"] == "strict-origin"  # the token's path is never sent
    assert "no-store" in response["Cache-Control"]
    world.interviewed.refresh_from_db()
    assert world.interviewed.stage.name == "Submitted"
    assert ActionLink.objects.filter(used_at__isnull=False).count() == 0


def test_post_advances_closes_the_ask_and_tells_the_recruiter(client, world, links):
    response = client.post(
        links["Advance"], {"closeness": 3, "calibration_note": "Fits.", "note": "Let's meet her"}
    )
    assert response.status_code == 200 and b"Done, thank you" in response.content
    world.interviewed.refresh_from_db()
    assert world.interviewed.stage.name == "Scheduling"
    ask = Ask.objects.get(kind="review_submission")
    assert ask.status == AskStatus.DONE and ask.closed_via == "email"
    assert ask.closed_by == world.hank
    assert Message.objects.filter(recipient=world.rita, subject__contains="advanced").exists()
    assert not client.session.get("_auth_user_id"), "a link must never log anyone in"


def test_a_used_link_and_its_siblings_are_refused(client, world, links):
    client.post(links["Advance"], {"closeness": 3, "calibration_note": "Fits.", "note": ""})
    again = client.post(links["Advance"], {"closeness": 3, "calibration_note": "Fits.", "note": ""})
    sibling = client.get(links["Pass"])
    assert again.status_code == 410 and b"already been used" in again.content
    assert sibling.status_code == 410 and b"already answered" in sibling.content


def test_pass_needs_a_reason_and_says_so(client, world, links):
    response = client.post(links["Pass"], {"reason": "", "note": ""})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    world.interviewed.refresh_from_db()
    assert world.interviewed.status == ApplicationStatus.ACTIVE
    assert ActionLink.objects.filter(used_at__isnull=False).count() == 0


def test_pass_with_a_reason_rejects_the_candidate(client, world, links):
    client.post(
        links["Pass"],
        {
            "closeness": 1,
            "calibration_note": "Not yet.",
            "reason": "experience",
            "note": "Too junior for on-call",
        },
    )
    world.interviewed.refresh_from_db()
    assert world.interviewed.status == ApplicationStatus.REJECTED
    assert world.interviewed.closed_reason == "experience"


def test_a_question_goes_to_the_recruiter_and_keeps_the_ask_open(client, world, links):
    client.post(links["Ask the recruiter a question"], {"text": "Notice period?"})
    assert world.interviewed.submissions.get().questions.get().text == "Notice period?"
    assert Ask.objects.get(kind="review_submission").status == AskStatus.OPEN


def test_the_question_done_page_names_the_recruiter_once(client, world, links):
    response = client.post(links["Ask the recruiter a question"], {"text": "Notice period?"})
    body = response.content.decode()
    assert "Your question went to Rita." in body
    assert "has been told" not in body


def test_snooze_from_the_email_says_where_the_recruiter_sees_it(client, world, links):
    """A snooze sends the recruiter nothing, so the page does not claim she was told."""
    before = Message.objects.filter(recipient=world.rita).count()
    response = client.post(links["Snooze 1 business day"], {"reason": "At a conference"})
    body = response.content.decode()
    assert "Rita sees it, with your reason, on the candidate’s page and in the queue." in body
    assert "has been told" not in body
    assert Message.objects.filter(recipient=world.rita).count() == before


def test_snooze_from_the_email_keeps_the_due_time(client, world, links):
    client.post(links["Snooze 1 business day"], {"reason": "At a conference"})
    ask = Ask.objects.get(kind="review_submission")
    assert ask.snooze_reason == "At a conference" and ask.due_at == dt.datetime(
        2026, 11, 25, 10, tzinfo=UTC
    )


def test_an_expired_link_is_refused(client, world, links, clock):
    clock.move_to(REMINDER_TIME + dt.timedelta(hours=72, seconds=1))
    response = client.post(
        links["Advance"], {"closeness": 3, "calibration_note": "Fits.", "note": ""}
    )
    assert response.status_code == 410 and b"expired" in response.content
    world.interviewed.refresh_from_db()
    assert world.interviewed.stage.name == "Submitted"


def test_an_unknown_token_is_refused_without_detail(client, world, links):
    response = client.get("/act/" + "x" * 43 + "/")
    assert response.status_code == 404 and b"not valid" in response.content


def test_a_link_for_a_decision_already_made_in_the_app_is_refused(client, world, links, submitted):
    submission_decide(submission=submitted, by=world.hank, decision=SubmissionDecision.ADVANCED)
    response = client.get(links["Pass"])
    assert response.status_code == 410
    world.interviewed.refresh_from_db()
    assert world.interviewed.status == ApplicationStatus.ACTIVE


def test_a_hiring_manager_taken_off_the_job_can_no_longer_act(client, world, links):
    world.job.hiring_manager = world.olga
    world.job.save()
    response = client.post(
        links["Advance"], {"closeness": 3, "calibration_note": "Fits.", "note": ""}
    )
    assert response.status_code == 410 and b"no longer the hiring manager" in response.content


def test_only_the_hash_of_a_token_is_stored(world, links):
    token = links["Advance"].split("/act/")[1].strip("/")
    assert not ActionLink.objects.filter(token_hash=token).exists()
    assert len(token) >= 43  # 32 random bytes, url-safe base64


def test_tokens_never_reach_the_logs(client, world, links):
    handler = logging.getLogger("django.request").parent.handlers[0]
    assert any(isinstance(f, RedactTokens) for f in handler.filters)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        client.get("/act/" + "y" * 43 + "/")  # a 404: Django logs the path as a warning
        client.post(links["Advance"], {"closeness": 3, "calibration_note": "Fits.", "note": ""})
        client.post(
            links["Advance"], {"closeness": 3, "calibration_note": "Fits.", "note": ""}
        )  # a 410, logged too
    finally:
        handler.setStream(previous)
    token = links["Advance"].split("/act/")[1].strip("/")
    logged = stream.getvalue()
    assert "/act/[redacted]/" in logged
    assert token not in logged and "y" * 43 not in logged


def test_the_page_warns_a_browser_signed_in_as_someone_else(client, world, links):
    """Ivy opens Hank's forwarded link: the page says whose answer she would record."""
    assert "This browser is signed in as" not in client.get(links["Advance"]).content.decode()
    client.force_login(world.ivy)
    page = client.get(links["Advance"]).content.decode()
    assert (
        "This browser is signed in as Ivy Interviewer, but this link was sent to Hank Manager"
    ) in page
    client.force_login(world.hank)
    assert "This browser is signed in as" not in client.get(links["Advance"]).content.decode()


def test_each_use_records_who_answered_and_any_other_signed_in_browser(client, world, links):
    """The link acts as hank; pressed in a browser where ada is signed in (she opened his
    forwarded email), the history says so, with the address it came from."""
    client.force_login(world.ada)
    client.post(
        links["Advance"],
        {"closeness": 3, "calibration_note": "Fits.", "note": ""},
        REMOTE_ADDR="198.51.100.7",
    )
    used = Activity.objects.get(kind="closeloop.link.used")
    assert used.actor == world.hank
    assert "pressed in a browser signed in as Ada Admin" in used.summary
    assert used.data["signed_in_as"] == world.ada.pk
    assert used.data["address"] == "198.51.100.7"
    assert used.team_only


def test_pass_from_the_email_offers_and_records_the_agreements_criteria(client, world, links):
    """The same reasons as the application page: a must-have cited from the email is a
    pass on the agreement, recorded as such (the drift watch reads the citation)."""
    from closeloop.intake.models import PassCitation

    page = client.get(links["Pass"]).content.decode()
    assert '<optgroup label="Misses a must-have">' in page
    assert 'value="must:PostgreSQL"' in page
    data = {"closeness": 1, "calibration_note": "No PostgreSQL.", "reason": "must:PostgreSQL"}
    done = client.post(links["Pass"], {**data, "note": ""})
    assert done.status_code == 200
    world.interviewed.refresh_from_db()
    assert world.interviewed.status == ApplicationStatus.REJECTED
    assert world.interviewed.closed_reason == "skills"
    assert "Misses the must-have “PostgreSQL”" in world.interviewed.closed_note
    cited = PassCitation.objects.get()
    assert (cited.kind, cited.criterion) == ("must_have", "PostgreSQL")


def test_a_link_opened_by_someone_else_names_its_recipient_not_you(client, world, links, clock):
    """Rita opens Hank's forwarded Advance link once his review is overdue: the banner says
    whose link it is, and the body never tells her that the review is hers or that she
    will be told as if she were someone else."""
    clock.move_to(dt.datetime(2026, 11, 25, 11, tzinfo=UTC))
    client.force_login(world.rita)
    page = client.get(links["Advance"]).content.decode()
    assert "Hank Manager’s review was due" in page and "your review" not in page
    assert "to Scheduling and tells you." in page and "tells Rita" not in page
    snooze = client.get(links["Snooze 1 business day"]).content.decode()
    assert "Hank Manager’s reminders pause" in snooze
    assert "you see that Hank Manager snoozed" in snooze
    question = client.get(links["Ask the recruiter a question"]).content.decode()
    assert "You get Hank Manager’s question; the decision stays with Hank Manager." in question
    done = client.post(
        links["Pass"],
        {"closeness": 1, "calibration_note": "No.", "reason": "experience", "note": ""},
    )
    done_words = done.content.decode()
    assert "Hank Manager passed on Carla Candidate." in done_words
    # She pressed it herself: nobody told her anything; her next step waits in her queue.
    assert "What comes next is in your queue." in done_words
    assert "been told" not in done_words


def test_the_recipient_still_reads_you(client, world, links, clock):
    clock.move_to(dt.datetime(2026, 11, 25, 11, tzinfo=UTC))
    client.force_login(world.hank)
    page = client.get(links["Advance"]).content.decode()
    assert "your review was due" in page and "tells Rita." in page
    done = client.post(
        links["Pass"],
        {"closeness": 1, "calibration_note": "No.", "reason": "experience", "note": ""},
    )
    assert "You passed on Carla Candidate." in done.content.decode()
    assert "Rita has been told." in done.content.decode()
