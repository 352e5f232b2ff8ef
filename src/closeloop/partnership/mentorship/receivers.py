"""Mentorship's answers to hooks of the layers below."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from closeloop.partnership.mentorship.models import OPEN_STATUSES, Mentorship
from closeloop.partnership.mentorship.services import mentorship_end

if TYPE_CHECKING:
    import datetime as dt

    from closeloop.accounts.models import User


def on_person_deactivated(
    sender: Any, *, user: User, by: User, at: dt.datetime, **kwargs: Any
) -> None:
    """A person who leaves ends their pairings, as mentor or mentee, in the deactivation's
    transaction: sessions ahead are called off for the other person, and nobody inherits a
    proposal to accept or an action item agreed with someone who is gone."""
    for mentorship in Mentorship.objects.filter(
        Q(mentor=user) | Q(mentee=user), status__in=OPEN_STATUSES
    ):
        mentorship_end(mentorship=mentorship, by=by)
