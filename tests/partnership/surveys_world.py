"""Helpers of the surveys part's tests (imported by name, like tests/poison.py)."""

from __future__ import annotations

import re

from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_update
from closeloop.notify.selectors import message_body_for
from closeloop.partnership.surveys.models import SearchSurvey


def close_job(world, outcome: str = "cancelled", status: str = JobStatus.CLOSED) -> SearchSurvey:
    """rita closes Backend Engineer; the survey its close opened."""
    job_update(job=world.job, by=world.rita, data={"status": status, "outcome": outcome})
    return SearchSurvey.objects.get(job=world.job)


def links_in(message) -> dict[str, str]:
    """The one-click links of a message as its recipient reads it: {label: path}."""
    body = message_body_for(message=message, user=message.recipient)[0]
    found = dict(re.findall(r"^  ([^:\n]+(?::[^:\n]+)?): (http://\S+/act/\S+/)$", body, flags=re.M))
    return {label: url.split("127.0.0.1:8000", 1)[1] for label, url in found.items()}
