"""MFA_REQUIRED_FOR_ADMINS: an admin signs in, is sent to set up an app before anything else,
and from then on signs in with a code. One-click links and calendar feeds authorise one
action, not a login: they keep working without a second factor."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from closeloop.accounts.mfa import mfa_enrolment_confirm, mfa_enrolment_start
from closeloop.calendars.services import feed_issue
from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.notify.models import Message
from closeloop.notify.selectors import message_body_for
from closeloop.pipeline.services import application_submit
from oidc_provider import sso_sign_in, totp_now

PASSWORD = "correct-horse-battery"
LOGIN = reverse("accounts:login")
ENROL = reverse("accounts:mfa-enrol")
QUEUE = reverse("pipeline:queue")
REMINDER_TIME = dt.datetime(2026, 11, 24, 10, 1, tzinfo=dt.UTC)


@pytest.fixture
def world(clock, world):
    """The shared world, built with the clock at Monday 10:00 (the engine's tests' moment)."""
    return world


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_FOR_ADMINS = True


def test_an_admin_is_sent_to_enrol_before_anything_else(client, world, required, clock):
    response = client.post(LOGIN, {"username": "ada@example.com", "password": PASSWORD})
    assert response.url == QUEUE
    for page in (QUEUE, reverse("jobs:job-list"), reverse("accounts:profile"), "/admin/"):
        assert client.get(page).url == ENROL, page
    assert client.post(reverse("accounts:mfa-start")).url == ENROL
    enrol = client.get(ENROL)
    assert enrol.status_code == 200 and b"Admins sign in with a code" in enrol.content
    device = world.ada.totpdevice_set.get()
    client.post(ENROL, {"code": totp_now(device)})
    assert client.get(QUEUE).status_code == 200  # this session proved a code

    # Next time the password is not enough.
    client.logout()
    clock.shift(dt.timedelta(seconds=30))
    assert client.post(LOGIN, {"username": "ada@example.com", "password": PASSWORD}).url == (
        reverse("accounts:login-verify")
    )
    assert client.post(reverse("accounts:login-verify"), {"code": totp_now(device)}).url == QUEUE
    assert client.get(QUEUE).status_code == 200


def test_a_session_without_the_code_is_signed_out(client, world, required, clock):
    device = mfa_enrolment_start(user=world.ada)
    mfa_enrolment_confirm(user=world.ada, code=totp_now(device))
    client.force_login(world.ada)  # e.g. a browser signed in before the app was set up
    response = client.get(QUEUE)
    assert response.url == LOGIN
    assert not client.session.get("_auth_user_id")


def test_people_who_are_not_admins_are_not_asked(client, world, required):
    client.post(LOGIN, {"username": "rita@example.com", "password": PASSWORD})
    assert client.get(QUEUE).status_code == 200


def test_off_by_default_without_https(client, world, settings):
    assert settings.MFA_REQUIRED_FOR_ADMINS is False  # SITE_URL is http:// in tests
    client.post(LOGIN, {"username": "ada@example.com", "password": PASSWORD})
    assert client.get(QUEUE).status_code == 200


def _hank_links(world, clock) -> dict[str, str]:
    application_submit(application=world.interviewed, by=world.rita, pitch="Strong.")
    clock.move_to(REMINDER_TIME)
    asks_advance()
    notices_compose()
    message = Message.objects.get(recipient=world.hank)
    body = message_body_for(message=message, user=world.hank)[0]
    found = dict(re.findall(r"^  ([^:\n]+): (http://\S+/act/\S+/)$", body, flags=re.M))
    return {label: url.split("127.0.0.1:8000", 1)[1] for label, url in found.items()}


def test_one_click_links_work_without_a_second_factor(client, world, required, clock):
    # hank is an admin too, signed in with his password, and has set up no app yet.
    type(world.hank).objects.filter(pk=world.hank.pk).update(is_admin=True)
    links = _hank_links(world, clock)
    client.post(LOGIN, {"username": "hank@example.com", "password": PASSWORD})
    assert client.get(QUEUE).url == ENROL  # the app itself waits for enrolment…
    page = client.get(links["Advance"])  # …a one-click link does not
    assert page.status_code == 200 and b"Advance: Carla Candidate?" in page.content
    done = client.post(links["Advance"], {"closeness": 3, "calibration_note": "Fits.", "note": ""})
    assert done.status_code == 200 and b"Done, thank you" in done.content
    world.interviewed.refresh_from_db()
    assert world.interviewed.stage.name == "Scheduling"


def test_one_click_links_work_for_someone_with_an_app_and_no_session(client, world, clock):
    device = mfa_enrolment_start(user=world.hank)
    mfa_enrolment_confirm(user=world.hank, code=totp_now(device))
    links = _hank_links(world, clock)
    done = client.post(links["Advance"], {"closeness": 3, "calibration_note": "Fits.", "note": ""})
    assert done.status_code == 200 and b"Done, thank you" in done.content
    assert not client.session.get("_auth_user_id")  # and it signed nobody in


def test_calendar_feeds_work_without_a_second_factor(client, world, required, clock):
    type(world.ivy).objects.filter(pk=world.ivy.pk).update(is_admin=True)
    device = mfa_enrolment_start(user=world.ivy)
    mfa_enrolment_confirm(user=world.ivy, code=totp_now(device))
    path = "/" + feed_issue(user=world.ivy).split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 200  # a calendar app, no session at all
    client.force_login(world.ivy)  # a session without the code (signed out on app pages)
    assert client.get(path).status_code == 200
    assert client.get(path)["Content-Type"].startswith("text/calendar")


def test_an_admin_who_removes_her_app_must_set_up_another(client, world, required, clock):
    client.post(LOGIN, {"username": "ada@example.com", "password": PASSWORD})
    client.post(reverse("accounts:mfa-start"))
    device = world.ada.totpdevice_set.get()
    client.post(ENROL, {"code": totp_now(device)})
    assert client.get(QUEUE).status_code == 200
    client.post(reverse("accounts:mfa-remove"), {"proof": PASSWORD})
    assert not world.ada.totpdevice_set.exists()
    assert client.get(QUEUE).url == ENROL


def test_an_admin_signed_in_through_sso_is_not_asked_to_enrol(client, world, required, sso):
    # An admin who is not a superuser (a superuser is the break-glass account, never SSO).
    type(world.ada).objects.filter(pk=world.ada.pk).update(is_superuser=False)
    sso.person("ada@example.com")
    assert sso_sign_in(client, sso, "ada@example.com").url == QUEUE
    assert client.get(QUEUE).status_code == 200  # the provider does the MFA
