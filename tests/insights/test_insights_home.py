"""/insights/ itself: the address a person types or trims an Insights address back to goes
to the insights they may read, never a 404 beside a working nav link."""

from __future__ import annotations

import pytest


def test_an_admin_is_sent_to_the_organisations_table(world, login):
    response = login(world.ada).get("/insights/")

    assert response.status_code == 302
    assert response["Location"] == "/insights/people/"
    assert login(world.ada).get("/insights/", follow=True).status_code == 200


@pytest.mark.parametrize("persona", ["rita", "hank", "ivy", "olga"])
def test_anyone_else_is_sent_to_their_own_record(world, login, persona):
    response = login(getattr(world, persona)).get("/insights/")

    assert response.status_code == 302
    assert response["Location"] == "/insights/me/"


def test_a_visitor_signs_in_first(client):
    response = client.get("/insights/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/insights/"
