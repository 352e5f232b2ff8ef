"""A job set Filled or Closed ends its search: its active candidates close with it (rejected
as "The job closed"), so nobody is chased about a search that is over, and each is owed the
outcome. The job form says what a close will do and asks for a tick first; a closed job takes
no candidates back until it is opened again."""

from __future__ import annotations

import copy

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.followups import worker
from closeloop.followups.models import Ask, AskStatus
from closeloop.interviews.models import Interview, InterviewStatus
from closeloop.jobs.models import Job, JobStatus
from closeloop.jobs.services import job_update
from closeloop.lib.sweep import Swept
from closeloop.pipeline import services as pipeline_services
from closeloop.pipeline.models import (
    JOB_CLOSED_REASON,
    Application,
    ApplicationStatus,
    Candidate,
    StageChange,
    Submission,
    SubmissionDecision,
)
from closeloop.pipeline.services import (
    application_reopen,
    application_submit,
    application_withdraw,
    candidate_add,
)
from page_forms import job_edit_post
from poison import Poison

pytestmark = pytest.mark.usefixtures("clock")


def _open_asks(job) -> set[tuple[str, str]]:
    rows = Ask.objects.filter(application__job=job, status=AskStatus.OPEN)
    return {(ask.kind, ask.owner.email) for ask in rows.select_related("owner")}


def _edit(client, job, **changes):
    """The job form as its page sends it, with `changes`."""
    page = client.get(reverse("jobs:job-edit", args=[job.pk]))
    assert 'name="seen"' in page.content.decode()
    return job_edit_post(client, job, **changes)


def test_closing_a_job_closes_its_active_candidates_and_stops_every_chase(world):
    submitted = application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    assert ("review_submission", "hank@example.com") in _open_asks(world.job)

    job_update(
        job=world.job, by=world.rita, data={"status": JobStatus.CLOSED, "outcome": "cancelled"}
    )

    for application in Application.objects.filter(job=world.job):
        assert (application.status, application.closed_reason) == (
            ApplicationStatus.REJECTED,
            JOB_CLOSED_REASON,
        )
        assert application.closed_reason_label() == "The job closed"
        assert application.next_move_owner_id is None
    # Nobody is chased any more: only rita's asks to tell each candidate the outcome.
    assert _open_asks(world.job) == {("inform_candidate", "rita@example.com")}
    assert (
        Ask.objects.filter(
            application__job=world.job, kind="inform_candidate", status=AskStatus.OPEN
        ).count()
        == 2
    )
    # The interview still to come is called off; the waiting submission is no pass.
    interview = Interview.objects.get(application=world.interviewed)
    assert interview.status == InterviewStatus.CANCELLED
    submission = Submission.objects.get(pk=submitted.pk)
    assert (submission.decision, submission.decided_by_id) == (SubmissionDecision.CLOSED, None)
    # The other job's candidate is untouched.
    assert Application.objects.get(pk=world.other_application.pk).is_active


def test_the_form_says_what_a_close_does_and_waits_for_the_tick(world, login):
    client = login(world.rita)
    page = client.get(reverse("jobs:job-edit", args=[world.job.pk])).content.decode()
    said = "2 active candidates will be rejected as “The job closed”"
    assert said in page and 'name="ending_confirmed"' in page
    # Said to the recruiter herself: her queue is "your queue".
    assert "each then waits in your queue to be told" in page

    refused = _edit(client, world.job, status=JobStatus.CLOSED, outcome="cancelled")

    assert refused.status_code == 400
    assert "tick the box to go ahead, or keep the job&#x27;s status" in refused.content.decode()
    world.job.refresh_from_db()
    assert world.job.status == JobStatus.OPEN
    assert Application.objects.filter(job=world.job, status=ApplicationStatus.ACTIVE).count() == 2

    done = _edit(
        client, world.job, status=JobStatus.CLOSED, outcome="cancelled", ending_confirmed="on"
    )

    assert done.status_code == 302
    world.job.refresh_from_db()
    assert world.job.status == JobStatus.CLOSED
    shown = client.get(done["Location"]).content.decode()
    assert "2 active candidates were rejected as “The job closed”; each waits in your " in shown
    assert not Application.objects.filter(job=world.job, status=ApplicationStatus.ACTIVE).exists()


def test_an_admin_reads_whose_queue_the_closed_candidates_wait_in(world, login):
    page = login(world.ada).get(reverse("jobs:job-edit", args=[world.job.pk])).content.decode()
    rita = world.rita.short_name
    assert f"each then waits in {rita}&#x27;s queue to be told" in page
    assert "your queue" not in page


def test_other_edits_need_no_tick_and_a_job_without_candidates_closes_without_one(world, login):
    client = login(world.rita)
    assert _edit(client, world.job, title="Backend Engineer II").status_code == 302
    assert Application.objects.filter(job=world.job, status=ApplicationStatus.ACTIVE).count() == 2

    Application.objects.filter(job=world.job).update(status=ApplicationStatus.REJECTED)
    page = client.get(reverse("jobs:job-edit", args=[world.job.pk])).content.decode()
    assert 'name="ending_confirmed"' not in page
    world.job.refresh_from_db()
    assert _edit(client, world.job, status=JobStatus.CLOSED, outcome="failed").status_code == 302


def test_a_closed_job_takes_no_candidates_back_until_it_is_opened(world):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    with pytest.raises(ValidationError, match="is filled; set it Open again"):
        candidate_add(job=world.job, by=world.rita, data={"full_name": "Late Larry"})
    with pytest.raises(ValidationError, match="set it Open again to reopen a candidate"):
        application_reopen(application=world.sourced, by=world.rita)

    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})
    application_reopen(application=world.sourced, by=world.rita)
    assert Application.objects.get(pk=world.sourced.pk).is_active


def test_a_page_that_read_the_job_before_it_was_filled_adds_nobody_to_it(world):
    """The add form's request read the job (Open) before another request filled it: the
    service checks the job as stored, not that copy."""
    seen_open = copy.deepcopy(Job.objects.get(pk=world.job.pk))
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})

    with pytest.raises(ValidationError, match="is filled; set it Open again"):
        candidate_add(job=seen_open, by=world.rita, data={"full_name": "Late Larry"})

    assert not Application.objects.filter(job=world.job, status=ApplicationStatus.ACTIVE).exists()


def test_a_candidate_reopened_after_the_job_closed_is_back_before_submitted(world, login):
    application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    job_update(
        job=world.job, by=world.rita, data={"status": JobStatus.CLOSED, "outcome": "cancelled"}
    )
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})

    reopened = application_reopen(application=world.sourced, by=world.rita)

    # Submitted is entered by a submission: hers closed with the job, so back in Sourced,
    # on the recruiter (not on a hiring manager with nothing to decide).
    assert reopened.stage.name == "Sourced"
    assert reopened.next_move_owner_id == world.rita.pk
    page = login(world.rita).get(reverse("pipeline:application-detail", args=[reopened.pk]))
    html = page.content.decode()
    assert "The job closed: The search ended: cancelled." in html
    assert "job_closed:" not in html


def test_a_closed_jobs_candidate_page_offers_no_reopen_and_says_why(world, login):
    """The service refuses to reopen a candidate of a job that ended, so the page does not
    offer it: it says why where the button would be, to whoever could reopen them."""
    job_update(
        job=world.job, by=world.rita, data={"status": JobStatus.CLOSED, "outcome": "cancelled"}
    )
    url = reverse("pipeline:application-detail", args=[world.sourced.pk])
    why = "Backend Engineer is closed; set it Open again to reopen a candidate."

    page = login(world.rita).get(url).content.decode()
    assert "Reopen in" not in page
    assert reverse("pipeline:application-reopen", args=[world.sourced.pk]) not in page
    assert why in page
    assert why not in login(world.hank).get(url).content.decode()  # he reopens nobody

    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})
    page = login(world.rita).get(url).content.decode()
    assert "Reopen in Sourced" in page and why not in page


def test_a_closed_job_offers_no_add_and_says_so_before_the_form(world, login):
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    client = login(world.rita)
    page = client.get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    assert reverse("pipeline:candidate-add", kwargs={"job_pk": world.job.pk}) not in page
    assert "The search is over: nobody is in play" in page

    response = client.get(reverse("pipeline:candidate-add", kwargs={"job_pk": world.job.pk}))

    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    assert "Backend Engineer is filled; set it Open again to add candidates to it." in shown


# --- A big search: the first JOB_CLOSE_NOW at once, the rest by the worker -------------------


def _more_candidates(job, by, count: int) -> list[int]:
    """`count` active candidates in the job's first stage, written directly (fast)."""
    stage = job.stages.order_by("position").first()
    start = Candidate.objects.count()
    candidates = Candidate.objects.bulk_create(
        Candidate(full_name=f"Bulk {i}", email=f"bulk{i}@cand.example", created_by=by)
        for i in range(start, start + count)
    )
    applications = Application.objects.bulk_create(
        Application(job=job, candidate=candidate, stage=stage) for candidate in candidates
    )
    return [application.pk for application in applications]


def test_a_big_search_closes_some_at_once_and_the_worker_the_rest_in_the_closers_name(
    world, login, monkeypatch
):
    monkeypatch.setattr(pipeline_services, "JOB_CLOSE_NOW", 3)
    _more_candidates(world.job, world.rita, 4)  # 6 active with the world's two
    page = _edit(login(world.rita), world.job, status=JobStatus.FILLED, ending_confirmed="on")
    assert page.status_code == 302
    message = str(list(get_messages(page.wsgi_request))[-1])
    assert "6 active candidates are being rejected as “The job closed”: 3 at once" in message
    assert "each waits in your queue to be told" in message

    active = Application.objects.filter(job=world.job, status=ApplicationStatus.ACTIVE)
    assert active.count() == 3  # the oldest three closed in the request
    assert pipeline_services.ended_jobs_close(limit=2) == Swept(handled=2)
    assert pipeline_services.ended_jobs_close() == Swept(handled=1)
    assert pipeline_services.ended_jobs_close() == Swept()
    assert not active.exists()
    changes = StageChange.objects.filter(application__job=world.job, to_status="rejected")
    assert set(changes.values_list("by__email", flat=True)) == {"rita@example.com"}
    assert Ask.objects.filter(
        application__job=world.job, kind="inform_candidate", status=AskStatus.OPEN
    ).count() == 6  # fmt: skip


def test_the_worker_closes_a_candidate_who_slipped_onto_an_ended_job_and_leaves_reopened_ones(
    world,
):
    job_update(job=world.job, by=world.ada, data={"status": JobStatus.CLOSED, "outcome": ""})
    (slipped,) = _more_candidates(world.job, world.rita, 1)  # as a request racing the close
    (other,) = _more_candidates(world.other_job, world.ada, 1)  # an open job: left alone

    assert pipeline_services.ended_jobs_close() == Swept(handled=1)
    closed = Application.objects.get(pk=slipped)
    assert (closed.status, closed.closed_reason) == (ApplicationStatus.REJECTED, JOB_CLOSED_REASON)
    assert closed.stage_changes.get(to_status="rejected").by == world.ada  # who closed the job
    assert Application.objects.get(pk=other).status == ApplicationStatus.ACTIVE

    # A job ended outside job_update (Django's admin, or before candidates closed with their
    # search) records nobody who ended it: its candidates are left as they are.
    (left,) = _more_candidates(world.other_job, world.ada, 1)
    Job.objects.filter(pk=world.other_job.pk).update(status=JobStatus.FILLED)
    assert pipeline_services.ended_jobs_close() == Swept()
    assert Application.objects.get(pk=left).status == ApplicationStatus.ACTIVE

    job_update(job=world.job, by=world.rita, data={"status": JobStatus.OPEN})
    assert pipeline_services.ended_job_close_one(pk=slipped) == 0  # closed already
    (added,) = _more_candidates(world.job, world.rita, 1)
    assert pipeline_services.ended_jobs_close() == Swept()  # the job runs again
    assert Application.objects.get(pk=added).status == ApplicationStatus.ACTIVE


def test_a_candidate_that_fails_to_close_is_held_back_and_the_others_close(world, monkeypatch):
    monkeypatch.setattr(pipeline_services, "JOB_CLOSE_NOW", 0)
    first, second = _more_candidates(world.job, world.rita, 2)
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    poison = Poison(
        monkeypatch, pipeline_services, "ended_job_close_one", lambda *, pk: pk == first
    )

    assert pipeline_services.ended_jobs_close() == Swept(handled=3, failed=1)
    assert Application.objects.get(pk=first).status == ApplicationStatus.ACTIVE
    assert Application.objects.get(pk=second).status == ApplicationStatus.REJECTED
    assert pipeline_services.ended_jobs_close() == Swept()  # held back, not retried at once
    assert poison.calls == 1
    assert [name for name, _ in worker.STEPS].count(pipeline_services.ENDED_JOBS_STEP) == 1


def test_a_candidate_left_for_the_worker_takes_no_new_work_on_the_ended_job(world, monkeypatch):
    monkeypatch.setattr(pipeline_services, "JOB_CLOSE_NOW", 0)  # a search of more than 50
    submitted = application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    job_update(job=world.job, by=world.rita, data={"status": JobStatus.FILLED})
    hired = world.job.stages.get(kind="hired")

    refusals = [
        lambda: application_submit(application=world.interviewed, by=world.rita, pitch="Yes."),
        lambda: pipeline_services.application_move(
            application=world.interviewed, by=world.rita, to_stage=hired
        ),
        lambda: pipeline_services.submission_decide(
            submission=submitted, by=world.hank, decision=SubmissionDecision.ADVANCED
        ),
        lambda: pipeline_services.submission_ask_question(
            submission=submitted, by=world.hank, text="Why?"
        ),
    ]
    for act in refusals:
        with pytest.raises(ValidationError, match="Backend Engineer is filled; set it Open again"):
            act()
    assert set(Application.objects.filter(job=world.job).values_list("status", flat=True)) == {
        ApplicationStatus.ACTIVE
    }
    # Closing stays open to them: the worker's close, or a rejection by hand.
    pipeline_services.application_reject(
        application=world.interviewed, by=world.rita, reason="skills"
    )


def test_closing_a_job_with_one_candidate_says_it_waits_not_each(world, login):
    application_withdraw(application=world.sourced, by=world.rita, reason="other")
    client = login(world.rita)
    page = client.get(reverse("jobs:job-edit", args=[world.job.pk])).content.decode()
    assert "1 active candidate will be rejected as “The job closed”" in page
    assert "called off, and then waits in your queue to be told" in page
    done = _edit(
        client, world.job, status=JobStatus.CLOSED, outcome="cancelled", ending_confirmed="on"
    )
    shown = client.get(done["Location"]).content.decode()
    assert "1 active candidate was rejected as “The job closed”; it waits in your queue" in shown
