"""Logging out: POST only, so a link or an image cannot log anyone out."""

from __future__ import annotations

from django.urls import reverse

LOGOUT = reverse("accounts:logout")


def test_logging_out_needs_a_post(world, login):
    client = login(world.hank)
    response = client.get(LOGOUT)
    assert response.status_code == 405
    assert client.session.get("_auth_user_id") == str(world.hank.pk)


def test_a_post_logs_hank_out_and_shows_the_login_page(world, login):
    client = login(world.hank)
    response = client.post(LOGOUT, follow=True)
    assert client.session.get("_auth_user_id") is None
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "You are logged out." in response.content.decode()


def test_the_queue_needs_a_login_again_after_logout(world, login):
    client = login(world.hank)
    client.post(LOGOUT)
    response = client.get(reverse("pipeline:queue"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_every_page_carries_a_csrf_protected_logout_form(world, login):
    client = login(world.hank)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert f'action="{LOGOUT}"' in html
    assert "csrfmiddlewaretoken" in html
