"""The survey's one-click answers: "would you work together again?" yes, maybe or no, from
the email. The confirmation page then offers the two text questions (optional). Registered
with the engine from plug_in(); the engine owns the link, its page and the POST flow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from closeloop.followups.one_click import SNOOZE, OneClick, OneClickAction
from closeloop.followups.subjects import subject_parse
from closeloop.partnership.surveys.forms import SurveyTextForm
from closeloop.partnership.surveys.models import Again, SearchSurvey
from closeloop.partnership.surveys.policies import ANSWER_SURVEY
from closeloop.partnership.surveys.services import (
    CALLED_OFF,
    FINAL,
    survey_answer,
    survey_is_revealed,
)

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.followups.models import ActionLink, Ask


def _survey(ask: Ask) -> SearchSurvey | None:
    pk = subject_parse(ask.subject).pk
    if pk is None:
        return None
    return SearchSurvey.objects.select_related("job").filter(pk=pk).first()


def _may_act(recipient: User, ask: Ask) -> bool:
    """Only the person who answers for the ask's side (a delegate gets no buttons)."""
    survey = _survey(ask)
    side = subject_parse(ask.subject).keys[-1]
    return survey is not None and survey.side_of(recipient.pk) == side


def _problem(link: ActionLink) -> str | None:
    survey = _survey(link.ask)
    if survey is None:
        return "This survey no longer exists."
    if survey.called_off_at is not None:
        return CALLED_OFF
    if survey_is_revealed(survey):
        return FINAL
    return None


def _facts(link: ActionLink) -> dict[str, Any]:
    return {"survey": _survey(link.ask)}


def _answer(again: str) -> Any:
    def perform(link: ActionLink, data: dict[str, Any]) -> None:
        survey = _survey(link.ask)
        if survey is None:
            raise ValidationError("This survey no longer exists.")
        survey_answer(
            survey=survey,
            by=link.recipient,
            again=again,
            what_worked=data.get("what_worked", ""),
            what_to_change=data.get("what_to_change", ""),
            via="email",
        )

    return perform


SURVEY_ONE_CLICK = OneClick(
    kind=ANSWER_SURVEY,
    actions=(
        *(
            OneClickAction(
                f"again-{value}", f"Work together again: {label}", SurveyTextForm, _answer(value)
            )
            for value, label in Again.choices
        ),
        SNOOZE,
    ),
    may_act=_may_act,
    problem=_problem,
    facts=_facts,
    # Blind until revealed: a forwarded link shows no answer to someone else signed in.
    blind=True,
    templates={
        "confirm": "partnership/surveys/link_confirm.html",
        "done": "partnership/surveys/link_done.html",
    },
)
