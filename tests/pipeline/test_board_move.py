"""A board card's move: each card carries the move form (for keyboards, phones and browsers
without JavaScript; a drag submits the same form); the move goes through the one service
and comes back to the board, its outcome said there, and a refused move changes nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from closeloop.pipeline.models import StageChange


@pytest.fixture
def stages(world):
    return {stage.name: stage for stage in world.job.stages.all()}


def move(client, application, stage_pk, **headers):
    url = reverse("pipeline:application-move", args=[application.pk])
    return client.post(url, {"to_stage": stage_pk, "from": "board"}, headers=headers)


def board(client, job) -> str:
    html = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    return html[html.index('id="pipeline"') :]


def test_cards_carry_a_move_form_for_the_hiring_team_only(world, login, stages):
    html = board(login(world.rita), world.job)
    start = html.rindex("<form", 0, html.index(f'id="card-move-{world.sourced.pk}"'))
    form = html[start : html.index("</form>", start)]
    assert f'action="{reverse("pipeline:application-move", args=[world.sourced.pk])}"' in form
    assert 'name="from" value="board"' in form
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]+)</option>', form)
    names = [name for _, _, name in options]
    assert "Sourced" not in names and "Submitted" in names  # not its own stage
    assert [name for _, chosen, name in options if chosen] == ["Submitted"]  # the next one
    assert f'data-move="card-move-{world.sourced.pk}"' in html  # draggable
    # ivy interviews here but moves nobody: her board has no forms and nothing to drag.
    seen = board(login(world.ivy), world.job)
    assert "card-move-" not in seen and 'draggable="true"' not in seen


def test_a_move_from_the_board_goes_back_to_the_board(world, login, stages):
    client = login(world.rita)
    response = move(client, world.sourced, stages["Submitted"].pk)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("jobs:job-detail", args=[world.job.pk])
    world.sourced.refresh_from_db()
    assert world.sourced.stage == stages["Submitted"]
    change = StageChange.objects.filter(application=world.sourced).latest("pk")
    assert change.to_stage == stages["Submitted"] and change.by == world.rita
    page = client.get(response.headers["Location"]).content.decode()
    assert "Moved Sam Sourced to Submitted." in page


def test_with_htmx_the_swapped_board_says_the_outcome(world, login, stages):
    client = login(world.hank)  # the hiring manager may move candidates too
    url = reverse("pipeline:application-move", args=[world.sourced.pk])
    response = client.post(
        url,
        {"to_stage": stages["Submitted"].pk, "from": "board"},
        headers={"HX-Request": "true"},
        follow=True,
    )
    html = response.content.decode()
    pipeline = html[html.index('id="pipeline"') :]
    assert '<ul class="messages" role="status">' in pipeline
    assert "Moved Sam Sourced to Submitted." in pipeline


@pytest.mark.parametrize("value", ["", "²", "999999", "other-job"])
def test_a_refused_move_changes_nothing_and_says_so_on_the_board(world, login, stages, value):
    if value == "other-job":
        value = str(world.other_job.stages.exclude(kind="sourced").first().pk)
    client = login(world.rita)
    before = StageChange.objects.count()
    response = move(client, world.sourced, value)
    assert response.headers["Location"] == reverse("jobs:job-detail", args=[world.job.pk])
    page = client.get(response.headers["Location"]).content.decode()
    assert "Nothing was changed." in page
    world.sourced.refresh_from_db()
    assert world.sourced.stage == stages["Sourced"]
    assert StageChange.objects.count() == before


def test_only_the_hiring_team_moves_from_the_board(world, login, stages):
    before = StageChange.objects.count()
    # ivy sees the application (she interviews Carla) but may not move it.
    refused = move(login(world.ivy), world.interviewed, stages["Offer"].pk)
    assert refused.status_code == 302
    assert StageChange.objects.count() == before
    # olga cannot see it at all: not found, as a guessed id should be.
    assert move(login(world.olga), world.sourced, stages["Offer"].pk).status_code == 404
    assert StageChange.objects.count() == before
