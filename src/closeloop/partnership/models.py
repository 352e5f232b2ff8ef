"""The partnership app's models live in its parts' sub-packages; Django finds them here."""

from __future__ import annotations

from closeloop.partnership.mentorship.models import (  # noqa: F401
    MentoringAction,
    MentoringGoal,
    MentoringSession,
    Mentorship,
    WorkingCard,
)
from closeloop.partnership.pulses.models import PulseAnswer, PulseRound  # noqa: F401
from closeloop.partnership.surveys.models import (  # noqa: F401
    QualityCheckin,
    SearchSurvey,
    SurveyAnswer,
)
