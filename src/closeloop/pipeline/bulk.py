"""Bulk actions on candidates selected in a job's list: move, reject, mark updated, tag,
snooze my asks.

Each runs the single action's own service on every selected application, inside one
transaction: when any one is refused (already closed, erased, not the user's to act on) the
whole batch rolls back and the refusal names each candidate and why, each name once (a
service's words that name the candidate are said as they are, others after "Name: ").
A candidate for whom there is nothing to do is no refusal: a move leaves those already in
the stage where they are (`BulkMoved.there`) and moves the others, as a tag skips those who
have it (`BulkTagged.had`).

Which applications may be acted on is read here, with the list's own permission filter; an
id that is not one of this job's applications the user sees refuses the whole batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.services import ask_snooze
from closeloop.jobs.models import Job
from closeloop.jobs.selectors import job_can_manage, job_can_move_candidates
from closeloop.lib.folding import by_name
from closeloop.lib.forms import refusal_words, refused_keep, refused_kept
from closeloop.lib.ids import id_parse
from closeloop.pipeline import services
from closeloop.pipeline.selectors import (
    application_base,
    application_visible_in_job_q,
    job_ended_refusal,
)
from closeloop.pipeline.tags import TagPut, candidate_tag_put

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Stage
    from closeloop.pipeline.models import Application, Tag

# A page of the list holds 50; a selection larger than this was not made on a page.
BULK_LIMIT = 200
# How many refusals a message spells out before "and N more".
REFUSALS_NAMED = 10


@dataclass(frozen=True)
class BulkActions:
    """The bulk actions a person may offer on a job's list, by the single actions' rules:
    moving and rejecting are the hiring team's (recruiting side or HM), recording news the
    recruiting side's, tagging the team's; anyone may snooze their own asks."""

    move: bool = False
    reject: bool = False
    updated: bool = False
    tag: bool = False
    snooze: bool = False
    # Why move and reject are not offered on a job whose search ended ("" while it runs).
    ended: str = ""

    def refusal(self, action: str) -> str:
        """Why `action` is not offered, when it is the job's end that says so ("" else)."""
        return self.ended if action in ("move", "reject") else ""

    @property
    def any(self) -> bool:
        return any((self.move, self.reject, self.updated, self.tag, self.snooze))

    def allows(self, action: str) -> bool:
        return bool(getattr(self, action, False)) if action in BULK_ACTIONS else False


BULK_ACTIONS = ("move", "reject", "updated", "tag", "snooze")


def bulk_actions_for(*, user: User, job: Job) -> BulkActions:
    """What the user may do to several of the job's candidates at once (the services check
    again, per candidate)."""
    manage = job_can_manage(user=user, job=job)
    team = job_can_move_candidates(user=user, job=job)
    # A search that ended moves and rejects nobody (its candidates closed with it, and none
    # reopens until the job is Open again): the bar does not offer what would be refused.
    running = team and not job.has_ended
    ended = job_ended_refusal(job=job, to_do="move or reject its candidates") if team else ""
    return BulkActions(
        move=running,
        reject=running,
        updated=manage,
        tag=team,
        snooze=bool(user.is_active),
        ended=ended,
    )


def bulk_applications_get(*, user: User, job: Job, ids: Sequence[object]) -> list[Application]:
    """The selected applications, by candidate name: each must be one of the job's that the
    user sees, or nothing is returned and the error says why (too many, not ids, not this
    job's). Two queries at most, whatever was sent."""
    if not ids:
        raise ValidationError("Select at least one candidate.")
    if len(ids) > BULK_LIMIT:
        raise ValidationError(
            f"Select at most {BULK_LIMIT} candidates at a time ({len(ids):,} were sent)."
        )
    parsed = [id_parse(each) for each in ids]
    wanted = {each for each in parsed if each is not None}
    if len(wanted) < len(set(parsed)):
        raise ValidationError("The selection holds something that is not a candidate of this list.")
    found = list(
        application_base()
        .filter(application_visible_in_job_q(user, job), job=job, pk__in=wanted)
        .order_by(*by_name("candidate__full_name"), "pk")
    )
    missing = len(wanted) - len(found)
    if missing:
        raise ValidationError(
            f"{missing} of the selected candidates {'is' if missing == 1 else 'are'} not on "
            f"{job.title}'s list as you see it."
        )
    return found


def _refuse_ended(applications: list[Application], to_do: str) -> None:
    """One refusal for the whole batch when the job has ended (read under its row lock, as
    a close may have committed since the page): each candidate's own refusal ("closed;
    reopen it") would send the user to a reopening the ended job refuses."""
    if applications:
        services.job_refuse_ended(job_id=applications[0].job_id, to_do=to_do)


def _refusal_named(application: Application, words: str) -> str:
    """A candidate's refusal naming them once: the service's words when they name the
    candidate already ("Ann Able is past the hiring manager's review already …"), else
    "Ann Able: " before them ("Ann Able: This application is already closed.")."""
    name = application.candidate.full_name
    if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", words):
        return words
    return f"{name}: {words}"


def _each(applications: list[Application], act: Callable[[Application], object]) -> None:
    """Run `act` on every application; collect each refusal, and if there is any, raise
    them all (the caller's transaction then rolls back what the others did)."""
    refused = []
    for application in applications:
        try:
            with transaction.atomic():
                act(application)
        except (ValidationError, PermissionDenied) as error:
            refused.append(_refusal_named(application, refusal_words(error)))
    if refused:
        named = refused[:REFUSALS_NAMED]
        more = len(refused) - len(named)
        tail = f" … and {more} more." if more else ""
        raise ValidationError(" ".join(named) + tail)


@dataclass(frozen=True)
class BulkMoved:
    """What a bulk move did: the applications moved, and those already in the stage (left
    as they were)."""

    moved: list[Application]
    there: list[Application]


@transaction.atomic
def applications_bulk_move(
    *, applications: list[Application], by: User, to_stage: Stage, reason: str = ""
) -> BulkMoved:
    """Move every application to `to_stage` (`application_move` each), or none; those
    already there stay as they are, and are no refusal."""
    _refuse_ended(applications, "move its candidates")
    moved: list[Application] = []
    there: list[Application] = []

    def move(each: Application) -> None:
        try:
            services.application_move(application=each, by=by, to_stage=to_stage, reason=reason)
        except services.AlreadyInStage:
            there.append(each)
        else:
            moved.append(each)

    _each(applications, move)
    return BulkMoved(moved=moved, there=there)


@transaction.atomic
def applications_bulk_reject(
    *, applications: list[Application], by: User, reason: str, note: str = ""
) -> None:
    """Reject every application with one reason (`application_reject` each: each opens its
    ask to tell the candidate), or none."""
    _refuse_ended(applications, "reject its candidates")
    _each(
        applications,
        lambda each: services.application_reject(application=each, by=by, reason=reason, note=note),
    )


@transaction.atomic
def applications_bulk_updated(*, applications: list[Application], by: User, note: str = "") -> None:
    """Record that every selected candidate heard from us (`candidate_updated` each), or none."""
    _each(
        applications,
        lambda each: services.candidate_updated(application=each, by=by, note=note),
    )


@dataclass(frozen=True)
class BulkTagged:
    """What a bulk tag did: the tag as stored (its first spelling), the applications whose
    candidate gained it, and those whose candidate had it already."""

    tag: Tag | None
    added: list[Application]
    had: list[Application]


@transaction.atomic
def applications_bulk_tag(*, applications: list[Application], by: User, name: str) -> BulkTagged:
    """Put the tag on every selected candidate (`candidate_tag_put` each), or on none."""
    put: list[tuple[Application, TagPut]] = []
    _each(
        applications,
        lambda each: put.append(
            (each, candidate_tag_put(candidate=each.candidate, by=by, name=name))
        ),
    )
    return BulkTagged(
        tag=put[0][1].tag if put else None,
        added=[each for each, done in put if done.added],
        had=[each for each, done in put if not done.added],
    )


def _my_snoozable_asks(application: Application, by: User) -> list[Ask]:
    return list(
        Ask.objects.filter(
            application=application, owner=by, status=AskStatus.OPEN, held_at__isnull=True
        )
    )


def _snooze_mine(application: Application, by: User, reason: str) -> int:
    asks = _my_snoozable_asks(application, by)
    if not asks:
        raise ValidationError("you owe nothing on this candidate that a snooze would hold.")
    for ask in asks:
        ask_snooze(ask=ask, by=by, days=1, reason=reason)
    return len(asks)


@transaction.atomic
def applications_bulk_snooze(*, applications: list[Application], by: User, reason: str) -> int:
    """Snooze the user's open asks on every selected candidate for a business day
    (`ask_snooze` each; the due times stay), or none. Returns how many asks were snoozed."""
    snoozed: list[int] = []
    _each(applications, lambda each: snoozed.append(_snooze_mine(each, by, reason)))
    return sum(snoozed)


# --- A refused choice, kept for the list it comes back to -------------------------------------

# What the bulk bar's person chose and typed; the candidates ticked travel in the address
# (`picked`, ids only), these in the session (`lib.forms.refused_keep`).
BULK_KEPT_FIELDS = ("action", "to_stage", "reason", "tag", "snooze_reason", "note")
BULK_KEPT_SESSION_KEY = "closeloop.bulk_refused"


def bulk_choice_keep(session: Any, *, job: Job, data: Any) -> None:
    """Keep a refused bulk action's choices for the job's list shown next."""
    refused_keep(session, BULK_KEPT_SESSION_KEY, data, BULK_KEPT_FIELDS, job=job.pk)


def bulk_choice_kept(session: Any, *, job: Job) -> dict[str, str]:
    """The choices of the bulk action just refused on this job (read once), else {}."""
    return refused_kept(session, BULK_KEPT_SESSION_KEY, job=job.pk)
