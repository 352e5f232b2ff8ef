"""The ask kinds interviews open, by name.

Their policies are registered by `policies`, from the app's `ready()`: the engine lists kinds
in registration order (the apps' order), so the code that only names a kind imports it from
here, and importing it early (Django's admin loads every app's admin module before the apps
are ready) registers nothing out of turn.
"""

from __future__ import annotations

SUBMIT_SCORECARD = "submit_scorecard"
DECIDE_AFTER_DEBRIEF = "decide_after_debrief"
DECIDE_HELD_DEBRIEF = "decide_held_debrief"
