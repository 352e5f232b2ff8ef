"""Previous and next candidate on a job ("k" / "j"): the board's order, stage by stage and
the longest waiting first, among the active candidates the reader may see."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.pipeline.models import Application, ApplicationStatus, Candidate
from closeloop.pipeline.selectors import application_neighbours


def make(world, name, stage, entered):
    candidate = Candidate.objects.create(full_name=name, created_by=world.rita)
    return Application.objects.create(
        candidate=candidate, job=world.job, stage=stage, entered_stage_at=entered
    )


def test_neighbours_follow_the_board_order_among_active_candidates(world):
    stages = list(world.job.stages.order_by("position"))
    start = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    # Sam and Carla (the world's) sit in Sourced, entered now: after these, in that stage.
    early = make(world, "Early Sourced", stages[0], start)
    later = make(world, "Later Submitted", stages[1], start + dt.timedelta(days=2))
    first = make(world, "First Submitted", stages[1], start + dt.timedelta(days=1))
    closed = make(world, "Closed Submitted", stages[1], start + dt.timedelta(hours=30))
    Application.objects.filter(pk=closed.pk).update(status=ApplicationStatus.REJECTED)

    around = application_neighbours(user=world.rita, application=first)
    assert around.previous.pk == world.sourced.pk  # the last of Sourced
    assert around.next.pk == later.pk  # the closed one is skipped
    assert application_neighbours(user=world.rita, application=early).previous is None
    assert application_neighbours(user=world.rita, application=later).next is None
    # The same stage and the same minute: the id breaks the tie, both ways.
    twin = make(world, "Twin Later", stages[1], later.entered_stage_at)
    assert application_neighbours(user=world.rita, application=later).next.pk == twin.pk
    assert application_neighbours(user=world.rita, application=twin).previous.pk == later.pk


def test_an_interviewer_steps_only_through_the_candidates_she_interviews(world, login):
    around = application_neighbours(user=world.ivy, application=world.interviewed)
    assert around.previous is None and around.next is None
    carla = reverse("pipeline:application-detail", args=[world.interviewed.pk])
    html = login(world.ivy).get(carla).content.decode()
    assert 'rel="next"' not in html and 'rel="prev"' not in html
    # rita sees Sam beside Carla, with the keys on the links.
    html = login(world.rita).get(carla).content.decode()
    sam = reverse("pipeline:application-detail", args=[world.sourced.pk])
    assert f'<a rel="next" data-shortcut="j" href="{sam}">Sam Sourced →</a>' in html
