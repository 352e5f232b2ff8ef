"""Every action on the application page: who may, what changes, and what a refusal looks like."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pipeline_helpers import PITCH, fresh

from closeloop.activity.models import Activity
from closeloop.pipeline.models import (
    ApplicationStatus,
    Question,
    StageChange,
    Submission,
    SubmissionDecision,
)
from closeloop.pipeline.services import (
    application_reject,
    application_submit,
    submission_ask_question,
    submission_decide,
)


def action(name, application) -> str:
    return reverse(f"pipeline:{name}", args=[application.pk])


def page(application) -> str:
    return reverse("pipeline:application-detail", args=[application.pk])


def snapshot(application) -> tuple:
    """Everything an action may change, to prove a refused one changed nothing."""
    application.refresh_from_db()
    return (
        application.stage_id,
        application.status,
        application.next_move_owner_id,
        Submission.objects.filter(application=application).count(),
        list(Submission.objects.values_list("decision", flat=True)),
        Question.objects.count(),
        StageChange.objects.count(),
        Activity.objects.count(),
    )


def stage(world, name):
    return world.job.stages.get(name=name)


# --- Submit -----------------------------------------------------------------------------------


def test_rita_submits_to_hank_with_a_pitch(world, login):
    client = login(world.rita)
    response = client.post(
        action("application-submit", world.sourced),
        {"pitch": PITCH, "must_haves_met": ["Python", "On-call experience"]},
    )
    assert response.status_code == 302
    assert response["Location"] == page(world.sourced)
    submission = Submission.objects.get(application=world.sourced)
    assert submission.pitch == PITCH
    assert submission.must_haves_met == ["Python", "On-call experience"]
    application = fresh(world.sourced)
    assert application.stage.name == "Submitted"
    assert application.next_move_owner == world.hank
    assert (
        "Submitted Sam Sourced to Hank Manager" in client.get(page(world.sourced)).content.decode()
    )


def test_an_empty_pitch_is_a_clear_error_and_changes_nothing(world, login):
    before = snapshot(world.sourced)
    response = login(world.rita).post(action("application-submit", world.sourced), {"pitch": " "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was changed. Correct what is marked below." in body
    assert body.count("This field is required.") == 1  # beside the pitch, not again above
    assert snapshot(world.sourced) == before


def test_a_must_have_the_job_does_not_list_is_refused(world, login):
    before = snapshot(world.sourced)
    response = login(world.rita).post(
        action("application-submit", world.sourced), {"pitch": PITCH, "must_haves_met": ["Rust"]}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert snapshot(world.sourced) == before


def test_submitting_twice_is_refused_with_the_reason(world, login, submitted):
    before = snapshot(world.interviewed)
    response = login(world.rita).post(
        action("application-submit", world.interviewed), {"pitch": PITCH}
    )
    assert response.status_code == 400
    assert "already waiting for the HM" in response.content.decode()
    assert snapshot(world.interviewed) == before


def test_a_candidate_past_the_hms_review_is_not_submitted_again(world, login, submitted):
    submission_decide(submission=submitted, by=world.hank, decision=SubmissionDecision.ADVANCED)
    client = login(world.rita)
    assert "Submit to Hank" not in client.get(page(world.interviewed)).content.decode()
    before = snapshot(world.interviewed)
    response = client.post(action("application-submit", world.interviewed), {"pitch": PITCH})
    assert response.status_code == 400
    assert "Carla Candidate is already past the HM&#x27;s review (in Scheduling)" in (
        response.content.decode()
    )
    assert snapshot(world.interviewed) == before


def test_hank_cannot_submit(world, login):
    before = snapshot(world.sourced)
    response = login(world.hank).post(action("application-submit", world.sourced), {"pitch": PITCH})
    assert response.status_code == 403
    assert "recruiting side" in response.content.decode()
    assert snapshot(world.sourced) == before


# --- Every action: outsiders, guessed ids and GET ---------------------------------------------

ACTIONS = [
    ("application-submit", {"pitch": PITCH}),
    ("application-move", {"to_stage": "", "reason": "x"}),
    ("application-reject", {"reason": "skills"}),
    ("application-withdraw", {"reason": "other_offer"}),
    ("application-reopen", {}),
    (
        "submission-decide",
        {"decision": "advanced", "submission": "1", "closeness": "3", "calibration_note": "Fits."},
    ),
    ("submission-question", {"text": "Why?", "submission": "1"}),
]


def test_olga_gets_not_found_for_every_action_and_nothing_changes(world, login, submitted):
    client = login(world.olga)
    before = snapshot(world.interviewed)
    for name, data in ACTIONS:
        response = client.post(action(name, world.interviewed), data)
        assert response.status_code == 404, name
        assert "Carla" not in response.content.decode()
    assert snapshot(world.interviewed) == before


def test_a_guessed_id_is_not_found_for_every_action(world, login):
    client = login(world.ada)
    for name, data in ACTIONS:
        assert client.post(reverse(f"pipeline:{name}", args=[99999]), data).status_code == 404


def test_get_is_refused_by_every_action_and_changes_nothing(world, login, submitted):
    client = login(world.ada)
    before = snapshot(world.interviewed)
    for name, data in ACTIONS:
        response = client.get(action(name, world.interviewed), data)
        if name == "application-move":  # the move's form (a board card fetches it)
            assert response.status_code == 200 and 'name="to_stage"' in response.content.decode()
        else:
            assert response.status_code == 405, name
    assert snapshot(world.interviewed) == before


def test_ivy_reads_the_page_but_every_action_is_refused(world, login, submitted):
    client = login(world.ivy)
    extra = {"submission": str(submitted.pk), "to_stage": str(stage(world, "Offer").pk)}
    before = snapshot(world.interviewed)
    for name, data in ACTIONS:
        response = client.post(action(name, world.interviewed), {**data, **extra})
        assert response.status_code == 403, name
    assert snapshot(world.interviewed) == before


def test_an_anonymous_post_to_any_action_is_sent_to_log_in(world, client):
    before = snapshot(world.interviewed)
    for name, data in ACTIONS:
        response = client.post(action(name, world.interviewed), data)
        assert response.status_code == 302, name
        assert reverse("accounts:login") in response["Location"]
    assert snapshot(world.interviewed) == before


# --- Decide -----------------------------------------------------------------------------------


def decide(client, world, submission, **data):
    return client.post(
        action("submission-decide", world.interviewed),
        {"submission": submission.pk, "closeness": 3, "calibration_note": "Fits.", **data},
    )


def test_hank_advances_the_candidate(world, login, submitted):
    response = decide(login(world.hank), world, submitted, decision="advanced", note="Great")
    assert response.status_code == 302
    assert fresh(submitted).decision == SubmissionDecision.ADVANCED
    application = fresh(world.interviewed)
    assert application.stage.name == "Scheduling"
    assert application.is_active


def test_hank_passes_with_a_reason(world, login, submitted):
    client = login(world.hank)
    response = decide(client, world, submitted, decision="passed", reason="skills", note="No Go")
    assert response.status_code == 302
    submission = fresh(submitted)
    assert (submission.decision, submission.pass_reason) == ("passed", "skills")
    assert submission.decision_note == "No Go"
    assert fresh(world.interviewed).status == ApplicationStatus.REJECTED
    assert "Passed on Carla Candidate." in client.get(page(world.interviewed)).content.decode()


def test_a_pass_without_a_reason_is_a_clear_error(world, login, submitted):
    before = snapshot(world.interviewed)
    response = decide(login(world.hank), world, submitted, decision="passed", reason="")
    assert response.status_code == 400
    assert "Choose the reason for passing." in response.content.decode()
    assert snapshot(world.interviewed) == before


def test_a_pass_for_another_reason_needs_a_note(world, login, submitted):
    before = snapshot(world.interviewed)
    response = decide(login(world.hank), world, submitted, decision="passed", reason="other")
    assert response.status_code == 400
    assert "Say why in the note" in response.content.decode()
    assert snapshot(world.interviewed) == before


def test_a_second_click_finds_the_decision_made_and_changes_nothing(world, login, submitted):
    client = login(world.hank)
    decide(client, world, submitted, decision="advanced")
    before = snapshot(world.interviewed)
    response = decide(client, world, submitted, decision="passed", reason="skills")
    assert response.status_code == 400
    assert "Advanced already by you." in response.content.decode()
    assert snapshot(world.interviewed) == before


def test_deciding_on_an_outdated_submission_is_refused(world, login, submitted):
    application_reject(application=world.interviewed, by=world.rita, reason="skills")
    from closeloop.pipeline.services import application_reopen

    application_reopen(application=world.interviewed, by=world.rita)
    newer = application_submit(application=world.interviewed, by=world.rita, pitch="Second try")
    before = snapshot(world.interviewed)
    response = decide(login(world.hank), world, submitted, decision="advanced")
    assert response.status_code == 400
    assert "The submission changed since this page was loaded" in response.content.decode()
    assert snapshot(world.interviewed) == before
    assert fresh(newer).decision == SubmissionDecision.PENDING


def test_rita_cannot_decide(world, login, submitted):
    before = snapshot(world.interviewed)
    response = decide(login(world.rita), world, submitted, decision="advanced")
    assert response.status_code == 403
    assert "hiring manager decides" in response.content.decode()
    assert snapshot(world.interviewed) == before


def test_deciding_without_a_submission_is_a_clear_error(world, login):
    response = login(world.hank).post(
        action("submission-decide", world.sourced),
        {"submission": 1, "decision": "advanced", "closeness": 3},
    )
    assert response.status_code == 400
    assert "has not been submitted" in response.content.decode()


# --- Questions --------------------------------------------------------------------------------


def test_hank_asks_and_rita_answers(world, login, submitted):
    response = login(world.hank).post(
        action("submission-question", world.interviewed),
        {"submission": submitted.pk, "text": "Django experience?"},
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.text == "Django experience?"
    assert fresh(world.interviewed).next_move_owner == world.rita

    client = login(world.rita)
    body = client.get(page(world.interviewed)).content.decode()
    answer_url = reverse("pipeline:question-answer", args=[question.pk])
    assert answer_url in body
    response = client.post(answer_url, {"answer": "Three years."})
    assert response.status_code == 302
    assert response["Location"] == page(world.interviewed)
    assert fresh(question).answer == "Three years."
    assert fresh(world.interviewed).next_move_owner == world.hank


def test_an_empty_question_is_a_clear_error(world, login, submitted):
    before = snapshot(world.interviewed)
    response = login(world.hank).post(
        action("submission-question", world.interviewed), {"submission": submitted.pk, "text": ""}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert snapshot(world.interviewed) == before


def test_an_empty_answer_is_a_clear_error(world, login, submitted):
    question = submission_ask_question(submission=submitted, by=world.hank, text="Why?")
    before = snapshot(world.interviewed)
    answer_url = reverse("pipeline:question-answer", args=[question.pk])
    response = login(world.rita).post(answer_url, {"answer": "  "})
    assert response.status_code == 400
    assert snapshot(world.interviewed) == before


def test_answering_twice_is_refused(world, login, submitted):
    question = submission_ask_question(submission=submitted, by=world.hank, text="Why?")
    answer_url = reverse("pipeline:question-answer", args=[question.pk])
    client = login(world.rita)
    client.post(answer_url, {"answer": "First"})
    response = client.post(answer_url, {"answer": "Second"})
    assert response.status_code == 400
    assert "already answered" in response.content.decode()
    assert fresh(question).answer == "First"


@pytest.mark.parametrize(("persona", "status"), [("ivy", 404), ("olga", 404), ("hank", 403)])
def test_only_the_recruiting_side_answers(world, login, submitted, persona, status):
    question = submission_ask_question(submission=submitted, by=world.hank, text="Why?")
    answer_url = reverse("pipeline:question-answer", args=[question.pk])
    response = login(getattr(world, persona)).post(answer_url, {"answer": "Because"})
    assert response.status_code == status
    assert fresh(question).answered_at is None


def test_answering_is_a_post(world, login, submitted):
    question = submission_ask_question(submission=submitted, by=world.hank, text="Why?")
    answer_url = reverse("pipeline:question-answer", args=[question.pk])
    assert login(world.rita).get(answer_url, {"answer": "x"}).status_code == 405
    assert fresh(question).answered_at is None


# --- Move, reject, withdraw, reopen -----------------------------------------------------------


def test_rita_moves_a_candidate_with_a_reason(world, login):
    interviewing = stage(world, "Interviewing")
    response = login(world.rita).post(
        action("application-move", world.sourced),
        {"to_stage": interviewing.pk, "reason": "Phone screen went well"},
    )
    assert response.status_code == 302
    assert fresh(world.sourced).stage == interviewing
    change = StageChange.objects.filter(application=world.sourced).last()
    assert (change.to_stage, change.reason, change.by) == (
        interviewing,
        "Phone screen went well",
        world.rita,
    )


def test_hank_may_move_candidates_on_his_job(world, login):
    offer = stage(world, "Offer")
    login(world.hank).post(action("application-move", world.sourced), {"to_stage": offer.pk})
    assert fresh(world.sourced).stage == offer


def test_moving_to_the_current_stage_is_a_clear_error(world, login):
    before = snapshot(world.sourced)
    response = login(world.rita).post(
        action("application-move", world.sourced), {"to_stage": stage(world, "Sourced").pk}
    )
    assert response.status_code == 400
    assert "already in Sourced" in response.content.decode()
    assert snapshot(world.sourced) == before


def test_a_stage_of_another_job_is_refused(world, login):
    foreign = world.other_job.stages.first()
    before = snapshot(world.sourced)
    response = login(world.rita).post(
        action("application-move", world.sourced), {"to_stage": foreign.pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert snapshot(world.sourced) == before


def test_rita_rejects_with_a_structured_reason(world, login):
    response = login(world.rita).post(
        action("application-reject", world.sourced), {"reason": "experience", "note": "Too junior"}
    )
    assert response.status_code == 302
    application = fresh(world.sourced)
    assert application.status == ApplicationStatus.REJECTED
    assert (application.closed_reason, application.closed_note) == ("experience", "Too junior")
    assert application.next_move_owner is None


def test_rejecting_without_a_reason_is_a_clear_error(world, login):
    before = snapshot(world.sourced)
    response = login(world.rita).post(action("application-reject", world.sourced), {"reason": ""})
    assert response.status_code == 400
    assert "Choose the reason for rejecting." in response.content.decode()
    assert snapshot(world.sourced) == before


def test_rejecting_for_another_reason_needs_a_note(world, login):
    before = snapshot(world.sourced)
    response = login(world.rita).post(
        action("application-reject", world.sourced), {"reason": "other"}
    )
    assert response.status_code == 400
    assert snapshot(world.sourced) == before


def test_rita_records_a_withdrawal(world, login):
    response = login(world.rita).post(
        action("application-withdraw", world.sourced), {"reason": "other_offer", "note": "Globex"}
    )
    assert response.status_code == 302
    application = fresh(world.sourced)
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.closed_reason == "other_offer"


def test_hank_cannot_record_a_withdrawal(world, login):
    before = snapshot(world.sourced)
    response = login(world.hank).post(
        action("application-withdraw", world.sourced), {"reason": "other_offer"}
    )
    assert response.status_code == 403
    assert snapshot(world.sourced) == before


def test_a_withdrawal_without_a_reason_is_a_clear_error(world, login):
    before = snapshot(world.sourced)
    response = login(world.rita).post(action("application-withdraw", world.sourced), {})
    assert response.status_code == 400
    assert "Choose the candidate" in response.content.decode()
    assert snapshot(world.sourced) == before


def test_rita_reopens_a_rejected_candidate(world, login):
    application_reject(application=world.sourced, by=world.rita, reason="skills")
    response = login(world.rita).post(
        action("application-reopen", world.sourced), {"reason": "HM changed their mind"}
    )
    assert response.status_code == 302
    application = fresh(world.sourced)
    assert application.status == ApplicationStatus.ACTIVE
    assert application.closed_reason == ""
    assert application.next_move_owner == world.rita


def test_reopening_an_active_application_is_a_clear_error(world, login):
    before = snapshot(world.sourced)
    response = login(world.rita).post(action("application-reopen", world.sourced), {})
    assert response.status_code == 400
    assert "Only a rejected or withdrawn application can be reopened." in (
        response.content.decode()
    )
    assert snapshot(world.sourced) == before


def test_a_closed_application_cannot_be_moved(world, login):
    application_reject(application=world.sourced, by=world.rita, reason="skills")
    before = snapshot(world.sourced)
    response = login(world.rita).post(
        action("application-move", world.sourced), {"to_stage": stage(world, "Offer").pk}
    )
    assert response.status_code == 400
    assert "reopen it to move it" in response.content.decode()
    assert snapshot(world.sourced) == before
