"""Every page names the favicon, served from our own static files; so does the admin, and the
bare /favicon.ico that browsers ask for leads to it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

ICON = re.compile(
    r'<link rel="icon" href="(/static/closeloop/favicon\.svg)" type="image/svg\+xml">'
)


def icon_href(html: str) -> str:
    match = ICON.search(html)
    assert match, "no favicon link on the page"
    return match.group(1)


@pytest.mark.parametrize("name", ["admin:index", "admin:accounts_user_changelist"])
def test_the_admin_pages_have_the_favicon(world, login, name):
    response = login(world.ada).get(reverse(name))
    assert response.status_code == 200
    icon_href(response.content.decode())


def test_the_admin_login_page_has_the_favicon(client, db):
    # The admin's login leads to Closeloop's own (SSO, two-step sign-in): it has it too.
    response = client.get(reverse("admin:login"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    icon_href(response.content.decode())


def test_the_main_pages_have_the_favicon(world, client, login):
    icon_href(client.get(reverse("accounts:login")).content.decode())
    icon_href(login(world.rita).get(reverse("pipeline:queue")).content.decode())
    icon_href(client.get("/no-such-page/").content.decode())


def test_the_favicon_is_served_locally(client, db):
    response = client.get("/static/closeloop/favicon.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")


def test_the_bare_favicon_ico_leads_to_it(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/closeloop/favicon.svg"
