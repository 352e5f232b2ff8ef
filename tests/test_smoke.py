from __future__ import annotations


def test_the_world_builds_with_a_default_stage_plan(world):
    names = list(world.job.stages.values_list("name", flat=True))
    assert names == [
        "Sourced",
        "Submitted",
        "Scheduling",
        "Interviewing",
        "Debrief",
        "Offer",
        "Hired",
    ]
    assert world.interviewed.stage.name == "Sourced"
    assert world.interviewed.next_move_owner == world.rita
