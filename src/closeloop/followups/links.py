"""One-click action links: create, look up, and spend exactly once.

A link is a 256-bit random token; only its SHA-256 is stored in the link table, and the
message that carries it holds it sealed (`lib.sealed`: opened only in the email as it is sent
and on its recipient's own Outbox page). It is bound to a recipient, an application (for
an ask about no candidate, the ask alone) and an action, expires (72 h by default), and can
be used once; using it revokes its siblings (the other buttons of the same message for the
same ask). Tokens are never logged: log lines name the link's id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.selectors import is_reader, person_for
from closeloop.followups.models import ActionLink, Ask, AskStatus
from closeloop.followups.selectors import ask_hold_note, away_until
from closeloop.lib.sealed import seal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from closeloop.accounts.models import User
    from closeloop.followups.one_click import OneClickAction

LINK_LIFETIME = dt.timedelta(hours=int(getattr(settings, "ACTION_LINK_HOURS", 72)))

INSERT_LINK = (
    'INSERT INTO followups_actionlink (token_hash, "group", recipient_id, ask_id, '
    "application_id, action, created_at, expires_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)
# PostgreSQL: a message's links as one row of arrays, one parameter per column. psycopg binds
# parameters on the client, in Python, so forty rows of eight parameters cost more CPU than
# the insert itself.
INSERT_LINKS_UNNEST = (
    'INSERT INTO followups_actionlink (token_hash, "group", recipient_id, ask_id, '
    "application_id, action, created_at, expires_at) "
    "SELECT link.token_hash, link.group, %s, link.ask_id, link.application_id, link.action, "
    "%s, %s FROM unnest(%s::varchar[], %s::varchar[], %s::bigint[], %s::bigint[], "
    '%s::varchar[]) AS link(token_hash, "group", ask_id, application_id, action)'
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class IssuedLink:
    action: str
    label: str
    url: str


def links_issue(
    *, ask: Ask, recipient: User, now: dt.datetime, actions: Sequence[OneClickAction]
) -> list[IssuedLink]:
    """Create the sibling links of one ask for one recipient, one per action its kind
    registered (one_click.py); returns their full URLs, each with its token sealed."""
    return links_issue_many(asks=[(ask, actions)], recipient=recipient, now=now)[0]


def links_issue_many(
    *, asks: Sequence[tuple[Ask, Sequence[OneClickAction]]], recipient: User, now: dt.datetime
) -> list[list[IssuedLink]]:
    """`links_issue` for several asks of one message in one INSERT; each ask's links are
    siblings of their own group. Returns the links of each ask, in the order given."""
    # The URL differs only by its token: resolve it once, not once per button.
    marker = "TOKEN"
    url = settings.SITE_URL + reverse("followups:act", kwargs={"token": marker})
    before, after = url.rsplit(marker, 1)
    rows, issued = [], []
    for ask, actions in asks:
        group = secrets.token_hex(16)
        links = []
        for one in actions:
            token = secrets.token_urlsafe(32)  # 256 bits
            rows.append((token_hash(token), group, ask.pk, ask.application_id, one.action))
            sealed = seal(token, audience=recipient.pk)
            links.append(IssuedLink(one.action, one.label, before + sealed + after))
        issued.append(links)
    _links_insert(rows, recipient=recipient, now=now)
    return issued


def _links_insert(rows: list[tuple], *, recipient: User, now: dt.datetime) -> None:
    """Every button of a message in one round trip. Plain rows, not model instances: a
    message carries forty buttons, and the ORM's bookkeeping per row cost more than the
    insert itself."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = [list(column) for column in zip(*rows, strict=True)]
            cursor.execute(INSERT_LINKS_UNNEST, [recipient.pk, now, now + LINK_LIFETIME, *columns])
            return
        # SQLite binds in C and runs in-process: executemany is its cheapest form.
        created, expires = (
            connection.ops.adapt_datetimefield_value(moment)
            for moment in (now, now + LINK_LIFETIME)
        )
        cursor.executemany(
            INSERT_LINK, [(*row[:2], recipient.pk, *row[2:], created, expires) for row in rows]
        )


class LinkUnusable(Exception):
    """The link cannot act: `reason` says why in words a person understands.

    `link` is the row when the token was genuine (used, revoked, expired), so the page can
    say what was already answered: after a double click the person sees their answer, not
    an error.
    """

    def __init__(self, reason: str, link: ActionLink | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.link = link


def link_lookup(
    *, token: str, now: dt.datetime | None = None, reader: User | None = None
) -> ActionLink:
    """The live link for a token, or LinkUnusable with the reason (no state changes), worded
    for `reader`, whoever opens it (None: its recipient, who came from the email)."""
    now = now or timezone.now()
    link = (
        ActionLink.objects.select_related(
            "recipient", "ask", "application__candidate", "application__job"
        )
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        raise LinkUnusable("This link is not valid. It may have been mistyped or cut short.")
    if link.used_at is not None:
        raise LinkUnusable("This link has already been used.", link)
    if link.revoked_at is not None:
        raise LinkUnusable(_withdrawn_because(link, reader or link.recipient), link)
    if link.expires_at <= now:
        raise LinkUnusable("This link has expired. Open Closeloop to answer instead.", link)
    return link


def _withdrawn_because(link: ActionLink, reader: User) -> str:
    """Why a revoked link no longer acts, read from what happened since: most were answered
    (another button of the email, or in Closeloop), some were passed on with their request
    or sent to a person since deactivated, and those are not told "already answered"."""
    ask = link.ask
    if not link.recipient.is_active:
        return "This link was withdrawn: the account it was sent to is no longer active."
    if ask is not None and ask.status == AskStatus.OPEN and ask.owner_id != link.recipient_id:
        owed_by = person_for(link.recipient, reader=reader)
        return f"{_passed_on(link.recipient, ask, reader)} Nothing is owed from {owed_by} here."
    if ask is not None and ask.status == AskStatus.OPEN:
        # Still theirs and unanswered: a sibling that does not answer was used (a question
        # that puts the request on hold, a snooze), or the request came back to them.
        # "waiting for your answer" to the one it waits for, who may be the one reading.
        hold = ask_hold_note(ask, reader=reader)
        still = f"This request is still open ({hold})" if hold else "This request is still open"
        if link_answer(link=link) is not None:
            return f"{still}; another button of this email was used, so this one was withdrawn."
        return f"{still}; this link was withdrawn: answer it in Closeloop."
    return "This request was already answered, from this email or in Closeloop."


def _passed_on(recipient: User, ask: Ask, reader: User) -> str:
    """Where a request went from the link's recipient. Someone away is told who covers and
    until when ("Grace Chen covers it while you are out of office until Fri 11 Dec", in
    their own zone); one it is held for, who holds it; anyone else (a hiring manager taken
    off the job, say) only that it went on, as they may no longer see it. Worded for
    `reader`: a link forwarded to another person (the delegate herself, say) names its
    recipient instead of calling them "you"."""
    holder, them = person_for(ask.owner, reader=reader), person_for(recipient, reader=reader)
    covers, holds = ("cover", "hold") if is_reader(ask.owner, reader) else ("covers", "holds")
    if recipient.is_out_of_office():
        are = "are" if is_reader(recipient, reader) else "is"
        return (
            f"This request was passed on: {holder} {covers} it while {them} {are} out of office"
            f"{away_until(recipient, reader)}, so this link was withdrawn."
        )
    if ask.original_owner_id == recipient.pk:
        return (
            f"This request was passed to {holder}, who {holds} it for {them}, so this link was "
            "withdrawn."
        )
    if _went_back(ask, recipient):
        return (
            f"This request went back to {holder}, for whom {them} held it, so this link was "
            "withdrawn."
        )
    return "This request was passed to someone else, so this link was withdrawn."


def _went_back(ask: Ask, recipient: User) -> bool:
    """The link's recipient held the request for its owner (it came to them from the owner,
    who was away or deactivated) and it went back to the owner: they may be told who holds
    it, as they held it for that person."""
    handovers = list(ask.handovers.order_by("-at", "-pk").values_list("from_owner", "to_owner"))
    if not handovers or handovers[0] != (recipient.pk, ask.owner_id):
        return False
    return (ask.owner_id, recipient.pk) in handovers[1:]


@transaction.atomic
def link_spend(*, link: ActionLink, now: dt.datetime | None = None) -> bool:
    """Mark the link used and its siblings revoked; False if someone else got there first.

    Call it inside the transaction that then acts, so the answer and the spent link commit
    together and a failed action leaves the link unused. It locks the application and then
    the link's group in primary-key order, the same order as an in-app decision (which
    locks the application, then revokes the links): a double click, two buttons pressed at
    once, or a click racing a decision in the app queue behind each other instead of
    deadlocking, and whoever comes second sees the first answer already committed.
    """
    now = now or timezone.now()
    if link.application_id is not None:
        # The application row, by way of the link's own foreign key (the engine imports no app).
        subject = ActionLink._meta.get_field("application").related_model
        rows = subject._default_manager.select_for_update().filter(pk=link.application_id)
        list(rows.values("pk"))
    else:
        # An ask about no candidate: its own row is what an in-app answer locks first.
        list(Ask.objects.select_for_update().filter(pk=link.ask_id).values("pk"))
    list(ActionLink.objects.select_for_update().filter(group=link.group).order_by("pk"))
    won = ActionLink.objects.filter(
        pk=link.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if won != 1:
        return False
    ActionLink.objects.filter(group=link.group, used_at__isnull=True).exclude(pk=link.pk).update(
        revoked_at=now
    )
    return True


def link_answer(*, link: ActionLink) -> ActionLink | None:
    """The button of this link's email that was used, if any: what the recipient chose."""
    return ActionLink.objects.filter(group=link.group, used_at__isnull=False).first()


def links_revoke_for_ask(*, ask: Ask, now: dt.datetime | None = None) -> int:
    """When an ask is answered any other way, its links die too."""
    return ActionLink.objects.filter(ask=ask, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
