"""Reads of asks, with their permission filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, prefetch_related_objects
from django.http import Http404
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from closeloop.accounts.selectors import is_reader, person_for, possessive_for
from closeloop.followups.business_time import (
    calendar_for,
    overdue_words,
    waited_words,
    working_time_between,
    working_time_left_words,
)
from closeloop.followups.models import Ask, AskStatus, Notice, OfficeClosure
from closeloop.followups.notices import ask_recipients
from closeloop.followups.policies import quiet_kinds, wording_for
from closeloop.followups.subjects import Subject, subject_parse
from closeloop.lib.timefmt import absolute

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from closeloop.accounts.models import User
    from closeloop.pipeline.models import Application

# Where an ask is answered, per subject noun ("intake:12:recruiter" → the version page).
# Features register theirs with `register_ask_url`; a builder gets the parsed subject and
# returns None when it names nothing there is a page for. Otherwise an ask about an
# application links to its page, any other to the queue.
ASK_URLS: dict[str, Callable[[Subject], str | None]] = {}
# A builder that reads the database for its page (an intake version's job and number) also
# registers one for many subjects at once, which lists use: one query for the list, not one
# a row.
ASK_URLS_MANY: dict[str, Callable[[list[Subject]], dict[Subject, str | None]]] = {}


def register_ask_url(
    noun: str,
    build: Callable[[Subject], str | None],
    *,
    many: Callable[[list[Subject]], dict[Subject, str | None]] | None = None,
) -> None:
    ASK_URLS[noun] = build
    if many is not None:
        ASK_URLS_MANY[noun] = many


def _registered_url(subject: Subject | None) -> str | None:
    if subject is None:  # a row written by hand: the defaults still link somewhere true
        return None
    build = ASK_URLS.get(subject.noun)
    return build(subject) if build is not None else None


def ask_url(ask: Ask) -> str:
    """The path of the page where the ask's owner does what is asked."""
    return _url_or_default(ask, _registered_url(_subject_or_none(ask.subject)))


def ask_urls(asks: Iterable[Ask]) -> dict[int, str]:
    """`ask_url` of each ask of a list, by the ask's id: the kinds whose pages are read from
    the database are read for the whole list at once."""
    parsed = [(ask, _subject_or_none(ask.subject)) for ask in asks]
    grouped: dict[str, list[Subject]] = {}
    for _ask, subject in parsed:
        if subject is not None and subject.noun in ASK_URLS_MANY:
            grouped.setdefault(subject.noun, []).append(subject)
    found: dict[Subject, str | None] = {}
    for noun, subjects in grouped.items():
        found.update(ASK_URLS_MANY[noun](subjects))
    return {
        ask.pk: _url_or_default(
            ask, found.get(subject) if subject in found else _registered_url(subject)
        )
        for ask, subject in parsed
    }


def _subject_or_none(value: str) -> Subject | None:
    try:
        return subject_parse(value)
    except ValueError:
        return None


def _url_or_default(ask: Ask, url: str | None) -> str:
    """`url`, or where an ask whose subject names no page of its own is answered."""
    if url is not None:
        return url
    if ask.application_id:
        before, after = _around_id("pipeline:application-detail", *_routing())
        return f"{before}{ask.application_id}{after}"
    return reverse("pipeline:queue")


def _routing() -> tuple[str, str]:
    """What `reverse` depends on besides its arguments: the script prefix and the URLconf."""
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


# A number no route holds anywhere else, so it marks the id's place in a reversed path.
_ID_MARKER = 987_654_321_987


@lru_cache(maxsize=32)
def _around_id(name: str, prefix: str, urlconf: str) -> tuple[str, str]:
    """A route with one id, reversed once: the path before and after the id. A message
    links each of its ten asks, and `reverse` matched the route anew for every one."""
    path = reverse(name, args=[_ID_MARKER], urlconf=urlconf)
    before, _, after = path.rpartition(str(_ID_MARKER))
    return before, after


def held_subjects(*, user: User, kind: str, subjects: Iterable[str]) -> set[str]:
    """Of `subjects`, those whose open `kind` ask the user holds for someone else (handed to
    them from an owner who is away or has left): they answer it as its owner would."""
    return set(
        Ask.objects.filter(
            kind=kind,
            subject__in=list(subjects),
            owner=user,
            status=AskStatus.OPEN,
            original_owner__isnull=False,
        ).values_list("subject", flat=True)
    )


def ask_get_for_owner(*, user: User, pk: int) -> Ask:
    """One of the user's own open asks, or 404."""
    ask = Ask.objects.filter(pk=pk, owner=user, status=AskStatus.OPEN).first()
    if ask is None:
        raise Http404("No such request.")
    return ask


def _visible_now(now: dt.datetime) -> Q:
    # Waiting-clock asks (quiet kinds) appear in a queue only once news is actually due.
    return ~Q(kind__in=quiet_kinds()) | Q(due_at__lte=now)


def ask_shown_q(now: dt.datetime) -> Q:
    """The asks a queue shows at `now` (quiet kinds only once due), for other apps' SQL."""
    return _visible_now(now)


def ask_scheduled_q(now: dt.datetime) -> Q:
    """The asks a queue does not show yet: news on schedule (a quiet kind) not yet due. With
    `ask_shown_q` it splits every ask in two."""
    return Q(kind__in=quiet_kinds(), due_at__gt=now)


@dataclass(frozen=True)
class Owed:
    """Open asks a person owes (or is handed), split the one way every page counts them:
    `open_now`, in their queue, and `scheduled`, news on schedule not yet due (it joins the
    queue when due). The people page, the deactivation page and the handover email read it
    from `asks_owed_split` or `asks_owed_subquery`, so their numbers add up to each other."""

    open_now: int = 0
    scheduled: int = 0

    @property
    def total(self) -> int:
        return self.open_now + self.scheduled

    def words(self) -> str:
        """ "8 open now and 9 news on schedule, not yet due" (the part there is, alone)."""
        parts = []
        if self.open_now:
            parts.append(f"{self.open_now} open now")
        if self.scheduled:
            parts.append(f"{self.scheduled} news on schedule, not yet due")
        return " and ".join(parts)


def _owed_counts(now: dt.datetime) -> dict[str, Count]:
    return {
        "open_now": Count("pk", filter=ask_shown_q(now)),
        "scheduled": Count("pk", filter=ask_scheduled_q(now)),
    }


def asks_owed_split(asks: QuerySet[Ask], *, now: dt.datetime | None = None) -> Owed:
    """`asks`' open ones, split into open now and scheduled (one query)."""
    counted = asks.filter(status=AskStatus.OPEN).aggregate(**_owed_counts(now or timezone.now()))
    return Owed(open_now=counted["open_now"], scheduled=counted["scheduled"])


def asks_owed_subquery(part: str, *, now: dt.datetime | None = None) -> Subquery:
    """One part of `Owed` ("open_now" or "scheduled") for the person at `OuterRef("pk")`, as
    a subquery on a list of people (NULL for one who owes none)."""
    counts = _owed_counts(now or timezone.now())
    owed = (
        Ask.objects.filter(owner=OuterRef("pk"), status=AskStatus.OPEN)
        .order_by()
        .values("owner")
        .annotate(n=counts[part])
        .values("n")
    )
    return Subquery(owed)


def asks_quiet_count(*, user: User, now: dt.datetime | None = None) -> int:
    """Candidates whose news the user owes on a schedule, not yet due (so not listed).

    The queue says how many, so its count of follow-ups reads true next to the admin's.
    """
    now = now or timezone.now()
    return (
        Ask.objects.filter(kind__in=quiet_kinds(), owner=user, status=AskStatus.OPEN)
        .filter(due_at__gt=now)
        .values("application")
        .distinct()
        .count()
    )


def ask_overdue_q(now: dt.datetime) -> Q:
    """`Ask.is_overdue` in SQL, for open asks: past due and not on hold."""
    return Q(held_at__isnull=True, due_at__lte=now)


# What an ask's row in a list reads of its relations.
ASK_ROW_RELATED = (
    "job", "owner", "application__candidate", "requested_by", "original_owner", "held_for"
)  # fmt: skip


def asks_owed_by_rows(*, user: User, now: dt.datetime | None = None) -> QuerySet[Ask]:
    """What the user owes, oldest due first: every row, for a page to count and slice."""
    return (
        Ask.objects.filter(_visible_now(now or timezone.now()), owner=user, status=AskStatus.OPEN)
        .select_related(*ASK_ROW_RELATED)
        .order_by("due_at", "pk")
    )


def asks_as_rows(ids: list[int]) -> QuerySet[Ask]:
    """These asks (a few ids), with what their rows read joined, oldest due first."""
    return Ask.objects.filter(pk__in=ids).select_related(*ASK_ROW_RELATED).order_by("due_at", "pk")


def asks_owed_by(*, user: User, limit: int = 200) -> list[Ask]:
    """What the user owes, oldest due first (the first `limit`)."""
    return list(asks_owed_by_rows(user=user)[:limit])


def asks_owed_to_rows(*, user: User, now: dt.datetime | None = None) -> QuerySet[Ask]:
    """What others owe on the jobs the user runs (recruiter, coordinator or HM), oldest due
    first: every row, for a page to count and slice."""
    # The jobs she runs, read first as a list: `job IN (1, 2, …)` is an index read of each
    # job's open asks, where the same condition joined to the jobs (or as a subquery) made
    # PostgreSQL scan every open ask of the organisation (10–14 ms a count at 54,000).
    jobs = Ask._meta.get_field("job").related_model._default_manager
    runs = Q(recruiter=user) | Q(coordinator=user) | Q(hiring_manager=user)
    ran = list(jobs.filter(runs).values_list("pk", flat=True))
    return (
        Ask.objects.filter(_visible_now(now or timezone.now()), status=AskStatus.OPEN)
        .filter(job__in=ran)
        .exclude(owner=user)
        .select_related(*ASK_ROW_RELATED)
        .order_by("due_at", "pk")
    )


def asks_for_application(*, application: Application) -> list[Ask]:
    """Open asks about one application, soonest due first (shown to the hiring team)."""
    return list(
        Ask.objects.filter(application=application, status=AskStatus.OPEN)
        .select_related("owner", "original_owner", "held_for")
        .order_by("due_at", "pk")
    )


@dataclass
class AskRow:
    """An ask as a queue shows it: due or overdue in the owner's business time."""

    ask: Ask
    overdue: bool
    due_in: str  # "due in 5 business hours" / "3 business days overdue"
    waited: str
    url: str = ""
    # When the owner is away: "covering for Tomasz Nowak (out of office until Fri 11 Dec)"
    # for a delegate, "Tomasz Nowak is out of office until …; escalated to …" without one
    # ("You are out of office until …" to Tomasz himself).
    away: str = ""
    # The ask's title as the reader reads it (`ask_title_for`).
    title: str = ""
    # Whether the row gives "due <time>" besides `due_in`: not when `due_in` names that very
    # time already ("overdue since Fri 04 Dec 17:00"), which would say one instant twice.
    shows_due: bool = True


def ask_overdue_words(ask: Ask, now: dt.datetime) -> str:
    """How late the ask is in its owner's business time, as My queue, the agenda and the
    overview say it: "2 business days overdue", or "overdue since Fri 04 Dec 17:00"."""
    return overdue_words(calendar_for(ask.owner), ask.due_at, now)


def ask_hold_words(ask: Ask, *, reader: User | None) -> str:
    """What a held ask waits for, worded for its reader: "waiting for Rita's answer",
    "waiting for your answer" to Rita herself ("an answer" once her account is gone; "" when
    the ask is not held). `reader` None: the third person, as the activity log says it."""
    if not ask.is_held:
        return ""
    whose = possessive_for(ask.held_for, reader=reader) if ask.held_for_id else "an"
    return f"waiting for {whose} answer"


def ask_hold_note(ask: Ask, *, reader: User | None) -> str:
    """How every page shows a held ask to its reader: "on hold: waiting for your answer"."""
    return f"on hold: {ask_hold_words(ask, reader=reader)}" if ask.is_held else ""


def ask_title_for(ask: Ask, *, reader: User | None) -> str:
    """The ask's title for `reader`: the kind's `requester_title` to the person who asked
    for it ("Answer your question about Sophie Vogel" to Tomasz, whose question it is),
    filled from the facts its opener recorded (the stored title with "your" for the asker's
    name when a fact is missing: an older ask); the stored title to anyone else."""
    # By ids: the reader is the asker, so a list of asks reads no one per row.
    if reader is None or ask.requested_by_id is None or ask.requested_by_id != reader.pk:
        return ask.title
    if words := wording_for(ask.kind).requester_title:
        try:
            return words.format_map((ask.policy or {}).get("facts", {}))
        except (KeyError, IndexError, ValueError):
            pass
    # An ask opened before its kind recorded the facts (or a kind without a title for its
    # asker): its stored title names the asker, who reads "your" in its place.
    return ask.title.replace(f"{reader.short_name}'s ", "your ", 1)


def ask_row(
    ask: Ask, now: dt.datetime, url: str | None = None, *, reader: User | None = None
) -> AskRow:
    """The ask as `reader` reads it on a queue or a page (a hold waiting for their answer
    says "your", the away note "You are out of office" to its subject)."""
    overdue = ask.is_overdue(now)
    calendar = calendar_for(ask.owner)
    if ask.is_held:  # its clock is stopped: it says what it waits for, never "overdue"
        due_in = ask_hold_note(ask, reader=reader)
    elif overdue:
        due_in = overdue_words(calendar, ask.due_at, now)
    else:
        left = working_time_left_words(calendar, working_time_between(calendar, now, ask.due_at))
        # No working time left before it falls due (at the start of the next working day).
        due_in = f"due in {left}" if left else f"due {absolute(ask.due_at)}"
    return AskRow(
        shows_due=not due_in.endswith(absolute(ask.due_at)),
        ask=ask,
        overdue=overdue,
        due_in=due_in,
        waited=waited_words(calendar, ask.waiting_since, now, finest="minute"),
        url=url if url is not None else ask_url(ask),
        away=ask_away_note(ask, now, reader=reader),
        title=ask_title_for(ask, reader=reader),
    )


def away_until(person: User, reader: User | None = None) -> str:
    """When an absent person is back, in their own zone: " until Fri 11 Dec" ("" if unknown).

    A return at midnight reads as the day; any other moment gets its time as well, with the
    zone it is in named (the reader may work in another) unless the reader is the person:
    their own zone goes without saying.
    """
    until = person.out_of_office_until
    if until is None:
        return ""
    local = until.astimezone(person.zone)
    if local.time() != dt.time(0):
        zone = "" if is_reader(person, reader) else f" {person.time_zone} time"
        return f" until {absolute(until, person.zone)}{zone}"
    this_year = local.year == timezone.now().astimezone(person.zone).year
    return f" until {local:%a %d %b}" if this_year else f" until {local:%a %d %b %Y}"


def absence_words(person: User, reader: User | None = None) -> str:
    """Why someone else holds a person's asks: "out of office until Fri 11 Dec", or
    "deactivated" for someone who left; "" once they are neither (back, and the ask stayed
    with whoever took it)."""
    if not person.is_active:
        return "deactivated"
    if not person.is_out_of_office():
        return ""
    return f"out of office{away_until(person, reader)}"


def covering_words(absent: User, reader: User | None = None) -> str:
    """What a delegate or successor does for the person whose asks they hold, as every page
    says it: "covering for Tomasz Nowak (out of office until Fri 11 Dec)" ("covering for
    you (…)" to Tomasz himself)."""
    why = absence_words(absent, reader)
    name = person_for(absent, reader=reader)
    return f"covering for {name} ({why})" if why else f"covering for {name}"


# Notices that put an ask in front of someone other than its owner.
ESCALATION_ROLES = ("escalation", "admin")


def asks_escalated_to_ids(user: User) -> QuerySet[Notice, Any]:
    """The asks whose escalation reached the user by name (an escalation contact, a manager,
    an admin on the admin rung): a set of ask ids, for `pk__in`, read from the notices'
    recipient index."""
    # The partial index notice_escalated_idx answers this on PostgreSQL (SQLite, which does
    # not match a condition against bound parameters, reads the recipient's notices).
    named = Notice.objects.filter(recipient=user, role__in=ESCALATION_ROLES)
    return named.values("nudge__ask_id")


def ask_escalated_to(ask: Ask) -> list[User]:
    """Who hears the ask's first escalation besides its owner (contact, manager, the HM)."""
    return [person for person, role in ask_recipients(ask, 1) if role != "owner"]


def ask_away_note(ask: Ask, now: dt.datetime | None = None, *, reader: User | None = None) -> str:
    """What the recruiter should know when the ask's owner is out of office; "" otherwise.

    Delegated: "covering for Tomasz Nowak (out of office until Fri 11 Dec)". Owner away with
    no delegate: "Tomasz Nowak is out of office until Fri 11 Dec; escalated to Sofia Silva"
    once the ask escalated (at once when it opened while they were away). Said to `reader`:
    to Tomasz himself, "You are out of office until …" (his own zone not named).
    """
    absent = ask.original_owner if ask.original_owner_id else None  # no query when there is none
    if absent is not None:
        return covering_words(absent, reader)
    owner = ask.owner
    if not owner.is_out_of_office(now):
        return ""
    who = "You are" if is_reader(owner, reader) else f"{owner} is"
    note = f"{who} out of office{away_until(owner, reader)}"
    if ask.level or (ask.policy or {}).get("owner_away"):
        names = ", ".join(str(person) for person in _escalation_told(ask))
        note += f"; escalated to {names}" if names else "; nobody to escalate to"
    return note


def _escalation_told(ask: Ask) -> list[User]:
    """Whom the ask's escalation reached, read from the notices sent (someone standing in
    then, not whoever would be told today); until one is written, whom it will reach."""
    told: dict[int, User] = {}
    for nudge in ask.nudges.all():
        for notice in nudge.notices.all():
            if notice.role == "escalation":
                told.setdefault(notice.recipient_id, notice.recipient)
    return list(told.values()) or ask_escalated_to(ask)


def ask_handed_to(*, kind: str, subject: str, owner: User) -> str:
    """Whom a just-opened ask went to, for the confirmation of the change that opened it.

    "to Hank Manager; it is their move now", or naming the delegate who covers for an absent
    owner, or saying that the owner is away with no delegate and whom it escalated to.
    """
    ask = (
        Ask.objects.filter(kind=kind, subject=subject, status=AskStatus.OPEN)
        .select_related("owner", "original_owner", "job")
        .first()
    )
    if ask is None:  # the kind is switched off: nobody is chased, the move is still theirs
        return f"to {owner}; it is their move now"
    if ask.original_owner_id:
        return f"to {ask.owner}, {ask_away_note(ask)}; it is their move now"
    if not ask.owner.is_out_of_office():
        return f"to {ask.owner}; it is their move now"
    names = ", ".join(str(person) for person in ask_escalated_to(ask))
    told = f"escalated to {names}" if names else "nobody to escalate to"
    delegate = ask.owner.delegate
    nobody = f"whose delegate {delegate} is away too" if delegate else "has no delegate"
    return f"to {ask.owner}, who is out of office{away_until(ask.owner)} and {nobody}: {told}"


def ask_rows(
    asks: list[Ask], now: dt.datetime | None = None, *, reader: User | None = None
) -> list[AskRow]:
    """The asks as a queue shows them to `reader` (`ask_row`), with what they read loaded
    for the list at once."""
    now = now or timezone.now()
    _escalations_load(asks, now)
    # Whom the held ones wait for, read at once unless the rows' query joined them already
    # (`asks_owed_by_rows`, `asks_owed_to_rows`, `asks_for_application` do).
    prefetch_related_objects([ask for ask in asks if ask.held_for_id], "held_for")
    urls = ask_urls(asks)
    return [ask_row(ask, now, urls[ask.pk], reader=reader) for ask in asks]


def _escalations_load(asks: list[Ask], now: dt.datetime) -> None:
    """Read at once the people the rows' away notes name ("escalated to …"): each escalated
    ask of an owner away without a delegate read the notices its escalation sent, and its
    job's hiring manager and escalation contact, or its owner's manager, one query each (a
    list of 200 asks of someone away on the admin's "behind on" page cost 400 queries)."""
    noted = [
        ask
        for ask in asks
        if not ask.original_owner_id
        and (ask.level or (ask.policy or {}).get("owner_away"))
        and ask.owner.is_out_of_office(now)
    ]
    if noted:
        prefetch_related_objects(
            noted,
            "job__hiring_manager",
            "job__escalation_contact",
            "owner__manager",
            "nudges__notices__recipient",
        )


@dataclass
class AskList:
    """The asks of one queue list: those beside their candidate's row and those on their own."""

    rows: list[AskRow]  # listed on their own
    beside: int  # shown beside a candidate's row instead
    overdue: int = 0  # of all of them, wherever shown

    @property
    def total(self) -> int:
        return len(self.rows) + self.beside

    def __iter__(self) -> Iterator[AskRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def ask_rows_attach(items: list[Any], rows: list[AskRow]) -> AskList:
    """Put each ask beside the queue item of the same application whose move is the owner's.

    Every ask is shown exactly once: several may sit beside one item (a review and a debrief
    decision on one candidate), and asks about no candidate, or about one not listed here
    (an action item, "sign the intake"), keep their own list, in the order given.
    """
    # An item may stand for several owners (a delegate and the absent person they cover).
    items_by_key = {
        (item.application.pk, owner_id): item
        for item in items
        for owner_id in getattr(item, "owner_ids", (getattr(item.owner, "pk", None),))
    }
    for item in items:
        item.ask_rows = []
    own: list[AskRow] = []
    for row in rows:
        item = None
        if row.ask.application_id is not None:
            item = items_by_key.get((row.ask.application_id, row.ask.owner_id))
        if item is None:
            own.append(row)
        else:
            item.ask_rows.append(row)
    overdue = sum(1 for row in rows if row.overdue)
    return AskList(rows=own, beside=len(rows) - len(own), overdue=overdue)


# How long a past office closure stays listed on the settings page (it keeps counting in
# business time after that; it is just not shown).
CLOSURES_LISTED_AFTER = dt.timedelta(days=90)


def office_closures_listed(*, user: User, today: dt.date) -> list[OfficeClosure]:
    """The office closures the settings page lists for an admin: upcoming ones and those
    that ended in the last 90 days, earliest first. Nobody else sees them there."""
    if not (user.is_active and user.is_admin):
        return []
    since = today - CLOSURES_LISTED_AFTER
    return list(OfficeClosure.objects.filter(last_day__gte=since).order_by("first_day", "pk"))


def ask_owner_open(*, kind: str, subject: str) -> int | None:
    """Who owes the open ask of `kind` about `subject` now (their id), or None."""
    return (
        Ask.objects.filter(kind=kind, subject=subject, status=AskStatus.OPEN)
        .values_list("owner_id", flat=True)
        .first()
    )
