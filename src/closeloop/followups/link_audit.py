"""Who answered through a one-click link: the link acts as its recipient, so the record says
so, and when the browser that pressed it was signed in as someone else, or where the press
came from, it says that too (a forwarded email is then visible in the history)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from closeloop.activity.services import activity_record

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.activity.models import Activity
    from closeloop.followups.models import ActionLink


def link_used_record(
    *, link: ActionLink, label: str, signed_in: Any, address: str | None
) -> Activity:
    """Append the use of `link` (`signed_in`: the browser's user, or an anonymous one)."""
    recipient: User = link.recipient
    other = signed_in if getattr(signed_in, "is_authenticated", False) else None
    summary = f"{recipient} answered “{label}” with a one-click link"
    if other is not None and other.pk != recipient.pk:
        summary += f", pressed in a browser signed in as {other}"
    return activity_record(
        kind="closeloop.link.used",
        actor=recipient,
        job=link.ask.job,
        application=link.ask.application,
        summary=summary[:300],
        data={
            "link": link.pk,
            "action": link.action,
            "recipient": recipient.pk,
            "signed_in_as": other.pk if other is not None else None,
            "address": address,
        },
        team_only=True,
    )
