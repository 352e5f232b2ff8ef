"""What a move says beyond "Moved X to Y", registered by the apps above the pipeline.

A move into a stage can mean something to a higher app (interviews: who decides after the
debrief the move opened, the debriefs a move out of Debrief closed, and the interviews still
to come the move left booked). The pipeline
never imports them: each registers a function from its `AppConfig.ready`, and a move and a
bulk move say what they return, in `order` (docs/architecture.md, "Registries and hooks").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Stage
    from closeloop.pipeline.models import Application

# `words(applications=..., to_stage=..., reader=...)`: sentences for the mover (`reader`)
# about the applications just moved into `to_stage`; none when the move means nothing to it.
MoveWords = Callable[..., list[str]]
_registered: dict[str, tuple[int, MoveWords]] = {}


def move_words_register(name: str, words: MoveWords, *, order: int = 100) -> None:
    """Register (again, as a second `ready()` does, replaces it) under `name`; the sentences
    of a lower `order` come first."""
    _registered[name] = (order, words)


def move_words(*, applications: Sequence[Application], to_stage: Stage, reader: User) -> list[str]:
    """Every registered app's sentences about the move, in order."""
    said: list[str] = []
    for _order, words in sorted(_registered.values(), key=lambda entry: entry[0]):
        said += words(applications=applications, to_stage=to_stage, reader=reader)
    return said
