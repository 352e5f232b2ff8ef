"""Events of jobs that higher apps subscribe to, from their `AppConfig.ready`.

Sent inside the transaction of the change, so a receiver's work commits or rolls back with
it; jobs never import their subscribers (docs/architecture.md, "Registries and hooks").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.dispatch import Signal

from closeloop.lib.text import listed

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job

# A search ended: the job became Filled or Closed (it was neither before).
# Keyword arguments: job, by (a User), outcome (a JobOutcome value).
job_closed = Signal()

# A search that ended is on again: the job left Filled or Closed (for Open, On hold or
# Draft). Keyword arguments: job, by (a User).
job_reopened = Signal()

# Someone else holds a deciding role on the job: the recruiter or the hiring manager changed
# (the open asks of that role have moved already). Keyword arguments: job, role
# ("recruiter" or "hiring_manager"), before and after (Users), by (a User).
job_role_changed = Signal()


@dataclass(frozen=True)
class EndingEffect:
    """What ending a search will do beyond the job itself, said before (`ahead`, for the job
    form to confirm) and after (`done`, for the message once saved). `what` names it in a
    few words for the form's box and its refusal ("close its active candidates"), which list
    every app's."""

    ahead: str
    done: str
    what: str


# Each app whose records end with the search (pipeline: the job's active candidates;
# touch-bases: open action items) tells the job form what a close will do to them; its
# `job_closed` receiver does it. The words are said to `reader` (the person editing the job;
# None: nobody in particular): someone they name is "you" to themselves.
EndingEffectOf = Callable[["Job", "User | None"], "EndingEffect | None"]
_ENDING_EFFECTS: list[EndingEffectOf] = []


def job_ending_effect_register(effect: EndingEffectOf) -> None:
    """`effect(job, reader)` says what ending the job would do now, or None when nothing.
    Registering the same function again keeps one."""
    if effect not in _ENDING_EFFECTS:
        _ENDING_EFFECTS.append(effect)


def job_ending_effects(job: Job, *, reader: User | None = None) -> list[EndingEffect]:
    """What ending `job` would do now, from every registered app, in words for `reader`."""
    return [found for effect in _ENDING_EFFECTS if (found := effect(job, reader)) is not None]


def job_ending_words(effects: list[EndingEffect]) -> str:
    """What the effects do, in one phrase: "close its active candidates and drop its open
    touch-base action items"."""
    return listed(effect.what for effect in effects)
