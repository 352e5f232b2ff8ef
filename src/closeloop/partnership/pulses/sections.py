"""The "Partnership pulse" section of every touch-base agenda: the rounds revealed since the
last meeting whose scores were flagged (2 or lower, or down by more than a point)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from closeloop.partnership.pulses.models import alert_text
from closeloop.partnership.pulses.selectors import pulse_alerts_between, pulse_can_read_job
from closeloop.touchbases.sections import AgendaSource, agenda_item

if TYPE_CHECKING:
    from closeloop.touchbases.models import Touchbase


def pulse_agenda_items(
    touchbase: Touchbase, since: dt.datetime, now: dt.datetime
) -> list[dict[str, Any]]:
    url = reverse("partnership:pulse-job", args=[touchbase.job_id])
    items = []
    for round_ in pulse_alerts_between(job=touchbase.job, since=since, now=now):
        for alert in round_.alerts:
            items.append(
                agenda_item(
                    f"Pulse round {round_.number}: {alert_text(alert)}",
                    detail="Talk it through: what would make it better?",
                    url=url,
                    at=round_.revealed_at,
                    at_label="revealed",
                    flag="bad",
                )
            )
    return items


PULSE_AGENDA = AgendaSource(
    key="pulse",
    title="Partnership pulse",
    empty="No pulse score to talk about.",
    build=pulse_agenda_items,
    # The scores are the two sides' and the admins' (the pulse page's own rule).
    can_see=lambda user, job: pulse_can_read_job(user=user, job=job),
)
