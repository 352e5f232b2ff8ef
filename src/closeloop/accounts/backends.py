"""Sign-in backend: Django's ModelBackend, taking the user the session already read.

`SessionUserMiddleware` sets `SESSION_USER` for the moment Django's `auth.get_user` runs;
everything else (password checks, permissions, `user_can_authenticate`) is ModelBackend's.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.contrib.auth.backends import ModelBackend

if TYPE_CHECKING:
    from closeloop.accounts.models import User

SESSION_USER: ContextVar[User | None] = ContextVar("closeloop_session_user", default=None)


class SessionUserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user = SESSION_USER.get()
        if user is not None and str(user.pk) == str(user_id):
            return user if self.user_can_authenticate(user) else None
        return super().get_user(user_id)
