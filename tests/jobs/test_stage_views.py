"""The stage editor: `jobs:job-stages` and the stage edit, move and remove actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from closeloop.jobs.models import Stage


def stages_url(job) -> str:
    return reverse("jobs:job-stages", kwargs={"pk": job.pk})


def stage_url(name: str, stage) -> str:
    return reverse(f"jobs:stage-{name}", kwargs={"pk": stage.pk})


def names(job) -> list[str]:
    return list(job.stages.order_by("position").values_list("name", flat=True))


def stage(world, name: str) -> Stage:
    return world.job.stages.get(name=name)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


DEFAULT = ["Sourced", "Submitted", "Scheduling", "Interviewing", "Debrief", "Offer", "Hired"]


# --- access --------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get(stages_url(world.job))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_rita_sees_every_stage_with_its_controls(world, login):
    response = login(world.rita).get(stages_url(world.job))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [s.name for s, _ in rows] == DEFAULT
    assert [s.occupancy.open for s, _ in rows][:2] == [2, 0]
    html = response.content.decode()
    offer = stage(world, "Offer")
    for action in ["edit", "move", "remove"]:
        assert f'action="{stage_url(action, offer)}"' in html
    assert f'<label for="id_stage-{offer.pk}-name"' in html
    assert '<label for="id_add-name"' in html


@pytest.mark.parametrize("persona", ["hank", "ivy"])
def test_team_members_who_do_not_run_the_job_get_a_403(world, login, persona):
    client = login(getattr(world, persona))
    assert client.get(stages_url(world.job)).status_code == 403
    offer = stage(world, "Offer")
    assert (
        client.post(
            stages_url(world.job), {"add-name": "X", "add-move_owner": "recruiter"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            stage_url("edit", offer),
            {f"stage-{offer.pk}-name": "Deal", f"stage-{offer.pk}-move_owner": "recruiter"},
        ).status_code
        == 403
    )
    assert client.post(stage_url("move", offer), {"direction": "up"}).status_code == 403
    assert client.post(stage_url("remove", stage(world, "Scheduling"))).status_code == 403
    assert names(world.job) == DEFAULT


def test_olga_gets_404s_everywhere(world, login):
    client = login(world.olga)
    offer = stage(world, "Offer")
    response = client.get(stages_url(world.job))
    assert response.status_code == 404
    assert b"Backend Engineer" not in response.content
    assert client.post(stage_url("edit", offer), {}).status_code == 404
    assert client.post(stage_url("move", offer), {"direction": "up"}).status_code == 404
    assert client.post(stage_url("remove", offer)).status_code == 404
    assert names(world.job) == DEFAULT


def test_a_guessed_stage_id_is_a_404(world, login):
    missing = Stage.objects.order_by("-pk").first().pk + 50
    client = login(world.ada)
    for action in ["edit", "move", "remove"]:
        response = client.post(reverse(f"jobs:stage-{action}", kwargs={"pk": missing}))
        assert response.status_code == 404


def test_the_stage_actions_refuse_get(world, login):
    client = login(world.rita)
    offer = stage(world, "Offer")
    for action in ["edit", "move", "remove"]:
        assert client.get(stage_url(action, offer)).status_code == 405
    assert names(world.job) == DEFAULT


# --- add -----------------------------------------------------------------------------------


def test_rita_adds_a_stage_before_hired(world, login):
    response = login(world.rita).post(
        stages_url(world.job),
        {"add-name": "Reference check", "add-move_owner": "recruiter"},
        follow=True,
    )
    assert names(world.job)[-2:] == ["Reference check", "Hired"]
    assert "Added the stage Reference check." in messages_of(response)
    new = stage(world, "Reference check")
    assert response.redirect_chain[-1][0] == f"{stages_url(world.job)}#stage-{new.pk}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"add-name": "", "add-move_owner": "recruiter"}, "This field is required."),
        (
            {"add-name": "sourced", "add-move_owner": "recruiter"},
            "already has a stage called Sourced.",
        ),
        ({"add-name": "Homework", "add-move_owner": "cat"}, "Select a valid choice."),
        ({"add-name": "x" * 61, "add-move_owner": "recruiter"}, "at most 60 characters"),
    ],
)
def test_a_bad_new_stage_is_explained_and_adds_nothing(world, login, data, message):
    response = login(world.rita).post(stages_url(world.job), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert names(world.job) == DEFAULT


# --- edit ----------------------------------------------------------------------------------


def test_rita_renames_a_stage_and_changes_whose_move_it_is(world, login):
    review = stage(world, "Scheduling")
    data = {
        f"stage-{review.pk}-name": "Panel review",
        f"stage-{review.pk}-move_owner": "interviewers",
    }
    response = login(world.rita).post(stage_url("edit", review), data, follow=True)
    review.refresh_from_db()
    assert (review.name, review.move_owner) == ("Panel review", "interviewers")
    assert "Saved the stage Panel review." in messages_of(response)


def test_a_clashing_rename_is_shown_in_its_row_and_changes_nothing(world, login):
    review = stage(world, "Scheduling")
    data = {f"stage-{review.pk}-name": "Offer", f"stage-{review.pk}-move_owner": "recruiter"}
    response = login(world.rita).post(stage_url("edit", review), data)
    assert response.status_code == 400
    bound = dict((s.pk, f) for s, f in response.context["rows"])[review.pk]
    assert "already has a stage called Offer" in str(bound.errors["name"])
    assert bound["name"].value() == "Offer"
    assert response.content.decode().count('value="Offer"') == 2  # the typed value is kept
    review.refresh_from_db()
    assert (review.name, review.move_owner) == ("Scheduling", "recruiter")


def test_a_rename_clashing_in_other_casing_names_the_stage_as_it_is(world, login):
    review = stage(world, "Scheduling")
    data = {f"stage-{review.pk}-name": "offer", f"stage-{review.pk}-move_owner": "recruiter"}
    response = login(world.rita).post(stage_url("edit", review), data)
    bound = dict((s.pk, f) for s, f in response.context["rows"])[review.pk]
    assert "This job already has a stage called Offer." in str(bound.errors["name"])


def test_an_empty_rename_is_refused(world, login):
    review = stage(world, "Scheduling")
    data = {f"stage-{review.pk}-name": "  ", f"stage-{review.pk}-move_owner": "recruiter"}
    response = login(world.rita).post(stage_url("edit", review), data)
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.name == "Scheduling"


# --- move ----------------------------------------------------------------------------------


def test_rita_moves_a_stage_up_and_down(world, login):
    client = login(world.rita)
    offer = stage(world, "Offer")
    response = client.post(stage_url("move", offer), {"direction": "up"}, follow=True)
    assert names(world.job)[4:6] == ["Offer", "Debrief"]
    assert "Moved Offer up." in messages_of(response)
    client.post(stage_url("move", offer), {"direction": "down"})
    assert names(world.job) == DEFAULT


def test_moving_past_the_end_is_explained(world, login):
    response = login(world.rita).post(
        stage_url("move", stage(world, "Sourced")), {"direction": "up"}, follow=True
    )
    assert "The stage is already at that end of the plan." in messages_of(response)
    assert names(world.job) == DEFAULT


def test_a_move_without_a_direction_is_explained(world, login):
    response = login(world.rita).post(
        stage_url("move", stage(world, "Offer")), {"direction": "sideways"}, follow=True
    )
    assert "Choose whether to move the stage up or down." in messages_of(response)
    assert names(world.job) == DEFAULT


# --- remove --------------------------------------------------------------------------------


def test_rita_removes_an_empty_stage(world, login):
    response = login(world.rita).post(stage_url("remove", stage(world, "Scheduling")), follow=True)
    assert "Scheduling" not in names(world.job)
    assert "Removed the stage Scheduling." in messages_of(response)
    assert response.redirect_chain[-1][0] == stages_url(world.job)


def test_a_stage_with_candidates_is_kept_with_a_clear_message(world, login):
    response = login(world.rita).post(stage_url("remove", stage(world, "Sourced")), follow=True)
    assert "Sourced holds 2 candidates: move them out before removing it." in messages_of(response)
    assert names(world.job) == DEFAULT


@pytest.mark.parametrize("name", ["Submitted", "Hired"])
def test_submitted_and_hired_are_kept_with_a_clear_message(world, login, name):
    response = login(world.ada).post(stage_url("remove", stage(world, name)), follow=True)
    assert f"{name} is needed for submissions and hires; rename it instead." in messages_of(
        response
    )
    assert names(world.job) == DEFAULT


def test_opening_the_editor_changes_nothing(world, login):
    login(world.rita).get(stages_url(world.job))
    assert names(world.job) == DEFAULT


def test_the_editor_offers_remove_only_where_it_would_work_and_says_why_not(world, login):
    body = login(world.rita).get(stages_url(world.job)).content.decode()
    removable = {each.name for each in world.job.stages.all() if stage_url("remove", each) in body}
    assert removable == {"Scheduling", "Interviewing", "Debrief", "Offer"} - {
        world.interviewed.stage.name
    }
    assert (
        "Not removable: Submitted is needed for submissions and hires; rename it instead." in body
    )
    assert "Not removable: Hired is needed for submissions and hires" in body
    assert "Not removable: Sourced holds" in body
