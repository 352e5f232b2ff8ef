"""The partnership app's models live in its parts' sub-packages; Django finds them here."""

from __future__ import annotations

from closeloop.partnership.pulses.models import PulseAnswer, PulseRound  # noqa: F401
