"""What the pulses part plugs into the layers below (called from PartnershipConfig.ready())."""

from __future__ import annotations

from closeloop.followups import worker
from closeloop.followups.one_click import one_click_register
from closeloop.followups.selectors import register_ask_url
from closeloop.jobs.hooks import job_closed, job_ending_effect_register, job_role_changed
from closeloop.partnership.pulses import policies  # noqa: F401  (registers answer_pulse)
from closeloop.partnership.pulses.one_click import PULSE_ONE_CLICK
from closeloop.partnership.pulses.privacy import PRIVACY_SOURCE
from closeloop.partnership.pulses.receivers import on_job_closed, on_job_role_changed
from closeloop.partnership.pulses.sections import PULSE_AGENDA
from closeloop.partnership.pulses.selectors import pulse_ask_url
from closeloop.partnership.pulses.services import (
    CLOSE_STEP,
    OPEN_STEP,
    pulse_round_ending,
    pulse_rounds_close_due,
    pulse_rounds_open_due,
)
from closeloop.pipeline.privacy import privacy_register
from closeloop.touchbases.sections import agenda_source_register


def plug_in() -> None:
    """Register this part's ask kinds, one-click actions, worker steps, sections and what
    erasing a candidate covers here."""
    register_ask_url("pulse", pulse_ask_url)
    one_click_register(PULSE_ONE_CLICK)
    agenda_source_register(PULSE_AGENDA)
    privacy_register(PRIVACY_SOURCE)  # comments that name a candidate lose the mention
    # A new hiring manager or recruiter answers the open round instead of the one replaced.
    job_role_changed.connect(on_job_role_changed, dispatch_uid="pulses")
    # A search that ends ends its open round; the job form says so first.
    job_closed.connect(on_job_closed, dispatch_uid="pulses")
    job_ending_effect_register(pulse_round_ending)
    # Windows first: a round that closes frees its job for the next one in the same loop.
    steps = [(CLOSE_STEP, pulse_rounds_close_due), (OPEN_STEP, pulse_rounds_open_due)]
    known = {name for name, _ in worker.STEPS}
    worker.STEPS.extend(step for step in steps if step[0] not in known)
