"""When a person leaves: their open asks move to someone who can answer, and their one-click
links stop working (docs/architecture.md#people).

`ask_reassign` is the one writer of an open ask's owner outside `ask_open`'s routing. A moved
ask keeps everything the engine chases it by (due time, ladder, rungs reached, level,
snooze): only who owes it changes, with an activity saying who moved it and why, and the
new owner gets one message listing what they took over. Plugged into accounts from
`FollowupsConfig.ready()`: the `person_deactivated` receiver, the people page's "open asks"
count and the lines of the deactivation page.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.hooks import Impact, PersonCount
from closeloop.accounts.models import User
from closeloop.accounts.selectors import person_for, possessive_for
from closeloop.activity.services import activity_record
from closeloop.followups.business_time import calendar_for
from closeloop.followups.messages import MAX_ITEMS
from closeloop.followups.models import ActionLink, Ask, AskHandover, AskStatus, Notice
from closeloop.followups.notices import present_or_stand_in, stand_in
from closeloop.followups.one_click import one_click_links_many
from closeloop.followups.policies import DEFAULTS
from closeloop.followups.selectors import ask_url, asks_owed_split, asks_owed_subquery, away_until
from closeloop.followups.services import (
    ask_escalate_now,
    ask_route,
    asks_cancel_where,
    asks_retime_for_calendar,
)
from closeloop.followups.sweep import sweep_held, sweep_hold_push
from closeloop.lib.sweep import Swept, sweep
from closeloop.lib.text import listed
from closeloop.lib.timefmt import absolute
from closeloop.notify.services import message_queue

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    from closeloop.jobs.models import Job

HANDED_OVER_TEMPLATE = "asks-handed-over"
# To whoever held a person's asks while their account was off, once they are back.
HANDED_BACK_TEMPLATE = "asks-handed-back"


def _usable(person: User | None, leaving: User) -> bool:
    return person is not None and person.is_active and person.pk != leaving.pk


def ask_successor(*, ask: Ask, leaving: User, by: User) -> tuple[User, str]:
    """Who takes over `leaving`'s open ask, and as what: their delegate, else their manager,
    else the job's escalation contact, else the admin who deactivates them (`by`). Someone
    there to answer comes first: one of them out of office hands it to whoever stands in for
    them (`notices.stand_in`); only when nobody is there does it go to one who is away."""
    now = timezone.now()
    candidates = (
        (leaving.delegate, "their delegate"),
        (leaving.manager, "their manager"),
        (ask.job.escalation_contact if ask.job is not None else None, "escalation contact"),
    )
    for person, role in candidates:
        holder = present_or_stand_in(person, now)
        if person is not None and holder is not None and _usable(holder, leaving):
            if holder.pk == person.pk:
                return holder, role
            return holder, f"covering for {person}, {role}, who is out of office"
    for person, role in candidates:
        if person is not None and _usable(person, leaving):
            return person, role
    return by, "the admin who deactivated them"


def _personal_kinds() -> list[str]:
    """Kinds nobody else may answer (`Policy.personal`): never handed over."""
    return [kind for kind, policy in DEFAULTS.items() if policy.personal]


def _open_asks_of(user: User) -> list[Ask]:
    """The open asks a person hands over when they leave (not their personal ones)."""
    return list(
        Ask.objects.filter(owner=user, status=AskStatus.OPEN)
        .exclude(kind__in=_personal_kinds())
        .select_related("job__escalation_contact", "application", "original_owner")
        .order_by("due_at", "pk")
    )


def _personal_asks_of(user: User) -> QuerySet[Ask]:
    return Ask.objects.filter(owner=user, status=AskStatus.OPEN, kind__in=_personal_kinds())


@transaction.atomic
def ask_reassign(
    *, ask: Ask, to: User, by: User | None, reason: str, held_for_leaver: bool = False
) -> Ask:
    """Move an open ask to `to`, keeping its due time and ladder; the old owner's links to
    it stop working. Records who moved it and why (`closeloop.ask.reassigned`).

    `held_for_leaver`: the owner is leaving, so `to` holds the ask for them (its original
    owner, unless it already covered for someone else), as a delegate holds an absent
    person's: the candidate waits on `to`, who may open it, and the pages say whom they
    cover for.
    """
    ask = Ask.objects.select_for_update(of=("self",)).select_related("owner").get(pk=ask.pk)
    if ask.status != AskStatus.OPEN or ask.owner_id == to.pk:
        return ask
    before = ask.owner
    ask.owner = to
    fields = ["owner", "original_owner"]
    if ask.original_owner_id == to.pk:  # back with the person it was delegated from
        ask.original_owner = None
    elif held_for_leaver and ask.original_owner_id is None:
        ask.original_owner = before
    ask.save(update_fields=fields)
    AskHandover.objects.create(ask=ask, from_owner=before, to_owner=to)
    ActionLink.objects.filter(
        ask=ask, recipient=before, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    activity_record(
        kind="closeloop.ask.reassigned",
        actor=by,
        job=ask.job,
        application=ask.application,
        summary=f"“{ask.title}” moved from {before} to {to}: {reason}",
        data={"ask": ask.pk, "from": before.pk, "to": to.pk, "reason": reason},
        team_only=True,
    )
    return ask


@transaction.atomic
def asks_reassign_from(*, user: User, by: User, reason: str) -> dict[int, list[Ask]]:
    """Move every open ask `user` owes to their successor (`ask_successor`) and tell each
    new owner in one message. Returns the moved asks by new owner's id."""
    moved: dict[int, list[Ask]] = defaultdict(list)
    owners: dict[int, User] = {}
    for ask in _open_asks_of(user):
        to, _role = ask_successor(ask=ask, leaving=user, by=by)
        owners[to.pk] = to
        moved[to.pk].append(
            ask_reassign(ask=ask, to=to, by=by, reason=reason, held_for_leaver=True)
        )
    now = timezone.now()
    for pk, asks in moved.items():
        _tell_new_owner(owners[pk], asks, leaving=user, reason=reason, now=now)
    return dict(moved)


def _tell_new_owner(
    recipient: User,
    asks: list[Ask],
    *,
    leaving: User,
    reason: str,
    now: dt.datetime,
    covering: bool = False,
    returned: bool = False,
) -> None:
    """One message listing what `recipient` took over, worded as a reminder of those asks
    would be: the most urgent first (those on hold, which wait on someone else, last), at
    most `MAX_ITEMS`, each with the one-click buttons the recipient may press (the leaver's
    own links were withdrawn), the rest counted and linked to the queue.

    `covering`: the asks of someone out of office, which the recipient covers rather than
    inherits. Nothing hands them back on the person's return (they stay with the recipient,
    held for the person, until answered; what opens after the return is the person's), and
    the message says so, with when the person is back.

    `returned`: the recipient's own asks, back with them on their reactivation (`reason`
    says who held them meanwhile)."""
    urgent = sorted(asks, key=lambda ask: (ask.held_at is not None, ask.due_at, ask.pk))
    shown = urgent[:MAX_ITEMS]
    links = one_click_links_many(
        asks=[ask for ask in shown if ask.held_at is None], recipient=recipient, now=now
    )
    items = [
        {
            "title": ask.title,
            # "on hold" (it waits on someone else; its due time moves when it resumes)
            "due": "on hold" if ask.held_at else f"due {absolute(ask.due_at, recipient.zone)}",
            "url": settings.SITE_URL + ask_url(ask),
            # One the leaver held for someone else: the new holder covers for that person.
            "held_for": ask.original_owner
            if ask.original_owner_id not in (None, leaving.pk, recipient.pk)
            else None,
            "links": links.get(ask.pk, []),
        }
        for ask in shown
    ]
    # Split as the people page and the deactivation page split them: news on schedule
    # joins the queue only when due, so "17 asks" is not 17 in the queue tomorrow.
    owed = asks_owed_split(Ask.objects.filter(pk__in=[ask.pk for ask in asks]), now=now)
    message_queue(
        recipient=recipient,
        template=HANDED_OVER_TEMPLATE,
        channel=recipient.notify_channel,
        not_before=now,
        context={
            "recipient": recipient,
            "leaving": leaving,
            "reason": reason,
            "covering": covering,
            "returned": returned,
            "until": away_until(leaving, recipient) if covering else "",
            "items": items,
            "total": len(asks),
            "more": len(asks) - len(items),
            "owed": owed,
            "queue_url": settings.SITE_URL + reverse("pipeline:queue"),
        },
        data={"asks": [ask.pk for ask in asks], "handed_over_from": leaving.pk},
    )


def _role_kinds(role: str) -> list[str]:
    """The kinds of ask owed by whoever holds `role` on a job ("hiring_manager": reviews,
    the debrief decision, the intake's signature)."""
    return [kind for kind, policy in DEFAULTS.items() if policy.owner_role == role]


@transaction.atomic
def asks_role_handover(*, job: Job, role: str, before: User, after: User, by: User) -> list[Ask]:
    """`after` takes `before`'s place as the job's `role`: the open asks of that role on the
    job that `before` owed (or someone held for them) go to `after`, or to whoever stands in
    for `after` while they are away, with their due times; `after` hears of them in one
    message. Asks owed in another capacity (a scorecard as an interviewer) stay."""
    asks = (
        Ask.objects.filter(job=job, status=AskStatus.OPEN, kind__in=_role_kinds(role))
        .filter(Q(owner=before, original_owner=None) | Q(original_owner=before))
        .order_by("due_at", "pk")
    )
    now = timezone.now()
    holder, held_for, escalate_now = ask_route(owner=after, at=now)
    reason = f"{before} is no longer the {role.replace('_', ' ')} of {job.title} ({after} is)"
    moved = []
    for ask in asks:
        ask = ask_reassign(ask=ask, to=holder, by=by, reason=reason)
        # Theirs now, not the previous holder's: held for `after` only while they are away
        # (the row and the object alike: the email below reads whom each ask is for).
        ask.original_owner = held_for
        ask.save(update_fields=["original_owner"])
        if escalate_now:  # away with nobody covering: escalated at once, as a new ask is
            ask_escalate_now(ask=ask, at=now)
        moved.append(ask)
    if moved:
        _tell_new_owner(holder, moved, leaving=before, reason=reason, now=now)
    return moved


def on_calendar_changed(
    sender: Any,
    *,
    user: User,
    by: User,
    before: dict[str, Any],
    now: dt.datetime | None = None,
    **kw: Any,
) -> list[str]:
    """accounts' `calendar_changed`: the open asks `user` owes keep the business time they
    had left, in the new calendar (`asks_retime_for_calendar`); says so to whoever saved:
    "2 open follow-ups you owe were re-timed to your new calendar, each keeping the business
    time it had left; 1 already overdue stays as it was." Nothing when they owe none."""
    was = copy.copy(user)
    for name, value in before.items():
        setattr(was, name, value)
    done = asks_retime_for_calendar(user=user, before=calendar_for(was), now=now)
    if not done.moved and not done.overdue:
        return []
    who, whose = person_for(user, reader=by), possessive_for(user, reader=by)
    owes = "owe" if who == "you" else "owes"
    if done.moved:
        line = (
            f"{_follow_ups(done.moved)} {who} {owes} {_was(done.moved)} re-timed to {whose} new "
            "calendar, each keeping the business time it had left"
        )
    else:
        line = f"No open follow-up {who} {owes} was re-timed"
    if done.overdue:
        line += f"; {done.overdue} already overdue {'stays' if done.overdue == 1 else 'stay'} as"
        line += " it was" if done.overdue == 1 else " they were"
    return [line + "."]


def _follow_ups(count: int) -> str:
    return f"{count} open follow-up{'s' if count != 1 else ''}"


def _was(count: int) -> str:
    return "was" if count == 1 else "were"


def links_revoke_for_person(*, user: User, at: dt.datetime) -> int:
    """Every one-click link still usable by `user` stops working."""
    return ActionLink.objects.filter(
        recipient=user, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=at)


def on_person_deactivated(sender: Any, *, user: User, by: User, at: dt.datetime, **kw: Any) -> None:
    """accounts' `person_deactivated`: links die, reminders not yet sent to them are dropped,
    open asks move (in its transaction)."""
    links_revoke_for_person(user=user, at=at)
    Notice.objects.filter(recipient=user, message__isnull=True).delete()
    # What only they could answer ends with them; the rest is handed over.
    asks_cancel_where(_personal_asks_of(user), reason="owner deactivated")
    asks_reassign_from(user=user, by=by, reason=f"{user} was deactivated by {by}")


def on_person_reactivated(
    sender: Any, *, user: User, by: User, at: dt.datetime, **kw: Any
) -> list[str]:
    """accounts' `person_reactivated`: the asks held for them while they were gone come
    back (unless they are out of office now: their delegate keeps holding those). Each who
    held some is told they are no longer theirs, the person is told what came back, and the
    admin reads one line per holder ("17 asks Sofia Lindqvist held for them went back to
    Hank Hill, and both were told")."""
    if user.is_out_of_office(at):
        return []
    held = _held_for(user)
    by_holder: dict[int, list[Ask]] = defaultdict(list)
    holders: dict[int, User] = {}
    back: list[Ask] = []
    for ask in held:
        holders[ask.owner_id] = ask.owner
        moved = ask_reassign(
            ask=ask, to=user, by=by, reason=f"{user} is back (reactivated by {by})"
        )
        by_holder[ask.owner_id].append(moved)
        back.append(moved)
    if not back:
        return []
    for pk, asks in by_holder.items():
        _tell_previous_holder(holders[pk], asks, back_with=user, by=by, now=at)
    who = listed(str(holders[pk]) for pk in by_holder)
    reason = (
        f"{by} reactivated your account, so the asks {who} held for you while it was off "
        "are yours again"
    )
    _tell_new_owner(user, back, leaving=user, reason=reason, now=at, returned=True)
    return [
        f"{len(asks)} ask{'s' if len(asks) != 1 else ''} {holders[pk]} held for them went "
        f"back to {user}, and both were told."
        for pk, asks in by_holder.items()
    ]


def _held_for(user: User) -> QuerySet[Ask]:
    """The open asks someone holds for `user`: what comes back when they are reactivated."""
    return (
        Ask.objects.filter(original_owner=user, status=AskStatus.OPEN)
        .select_related("owner")
        .order_by("due_at", "pk")
    )


def _told_by(person: User) -> str:
    return "in their Closeloop Inbox" if person.notify_channel == "in_app" else "by email"


def reactivation_asks_impact(*, user: User, by: User) -> list[Impact]:
    """The reactivation page's lines about asks, as `on_person_reactivated` will do them:
    how many each holder holds for the person and gives back, and who is told how; or that
    the person is away now, so those holding them keep them; or that nothing comes back."""
    now = timezone.now()
    by_holder: dict[int, list[Ask]] = defaultdict(list)
    holders: dict[int, User] = {}
    for ask in _held_for(user):
        holders[ask.owner_id] = ask.owner
        by_holder[ask.owner_id].append(ask)
    total = sum(len(asks) for asks in by_holder.values())
    if not total:
        return [Impact(f"No asks are held for {user}: nothing comes back, and nobody is told.")]
    if user.is_out_of_office(now):
        until = user.out_of_office_until
        when = f" until {absolute(until, by.zone)}" if until is not None else ""
        who = listed(str(holders[pk]) for pk in by_holder)
        stays = "stays" if total == 1 else "stay"
        return [
            Impact(
                f"{user} is out of office{when}: the {_n_asks(total)} held for them {stays} "
                f"with {who}, as their delegate would hold them, and nobody is told. What "
                "opens for them after their return is theirs."
            )
        ]
    lines = [
        Impact(
            f"{_n_asks(len(asks))} {holders[pk]} holds for them "
            f"{'comes' if len(asks) == 1 else 'come'} back to {user}, with "
            f"{'its due time' if len(asks) == 1 else 'their due times'}."
        )
        for pk, asks in by_holder.items()
    ]
    others = "; ".join(f"{holders[pk]} {_told_by(holders[pk])}" for pk in by_holder)
    lines.append(
        Impact(
            f"{user} is told {_told_by(user)}, in one message listing the {_n_asks(total)}; "
            f"{others}, that {'it is' if total == 1 else 'they are'} no longer theirs (the "
            "one-click links they were sent stop working)."
        )
    )
    return lines


def _n_asks(n: int) -> str:
    return f"{n} ask{'s' if n != 1 else ''}"


def _tell_previous_holder(
    recipient: User, asks: list[Ask], *, back_with: User, by: User, now: dt.datetime
) -> None:
    """One message to whoever held `asks` for `back_with`: they went back, nothing is owed
    from the recipient on them, and the links sent about them no longer work."""
    shown = asks[:MAX_ITEMS]
    message_queue(
        recipient=recipient,
        template=HANDED_BACK_TEMPLATE,
        channel=recipient.notify_channel,
        not_before=now,
        context={
            "recipient": recipient,
            "person": back_with,
            "by": by,
            "items": [
                {"title": ask.title, "url": settings.SITE_URL + ask_url(ask)} for ask in shown
            ],
            "total": len(asks),
            "more": len(asks) - len(shown),
            "queue_url": settings.SITE_URL + reverse("pipeline:queue"),
        },
        data={"asks": [ask.pk for ask in asks], "handed_back_to": back_with.pk},
    )


def asks_owed_count() -> Combinable:
    """Open asks a person owes now, as a subquery on the people page's rows: those their
    queue shows, so the number reads the same as on My queue and on Insights; news on
    schedule not yet due is the cell's aside ("8 (+9 scheduled)"), as the deactivation page
    and the handover email split them (`Owed`)."""
    return asks_owed_subquery("open_now")


def asks_scheduled_count() -> Combinable:
    return asks_owed_subquery("scheduled")


ASKS_OWED = PersonCount(
    name="open_asks_owed",
    label="Open asks",
    build=asks_owed_count,
    aside=asks_scheduled_count,
    aside_label="scheduled",
    aside_title="News on schedule, not yet due: it joins their queue when due, and moves with "
    "the rest if they are deactivated",
)


def absence_delegate_note(*, user: User, start: dt.datetime, end: dt.datetime) -> list[str]:
    """The delegate named is away too during (part of) the absence: who really covers then
    (`stand_in`: the delegate's own delegate, or nobody, and what the person owes escalates),
    in the person's own zone: "Tomasz Nowak, your delegate, is out of office from Mon 07 Dec
    09:00 to Mon 14 Dec 09:00, all of your absence: Sofia Lindqvist covers for you then." """
    delegate = user.delegate
    if delegate is None or not delegate.is_active:
        return []
    away_from, back_on = delegate.out_of_office_from, delegate.out_of_office_until
    if away_from is None or back_on is None or away_from >= end or back_on <= start:
        return []
    overlap_from = max(start, away_from)
    part = (
        "all of your absence" if away_from <= start and back_on >= end else "part of your absence"
    )
    when = f"from {absolute(away_from, user.zone)} to {absolute(back_on, user.zone)}"
    cover = stand_in(user, overlap_from)
    who = (
        f"{cover} covers for you then"
        if cover is not None
        else "nobody covers for you then, and what you owe escalates at once"
    )
    return [f"{delegate}, your delegate, is out of office {when}, {part}: {who}."]


def deactivation_asks_impact(*, user: User, by: User) -> list[Impact]:
    """The deactivation page's lines about asks: how many they owe, split as the people
    page splits them (open now, news on schedule not yet due), then how many of each kind
    go to whom."""
    now = timezone.now()
    asks = _open_asks_of(user)
    lines: list[Impact] = []
    owed = asks_owed_split(Ask.objects.filter(owner=user), now=now)
    if not owed.total:
        lines.append(Impact(f"{user} owes no open asks: nothing moves."))
    elif owed.scheduled:
        lines.append(
            Impact(
                f"{user} owes {_asks(owed.total)}: {owed.words()}, which the People "
                f"list shows as “{owed.open_now} (+{owed.scheduled} scheduled)”."
            )
        )
    by_owner: dict[str, Counter[str]] = defaultdict(Counter)
    ids_by_owner: dict[str, list[int]] = defaultdict(list)
    for ask in asks:
        to, role = ask_successor(ask=ask, leaving=user, by=by)
        label = DEFAULTS[ask.kind].label if ask.kind in DEFAULTS else ask.kind
        who = "you" if to.pk == by.pk and role.startswith("the admin") else f"{to} ({role})"
        by_owner[who][label] += 1
        ids_by_owner[who].append(ask.pk)
    for who, kinds in by_owner.items():
        counted = ", ".join(f"{n} × {label}" for label, n in kinds.most_common())
        moving = asks_owed_split(Ask.objects.filter(pk__in=ids_by_owner[who]), now=now)
        # Said again only when it differs from the whole (said above).
        split = f" ({moving.words()})" if moving.scheduled and moving != owed else ""
        lines.append(
            Impact(
                f"{_asks(moving.total)} move{'s' if moving.total == 1 else ''} to {who}, "
                f"with their due times{split}: {counted}."
            )
        )
    ending = Counter(
        DEFAULTS[kind].label for kind in _personal_asks_of(user).values_list("kind", flat=True)
    )
    if ending:
        counted = ", ".join(f"{n} × {label}" for label, n in ending.most_common())
        lines.append(Impact(f"Open asks only they could answer are cancelled: {counted}."))
    links = ActionLink.objects.filter(
        recipient=user, used_at__isnull=True, revoked_at__isnull=True
    ).count()
    if links:
        plural = "s" if links != 1 else ""
        lines.append(Impact(f"{links} one-click link{plural} in their emails stop working."))
    return lines


def _asks(n: int) -> str:
    return f"{n} open ask{'s' if n != 1 else ''}"


# --- Out of office: what one owed goes to the delegate ---------------------------------------

COVER_STEP = "cover for the absent"
COVER_LIMIT = 50  # people a run hands over (each with every open ask they hold)


def _away_q(now: dt.datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}out_of_office_from__lte": now, f"{prefix}out_of_office_until__gt": now})


def _present_q(now: dt.datetime, prefix: str) -> Q:
    """The person at `prefix` is active and not away (`notices.person_present`, in SQL)."""
    return Q(**{f"{prefix}is_active": True}) & ~_away_q(now, prefix)


def asks_cover_absent(*, now: dt.datetime | None = None, limit: int = COVER_LIMIT) -> Swept:
    """Worker step: someone out of office who still holds open asks hands them to whoever
    stands in for them (their delegate, or the delegate's delegate: `notices.stand_in`),
    held for them as an ask opened while they are away is (those they held for someone else
    stay held for that person), and the new holder hears of them in one message. A person
    that raises is held back (followups.sweep); the others go on."""
    now = now or timezone.now()
    # Every open ask they hold, those they hold for someone else too: they cannot answer
    # either while they are away.
    owes = Ask.objects.filter(owner=OuterRef("pk"), status=AskStatus.OPEN).exclude(
        kind__in=_personal_kinds()
    )
    ids = list(
        User.objects.filter(_away_q(now), is_active=True)
        .filter(_present_q(now, "delegate__") | _present_q(now, "delegate__delegate__"))
        .exclude(delegate__delegate=F("pk"))
        .filter(Exists(owes))
        .exclude(pk__in=sweep_held(COVER_STEP, now=now))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sweep(
        COVER_STEP,
        ids,
        lambda pk: absent_asks_cover(pk=pk, now=now),
        push_back=lambda pk, error: sweep_hold_push(COVER_STEP, pk, error, now=now),
        row_id=lambda pk: f"person {pk}",
    )


def absent_asks_cover(*, pk: int, now: dt.datetime) -> int:
    """The step's per-row function (a module attribute, so a test can poison one row)."""
    return _absent_asks_cover(pk, now)


@transaction.atomic
def _absent_asks_cover(pk: int, now: dt.datetime) -> int:
    # Locked, so two workers do not both hand the same asks over (the second finds none).
    person = User.objects.select_for_update(of=("self",)).select_related("delegate").get(pk=pk)
    if not (person.is_active and person.is_out_of_office(now)):
        return 0
    delegate = stand_in(person, now)
    if delegate is None:
        return 0
    # What they hold for someone else stays held for that person (ask_reassign keeps the
    # original owner): "Daniel Okafor, covering for Tomasz Nowak".
    asks = Ask.objects.filter(owner=person, status=AskStatus.OPEN).exclude(
        kind__in=_personal_kinds()
    )
    reason = f"{person} is out of office{away_until(person)}"
    moved = [
        ask_reassign(ask=ask, to=delegate, by=None, reason=reason, held_for_leaver=True)
        for ask in asks.order_by("due_at", "pk")
    ]
    if moved:
        _tell_new_owner(delegate, moved, leaving=person, reason=reason, now=now, covering=True)
    return len(moved)
