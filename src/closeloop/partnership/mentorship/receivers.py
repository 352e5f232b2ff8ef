"""Mentorship's answers to hooks of the layers below."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from closeloop.accounts.hooks import Impact
from closeloop.partnership.mentorship.models import (
    OPEN_STATUSES,
    ActionStatus,
    MentoringAction,
    Mentorship,
)
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
        mentorship_end(mentorship=mentorship, by=by, because=f"{user} has left Closeloop.")


def deactivation_mentorship_impact(*, user: User, by: User) -> list[Impact]:
    """The deactivation page's lines about mentoring: each pairing ends, its sessions ahead
    are called off and its open action items dropped (the mentoring follow-ups the page
    lists above are cancelled with them, not handed over); reactivating does not restart it."""
    lines = []
    pairings = Mentorship.objects.filter(
        Q(mentor=user) | Q(mentee=user), status__in=OPEN_STATUSES
    ).select_related("mentor", "mentee")
    for pairing in pairings:
        other = pairing.mentee if pairing.mentor_id == user.pk else pairing.mentor
        items = MentoringAction.objects.filter(
            session__mentorship=pairing, status=ActionStatus.OPEN
        ).count()
        dropped = (
            f", and its {items} open action item{'s are' if items != 1 else ' is'} dropped "
            "(the follow-up is cancelled, not handed over)"
            if items
            else ""
        )
        lines.append(
            Impact(
                f"The mentorship of {user} and {other} ends: sessions ahead are called off"
                f"{dropped}. Reactivating does not restart it; propose a new one."
            )
        )
    return lines
