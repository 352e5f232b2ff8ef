"""The first steps of a new organisation are nobody's in one that runs: its admin, recruiter,
hiring manager and interviewer see their queues as before."""

from __future__ import annotations

from django.urls import reverse

from closeloop.pipeline.first_steps import first_steps

QUEUE = reverse("pipeline:queue")


def test_the_steps_are_not_shown_in_an_organisation_that_runs(world, login):
    # The shared world has jobs, hiring managers and candidates in its pipelines.
    for persona in (world.ada, world.rita, world.hank, world.ivy):
        assert first_steps(user=persona) == []
    html = login(world.ada).get(QUEUE).content.decode()
    assert 'id="first-steps"' not in html
