"""What the follow-up engine holds about a candidate, for erasure and access requests
(pipeline.privacy calls these)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q

from closeloop.followups.models import Ask, SweepHold
from closeloop.followups.services import asks_cancel_where
from closeloop.lib.scrub import Scrubber, json_as_text


def asks_cancel_for_applications(*, application_ids: list[int], reason: str) -> int:
    """Stop chasing every open ask about these applications (as `ask_cancel` does one)."""
    return asks_cancel_where(Ask.objects.filter(application_id__in=application_ids), reason=reason)


def asks_scrub(
    *, application_ids: list[int], scrubber: Scrubber, namesake_application_ids: list[int]
) -> int:
    """Take the person out of the asks: titles, snooze reasons and the frozen policy
    (its nudge wording names the subject) lose every mention. The asks stay, with their
    timings (responsiveness still adds up). An ask about another candidate of the same full
    name (`namesake_application_ids`) names that person: left alone."""
    fields = ("title", "snooze_reason", "closed_via")
    namesake = Q(application_id__in=namesake_application_ids)
    rows = Ask.objects.annotate(policy_text=json_as_text("policy")).filter(
        Q(application_id__in=application_ids) | (scrubber.q(*fields, "policy_text") & ~namesake)
    )
    changed = []
    for ask in rows.only("pk", "policy", *fields).iterator(chunk_size=500):
        for name in fields:
            setattr(ask, name, scrubber.text(getattr(ask, name)))
        ask.policy = scrubber.json(ask.policy)
        changed.append(ask)
    Ask.objects.bulk_update(changed, [*fields, "policy"], batch_size=500)
    holds = SweepHold.objects.filter(scrubber.q("last_error"))
    for hold in holds:
        hold.last_error = scrubber.text(hold.last_error)[:500]
        hold.save(update_fields=["last_error"])
    return len(changed)


def asks_export(*, application_ids: list[int]) -> Iterator[dict[str, Any]]:
    rows = (
        Ask.objects.filter(application_id__in=application_ids)
        .select_related("owner")
        .order_by("opened_at", "pk")
    )
    for ask in rows.iterator(chunk_size=500):
        yield {
            "title": ask.title,
            "kind": ask.kind,
            "owner": str(ask.owner),
            "status": ask.status,
            "opened_at": ask.opened_at.isoformat(),
            "due_at": ask.due_at.isoformat(),
            "closed_at": ask.closed_at.isoformat() if ask.closed_at else None,
        }
