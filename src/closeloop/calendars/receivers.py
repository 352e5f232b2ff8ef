"""What calendars do when something happens in a lower app."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from closeloop.calendars.models import CalendarFeed

if TYPE_CHECKING:
    from closeloop.accounts.models import User


def on_person_deactivated(sender: Any, *, user: User, by: User, at: dt.datetime, **kw: Any) -> None:
    """accounts' `person_deactivated`: the person's feed address stops working (a new one
    is made from their profile if they come back)."""
    CalendarFeed.objects.filter(user=user).delete()
