"""After an admin deactivates a job's hiring manager, the job says so where it names its
team, points whoever may edit the job at naming a new one, and the list's "Whose move"
offers only the people the candidates wait on."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.accounts.models import User
from closeloop.followups.models import Ask
from closeloop.pipeline.models import Application
from closeloop.pipeline.selectors import job_list_filter_choices

DUE = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)
MARKED = 'Hank Manager <span class="muted">(deactivated)</span>'


def hank_leaves_owing_sams_review(world, login) -> None:
    """Hank owes the review of Sam; deactivated, it moves to olga, his manager."""
    User.objects.filter(pk=world.hank.pk).update(manager=world.olga)
    Application.objects.filter(pk=world.sourced.pk).update(next_move_owner=world.hank)
    Ask.objects.create(
        kind="review_submission", subject=f"submission:{world.sourced.pk}", title="Review",
        owner=world.hank, job=world.job, application=world.sourced, due_at=DUE,
        next_nudge_at=DUE, policy={"steps": [], "label": "x"},
    )  # fmt: skip
    login(world.ada).post(reverse("people:deactivate", args=[world.hank.pk]))


def test_the_jobs_list_and_header_mark_him_and_link_to_naming_a_new_one(world, clock, login):
    hank_leaves_owing_sams_review(world, login)
    edit = reverse("jobs:job-edit", args=[world.job.pk])
    rita = login(world.rita)
    listed = rita.get(reverse("jobs:job-list")).content.decode()
    assert MARKED in listed
    assert f'<a href="{edit}">Name a new hiring manager</a>' in listed
    header = rita.get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    assert MARKED in header
    assert f'<a href="{edit}">Name a new hiring manager</a>' in header


def test_who_may_not_edit_the_job_sees_the_mark_without_the_link(world, clock, login):
    hank_leaves_owing_sams_review(world, login)
    page = login(world.ivy).get(reverse("jobs:job-detail", args=[world.job.pk]))
    assert MARKED in page.content.decode()
    assert "Name a new hiring manager" not in page.content.decode()


def test_an_active_hiring_manager_is_not_marked(world, clock, login):
    page = login(world.rita).get(reverse("jobs:job-list")).content.decode()
    assert "Hank Manager</span></td>" in page
    assert "(deactivated)" not in page


def test_whose_move_offers_the_successor_not_the_leaver_who_owes_nothing(world, clock, login):
    hank_leaves_owing_sams_review(world, login)
    choices = job_list_filter_choices(user=world.rita, job=world.job)
    assert world.hank not in choices.people
    assert world.olga in choices.people
    assert choices.covers[world.olga.pk] == "covering for Hank Manager"


def test_a_card_puts_whom_the_successor_covers_for_in_brackets(world, clock, login):
    hank_leaves_owing_sams_review(world, login)
    board = login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk]))
    assert (
        'Olga Outsider’s move</span> <span class="muted">(covering for Hank Manager)</span>'
        in board.content.decode()
    )
