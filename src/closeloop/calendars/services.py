"""Personal calendar feeds: issue, replace and revoke the secret address.

The token is 256 random bits; only its SHA-256 is stored, so the address is shown once,
when it is made. Making a new one replaces the old (which stops working at once).

See docs/architecture.md#security-and-permissions.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from closeloop.activity.services import activity_record
from closeloop.calendars.models import CalendarFeed

if TYPE_CHECKING:
    from closeloop.accounts.models import User


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("calendars:feed", kwargs={"token": token})


@transaction.atomic
def feed_issue(*, user: User) -> str:
    """A new secret feed address for the user (replacing any old one); returns the URL."""
    token = secrets.token_urlsafe(32)
    replaced = CalendarFeed.objects.filter(user=user).exists()
    CalendarFeed.objects.update_or_create(
        user=user,
        defaults={
            "token_hash": feed_token_hash(token),
            "created_at": timezone.now(),
            "last_read_at": None,
        },
    )
    activity_record(
        kind="closeloop.calendar.feed_issued",
        actor=user,
        summary=f"{user} {'replaced' if replaced else 'created'} their calendar feed address",
        team_only=True,
    )
    return feed_url(token)


@transaction.atomic
def feed_revoke(*, user: User) -> bool:
    """Stop the user's feed; False when there was none."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        activity_record(
            kind="closeloop.calendar.feed_revoked",
            actor=user,
            summary=f"{user} revoked their calendar feed address",
            team_only=True,
        )
    return bool(deleted)


def feed_user(*, token: str) -> User | None:
    """The active owner of a feed token, or None (unknown, revoked, or deactivated)."""
    if not token or len(token) > 128:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=feed_token_hash(token))
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    # Bounded write: at most one per feed per 5 minutes, however often calendars poll.
    now = timezone.now()
    if feed.last_read_at is None or (now - feed.last_read_at).total_seconds() > 300:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    return feed.user
