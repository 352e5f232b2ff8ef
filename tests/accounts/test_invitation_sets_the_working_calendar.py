"""An invitation sets the invitee's public holidays as well as the time zone, starting from the
inviting admin's own (the profile's rules check them), and the first page after someone joins
says the working calendar their due times are counted in, with the way to change it."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from closeloop.accounts.models import User
from closeloop.accounts.people import invitation_create
from closeloop.notify.models import Message
from closeloop.notify.selectors import message_body_for

INVITE = reverse("people:invite")
PROFILE_CALENDAR = reverse("accounts:profile") + "#calendar"
GOOD_PASSWORD = "tidal-orchard-57-lantern"
LINK = re.compile(r"https?://[^\s\"'<>]+(/welcome/[^/\s\"'<>]+/)")


@pytest.fixture
def ada_in_munich(world):
    """Ada works in Bavaria: her colleagues most likely do too."""
    ada = world.ada
    ada.time_zone, ada.holiday_country, ada.holiday_subdivision = "Europe/Berlin", "DE", "BY"
    ada.save()
    return ada


def invite(client, **fields):
    data = {
        "email": "nina@example.com",
        "full_name": "Nina Newhire",
        "is_recruiter": "on",
        "time_zone": "Europe/Berlin",
        **fields,
    }
    return client.post(INVITE, data)


def selected(html: str, name: str) -> str:
    """The value a select of the page has chosen."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    return chosen.group(1) if chosen else ""


def test_the_invite_form_offers_public_holidays_starting_from_the_admins(
    ada_in_munich, clock, login
):
    html = login(ada_in_munich).get(INVITE).content.decode()
    assert selected(html, "holiday_country") == "DE"
    assert selected(html, "time_zone") == "Europe/Berlin"
    assert re.search(r'name="holiday_subdivision"[^>]*value="BY"', html)
    # The regions of her country are offered as one types.
    assert '<datalist id="holiday-regions">' in html and '<option value="BY">' in html
    assert "working hours start as Mon–Fri 09:00–17:00" in html


def test_an_admin_with_no_holidays_is_asked_to_set_her_own_first(world, clock, login):
    html = login(world.ada).get(INVITE).content.decode()
    assert selected(html, "holiday_country") == ""
    assert f'href="{PROFILE_CALENDAR}">set your own</a>' in html


def test_the_invitee_starts_with_the_public_holidays_chosen(ada_in_munich, clock, login):
    response = invite(login(ada_in_munich), holiday_country="DE", holiday_subdivision="by")
    assert response.status_code == 302, response.content.decode()[:2000]
    nina = User.objects.get(email="nina@example.com")
    # The region as the holidays package spells it, as the profile page stores it.
    assert (nina.time_zone, nina.holiday_country, nina.holiday_subdivision) == (
        "Europe/Berlin",
        "DE",
        "BY",
    )


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"holiday_country": "GB", "holiday_subdivision": "XX"}, "is not a region of United"),
        ({"holiday_country": "", "holiday_subdivision": "BY"}, "Choose the country first."),
        ({"holiday_country": "ZZ"}, "is not a country with a public-holiday calendar"),
    ],
)
def test_a_calendar_the_profile_would_refuse_invites_nobody(world, clock, login, fields, problem):
    response = invite(login(world.ada), **fields)
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not User.objects.filter(email="nina@example.com").exists()


def test_the_service_checks_the_holidays_by_the_profiles_rules(world, clock):
    with pytest.raises(ValidationError) as refused:
        invitation_create(
            by=world.ada,
            email="nina@example.com",
            full_name="Nina Newhire",
            roles={"is_recruiter": True},
            holiday_country="GB",
            holiday_subdivision="Atlantis",
        )
    assert (
        "“Atlantis” is not a region of United Kingdom"
        in refused.value.message_dict["holiday_subdivision"][0]
    )
    assert not User.objects.filter(email="nina@example.com").exists()


def accept(path: str) -> tuple[Client, str]:
    """The invitee sets a password from the link: their browser and the first page."""
    browser = Client()
    done = browser.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert done.status_code == 302
    return browser, browser.get(done.url).content.decode()


def invitation_path() -> str:
    message = Message.objects.get(template="invitation")
    return LINK.search(message_body_for(message=message, user=message.recipient)[0]).group(1)


CALENDAR_BY = "Europe/Berlin, Mon–Fri 09:00–17:00, public holidays of Germany (Bayern)."


def test_the_first_page_after_joining_says_the_working_calendar_with_a_link(
    ada_in_munich, clock, login
):
    """A hiring manager lands on a queue without first steps: the welcome says the calendar."""
    invite(
        login(ada_in_munich),
        is_recruiter="",
        is_hiring_manager="on",
        holiday_country="DE",
        holiday_subdivision="BY",
    )
    nina, html = accept(invitation_path())
    assert "Welcome to Closeloop, Nina." in html
    assert f"Your working calendar: {CALENDAR_BY}" in html
    assert f'<a href="{PROFILE_CALENDAR}">check it on your profile</a>' in html
    assert 'id="calendar"' in nina.get(reverse("accounts:profile")).content.decode()

    # Said on joining only: the next sign-in is an ordinary one.
    nina.logout()
    again = nina.post(
        reverse("accounts:login"),
        {"username": "nina@example.com", "password": GOOD_PASSWORD},
        follow=True,
    )
    assert "Your working calendar" not in again.content.decode()


@pytest.mark.parametrize("holidays", [{"holiday_country": ""}, {"holiday_country": "DE"}])
def test_a_recruiter_whose_first_steps_list_the_calendar_is_told_it_once(
    ada_in_munich, clock, login, holidays
):
    """Nina, a recruiter with no job yet, lands on her first steps, whose first is her
    working calendar (to set, or set already by the invitation): the welcome does not say it
    a second time above them."""
    invite(login(ada_in_munich), **holidays)
    _, html = accept(invitation_path())
    assert "Welcome to Closeloop, Nina." in html
    assert "Start your first search" in html
    assert "Your working calendar:" not in html
    calendar = "Europe/Berlin, Mon–Fri 09:00–17:00, "
    assert html.count(calendar) == 1
    assert f'<a href="{PROFILE_CALENDAR}"' in html


def test_the_first_admins_first_sign_in_says_her_calendar_too(db, client):
    User.objects.create_superuser("alice@acme.example", GOOD_PASSWORD, full_name="Alice Admin")
    page = client.post(
        reverse("accounts:login"),
        {"username": "alice@acme.example", "password": GOOD_PASSWORD},
        follow=True,
    )
    html = page.content.decode()
    assert "Your working calendar: UTC, Mon–Fri 09:00–17:00, no public holidays." in html
