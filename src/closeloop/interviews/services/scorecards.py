"""Scorecards: drafts, and the submission that may open the round's debrief."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from closeloop.activity.services import activity_record
from closeloop.followups.services import ask_close
from closeloop.interviews.models import (
    RATING_LABELS,
    Interview,
    InterviewStatus,
    Recommendation,
    Scorecard,
    ScorecardStatus,
)
from closeloop.interviews.selectors import (
    interview_focus_attributes,
    scorecard_submit_open,
    scorecard_submit_opens_note,
)
from closeloop.interviews.services.common import (
    _lock_interview,
    _refresh_next_move,
    scorecard_subject,
)
from closeloop.interviews.services.rounds import _debrief_if_round_complete

if TYPE_CHECKING:
    from closeloop.accounts.models import User


@dataclass
class ScorecardInput:
    ratings: dict[str, Any]
    recommendation: str
    notes: str


def _clean_ratings(raw: dict[str, Any], attributes: list[str], *, submit: bool) -> dict[str, int]:
    ratings: dict[str, int] = {}
    for attribute in attributes:
        value = raw.get(attribute)
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number not in RATING_LABELS:
            raise ValidationError({"ratings": f"Rate {attribute} from 1 to 4."})
        ratings[attribute] = number
    unrated = [attribute for attribute in attributes if attribute not in ratings]
    if submit and unrated:
        raise ValidationError({"ratings": f"Rate every focus attribute: {', '.join(unrated)}."})
    return ratings


@transaction.atomic
def scorecard_save(
    *, interview: Interview, by: User, data: ScorecardInput, submit: bool
) -> Scorecard:
    """Save the interviewer's scorecard as a draft, or submit it (final: no edits after).

    Submitting closes their ask, reveals the others' scorecards to them (blindness), and
    opens the debrief when it was the round's last one.
    """
    interview = _lock_interview(interview)
    if not interview.interviewers.filter(pk=by.pk).exists():
        raise PermissionDenied("Only the interview's own interviewers write its scorecards.")
    if interview.status == InterviewStatus.CANCELLED:
        raise ValidationError("This interview was cancelled; there is nothing to score.")
    now = timezone.now()
    if submit and not scorecard_submit_open(interview=interview, now=now):
        raise ValidationError(scorecard_submit_opens_note(interview))
    card = Scorecard.objects.select_for_update().filter(interview=interview, interviewer=by).first()
    if card is not None and card.is_submitted:
        raise ValidationError("Your scorecard is already submitted; it can no longer change.")
    attributes = interview_focus_attributes(interview)
    if interview.round_id is not None and interview.focus_attributes != attributes:
        # The plan's attributes changed since booking: keep what this scorecard rates, so
        # it still reads right if the intake removes the round later.
        interview.focus_attributes = attributes
        interview.save(update_fields=["focus_attributes"])
    # Every problem at once: the ratings missing and the side not taken are both said.
    problems: dict[str, list[str]] = {}
    ratings: dict[str, int] = {}
    try:
        ratings = _clean_ratings(data.ratings, attributes, submit=submit)
    except ValidationError as error:
        problems.update(error.message_dict)
    recommendation = data.recommendation or ""
    if recommendation and recommendation not in Recommendation.values:
        problems["recommendation"] = ["Choose strong no, no, yes or strong yes."]
    elif submit and not recommendation:
        problems["recommendation"] = ["Take a side: strong no, no, yes or strong yes."]
    if problems:
        raise ValidationError(problems)
    card = card or Scorecard(interview=interview, interviewer=by, created_at=now)
    card.ratings, card.recommendation = ratings, recommendation
    card.notes = (data.notes or "").strip()[:20000]
    card.updated_at = now
    if submit:
        card.status, card.submitted_at = ScorecardStatus.SUBMITTED, now
    card.save()
    if submit:
        _scorecard_submitted(interview, by, now)
    return card


def _scorecard_submitted(interview: Interview, by: User, now: dt.datetime) -> None:
    application = interview.application
    ask_close(kind="submit_scorecard", subject=scorecard_subject(interview, by), by=by, at=now)
    # No ratings or words in the timeline: interviewers read it too (blind scorecards).
    activity_record(
        kind="closeloop.scorecard.submitted",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} submitted a scorecard for the {interview.round_label} of "
        f"{application.candidate.full_name}",
        data={"interview": interview.pk},
    )
    if interview.debrief_id is None:
        _debrief_if_round_complete(interview, now=now)
        # The round still misses another card (no debrief opened): the move goes to whoever
        # owes it, or back to the recruiting side once none is owed.
        _refresh_next_move(application)
