"""Reads of intake agreements and the drift watch, with their permission filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from closeloop.jobs.models import Job


@dataclass(frozen=True)
class DriftFlag:
    """One way the search has drifted from its agreement (shown on the job page and
    collected for the next touch-base agenda)."""

    rule: str  # "off_list_passes", "passes_in_a_row", "pay_outside_range", "fill_date_at_risk"
    title: str  # one line: "3 passes in a row"
    detail: str  # what it is based on, in a sentence
    since: dt.datetime | None = None


def drift_flags(*, job: Job) -> list[DriftFlag]:
    """The job's drift flags right now (the intake feature implements the rules)."""
    return []
