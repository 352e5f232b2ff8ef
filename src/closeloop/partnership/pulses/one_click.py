"""The pulse's one-click answers: one link per overall score (1 to 5) in the email.

Each link opens the engine's confirmation page first (GET changes nothing), where the three
scores start at the clicked one and can be adjusted, with a comment; only the confirming
POST records the answer, through `pulse_answer_save` as the link's recipient.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from closeloop.followups.one_click import OneClick, OneClickAction
from closeloop.followups.subjects import subject_parse
from closeloop.partnership.pulses.forms import SCORE_WORDS, pulse_link_form
from closeloop.partnership.pulses.models import QUESTIONS, PulseRound, PulseSide
from closeloop.partnership.pulses.policies import ANSWER_PULSE
from closeloop.partnership.pulses.services import pulse_answer_refusal, pulse_answer_save

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.followups.models import ActionLink, Ask


def _round_and_side(ask: Ask) -> tuple[PulseRound | None, str]:
    """The round and side an `answer_pulse` ask is about ("pulse:<round>:<side>")."""
    try:
        subject = subject_parse(ask.subject)
    except ValueError:
        return None, ""
    side = subject.keys[1] if len(subject.keys) > 1 else ""
    if subject.noun != "pulse" or side not in PulseSide.values or subject.pk is None:
        return None, ""
    round_ = PulseRound.objects.select_related("job", "recruiter", "hiring_manager")
    return round_.filter(pk=subject.pk).first(), side


def _may_act(recipient: User, ask: Ask) -> bool:
    # Only the person the side belongs to: a delegate cannot rate a partnership for someone.
    round_, side = _round_and_side(ask)
    return round_ is not None and round_.person_for(side) == recipient.pk


def _problem(link: ActionLink) -> str | None:
    round_, _ = _round_and_side(link.ask)
    if round_ is None:
        return "This pulse is no longer there."
    return pulse_answer_refusal(round_, timezone.now())


def _facts(link: ActionLink) -> dict[str, Any]:
    round_, side = _round_and_side(link.ask)
    if round_ is None:
        return {}
    about = round_.recruiter if side == PulseSide.HIRING_MANAGER else round_.hiring_manager
    return {
        "pulse_round": round_,
        "job": round_.job,
        "about": about,
        "questions": QUESTIONS[side],
        "pulse_answer": round_.answers.filter(side=side).first(),
        # Why the round takes no answer now (None: it does), for a link come too late.
        "pulse_refusal": pulse_answer_refusal(round_, timezone.now()),
    }


def _answer(link: ActionLink, data: dict[str, Any]) -> None:
    round_, _ = _round_and_side(link.ask)
    if round_ is None:
        raise ValidationError("This pulse is no longer there.")
    pulse_answer_save(
        round_=round_,
        by=link.recipient,
        scores=[data["score_1"], data["score_2"], data["score_3"]],
        comment=data.get("comment", ""),
        via="email",
    )


PULSE_ONE_CLICK = OneClick(
    kind=ANSWER_PULSE,
    actions=tuple(
        OneClickAction(f"pulse-{score}", SCORE_WORDS[score], pulse_link_form(score), _answer)
        for score in range(1, 6)
    ),
    may_act=_may_act,
    problem=_problem,
    facts=_facts,
    answered=_facts,
    # Blind until revealed: a forwarded link shows no answer to someone else signed in.
    blind=True,
    templates={
        "confirm": "partnership/pulses/link_confirm.html",
        "done": "partnership/pulses/link_done.html",
        # A used link reports the answer as saved (three scores, maybe changed since).
        "refused": "partnership/pulses/link_refused.html",
    },
)
