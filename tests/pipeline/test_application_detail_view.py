"""The application page: where the candidate stands, the pitch, and only the allowed actions."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pipeline_helpers import PITCH

from closeloop.activity.models import Activity
from closeloop.followups.models import Ask
from closeloop.followups.one_click import one_click_links_many
from closeloop.lib.sealed import unseal_text
from closeloop.pipeline.models import StageChange
from closeloop.pipeline.services import (
    application_move,
    application_reject,
    application_withdraw,
    candidate_updated,
    submission_ask_question,
    submission_decide,
)


def url(application) -> str:
    return reverse("pipeline:application-detail", args=[application.pk])


def action(name, application) -> str:
    return reverse(f"pipeline:{name}", args=[application.pk])


def test_hank_sees_the_pitch_the_must_haves_and_his_decision_forms(world, login, submitted):
    body = login(world.hank).get(url(world.interviewed)).content.decode()
    assert PITCH in body
    assert "Python" in body and "On-call experience" in body
    assert body.count(">Met<") == 2
    assert body.count(">Not met<") == 1
    assert action("submission-decide", world.interviewed) in body
    assert action("submission-question", world.interviewed) in body
    assert "Missing a must-have skill" in body  # pass reasons beside the pitch
    assert "Yours" in body  # whose move
    # Hank decides, he does not run the pipeline.
    assert action("application-submit", world.interviewed) not in body
    assert action("application-withdraw", world.interviewed) not in body


def test_the_checklist_is_the_one_rita_checked_whatever_the_agreement_added_since(
    world, login, submitted
):
    """Kafka became a must-have after the pitch: nobody was asked, so it is not "not met";
    On-call experience, dropped since, still reads as it was sent."""
    job = world.job
    job.must_haves = "Python\nPostgreSQL\nKafka"
    job.save(update_fields=["must_haves"])
    body = login(world.hank).get(url(world.interviewed)).content.decode()
    assert body.count(">Met<") == 2 and body.count(">Not met<") == 1  # On-call, as sent
    assert 'Kafka <span class="badge">Added to the must-haves since</span>' in body
    # The same checklist on the page a one-click Advance in his email opens.
    review = Ask.objects.get(kind="review_submission", application=world.interviewed)
    links = one_click_links_many(asks=[review], recipient=world.hank, now=timezone.now())
    advance = next(link for link in links[review.pk] if link.action == "advance")
    address = unseal_text(advance.url, audience=world.hank.pk, unusable="dead")  # as mailed
    page = login(world.hank).get(urlsplit(address).path).content.decode()
    assert page.count(">Met<") == 2 and page.count(">Not met<") == 1
    assert 'Kafka <span class="badge">Added to the must-haves since</span>' in page
    # He calibrates against what was pitched: Kafka is neither offered nor counted missed.
    assert 'value="Kafka"' not in body and 'value="On-call experience"' in body
    decided = login(world.hank).post(
        action("submission-decide", world.interviewed),
        {
            "decision": "advanced",
            "submission": submitted.pk,
            "closeness": 3,
            "hm_must_haves_met": ["Python", "PostgreSQL"],
            "calibration_note": "Fits.",
        },
    )
    assert decided.status_code == 302
    submitted.refresh_from_db()
    assert submitted.hm_must_haves_missed == ["On-call experience"]


def test_a_submission_closed_with_its_application_reads_undecided_not_passed(
    world, login, submitted
):
    """Carla withdrew while hank's question waited: nobody passed on her, nobody will answer."""
    submission_ask_question(submission=submitted, by=world.hank, text="Notice period?")
    application_withdraw(application=world.interviewed, by=world.rita, reason="other_offer")
    body = login(world.hank).get(url(world.interviewed)).content.decode()
    assert '<span class="badge">Closed undecided</span>' in body
    assert "Not decided: the application closed" in body
    assert "Not answered: the application closed." in body
    assert "Passed by" not in body and "Waiting for Rita" not in body


def test_rita_sees_the_recruiting_actions_but_not_the_decision(world, login):
    body = login(world.rita).get(url(world.sourced)).content.decode()
    for name in ("application-submit", "application-move", "application-reject"):
        assert action(name, world.sourced) in body
    assert action("application-withdraw", world.sourced) in body
    assert action("submission-decide", world.sourced) not in body
    assert action("application-reopen", world.sourced) not in body
    assert "Not submitted to the hiring manager yet." in body
    assert '<label for="submit-pitch">' in body


def test_rita_cannot_submit_again_while_the_hm_has_not_decided(world, login, submitted):
    body = login(world.rita).get(url(world.interviewed)).content.decode()
    assert action("application-submit", world.interviewed) not in body
    assert "Waiting for the HM" in body


def test_stage_and_whose_move_show_relative_and_absolute_times(world, login):
    start = timezone.now()
    with time_machine.travel(start + dt.timedelta(days=3), tick=False):
        body = login(world.rita).get(url(world.sourced)).content.decode()
    assert "3 days in stage · since" in body
    assert "waiting 3 days · since" in body


def test_ivy_reads_the_page_without_actions_or_team_notes(world, login, submitted):
    submission_ask_question(submission=submitted, by=world.hank, text="Secret team question?")
    response = login(world.ivy).get(url(world.interviewed))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Carla Candidate" in body
    assert PITCH not in body  # the team's review waits until her scorecard is in
    assert "Secret team question?" not in body
    # No action forms at all, nor (her scorecard not in yet) the comments' form.
    main = body.split("</header>", 1)[1]
    assert main.count("<form") == 0
    assert "once your scorecards on them are in" in main
    assert "Expects" not in body  # compensation stays with the hiring team


def test_ivy_cannot_open_an_application_she_does_not_interview(world, login):
    assert login(world.ivy).get(url(world.sourced)).status_code == 404


def test_olga_and_guessed_ids_get_not_found_and_nothing_leaks(world, login):
    response = login(world.olga).get(url(world.interviewed))
    assert response.status_code == 404
    assert "Carla" not in response.content.decode()
    missing = reverse("pipeline:application-detail", args=[99999])
    assert login(world.ada).get(missing).status_code == 404


def test_ada_sees_every_action(world, login, submitted):
    body = login(world.ada).get(url(world.interviewed)).content.decode()
    assert action("submission-decide", world.interviewed) in body
    assert action("application-move", world.interviewed) in body


def test_a_closed_application_shows_its_reason_and_offers_reopen(world, login):
    application_reject(
        application=world.sourced, by=world.rita, reason="compensation", note="Wants 2x budget"
    )
    body = login(world.rita).get(url(world.sourced)).content.decode()
    assert "Compensation expectations" in body
    assert "Wants 2x budget" in body
    assert action("application-reopen", world.sourced) in body
    assert action("application-move", world.sourced) not in body
    # Closed, but the loop is not: Rita still owes Sam the outcome.
    assert "The loop is closed." not in body
    assert "The application is closed; the follow-ups below are still owed." in body
    # Once Sam is told, it is.
    Ask.objects.filter(application=world.sourced, status="open").update(status="done")
    assert "The loop is closed." in login(world.rita).get(url(world.sourced)).content.decode()


def test_the_decision_and_stage_history_are_shown(world, login, submitted):
    submission_decide(
        submission=submitted, by=world.hank, decision="passed", reason="skills", note="No Go"
    )
    body = login(world.rita).get(url(world.interviewed)).content.decode()
    assert "Passed by Hank Manager" in body
    assert "Missing a must-have skill: No Go" in body  # the history shows the label
    assert "Sourced → Submitted" in body
    assert "Added in Sourced" in body


def test_get_changes_nothing(world, login, submitted):
    before = (Activity.objects.count(), StageChange.objects.count())
    login(world.hank).get(url(world.interviewed))
    assert (Activity.objects.count(), StageChange.objects.count()) == before


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_the_page_runs_the_same_number_of_queries_for_short_and_long_histories(
    world, login, submitted
):
    client = login(world.hank)
    client.get(url(world.interviewed))
    short = _queries(client, url(world.interviewed))
    stages = list(world.job.stages.order_by("position"))
    for n in range(6):
        application_move(
            application=world.interviewed, by=world.rita, to_stage=stages[n % 3], reason=f"r{n}"
        )
    for n in range(3):
        submission_ask_question(submission=submitted, by=world.hank, text=f"q{n}")
    long = _queries(client, url(world.interviewed))
    assert long == short


def test_a_rejected_candidate_told_the_outcome_waits_on_nobody(world, login):
    """Once rita told a rejected candidate the outcome, nothing waits on us: the page said
    "The loop is closed" beside "Candidate waiting on us 17 business days" and still offered
    "Candidate updated". Before she told them, both show."""
    application_reject(application=world.sourced, by=world.rita, reason="skills")
    page = login(world.rita).get(url(world.sourced)).content.decode()
    assert "Candidate waiting on us" in page and "Candidate updated</button>" in page
    candidate_updated(application=world.sourced, by=world.rita, note="Told them.")
    page = login(world.rita).get(url(world.sourced)).content.decode()
    assert "The loop is closed." in page
    assert "Candidate waiting on us" not in page and "Candidate updated</button>" not in page
    candidate = reverse("pipeline:candidate-detail", args=[world.sourced.candidate.pk])
    row = login(world.rita).get(candidate).content.decode()
    assert 'data-label="Waiting on us for news"><span class="muted">—</span>' in row
