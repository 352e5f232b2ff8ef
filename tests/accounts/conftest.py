"""Fixtures of the sign-in tests: a local OpenID provider on 127.0.0.1, and SSO set up
against it (see tests/oidc_provider.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider


@pytest.fixture
def provider() -> Iterator[Provider]:
    started = Provider().start()
    yield started
    started.stop()


@pytest.fixture
def sso(settings, provider: Provider) -> Provider:
    """Closeloop configured for the provider through discovery, as the README documents."""
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "Acme ID"
    for name in (
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
    ):
        setattr(settings, name, "")
    return provider
