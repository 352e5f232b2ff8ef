"""Logins the login page may list, registered by an app above accounts.

Only the demo registers any (from its `AppConfig.ready`), and the page shows them only while
`closeloop demo` runs (`CLOSELOOP_DEMO`): accounts never imports the demo's seeder.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LoginHints:
    logins: tuple[tuple[str, str], ...]  # (email, role)
    password: str


_registered: list[LoginHints] = []


def login_hints_register(*, logins: list[tuple[str, str]], password: str) -> None:
    """Replace the listed logins (registering twice, as tests may, keeps one set)."""
    _registered[:] = [LoginHints(tuple(logins), password)]


def login_hints() -> LoginHints | None:
    return _registered[0] if _registered else None
