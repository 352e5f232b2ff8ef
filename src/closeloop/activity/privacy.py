"""What the event log holds about a candidate, for erasure and access requests
(pipeline.privacy calls these; docs/architecture.md#layers: activity sits below pipeline)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q

from closeloop.activity.models import Activity
from closeloop.lib.scrub import Scrubber, json_as_text


def _about_q(candidate_id: int, application_ids: list[int]) -> Q:
    return Q(candidate_id=candidate_id) | Q(application_id__in=application_ids)


def activities_scrub(
    *,
    candidate_id: int,
    application_ids: list[int],
    scrubber: Scrubber,
    namesake_ids: list[int],
    namesake_application_ids: list[int],
) -> int:
    """Take the person out of the log: their own events lose their detail text and every
    mention in a summary or payload; any other event that names them loses the mention
    (one about another candidate too: a comment comparing the two), but those about another
    candidate of the same full name (`namesake_ids`, `namesake_application_ids`), whose
    mentions are that person's. The rows stay (timelines and counts still add up). Activity
    rows are append-only for application code; erasure is, with a merge, the one sanctioned
    bulk change."""
    namesake = Q(candidate_id__in=namesake_ids) | Q(application_id__in=namesake_application_ids)
    rows = (
        Activity.objects.annotate(data_text=json_as_text("data"))
        .filter(
            _about_q(candidate_id, application_ids)
            | (scrubber.q("summary", "detail", "data_text") & ~namesake)
        )
        .only("pk", "summary", "detail", "data", "candidate_id", "application_id")
    )
    changed = []
    for activity in rows.iterator(chunk_size=500):
        own = activity.candidate_id == candidate_id or activity.application_id in application_ids
        activity.summary = scrubber.text(activity.summary)[:300]
        activity.detail = "" if own else scrubber.text(activity.detail)
        activity.data = scrubber.json(activity.data)
        changed.append(activity)
    Activity.objects.bulk_update(changed, ["summary", "detail", "data"], batch_size=500)
    return len(changed)


def activities_export(*, candidate_id: int, application_ids: list[int]) -> Iterator[dict[str, Any]]:
    """The candidate's own events, oldest first, as plain data."""
    rows = (
        Activity.objects.filter(_about_q(candidate_id, application_ids))
        .select_related("actor")
        .order_by("at", "pk")
    )
    for activity in rows.iterator(chunk_size=500):
        yield {
            "at": activity.at.isoformat(),
            "kind": activity.kind,
            "by": str(activity.actor) if activity.actor else None,
            "application": activity.application_id,
            "summary": activity.summary,
            "detail": activity.detail,
            "data": activity.data,
        }
