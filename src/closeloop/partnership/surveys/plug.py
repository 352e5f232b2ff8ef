"""What the surveys part plugs into the layers below (called from PartnershipConfig.ready())."""

from __future__ import annotations

from django.urls import reverse

from closeloop.followups import worker
from closeloop.followups.one_click import one_click_register
from closeloop.followups.selectors import register_ask_url
from closeloop.followups.subjects import Subject
from closeloop.jobs.hooks import job_closed, job_reopened
from closeloop.partnership.surveys import privacy, receivers
from closeloop.partnership.surveys.one_click import SURVEY_ONE_CLICK
from closeloop.partnership.surveys.policies import policies_register
from closeloop.partnership.surveys.services import checkins_open_due, surveys_reveal_due
from closeloop.pipeline.hooks import application_closed
from closeloop.pipeline.privacy import privacy_register

STEPS = [
    ("quality check-ins", checkins_open_due),
    ("survey windows", surveys_reveal_due),
]


def survey_ask_url(subject: Subject) -> str | None:
    return reverse("partnership:surveys-survey", args=[subject.pk]) if subject.pk else None


def checkin_ask_url(subject: Subject) -> str | None:
    return reverse("partnership:surveys-checkin", args=[subject.pk]) if subject.pk else None


def plug_in() -> None:
    """Register this part's ask kinds, one-click actions, worker steps and hooks."""
    policies_register()
    one_click_register(SURVEY_ONE_CLICK)
    register_ask_url("survey", survey_ask_url)
    register_ask_url("checkin", checkin_ask_url)
    # What erasing or exporting a candidate covers here: check-in sentences, survey mentions.
    privacy_register(privacy.PRIVACY_SOURCE)
    job_closed.connect(receivers.on_job_closed, dispatch_uid="partnership-surveys")
    job_reopened.connect(receivers.on_job_reopened, dispatch_uid="partnership-surveys")
    application_closed.connect(receivers.on_application_closed, dispatch_uid="partnership-surveys")
    known = {name for name, _ in worker.STEPS}
    worker.STEPS.extend(step for step in STEPS if step[0] not in known)
