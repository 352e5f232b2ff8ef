"""What the calibration part plugs into the layers below (called from PartnershipConfig.ready())."""

from __future__ import annotations

from closeloop.partnership.calibration.sections import calibration_agenda, calibration_weekly
from closeloop.partnership.calibration.selectors import calibration_can_see
from closeloop.touchbases.sections import (
    AgendaSource,
    WeeklySource,
    agenda_source_register,
    weekly_source_register,
)


def plug_in() -> None:
    """Register calibration's touch-base agenda and weekly-update sections.

    The ratings themselves are the pipeline's (set with each decision); calibration adds no
    ask kind, one-click action or worker step.
    """
    agenda_source_register(
        AgendaSource(
            "calibration",
            "Calibration",
            "No rated decisions yet.",
            calibration_agenda,
            # The figure is the calibration page's readers' (`calibration_can_see`).
            can_see=lambda user, job: calibration_can_see(user=user, job=job),
        )
    )
    weekly_source_register(WeeklySource("calibration", "Calibration", calibration_weekly))
