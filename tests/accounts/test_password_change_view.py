"""Changing one's password while logged in."""

from __future__ import annotations

from django.urls import reverse

from closeloop.activity.models import Activity

PASSWORD = "correct-horse-battery"  # every persona's password in tests/conftest.py
NEW_PASSWORD = "a-brand-new-passphrase-42"
CHANGE = reverse("accounts:password-change")


def change(client, old: str, new: str, confirm: str | None = None):
    data = {"old_password": old, "new_password1": new, "new_password2": confirm or new}
    return client.post(CHANGE, data)


def test_changing_a_password_needs_a_login(client, db):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_page_asks_for_the_old_and_new_password(world, login):
    html = login(world.rita).get(CHANGE).content.decode()
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'<label for="id_{name}">' in html


def test_rita_changes_her_password_and_stays_logged_in(world, login):
    client = login(world.rita)
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    world.rita.refresh_from_db()
    assert world.rita.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:profile")).status_code == 200
    activity = Activity.objects.get(kind="closeloop.user.password_changed")
    assert activity.actor == world.rita
    assert activity.data["by_reset"] is False


def test_a_wrong_old_password_changes_nothing(world, login):
    client = login(world.rita)
    response = change(client, "wrong", NEW_PASSWORD)
    assert response.status_code == 200
    assert "old password was entered incorrectly" in response.content.decode()
    world.rita.refresh_from_db()
    assert world.rita.check_password(PASSWORD)
    assert not Activity.objects.filter(kind="closeloop.user.password_changed").exists()


def test_mismatched_new_passwords_change_nothing(world, login):
    client = login(world.rita)
    response = change(client, PASSWORD, NEW_PASSWORD, "something-else-entirely")
    assert response.status_code == 200
    assert "didn’t match" in response.content.decode()
    world.rita.refresh_from_db()
    assert world.rita.check_password(PASSWORD)


def test_opening_the_page_changes_nothing(world, login):
    login(world.rita).get(CHANGE)
    world.rita.refresh_from_db()
    assert world.rita.check_password(PASSWORD)
    assert not Activity.objects.filter(kind="closeloop.user.password_changed").exists()
