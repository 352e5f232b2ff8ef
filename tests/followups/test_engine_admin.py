"""The engine's tables in the Django admin: admins can look, nobody can edit by hand."""

from __future__ import annotations

import pytest
from django.urls import reverse

MODELS = [
    ("followups", "ask"),
    ("followups", "nudge"),
    ("followups", "notice"),
    ("followups", "actionlink"),
    ("followups", "servicelevel"),
    ("followups", "workerheartbeat"),
    ("notify", "message"),
    ("notify", "delivery"),
]


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_an_admin_sees_the_list_but_cannot_add(world, login, submitted, app, model):
    client = login(world.ada)
    assert client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{app}_{model}_add")).status_code == 403


def test_an_asks_page_is_read_only(world, login, submitted):
    from closeloop.followups.models import Ask

    ask = Ask.objects.get(kind="review_submission")
    client = login(world.ada)
    url = reverse("admin:followups_ask_change", args=[ask.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"title": "Changed"})
    ask.refresh_from_db()
    assert ask.title.startswith("Review Carla")


def test_action_links_never_show_a_token_hash(world, login, submitted, clock):
    import datetime as dt

    from closeloop.followups.engine import asks_advance, notices_compose
    from closeloop.followups.models import ActionLink

    clock.move_to(dt.datetime(2026, 11, 24, 10, 1, tzinfo=dt.UTC))
    asks_advance()
    notices_compose()
    link = ActionLink.objects.first()
    page = login(world.ada).get(reverse("admin:followups_actionlink_change", args=[link.pk]))
    assert link.token_hash not in page.content.decode()
