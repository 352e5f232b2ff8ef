"""The review's one-click answers: Advance, Pass, Ask a question and Snooze from the nudge.

Registered with the engine from `PipelineConfig.ready`. The engine checks the token, shows
the confirmation page and spends the link; the pipeline says who may press, what each button
does (through its own services, as the recipient, recorded as via email) and what the pages
show about the candidate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from closeloop.accounts.selectors import stand_in
from closeloop.followups.models import LinkAction
from closeloop.followups.one_click import SNOOZE, OneClick, OneClickAction
from closeloop.pipeline.forms import (
    LinkAdvanceForm,
    LinkPassForm,
    LinkQuestionForm,
    calibration_from,
    pass_citation,
)
from closeloop.pipeline.models import Application, Submission, SubmissionDecision
from closeloop.pipeline.selectors import (
    application_advance_stage,
    submission_can_decide,
    submission_current,
    submission_link_problem,
    submission_must_haves,
)
from closeloop.pipeline.services import submission_answer, submission_ask_question

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.followups.models import ActionLink, Ask


def _application(link: ActionLink) -> Application:
    """The candidate a review link is about (a review ask always has one)."""
    if link.application is None:
        raise ValidationError("This link is about no candidate.")
    return link.application


def _open_submission(link: ActionLink) -> Submission:
    """The submission the link answers (`_problem` refuses a link that has none)."""
    application = _application(link)
    submission = submission_current(application=application)
    if submission is None:
        raise ValidationError(
            f"{application.candidate.full_name} is no longer waiting for a decision."
        )
    return submission


def _advance(link: ActionLink, data: dict[str, Any]) -> None:
    _answer(link, data, SubmissionDecision.ADVANCED)


def _pass(link: ActionLink, data: dict[str, Any]) -> None:
    _answer(link, data, SubmissionDecision.PASSED)


def _answer(link: ActionLink, data: dict[str, Any], decision: str) -> None:
    """As the application page answers: a pass citing the agreement is recorded as such."""
    submission_answer(
        submission=_open_submission(link),
        by=link.recipient,
        decision=decision,
        reason=data.get("reason", ""),
        note=data["note"],
        calibration=calibration_from(data),
        via="email",
        citation=pass_citation(data.get("reason", ""), data["note"]),
    )


def _form_kwargs(link: ActionLink) -> dict[str, Any]:
    """The confirmation form asks about this job's must-haves and this submission's round."""
    application = _application(link)
    return {"job": application.job, "submission": submission_current(application=application)}


def _question(link: ActionLink, data: dict[str, Any]) -> None:
    submission_ask_question(
        submission=_open_submission(link),
        by=link.recipient,
        text=data["text"],
    )


def _may_act(recipient: User, ask: Ask) -> bool:
    # A delegate who is not the job's HM cannot decide, so gets no buttons that would refuse.
    return ask.application is not None and submission_can_decide(
        user=recipient, application=ask.application
    )


def _problem(link: ActionLink) -> str | None:
    if link.application is None:
        return "This link is about no candidate."
    return submission_link_problem(application=link.application, user=link.recipient)


def _facts(link: ActionLink) -> dict[str, Any]:
    application = _application(link)
    submission = submission_current(application=application)
    return {
        "application": link.application,
        "submission": submission,
        "advance_to": application_advance_stage(application=application),
        "must_haves": submission_must_haves(application=application, submission=submission),
    }


def _answered(link: ActionLink) -> dict[str, Any]:
    """The decision already recorded, for a click that came after it; else the latest
    question on the submission (a question from the email answers nothing: the review
    waits on hold for the recruiter's answer)."""
    submission = submission_current(application=_application(link))
    decided = submission if submission and submission.decided_at else None
    question = None
    if submission is not None and decided is None:
        question = submission.questions.select_related("asked_by", "answered_by").last()
    holder, covers_for = _decision_holder(link.ask)
    return {
        "application": link.application,
        "decided": decided,
        "question": question,
        "holder": holder,
        "covers_for": covers_for,
    }


def _decision_holder(ask: Ask) -> tuple[User, User | None]:
    """Who holds the open decision now, and for whom when covering: the ask's owner, or
    while its owner is away, whoever covers for them (`stand_in`, as the engine routes the
    ask); an ask already handed over is held for its original owner."""
    now = timezone.now()
    owner = ask.owner
    if owner.is_out_of_office(now) and (cover := stand_in(owner, now)) is not None:
        return cover, owner
    if ask.original_owner_id is not None and ask.original_owner_id != ask.owner_id:
        return owner, ask.original_owner
    return owner, None


def _action(value: LinkAction, form: Any, perform: Any, kwargs: Any = None) -> OneClickAction:
    return OneClickAction(value.value, value.label, form, perform, kwargs)


REVIEW_ONE_CLICK = OneClick(
    kind="review_submission",
    actions=(
        _action(LinkAction.ADVANCE, LinkAdvanceForm, _advance, _form_kwargs),
        _action(LinkAction.PASS, LinkPassForm, _pass, _form_kwargs),
        _action(LinkAction.QUESTION, LinkQuestionForm, _question),
        SNOOZE,
    ),
    may_act=_may_act,
    problem=_problem,
    facts=_facts,
    answered=_answered,
    templates={
        "confirm": "pipeline/review_link_confirm.html",
        "done": "pipeline/review_link_done.html",
        "refused": "pipeline/review_link_refused.html",
    },
)
