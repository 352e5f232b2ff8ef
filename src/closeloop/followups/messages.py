"""Nudge messages: everything pending for one person, each ask worded for its own subject.

A review speaks of the candidate who waits; an action item of the item and its meeting; an
intake of its version. The wording is declared with each kind's policy (policies.Wording).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.defaultfilters import pluralize
from django.urls import reverse

from closeloop.accounts.models import User
from closeloop.followups.business_time import (
    calendar_for,
    wait_words,
    working_time_between,
    working_time_words,
)
from closeloop.followups.links import IssuedLink
from closeloop.followups.models import Ask
from closeloop.followups.notices import (
    NUDGE_TEMPLATE,
    PendingNotice,
    notices_drop,
    notices_mark_sent,
)
from closeloop.followups.one_click import one_click_links_many
from closeloop.followups.policies import GENERIC_WORDING, wording_for
from closeloop.followups.selectors import absence_words, ask_title_for, ask_url, away_until
from closeloop.lib.timefmt import absolute
from closeloop.notify.services import message_queue

if TYPE_CHECKING:
    from collections.abc import Iterable

    from closeloop.notify.models import Message

# At most this many asks in one message, the most urgent first, each with its one-click links;
# the rest are counted and linked to the queue. A reader acts on the top of a list, and a
# digest of forty items (70 KB) is not read at all: past ten, the queue page serves better.
MAX_ITEMS = 10


def business_wait(ask: Ask, now: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """How long the ask has waited (since it opened, or the earlier moment its wait began:
    `Ask.waiting_since`), as My queue says a wait, with its owner's business time beside it:
    "6 days (4 business days) since Mon 30 Nov 12:00" (`wait_words`; the moment in `zone`,
    else the current one)."""
    calendar = calendar_for(ask.original_owner or ask.owner)
    return wait_words(calendar, ask.waiting_since, now, zone=zone)


def business_late(ask: Ask, now: dt.datetime) -> str | None:
    """How long past due, in its holder's business time; "" within the first business hour,
    None when no business time at all has passed since it fell due (at night, at the
    weekend: it is not "due now", it fell due at the end of the last working day)."""
    calendar = calendar_for(ask.owner)
    late = working_time_between(calendar, ask.due_at, now)
    if not late:
        return None
    return working_time_words(calendar, late) if late >= dt.timedelta(hours=1) else ""


class _Blank(dict):
    """Facts for a fallback wording: a missing one reads as nothing rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


def ask_facts(ask: Ask, reader: User | None = None) -> dict[str, str]:
    """What the kind's wording may name: title (as `reader` reads it), job, candidate, and
    the opener's facts."""
    application = ask.application
    facts = {
        "title": ask_title_for(ask, reader=reader),
        "job": ask.job.title if ask.job else "",
        "candidate": application.candidate.full_name if application else "",
        **(ask.policy or {}).get("facts", {}),
    }
    return {key: str(value) for key, value in facts.items() if value not in ("", None)}


def ask_subject_words(ask: Ask, reader: User | None = None) -> str:
    """The ask's subject in words: "version 2 of the Backend Engineer intake"; to the person
    who asked for it, "your question about …" where the words name them (as their title
    does: `ask_title_for`)."""
    wording, facts = wording_for(ask.kind), ask_facts(ask, reader)
    try:
        words = wording.subject.format_map(facts)
    except (KeyError, IndexError, ValueError):
        # Opened without the facts its wording names (before they were recorded).
        words = (wording.fallback or GENERIC_WORDING.subject).format_map(_Blank(facts))
    if reader is not None and ask.requested_by_id == reader.pk:
        words = words.replace(f"{reader.short_name}'s ", "your ", 1)
    return words


@dataclass
class NudgeItem:
    ask: Ask
    role: str
    kind: str
    waited: str
    due: str
    overdue: bool
    url: str
    what: str = ""  # the subject in words, from the kind's wording
    late: str | None = ""  # how long overdue, in business time (`business_late`)
    links: list[IssuedLink] = field(default_factory=list)
    sentence: str = ""  # nudge_sentence, worded once for both bodies
    reached_as: str = ""  # why an escalation reached its reader ("the escalation contact")

    @property
    def candidate(self) -> str:
        application = self.ask.application
        return application.candidate.full_name if application else ""

    @property
    def about_candidate(self) -> bool:
        return wording_for(self.ask.kind).about_candidate and bool(self.candidate)

    @property
    def waits(self) -> str:
        return wording_for(self.ask.kind).waits


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _state(item: NudgeItem) -> str:
    """Where the ask stands: "is 2 business days overdue (due Wed 25 Nov 17:00)"."""
    if not item.overdue:
        return f"{item.waits} (due {item.due})" if item.role == "owner" else f"is due {item.due}"
    if item.late is None:  # no business time since it fell due: as My queue, "overdue since"
        return f"has been overdue since {item.due}"
    if not item.late:
        return f"is due now ({item.due})"
    return f"is {item.late} overdue (due {item.due})"


def nudge_sentence(item: NudgeItem) -> str:
    """One plain sentence (or three) per item, about the ask's own subject.

    Only asks about a candidate say how long the candidate has been waiting; an escalation
    also says who owes it, and the owner's holder hears whom they are covering for.
    """
    ask = item.ask
    if item.role == "owner":
        parts = [f"{_capital(item.what)} {_state(item)}."]
    else:
        parts = [f"{_capital(item.what)}, owed by {ask.owner.full_name}, {_state(item)}."]
    if item.about_candidate:
        parts.append(f"{item.candidate} has been waiting {item.waited}.")
    elif item.role != "owner":
        parts.append(f"It has waited {item.waited}.")
    if item.role == "owner":
        absent = ask.original_owner if ask.original_owner_id else None
        if absent is not None:
            why = absence_words(absent)
            parts.append(f"You hold this for {absent}" + (f" ({why})." if why else "."))
        if ask.is_snoozed():
            parts.append(f"You snoozed this: “{ask.snooze_reason}”.")
    else:
        role = item.reached_as or "an admin"
        if ask.owner.is_out_of_office():
            # Nobody covers for them: a word with the owner cannot help until they are back.
            parts.append(f"{ask.owner} is out of office{away_until(ask.owner)}.")
            parts.append(f"You are receiving this as {role}; someone may need to take it on.")
        else:
            parts.append(
                f"You are receiving this as {role}; "
                f"a word with {ask.owner.short_name} may unblock it."
            )
    return " ".join(parts)


def _item(
    notice: PendingNotice, ask: Ask, links: list[IssuedLink], recipient: User, now: dt.datetime
) -> NudgeItem:
    item = NudgeItem(
        ask=ask,
        role=notice.role,
        kind=notice.kind,
        waited=business_wait(ask, now, recipient.zone),
        due=absolute(ask.due_at, recipient.zone),
        overdue=now >= ask.due_at,
        url=settings.SITE_URL + ask_url(ask),
        what=ask_subject_words(ask, recipient),
        late=business_late(ask, now),
        links=links if notice.role == "owner" else [],
        reached_as=_reached_as(ask, recipient) if notice.role == "escalation" else "",
    )
    item.sentence = nudge_sentence(item)
    return item


def _reached_as(ask: Ask, recipient: User) -> str:
    """Why an escalation reached this reader, from the ask's own columns (no query): the
    job's hiring manager (a late scorecard holds up their decision), its escalation
    contact, the owner's manager, or someone standing in for one of them while away."""
    job = ask.job
    if job is not None and recipient.pk == job.escalation_contact_id:
        return "the escalation contact"
    if job is not None and recipient.pk == job.hiring_manager_id:
        return "the job's hiring manager"
    if recipient.pk == ask.owner.manager_id:
        return f"{ask.owner.short_name}'s manager"
    return "the stand-in of a colleague who is away"


def asks_worded(ids: list[int], people: dict[int, User] | None = None) -> dict[int, Ask]:
    """The asks a message words, with everything their sentences, links and one-click
    checks read, in at most three queries: composing costs no query per ask.

    `people`: users already read (a compose batch's recipients). An ask's owner is most
    often the very person the message is for, so owners come from there, and the others
    in one query, instead of a copy of the owner's row with every ask.
    """
    asks = Ask.objects.select_related("job").order_by().in_bulk(ids)
    # Their applications and candidates by id, in a query of their own: joined to the asks,
    # PostgreSQL hashed the whole application table for a batch's 200 asks.
    applications = Ask._meta.get_field("application").related_model._base_manager
    by_id = (
        applications.select_related("candidate")
        .defer("candidate__resume_text")  # no message reads a résumé; it can be long
        .order_by()
        .in_bulk({ask.application_id for ask in asks.values()} - {None})
    )
    known = dict(people or {})
    owners = {pk for ask in asks.values() for pk in (ask.owner_id, ask.original_owner_id)}
    missing = owners - known.keys() - {None}
    if missing:
        known.update(User.objects.in_bulk(missing))
    for ask in asks.values():
        ask.owner = known[ask.owner_id]
        if ask.original_owner_id is not None:
            ask.original_owner = known[ask.original_owner_id]
        if ask.application_id is not None:
            application: Any = by_id[ask.application_id]  # pipeline's, above this layer
            ask.application = application
            # An application's job is the ask's own: share the row instead of reading it twice.
            if ask.job is not None and application.job_id == ask.job.pk:
                application.job = ask.job
    return asks


def count_words(owed: int, escalated: int, where: str = "") -> str:
    """What a digest counts, each by its name: "15 things are waiting on you, and 1
    escalation of what others owe" (`where` after "you"); an escalation is someone else's
    ask that reached the reader, never a thing waiting on them."""
    escalations = f"{escalated} escalation{pluralize(escalated)} of what others owe"
    if not owed:
        return f"{escalations} reached you{where}"
    things = f"{owed} thing{'s are' if owed > 1 else ' is'} waiting on you{where}"
    return f"{things}, and {escalations}" if escalated else things


def _subject(items: list[NudgeItem], owed: int, escalated: int) -> str:
    """One message's subject, naming its subject once: the kind's words already name the
    candidate (an ask's title, "Scorecard: Carla Candidate, …", would name them again)."""
    if owed + escalated > 1:
        return count_words(owed, escalated, " in Closeloop")
    item = items[0]
    owner = item.ask.owner.short_name
    if item.role == "owner":
        return _capital(f"{item.what} {'is overdue' if item.overdue else item.waits}")
    if item.about_candidate:
        return f"{item.candidate} has waited on {owner} {item.waited}: can you help?"
    return _capital(f"{item.what} waits on {owner}: can you help?")


def urgent_first(notices: Iterable[PendingNotice]) -> list[PendingNotice]:
    """A person's pending notices as a message's items: one per ask (the latest: a reminder
    and an escalation of the same ask read as one item), only asks still open and not on
    hold (one answered or held since its rung was reached has nothing to say now): what its
    reader has not heard of yet first (a submission just made: `fresh`), then longest
    overdue first. A message words the first MAX_ITEMS: news never falls into "and N more"."""
    latest: dict[int, PendingNotice] = {}
    for notice in notices:
        latest[notice.ask_id] = notice
    live = [notice for notice in latest.values() if notice.live]
    live.sort(key=lambda notice: (not notice.fresh, notice.due_at))
    return live


def asks_worded_for(
    pending: dict[int, list[PendingNotice]], people: dict[int, User]
) -> dict[int, Ask]:
    """The asks the next messages of several people will word ({person: their pending
    notices}, as a compose batch read them), read for all at once: composing each message
    then reads none. `people`: the batch's recipients, read already."""
    ids = [n.ask_id for notices in pending.values() for n in urgent_first(notices)[:MAX_ITEMS]]
    return asks_worded(ids, people)


def nudge_message_queue(
    *,
    recipient: User,
    notices: list[PendingNotice],
    now: dt.datetime,
    worded: dict[int, Ask] | None = None,
) -> Message | None:
    """Render one message for all of a person's pending notices and queue its delivery.

    `worded`: asks already read with what their wording needs (asks_worded_for).
    """
    open_notices = urgent_first(notices)
    if not open_notices:
        notices_drop(notices)  # everything was answered or put on hold meanwhile
        return None
    # A message stays readable; the rest wait in the queue page.
    shown = open_notices[:MAX_ITEMS]
    ids, worded = [notice.ask_id for notice in shown], worded or {}
    asks = {pk: worded[pk] for pk in ids if pk in worded}
    if len(asks) < len(ids):
        asks.update(asks_worded([pk for pk in ids if pk not in asks]))
    links = one_click_links_many(
        asks=[asks[n.ask_id] for n in shown if n.role == "owner"],
        recipient=recipient,
        now=now,
    )
    items = [
        _item(notice, asks[notice.ask_id], links.get(notice.ask_id, []), recipient, now)
        for notice in shown
    ]
    owed = sum(1 for notice in open_notices if notice.role == "owner")
    escalated = len(open_notices) - owed
    context = {
        "recipient": recipient,
        "items": items,
        "subject": _subject(items, owed, escalated),
        "total": len(open_notices),
        "counted": count_words(owed, escalated),
        "escalated": escalated,
        "more": len(open_notices) - len(items),
        # Only a message about candidates reminds the reader that candidates lose interest.
        "about_candidates": any(item.about_candidate for item in items),
        "queue_url": settings.SITE_URL + reverse("pipeline:queue"),
    }
    message = message_queue(
        recipient=recipient,
        template=NUDGE_TEMPLATE,
        channel=recipient.notify_channel,
        context=context,
        data={"asks": [notice.ask_id for notice in open_notices]},
        # Composed at the engine's `now`, which its notices waited for (inside the
        # recipient's working hours): held from then, not from the wall clock's moment.
        not_before=now,
    )
    notices_mark_sent(notices, message_id=message.pk)
    return message
