"""Who sees which jobs, and the numbers the jobs pages read (jobs/ and pipeline/selectors)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.jobs.models import JobStatus
from closeloop.jobs.selectors import (
    job_can_create,
    job_can_decide,
    job_can_manage,
    job_get,
    job_list,
    job_list_with_counts,
    job_status_counts,
    stage_get,
    stage_list_with_counts,
)
from closeloop.pipeline.models import Application
from closeloop.pipeline.selectors import (
    job_application_page,
    job_board,
    job_waiting_on,
)
from closeloop.pipeline.services import application_reject, application_submit


def titles(jobs) -> set[str]:
    return {job.title for job in jobs}


def test_each_persona_sees_exactly_their_jobs(world):
    assert titles(job_list(user=world.rita)) == {"Backend Engineer"}
    assert titles(job_list(user=world.hank)) == {"Backend Engineer"}
    assert titles(job_list(user=world.ivy)) == {"Backend Engineer"}
    assert titles(job_list(user=world.olga)) == {"Data Analyst"}
    assert titles(job_list(user=world.ada)) == {"Backend Engineer", "Data Analyst"}


def test_a_recruiter_an_admin_widened_sees_every_job(world):
    world.rita.sees_all_jobs = True
    world.rita.save()
    assert titles(job_list(user=world.rita)) == {"Backend Engineer", "Data Analyst"}
    assert job_get(user=world.rita, pk=world.other_job.pk) == world.other_job


def test_the_widening_flag_means_nothing_for_a_hiring_manager(world):
    world.hank.sees_all_jobs = True
    world.hank.save()
    assert titles(job_list(user=world.hank)) == {"Backend Engineer"}


def test_a_deactivated_admin_keeps_only_the_jobs_she_is_on(world):
    world.ada.is_active = False
    world.ada.save()
    assert titles(job_list(user=world.ada)) == {"Data Analyst"}


def test_an_interviewer_sees_a_job_through_an_interview_alone(world):
    world.job.interviewers.clear()
    assert titles(job_list(user=world.ivy)) == {"Backend Engineer"}


def test_a_guessed_job_id_is_a_404(world):
    with pytest.raises(Http404):
        job_get(user=world.olga, pk=world.job.pk)
    with pytest.raises(Http404):
        job_get(user=world.rita, pk=999_999)


def test_the_status_counts_cover_only_visible_jobs(world):
    counts = job_status_counts(user=world.rita)
    assert counts == {"draft": 0, "open": 1, "on_hold": 0, "filled": 0, "closed": 0}
    assert job_status_counts(user=world.ada)["open"] == 2


def test_the_jobs_list_counts_what_waits_and_what_is_stale(world):
    application_submit(application=world.sourced, by=world.rita, pitch="Strong Python")
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        job = job_list_with_counts(user=world.rita).get(pk=world.job.pk)
    assert (job.visible_active, job.waiting_on_hm, job.stale) == (2, 1, 2)


def test_a_fresh_pipeline_is_not_stale(world):
    job = job_list_with_counts(user=world.rita).get(pk=world.job.pk)
    assert (job.visible_active, job.waiting_on_hm, job.stale) == (2, 0, 0)


def test_an_interviewer_counts_only_the_candidates_she_interviews(world):
    job = job_list_with_counts(user=world.ivy).get(pk=world.job.pk)
    assert job.visible_active == 1


def test_closed_applications_are_not_counted_as_active(world):
    application_reject(application=world.sourced, by=world.rita, reason="skills")
    job = job_list_with_counts(user=world.hank).get(pk=world.job.pk)
    assert job.visible_active == 1


def test_the_jobs_list_filters_by_status_and_puts_live_jobs_first(world):
    from closeloop.jobs.services import job_create

    job_create(
        by=world.rita,
        data={
            "title": "Archived Role",
            "status": JobStatus.CLOSED,
            "recruiter": world.rita,
            "hiring_manager": world.hank,
        },
    )
    job_create(
        by=world.rita,
        data={"title": "A Draft", "recruiter": world.rita, "hiring_manager": world.hank},
    )
    ordered = [job.title for job in job_list_with_counts(user=world.rita)]
    assert ordered == ["Backend Engineer", "A Draft", "Archived Role"]
    closed = job_list_with_counts(user=world.rita, status=JobStatus.CLOSED)
    assert titles(closed) == {"Archived Role"}


def test_who_may_create_manage_and_decide(world):
    assert job_can_create(user=world.rita) and job_can_create(user=world.ada)
    assert not job_can_create(user=world.hank)
    assert not job_can_create(user=world.ivy)
    assert job_can_manage(user=world.rita, job=world.job)
    assert job_can_manage(user=world.ada, job=world.job)
    assert not job_can_manage(user=world.hank, job=world.job)
    assert job_can_decide(user=world.hank, job=world.job)
    assert not job_can_decide(user=world.rita, job=world.job)


def test_a_stage_of_an_invisible_job_is_a_404(world):
    stage = world.job.stages.first()
    assert stage_get(user=world.hank, pk=stage.pk) == stage
    with pytest.raises(Http404):
        stage_get(user=world.olga, pk=stage.pk)


def test_stage_counts_say_the_candidates_in_it_as_the_board_does_and_closed_ones_apart(world):
    application_reject(application=world.sourced, by=world.rita, reason="skills")
    counts = {
        s.name: (s.occupancy.open, s.occupancy.closed)
        for s in stage_list_with_counts(job=world.job)
    }
    assert counts["Sourced"] == (1, 1)
    assert counts["Submitted"] == (0, 0)


def test_the_waiting_summary_names_who_owes_the_next_move(world):
    application_submit(application=world.sourced, by=world.rita, pitch="Strong Python")
    rows = {
        (row.name, row.role): row.count for row in job_waiting_on(user=world.rita, job=world.job)
    }
    assert rows == {("Rita Recruiter", "recruiter"): 1, ("Hank Manager", "hiring manager"): 1}


def test_the_waiting_summary_of_an_interviewer_counts_only_her_candidates(world):
    application_submit(application=world.sourced, by=world.rita, pitch="Strong Python")
    rows = job_waiting_on(user=world.ivy, job=world.job)
    assert [(row.name, row.count) for row in rows] == [("Rita Recruiter", 1)]


def test_the_waiting_summary_costs_three_queries_however_many_people_it_names(
    world, django_assert_num_queries
):
    """Candidates waiting on two people outside the job's roles: the rows, the people and
    who of them covers for someone away, read once for all (one query each grew the page)."""
    vic = User.objects.create_user("vic@example.com", None, full_name="Vic Viewer")
    Application.objects.filter(pk=world.sourced.pk).update(next_move_owner=world.ivy)
    Application.objects.filter(pk=world.interviewed.pk).update(next_move_owner=vic)
    with django_assert_num_queries(3):
        rows = job_waiting_on(user=world.rita, job=world.job)
    assert {(row.name, row.role, row.count) for row in rows} >= {
        ("Ivy Interviewer", "interviewer", 1),
        ("Vic Viewer", "interviewer", 1),
    }


def test_each_row_knows_whether_a_submission_waits_for_the_hm(world, django_assert_num_queries):
    application_submit(application=world.sourced, by=world.rita, pitch="Strong Python")
    # The stages, the count, the rows, their submissions, the delegates covering their
    # moves, the queue's clock of the active ones, their candidates' tags.
    with django_assert_num_queries(7):
        rows = job_application_page(user=world.rita, job=world.job, sort="name").rows
    assert [(a.candidate.full_name, a.submission_pending) for a in rows] == [
        ("Carla Candidate", False),
        ("Sam Sourced", True),
    ]


def test_the_board_runs_seven_queries(world, django_assert_num_queries):
    # The stages, the counts, the cards, their pending submissions, covering delegates and
    # the queue's clock, the closed ones.
    with django_assert_num_queries(7):
        job_board(user=world.rita, job=world.job)


def test_the_list_shows_open_or_closed_applications(world):
    application_reject(application=world.sourced, by=world.rita, reason="skills")
    opened = job_application_page(user=world.rita, job=world.job, sort="name").rows
    closed = job_application_page(user=world.rita, job=world.job, status="closed").rows
    assert [a.candidate.full_name for a in opened] == ["Carla Candidate"]
    assert [a.candidate.full_name for a in closed] == ["Sam Sourced"]


def test_list_rows_are_aged_and_flagged_stale_after_seven_days(world):
    with time_machine.travel(timezone.now() + dt.timedelta(days=6, hours=23)):
        fresh = job_application_page(user=world.rita, job=world.job).rows
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        stale = job_application_page(user=world.rita, job=world.job).rows
    assert [(a.days_in_stage, a.is_stale) for a in fresh] == [(6, False), (6, False)]
    assert [(a.days_in_stage, a.is_stale) for a in stale] == [(7, True), (7, True)]
