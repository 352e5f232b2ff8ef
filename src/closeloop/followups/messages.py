"""Nudge messages: everything pending for one person, framed around the waiting candidate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from closeloop.followups.business_time import (
    calendar_for,
    working_time_between,
    working_time_words,
)
from closeloop.followups.engine import NUDGE_TEMPLATE, notices_drop, notices_mark_sent
from closeloop.followups.links import IssuedLink, links_issue
from closeloop.followups.selectors import ask_url
from closeloop.jobs.selectors import job_can_decide
from closeloop.lib.timefmt import absolute
from closeloop.notify.services import message_queue

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.followups.models import Ask, Notice
    from closeloop.notify.models import Message

# At most this many asks in one message; the rest are counted and linked to the queue.
MAX_ITEMS = 20
# Ask kinds whose owner can answer straight from the email.
ONE_CLICK_KINDS = {"review_submission"}


def business_wait(ask: Ask, now: dt.datetime) -> str:
    """How long the ask has waited in its owner's business time: "3 business days"."""
    calendar = calendar_for(ask.original_owner or ask.owner)
    return working_time_words(calendar, working_time_between(calendar, ask.opened_at, now))


@dataclass
class NudgeItem:
    ask: Ask
    role: str
    kind: str
    waited: str
    due: str
    overdue: bool
    url: str
    links: list[IssuedLink] = field(default_factory=list)

    @property
    def candidate(self) -> str:
        application = self.ask.application
        return application.candidate.full_name if application else ""


def _item(notice: Notice, recipient: User, now: dt.datetime) -> NudgeItem:
    ask = notice.nudge.ask
    path = ask_url(ask)
    item = NudgeItem(
        ask=ask,
        role=notice.role,
        kind=notice.nudge.kind,
        waited=business_wait(ask, now),
        due=absolute(ask.due_at, recipient.zone),
        overdue=now >= ask.due_at,
        url=settings.SITE_URL + path,
    )
    # A delegate who is not the job's HM cannot decide, so gets no buttons that would refuse.
    can_decide = ask.job is not None and job_can_decide(user=recipient, job=ask.job)
    if notice.role == "owner" and ask.kind in ONE_CLICK_KINDS and ask.is_open and can_decide:
        item.links = links_issue(ask=ask, recipient=recipient, now=now)
    return item


def _subject(items: list[NudgeItem], total: int) -> str:
    if total > 1:
        return f"{total} things are waiting on you in Closeloop"
    item = items[0]
    who = item.candidate or "Someone"
    if item.role == "owner":
        state = "overdue" if item.overdue else f"due {item.due}"
        return f"{who} is waiting on you: {item.ask.title} ({state})"
    return f"{who} has waited {item.waited} on {item.ask.owner.short_name}: can you help?"


def nudge_message_queue(
    *, recipient: User, notices: list[Notice], now: dt.datetime
) -> Message | None:
    """Render one message for all of a person's pending notices and queue its delivery."""
    # One line per ask: a reminder and an escalation of the same ask read as one item.
    latest: dict[int, Notice] = {}
    for notice in notices:
        latest[notice.nudge.ask_id] = notice
    open_notices = [n for n in latest.values() if n.nudge.ask.is_open]
    if not open_notices:
        notices_drop(notices)  # everything was answered meanwhile: nothing left to say
        return None
    # Longest overdue first; a message stays readable, the rest wait in the queue page.
    open_notices.sort(key=lambda n: n.nudge.ask.due_at)
    items = [_item(notice, recipient, now) for notice in open_notices[:MAX_ITEMS]]
    context = {
        "recipient": recipient,
        "items": items,
        "subject": _subject(items, total=len(open_notices)),
        "more": len(open_notices) - len(items),
        "queue_url": settings.SITE_URL + reverse("pipeline:queue"),
    }
    message = message_queue(
        recipient=recipient,
        template=NUDGE_TEMPLATE,
        channel=recipient.notify_channel,
        context=context,
        data={"asks": [notice.nudge.ask_id for notice in open_notices]},
    )
    notices_mark_sent(notices, message_id=message.pk)
    return message
