from __future__ import annotations

from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    """Give and take, make it personal: calibration, two-way pulses, end-of-search surveys,
    quality-of-hire check-ins, mentorship and "working with me" cards.

    Four parts (calibration, pulses, surveys, mentorship), each a sub-package with its own
    models, services, selectors and views, that plug into the layers below (asks and one-click
    answers in the engine, agenda and weekly-update sections in touch-bases, page slots on the
    job page) from their `plug_in()`, called here.
    """

    name = "closeloop.partnership"
    label = "partnership"
    verbose_name = "Partnership"

    def ready(self) -> None:
        from closeloop.partnership.calibration import plug as calibration_plug
        from closeloop.partnership.mentorship import plug as mentorship_plug
        from closeloop.partnership.pulses import plug as pulses_plug
        from closeloop.partnership.surveys import plug as surveys_plug

        calibration_plug.plug_in()
        pulses_plug.plug_in()
        surveys_plug.plug_in()
        mentorship_plug.plug_in()
