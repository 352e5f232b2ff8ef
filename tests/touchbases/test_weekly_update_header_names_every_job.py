"""The weekly update's first line ("Your week on 2 jobs: …") names every job its body speaks
of: the person's own jobs, and those of the follow-ups they owe elsewhere, such as a review
they hold for an absent hiring manager."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string

from closeloop.followups.models import Ask
from closeloop.jobs.models import Job, JobStatus
from closeloop.touchbases.weekly import weekly_update_build, weekly_update_context


def first_line(update, template: str = "emails/weekly-update-body.txt") -> str:
    text = render_to_string(template, weekly_update_context(update))
    return next(line for line in text.splitlines() if "Your week on" in line)


def held_review(world) -> Ask:
    """A review of hank's on Backend Engineer, held by olga (his delegate) while he is away."""
    return Ask.objects.create(
        kind="review_submission", subject="submission:held", owner=world.olga,
        original_owner=world.hank, job=world.job, application=world.interviewed,
        title="Review Carla Candidate (Backend Engineer)",
        due_at=dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC),
    )  # fmt: skip


def test_a_review_held_for_someone_counts_its_job_in_the_first_line(world, clock):
    held_review(world)
    update = weekly_update_build(person=world.olga)
    assert [row.ask.job for row in update.waiting_on_you] == [world.job]
    assert first_line(update) == "Your week on 2 jobs: Data Analyst, Backend Engineer."
    html = first_line(update, "emails/weekly-update-body.html")
    assert "2 jobs" in html and "<strong>Backend Engineer</strong>" in html


def test_someone_with_no_job_of_their_own_is_not_told_zero_jobs(world, clock):
    Job.objects.filter(pk=world.other_job.pk).update(status=JobStatus.CLOSED)  # nothing now
    held_review(world)
    update = weekly_update_build(person=world.olga)
    assert not update.is_empty
    assert first_line(update) == "Your week on 1 job: Backend Engineer."
