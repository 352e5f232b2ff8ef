"""Events of the intake that higher apps subscribe to, from their `AppConfig.ready`.

Sent inside the transaction of the change, so a receiver's work commits or rolls back with
it; the intake never imports its subscribers (docs/architecture.md, "Registries and hooks").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from closeloop.jobs.models import Job

# A version came into force and was applied to its job (touch-bases move the series now).
# Keyword arguments: job, version, by (a User), now.
agreement_applied = Signal()

# What a higher app knows against a touch-base cadence being drafted (touch-bases: another
# series its recruiter and HM already meet in): `check(job, start, end)`, the slot's next
# meeting, returns the sentences to warn with (none: nothing to say). Read by
# `selectors.intake_cadence_warning`; registered from the app's `AppConfig.ready`.
CadenceCheck = Callable[["Job", dt.datetime, dt.datetime], list[str]]
CADENCE_CHECKS: dict[str, CadenceCheck] = {}


def cadence_check_register(name: str, check: CadenceCheck) -> None:
    """Add a check to the cadence's warning (once per name: a second `ready()` replaces it)."""
    CADENCE_CHECKS[name] = check
