"""Single sign-on with OpenID Connect (mozilla-django-oidc), configured by environment.

mozilla-django-oidc does the protocol: the authorization request with state, nonce and PKCE,
the code exchange, the id_token's signature against the provider's JWKS. This module adds
what it leaves to us: endpoints found through the issuer's discovery document, the id_token's
issuer and audience, a verified email claim, and who the person is here (`sso_person_for`):
matched by email, case-insensitively; never a deactivated person; a newcomer only with an
invitation or with OIDC_CREATE_USERS. The session itself is opened by `accounts.signin`, as
for a password. See README, "Single sign-on".
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation, ValidationError
from django.db import transaction
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from closeloop.accounts.models import Role, User
from closeloop.accounts.people import invitation_accept
from closeloop.accounts.selectors import invitation_pending_for
from closeloop.activity.services import activity_record

log = logging.getLogger("closeloop.accounts.sso")

# Setting name -> key of the provider's discovery document.
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovery_cache: dict[str, dict[str, Any]] = {}

ROLE_FLAGS = {
    Role.RECRUITER.value: "is_recruiter",
    Role.HIRING_MANAGER.value: "is_hiring_manager",
    Role.INTERVIEWER.value: "is_interviewer",
}


class SsoRefused(Exception):
    """A sign-in through the provider that does not open a session; the text says why."""


def sso_enabled() -> bool:
    """On when a client id is set with an issuer, or with the endpoints themselves."""
    if not settings.OIDC_RP_CLIENT_ID:
        return False
    endpoints = (settings.OIDC_OP_AUTHORIZATION_ENDPOINT, settings.OIDC_OP_TOKEN_ENDPOINT)
    return bool(settings.OIDC_ISSUER or all(endpoints))


def sso_provider_name() -> str:
    return str(settings.OIDC_PROVIDER_NAME or "single sign-on")


def _discovery(issuer: str) -> dict[str, Any]:
    if issuer not in _discovery_cache:
        url = f"{issuer}/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            log.warning("OpenID discovery failed at %s: %s", url, error)
            raise SsoRefused(f"{sso_provider_name()} cannot be reached right now.") from error
        if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != issuer:
            raise SsoRefused(f"{sso_provider_name()} describes another issuer; ask your admin.")
        _discovery_cache[issuer] = document
    return _discovery_cache[issuer]


def sso_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings, with endpoints not set filled in by discovery."""
    if attr in _DISCOVERED and not getattr(settings, attr, "") and settings.OIDC_ISSUER:
        value = _discovery(settings.OIDC_ISSUER).get(_DISCOVERED[attr])
        if value:
            return value
    value = import_from_settings(attr, *default)
    if attr in _DISCOVERED and value == "":
        return default[0] if default else None
    return value


class SsoStartView(OIDCAuthenticationRequestView):
    """The redirect to the provider (state, nonce and PKCE kept in the session)."""

    get_settings = staticmethod(sso_setting)


def _verified(claims: dict[str, Any]) -> bool:
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


class SsoBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code exchange and id_token check, stricter.

    Not in AUTHENTICATION_BACKENDS: the callback calls it directly, and the session is then
    opened with the project's own backend (accounts.signin.SESSION_BACKEND).
    """

    get_settings = staticmethod(sso_setting)

    def verify_token(self, token: str, **kwargs: Any) -> Any:
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the id_token (a userinfo JWT carries no nonce)
            audience = payload.get("aud")
            audiences = [audience] if isinstance(audience, str) else list(audience or [])
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("The id_token is meant for another client.")
            issuer = settings.OIDC_ISSUER
            if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
                raise SuspiciousOperation("The id_token comes from another issuer.")
            if "exp" not in payload:
                raise SuspiciousOperation("The id_token has no expiry.")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> User:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict) or userinfo.get("sub") != payload.get("sub"):
            raise SsoRefused("The provider's answer about you does not match its sign-in.")
        return sso_person_for(claims={**payload, **userinfo})


def _roles_default() -> dict[str, bool]:
    flag = ROLE_FLAGS.get(str(settings.OIDC_DEFAULT_ROLE))
    return {flag: True} if flag else {}


def _name_of(claims: dict[str, Any], email: str) -> str:
    name = str(claims.get("name") or "").strip()
    if not name:
        parts = (claims.get("given_name"), claims.get("family_name"))
        name = " ".join(str(part).strip() for part in parts if part).strip()
    name = "".join(ch for ch in name if ch.isprintable())[:150]
    return name or email.split("@")[0]


def _identity_of(claims: dict[str, Any]) -> str:
    """Who the provider says this is, for good: its issuer and the person's subject."""
    issuer, subject = str(claims.get("iss") or "").rstrip("/"), str(claims.get("sub") or "")
    if not subject:
        raise SsoRefused("The provider did not say who you are (no subject).")
    return f"{issuer} {subject}"[:400]


def _identity_linked(person: User, identity: str) -> User:
    """The first SSO sign-in links the account to the provider's identity."""
    if not person.sso_identity:
        person.sso_identity = identity
        person.save(update_fields=["sso_identity"])
    return person


@transaction.atomic
def sso_person_for(*, claims: dict[str, Any]) -> User:
    """Who signs in: the person with this verified email, or a new one when allowed.

    An invited person (an inactive account with a pending invitation) accepts it here: the
    provider has proved the address, so the invitation's roles are turned on and the account
    activated, with no password. Otherwise a deactivated person is refused.
    """
    email = str(claims.get("email") or "").strip().lower()
    if not email or "@" not in email:
        raise SsoRefused("The provider did not tell us your email address.")
    identity = _identity_of(claims)
    if settings.OIDC_REQUIRE_VERIFIED_EMAIL and not _verified(claims):
        raise SsoRefused("The provider has not verified your email address, so we cannot match it.")
    people = list(User.objects.filter(email__iexact=email)[:2])
    if len(people) > 1:
        raise SsoRefused("Two accounts share this email address; ask your Closeloop admin.")
    invitation = invitation_pending_for(email)
    if invitation is not None and (not people or people[0].pk == invitation.user_id):
        try:
            return _identity_linked(
                invitation_accept(invitation=invitation, password=None), identity
            )
        except ValidationError as error:
            raise SsoRefused(" ".join(error.messages)) from error
    if people:
        person = people[0]
        if not person.is_active:
            if person.invitations.filter(accepted_at__isnull=True).exists():
                raise SsoRefused(
                    "Your invitation has expired or was withdrawn: ask your Closeloop admin "
                    "to send it again."
                )
            raise SsoRefused("This account is switched off. Ask your Closeloop admin.")
        if person.is_superuser:
            # The break-glass account: the provider must not be able to sign in as it.
            raise SsoRefused(
                "This is a superuser account: it signs in with its password and "
                "two-step code, not through single sign-on."
            )
        if person.sso_identity and person.sso_identity != identity:
            raise SsoRefused(
                "This account is linked to another sign-in at your provider. "
                "Ask your Closeloop admin."
            )
        return _identity_linked(person, identity)
    if not settings.OIDC_CREATE_USERS:
        raise SsoRefused(
            f"{email} has no Closeloop account. Ask your Closeloop admin for an invitation."
        )
    person = User.objects.create_user(
        email,
        None,
        full_name=_name_of(claims, email),
        sso_identity=identity,
        **_roles_default(),
    )
    activity_record(
        kind="closeloop.user.created_by_sso",
        actor=person,
        summary=f"{person} joined through {sso_provider_name()}",
        data={"user": person.pk, "roles": person.roles},
    )
    return person


def sso_authenticate(request: HttpRequest, *, nonce: str | None, code_verifier: str | None) -> User:
    """Exchange the callback's code and return the person, or raise `SsoRefused`."""
    name = sso_provider_name()
    try:
        backend = SsoBackend()
        user = backend.authenticate(request, nonce=nonce, code_verifier=code_verifier)
    except SsoRefused:
        raise
    except (requests.RequestException, ValueError) as error:
        log.warning("SSO code exchange failed: %s", error)
        raise SsoRefused(f"{name} did not accept the sign-in; try again.") from error
    except (
        SuspiciousOperation,
        jwt.InvalidTokenError,
        ImproperlyConfigured,
        KeyError,
        TypeError,
    ) as error:
        log.warning("SSO id_token refused: %s", error)
        raise SsoRefused(f"The answer from {name} could not be verified; try again.") from error
    if user is None:
        raise SsoRefused(f"The answer from {name} could not be verified; try again.")
    return user
