"""The unread count every page's header shows beside "Inbox"."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from closeloop.accounts.models import User
from closeloop.notify.selectors import inbox_unread_count

MOST_SHOWN = 99


class UnreadCount:
    """Counted when a template first reads it (one indexed COUNT), so a page fragment that
    shows no header costs no query."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        return inbox_unread_count(user=self.user)

    @property
    def label(self) -> str:
        return f"{MOST_SHOWN}+" if self.count > MOST_SHOWN else str(self.count)


def inbox(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox": UnreadCount(user)}
