"""A board card's move: each card carries the move form (for keyboards, phones and browsers
without JavaScript; a drag submits the same form); the move goes through the one service
and comes back to the board, its outcome said there, and a refused move changes nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from closeloop.followups.models import Ask
from closeloop.pipeline.models import Application, ApplicationStatus, StageChange
from closeloop.pipeline.services import application_submit


@pytest.fixture
def stages(world):
    return {stage.name: stage for stage in world.job.stages.all()}


def move(client, application, stage_pk, **headers):
    url = reverse("pipeline:application-move", args=[application.pk])
    return client.post(url, {"to_stage": stage_pk, "from": "board"}, headers=headers)


def board(client, job) -> str:
    html = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    return html[html.index('id="pipeline"') :]


def card_form(client, application, **headers):
    url = reverse("pipeline:application-move", args=[application.pk])
    return client.get(url, headers={"HX-Request": "true", **headers})


def test_cards_carry_a_move_button_for_the_hiring_team_only(world, login, stages):
    html = board(login(world.rita), world.job)
    name = html.index(">Sam Sourced</a>")
    card = html[html.rindex("<li", 0, name) : html.index("</li>", name)]
    assert 'draggable="true"' in card
    # The Move fetches the card's form when it opens (board.js), from the move's own
    # address; without JavaScript that address is a link to the form on a page of its own.
    move_url = reverse("pipeline:application-move", args=[world.sourced.pk])
    assert f'<a class="card-move-slot" href="{move_url}">Choose the stage</a>' in card
    assert "<select" not in html[html.index('class="board"') :]  # no form per card
    # A drag's post needs the CSRF token: the board's htmx requests carry it.
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    # ivy interviews here but moves nobody: her board has nothing to open or drag.
    seen = board(login(world.ivy), world.job)
    assert "card-move-slot" not in seen and 'draggable="true"' not in seen
    assert "X-CSRFToken" not in seen


def test_a_cards_form_offers_every_other_stage_with_the_next_one_chosen(world, login, stages):
    response = card_form(login(world.rita), world.sourced)
    assert response.status_code == 200
    form = response.content.decode()
    assert f'action="{reverse("pipeline:application-move", args=[world.sourced.pk])}"' in form
    assert 'name="from" value="board"' in form and "csrfmiddlewaretoken" in form
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]+)</option>', form)
    names = [name for _, _, name in options]
    in_order = world.job.stages.order_by("position").values_list("name", flat=True)
    # All but its own, and Submitted, which a submission enters (linked instead).
    assert names == [name for name in in_order if name not in ("Sourced", "Submitted")]
    assert [name for _, chosen, name in options if chosen] == ["Scheduling"]  # the next one
    assert "aria-label" not in form and "Move Sam Sourced to stage" in form  # its label
    submit = reverse("pipeline:application-detail", args=[world.sourced.pk]) + "?open=submit"
    assert f'href="{submit}#submit-action"' in form and "submit to Hank Manager" in form


def test_a_move_to_submitted_is_refused_the_hm_is_asked_by_a_submission(world, login, stages):
    """A plain move would leave the candidate on a hiring manager nobody asked."""
    client = login(world.rita)
    response = move(client, world.sourced, stages["Submitted"].pk)
    world.sourced.refresh_from_db()
    assert world.sourced.stage == stages["Sourced"]
    assert not Ask.objects.filter(kind="review_submission").exists()
    said = client.get(response.headers["Location"]).content.decode()
    assert "Nothing was changed. To put Sam Sourced in front of Hank Manager, submit" in said
    # The link the card offers opens the submission form on the candidate's page.
    detail = reverse("pipeline:application-detail", args=[world.sourced.pk])
    html = client.get(detail, {"open": "submit"}).content.decode()
    assert re.search(r'<details class="cl-action" id="submit-action" open>', html)
    # Back in Submitted while a submission waits there is a plain move.
    application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    move(client, world.sourced, stages["Scheduling"].pk)
    assert move(client, world.sourced, stages["Submitted"].pk).status_code == 302
    world.sourced.refresh_from_db()
    assert world.sourced.stage == stages["Submitted"]


def test_a_cards_form_is_for_the_hiring_team_and_only_while_the_candidate_is_active(
    world, login, stages
):
    assert card_form(login(world.ivy), world.interviewed).status_code == 403
    assert card_form(login(world.olga), world.sourced).status_code == 404
    Application.objects.filter(pk=world.sourced.pk).update(status=ApplicationStatus.WITHDRAWN)
    closed = card_form(login(world.hank), world.sourced)
    assert closed.status_code == 200
    html = closed.content.decode()
    assert "<form" not in html and "Sam Sourced is withdrawn now" in html


def test_a_move_from_the_board_goes_back_to_the_board(world, login, stages):
    client = login(world.rita)
    response = move(client, world.sourced, stages["Scheduling"].pk)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("jobs:job-detail", args=[world.job.pk])
    world.sourced.refresh_from_db()
    assert world.sourced.stage == stages["Scheduling"]
    change = StageChange.objects.filter(application=world.sourced).latest("pk")
    assert change.to_stage == stages["Scheduling"] and change.by == world.rita
    page = client.get(response.headers["Location"]).content.decode()
    assert "Moved Sam Sourced to Scheduling." in page


def test_with_htmx_the_swapped_board_says_the_outcome(world, login, stages):
    client = login(world.hank)  # the hiring manager may move candidates too
    url = reverse("pipeline:application-move", args=[world.sourced.pk])
    response = client.post(
        url,
        {"to_stage": stages["Scheduling"].pk, "from": "board"},
        headers={"HX-Request": "true"},
        follow=True,
    )
    html = response.content.decode()
    pipeline = html[html.index('id="pipeline"') :]
    assert '<ul class="messages" role="status">' in pipeline
    assert "Moved Sam Sourced to Scheduling." in pipeline


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
