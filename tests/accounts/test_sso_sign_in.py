"""Single sign-on against a real OpenID provider on 127.0.0.1: the whole round trip (discovery,
authorize, code, token exchange, the id_token checked with the provider's JWKS, userinfo,
the session), and every way it refuses."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import Invitation, Session, User
from closeloop.activity.models import Activity
from fuzz_routes import HOSTILE
from oidc_provider import CLIENT_ID, local, sso_sign_in

LOGIN = reverse("accounts:login")
QUEUE = reverse("pipeline:queue")


def signed_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_the_login_page_offers_the_provider_only_when_configured(client, db, settings):
    assert b"Sign in with" not in client.get(LOGIN).content
    assert client.get(reverse("accounts:sso-start")).status_code == 404
    assert client.get(reverse("accounts:sso-callback"), {"code": "x"}).status_code == 404
    settings.OIDC_RP_CLIENT_ID = "x"
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    html = client.get(LOGIN).content.decode()
    assert "Sign in with single sign-on" in html
    assert 'name="password"' in html  # passwords still work unless PASSWORD_LOGIN=0


def test_hank_signs_in_through_the_provider_end_to_end(client, world, sso):
    sso.person("Hank@Example.com", "Hank Manager")  # another case at the provider
    assert "Sign in with Acme ID" in client.get(LOGIN).content.decode()

    start = client.get(reverse("accounts:sso-start"), {"next": "/jobs/"})
    authorize = urlsplit(start["Location"])
    params = parse_qs(authorize.query)
    assert f"{authorize.scheme}://{authorize.netloc}" == sso.issuer
    assert params["client_id"] == [CLIENT_ID]
    assert params["redirect_uri"] == ["http://testserver/accounts/sso/callback/"]
    assert params["code_challenge_method"] == ["S256"]  # PKCE
    assert params["state"] and params["nonce"]
    assert signed_in_as(client) is None

    sso.signed_in = "Hank@Example.com"
    back = sso.authorize(start["Location"])
    assert parse_qs(urlsplit(back).query)["state"] == params["state"]
    response = client.get(local(back))

    assert response.status_code == 302
    assert response.url == "/jobs/"
    assert signed_in_as(client) == world.hank.pk
    # The provider saw the whole flow: discovery, authorize, then the back channel.
    assert sso.requests == [
        "GET /.well-known/openid-configuration",
        "GET /authorize",
        "POST /token",
        "GET /jwks",
        "GET /userinfo",
    ]
    # The project's session row carries its user, and pages open.
    assert Session.objects.get(session_key=client.session.session_key).user_id == world.hank.pk
    assert client.get(QUEUE).status_code == 200
    assert client.session["_closeloop_sign_in_method"] == "sso"


def test_next_never_leaves_the_site(client, world, sso):
    sso.person("hank@example.com")
    response = sso_sign_in(client, sso, "hank@example.com", next_url="https://evil.example/x")
    assert response.url == QUEUE
    assert signed_in_as(client) == world.hank.pk


def test_a_new_person_gets_an_account_with_the_default_role_when_allowed(
    client, world, sso, settings
):
    settings.OIDC_CREATE_USERS = True
    settings.OIDC_DEFAULT_ROLE = "hiring_manager"
    sso.person("nina@example.com", "Nina New")
    response = sso_sign_in(client, sso, "nina@example.com")
    assert response.url == QUEUE
    nina = User.objects.get(email="nina@example.com")
    assert signed_in_as(client) == nina.pk
    assert nina.full_name == "Nina New"
    assert nina.is_hiring_manager and not (nina.is_admin or nina.is_recruiter)
    assert not nina.has_usable_password()
    assert Activity.objects.filter(kind="closeloop.user.created_by_sso", actor=nina).exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda w, p, s: p.person("nobody@example.com"), "has no Closeloop account"),
        (lambda w, p, s: p.person("hank@example.com", verified=False), "not verified"),
        (
            lambda w, p, s: (
                p.person("hank@example.com"),
                User.objects.filter(pk=w.hank.pk).update(is_active=False),
            ),
            "switched off",
        ),
        (
            lambda w, p, s: (p.person("hank@example.com"), p.id_token_claims.update(nonce="x")),
            "could not be verified",
        ),
        (
            lambda w, p, s: (p.person("hank@example.com"), p.id_token_claims.update(aud="other")),
            "could not be verified",
        ),
        (
            lambda w, p, s: (
                p.person("hank@example.com"),
                p.id_token_claims.update(iss="http://127.0.0.1:1"),
            ),
            "could not be verified",
        ),
        (
            lambda w, p, s: (
                p.person("hank@example.com"),
                p.id_token_claims.update(exp=int(time.time()) - 60),
            ),
            "could not be verified",
        ),
        (
            lambda w, p, s: (p.person("hank@example.com"), p.userinfo_claims.update(sub="other")),
            "does not match",
        ),
    ],
    ids=[
        "unknown person, no auto-provisioning",
        "unverified email claim",
        "deactivated person",
        "wrong nonce",
        "id_token for another client",
        "id_token from another issuer",
        "expired id_token",
        "userinfo about someone else",
    ],
)
def test_refusals_open_no_session_and_say_why(client, world, sso, settings, setup, message):
    setup(world, sso, settings)
    email = next(iter(sso.people))
    response = sso_sign_in(client, sso, email)
    assert response.status_code == 302
    assert response.url == LOGIN
    assert signed_in_as(client) is None
    assert message in said(response)
    assert not User.objects.filter(email="nobody@example.com").exists()


def test_a_person_not_signed_in_at_the_provider_is_told_so(client, world, sso):
    response = sso_sign_in(client, sso, None)  # the provider answers error=access_denied
    assert response.url == LOGIN
    assert "did not sign you in" in said(response)
    assert signed_in_as(client) is None


def test_a_callback_with_a_state_not_started_here_is_refused(client, world, sso):
    sso.person("hank@example.com")
    sso.signed_in = "hank@example.com"
    start = client.get(reverse("accounts:sso-start"))
    back = sso.authorize(start["Location"])
    # Another browser (an attacker's link) brings the code: its session has no such state.
    other = type(client)()
    response = other.get(local(back))
    assert response.url == LOGIN and "not started here" in said(response)
    # A made-up state in this browser is refused too.
    path = local(back).replace("state=", "state=forged")
    response = client.get(path)
    assert response.url == LOGIN and signed_in_as(client) is None


def test_a_callback_cannot_be_replayed(client, world, sso):
    sso.person("hank@example.com")
    sso.signed_in = "hank@example.com"
    start = client.get(reverse("accounts:sso-start"))
    back = local(sso.authorize(start["Location"]))
    assert client.get(back).url == QUEUE
    client.logout()
    response = client.get(back)  # the same code and state again
    assert response.url == LOGIN
    assert signed_in_as(client) is None


@pytest.mark.parametrize(
    "query",
    [{}, {"code": "x"}, {"state": "x"}, {"code": "²", "state": "\x00"}, {"error": "x" * 5000}],
)
def test_a_hostile_callback_is_a_clear_refusal(client, world, sso, query):
    response = client.get(reverse("accounts:sso-callback"), query)
    assert response.status_code == 302 and response.url == LOGIN


def test_an_unreachable_provider_is_a_clear_message(client, db, settings):
    settings.OIDC_RP_CLIENT_ID = "x"
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    settings.OIDC_TIMEOUT = 2
    response = client.get(reverse("accounts:sso-start"))
    assert response.url == LOGIN
    assert "cannot be reached" in said(response)


def test_a_provider_without_the_verified_claim_needs_it_switched_off(client, world, sso, settings):
    sso.person("hank@example.com")
    sso.userinfo_claims["email_verified"] = None  # Entra ID sends no such claim
    sso.id_token_claims["email_verified"] = None
    assert sso_sign_in(client, sso, "hank@example.com").url == LOGIN
    settings.OIDC_REQUIRE_VERIFIED_EMAIL = False
    assert sso_sign_in(client, sso, "hank@example.com").url == QUEUE
    assert signed_in_as(client) == world.hank.pk


def test_every_hostile_value_in_the_callback_and_start_is_a_clear_answer(client, world, sso):
    """With SSO on (the route fuzz runs with it off): no server error, nobody signed in."""
    sso.person("hank@example.com")
    for value in HOSTILE:
        for name in ("code", "state", "error", "session_state"):
            query = {"code": "x", "state": "x", name: value}
            response = client.get(reverse("accounts:sso-callback"), query)
            assert response.status_code == 302 and response.url == LOGIN, (name, value)
        start = client.get(reverse("accounts:sso-start"), {"next": value})
        assert start.status_code == 302 and start["Location"].startswith(sso.issuer)
    assert signed_in_as(client) is None


def test_the_first_sign_in_links_the_account_and_another_identity_is_refused(client, world, sso):
    """An address the provider later gives to someone else (a reissued mailbox) never opens
    hank's account: the first SSO sign-in binds it to the provider's subject."""
    sso.person("hank@example.com", "Hank Manager")
    assert sso_sign_in(client, sso, "hank@example.com").status_code == 302
    world.hank.refresh_from_db()
    first = world.hank.sso_identity
    assert first == f"{sso.issuer} {sso.people['hank@example.com']['sub']}"
    client.logout()
    assert sso_sign_in(client, sso, "hank@example.com").status_code == 302  # the same again
    client.logout()
    sso.people["hank@example.com"]["sub"] = "someone-new"
    refused = sso_sign_in(client, sso, "hank@example.com")
    assert signed_in_as(client) is None
    assert "linked to another sign-in" in said(refused)
    world.hank.refresh_from_db()
    assert world.hank.sso_identity == first


def test_a_superuser_never_signs_in_through_the_provider(client, world, sso):
    User.objects.filter(pk=world.ada.pk).update(is_superuser=True)
    sso.person("ada@example.com", "Ada Admin")
    refused = sso_sign_in(client, sso, "ada@example.com")
    assert signed_in_as(client) is None
    assert "superuser account" in said(refused)


def test_a_lapsed_invitation_is_named_as_such(client, world, sso):
    pat = User.objects.create_user("pat@example.com", None, full_name="Pat", is_active=False)
    Invitation.objects.create(
        email=pat.email, full_name="Pat", user=pat, token_hash="0" * 64,
        expires_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    sso.person("pat@example.com", "Pat")
    refused = sso_sign_in(client, sso, "pat@example.com")
    assert signed_in_as(client) is None
    assert "invitation has expired or was withdrawn" in said(refused)
