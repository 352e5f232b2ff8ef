"""Writing to the activity log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from closeloop.activity.models import Activity

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job
    from closeloop.pipeline.models import Application, Candidate


def activity_record(
    *,
    kind: str,
    summary: str,
    actor: User | None = None,
    job: Job | None = None,
    candidate: Candidate | None = None,
    application: Application | None = None,
    detail: str = "",
    data: dict[str, Any] | None = None,
    team_only: bool = False,
    at: dt.datetime | None = None,
) -> Activity:
    """Append one event. An application implies its job and candidate."""
    activity = activity_build(
        kind=kind,
        summary=summary,
        actor=actor,
        job=job,
        candidate=candidate,
        application=application,
        detail=detail,
        data=data,
        team_only=team_only,
        at=at,
    )
    activity.save(force_insert=True)
    return activity


def activity_build(
    *,
    kind: str,
    summary: str,
    actor: User | None = None,
    job: Job | None = None,
    candidate: Candidate | None = None,
    application: Application | None = None,
    detail: str = "",
    data: dict[str, Any] | None = None,
    team_only: bool = False,
    at: dt.datetime | None = None,
) -> Activity:
    """The event `activity_record` appends, unsaved: for a writer that appends many at once
    (`Activity.objects.bulk_create`), so each row is the one a single record would be."""
    if application is not None:
        job = job or application.job
        candidate = candidate or application.candidate
    return Activity(
        kind=kind,
        summary=summary[:300],
        actor=actor,
        job=job,
        candidate=candidate,
        application=application,
        detail=detail,
        data=data or {},
        team_only=team_only,
        at=at or timezone.now(),
    )


def activities_detail_withdraw(*, kinds: Iterable[str], data: dict[str, Any]) -> int:
    """Take the detail text out of the events of `kinds` whose payload holds `data` (a
    deleted comment's: `{"comment": 12}`), when its author or an admin withdrew that text
    from the database. The events stay, with their summaries (what happened, not what was
    said): with erasure and a merge, the one other sanctioned change to append-only rows.
    Returns how many changed."""
    lookups = {f"data__{key}": value for key, value in data.items()}
    return (
        Activity.objects.filter(kind__in=list(kinds), **lookups)
        .exclude(detail="")
        .update(detail="")
    )
