"""A debrief's "Advance to" offers the stages after the candidate's: their own stage only
while it is where the plan's next round is held (and then says so), never a Debrief stage
(decided, the debrief leaves nothing to do there). The service refuses the same."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from closeloop.interviews.services import Decision, debrief_decide
from closeloop.jobs.models import InterviewRound, StageKind


def _offered(client, debrief):
    form = client.get(f"/debriefs/{debrief.pk}/").context["decide_form"]
    return [label for value, label in form.fields["to_stage"].choices]


def test_a_candidate_in_the_debrief_stage_is_offered_only_later_stages(world, login, debrief):
    application = world.interviewed
    application.stage = world.job.stages.get(kind=StageKind.DEBRIEF)
    application.save(update_fields=["stage"])
    assert _offered(login(world.hank), debrief) == ["Offer", "Hired"]


def test_after_the_last_round_the_interviewing_stage_is_not_offered(world, login, debrief):
    assert _offered(login(world.hank), debrief) == ["Offer", "Hired"]


def test_the_service_refuses_to_advance_into_the_debrief_stage(world, debrief):
    stage = world.job.stages.get(kind=StageKind.DEBRIEF)
    with pytest.raises(ValidationError, match="Advance past Debrief"):
        debrief_decide(
            debrief=debrief, by=world.hank, decision=Decision("advance", "Yes.", to_stage=stage)
        )
    world.interviewed.refresh_from_db()
    assert world.interviewed.stage.kind == StageKind.INTERVIEWING


def test_staying_for_the_next_round_reads_as_the_next_round(world, login, debrief):
    InterviewRound.objects.create(job=world.job, position=1, name="Final")
    stage = world.job.stages.get(kind=StageKind.INTERVIEWING)
    debrief_decide(
        debrief=debrief, by=world.hank, decision=Decision("advance", "Yes.", to_stage=stage)
    )
    page = login(world.hank).get(f"/debriefs/{debrief.pk}/").content.decode()
    assert "Advance to the next round (Interviewing)" in page
    assert world.interviewed.activities.filter(
        summary__endswith="advance Carla Candidate to the next round (Interviewing)"
    ).exists()


def test_with_a_round_to_come_the_own_stage_is_offered_as_the_next_round(world, login, debrief):
    InterviewRound.objects.create(job=world.job, position=1, name="Final")
    offered = _offered(login(world.hank), debrief)
    assert offered == ["The next round (Interviewing)", "Offer", "Hired"]


def test_the_service_refuses_to_advance_to_the_stage_they_are_in(world, debrief):
    current = world.interviewed.stage
    with pytest.raises(ValidationError, match="Advance to a stage after Interviewing"):
        debrief_decide(
            debrief=debrief, by=world.hank, decision=Decision("advance", "Yes.", to_stage=current)
        )


def test_an_advance_reads_by_the_jobs_own_stage_names(world, login, debrief):
    """A job whose plan holds its later rounds in a stage of its own ("Onsite loop", an
    interviewing stage too): advancing there names that stage, not "the next round"; the
    candidate who stays in their stage for the next round reads so, whatever its kind."""
    InterviewRound.objects.create(job=world.job, position=1, name="Final")
    interviewing = world.job.stages.get(kind=StageKind.INTERVIEWING)
    for stage in world.job.stages.filter(position__gt=interviewing.position).order_by("-position"):
        stage.position += 1  # one at a time, the last first: positions are unique per job
        stage.save(update_fields=["position"])
    loop = world.job.stages.create(
        kind=StageKind.INTERVIEWING, name="Onsite loop", position=interviewing.position + 1,
        move_owner=interviewing.move_owner,
    )  # fmt: skip
    debrief_decide(
        debrief=debrief, by=world.hank, decision=Decision("advance", "Yes.", to_stage=loop)
    )
    page = login(world.hank).get(f"/debriefs/{debrief.pk}/").content.decode()
    assert "Advance to Onsite loop" in page
    assert "next round" not in page
    assert world.interviewed.activities.filter(
        summary__endswith="advance Carla Candidate to Onsite loop"
    ).exists()
