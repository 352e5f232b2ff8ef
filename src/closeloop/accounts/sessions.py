"""The session engine (`SESSION_ENGINE`): Django's database sessions, stored with their user.

Every signed-in request needs its session and its user. Django reads them with two queries;
this store keeps the user's id in a column of the session row (`accounts.models.Session`)
and reads the user with the session in one join. `SessionUserMiddleware` hands that user to
Django's own `auth.get_user`, which still checks the backend, the session hash (a changed
password ends other sessions) and that the person may sign in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

from closeloop.accounts.models import Session

if TYPE_CHECKING:
    from closeloop.accounts.models import User


def session_user_id(data: dict[str, Any]) -> int | None:
    """The signed-in person's id in session data, or None (signed out, or not an id)."""
    value = str(data.get(SESSION_KEY, ""))
    return int(value) if value.isascii() and value.isdecimal() else None


class SessionStore(DatabaseStore):
    # The user read with the session (None when signed out or not loaded yet).
    loaded_user: User | None = None

    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def load(self) -> dict[str, Any]:
        row: Session | None = self._get_session_from_db()  # type: ignore[attr-defined]
        self.loaded_user = row.user if row is not None else None
        return self.decode(row.session_data) if row is not None else {}

    def create_model_instance(self, data: dict[str, Any]) -> Session:
        row = super().create_model_instance(data)
        assert isinstance(row, Session)
        row.user_id = session_user_id(data)
        return row


# What a session remembers about where it was opened, for the person's list of sessions.
SIGNED_IN_AT = "_closeloop_signed_in_at"
DEVICE = "_closeloop_device"

_BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Windows", "Windows"),
    ("Mac OS X", "macOS"), ("Linux", "Linux"),
)  # fmt: skip


def device_label(user_agent: str) -> str:
    """ "Firefox on Linux" from a browser's User-Agent, or "Unknown device"."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"
