"""What the calibration part plugs into the layers below (called from PartnershipConfig.ready())."""

from __future__ import annotations

from closeloop.partnership.calibration.sections import calibration_agenda, calibration_weekly
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
        )
    )
    weekly_source_register(WeeklySource("calibration", "Calibration", calibration_weekly))
