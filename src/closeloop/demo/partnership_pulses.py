"""The demo's partnership pulses, written through the pulse services at past moments.

Every open job has three revealed rounds two weeks apart, so its pulse page has a trend.
*Product Designer* (rita and daniel) is the strained partnership: its scores slide round
after round, and the last round, revealed since the job's last touch-base, has scores of
2 and lower on both sides: it is on the next touch-base agenda and the admins were told
(their Inbox, the Outbox). On *Senior Backend Engineer* a fourth round is open: neither
hank (about rita) nor rita (about hank) has answered, and each has the email with the
one-click scores in the Outbox.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from closeloop.followups.engine import ask_catch_up, notices_compose_for
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.notices import NUDGE_TEMPLATE
from closeloop.jobs.models import JobStatus
from closeloop.notify.models import Message
from closeloop.partnership.pulses.models import PulseRound, PulseSide
from closeloop.partnership.pulses.policies import ANSWER_PULSE
from closeloop.partnership.pulses.services import (
    pulse_answer_save,
    pulse_round_open,
    pulse_subject,
)
from closeloop.touchbases.models import Touchbase, TouchbaseStatus

OPEN_JOB = "backend"
STRAINED_JOB = "designer"
DAY = dt.timedelta(days=1)

# Per job: three rounds of (HM's scores of the recruiter, the recruiter's of the HM, and
# their comments), oldest first. Calm jobs move by a point at most (no alert).
Scores = tuple[int, int, int]
HISTORY: dict[str, list[tuple[Scores, Scores, str, str]]] = {
    "backend": [
        ((4, 4, 3), (3, 4, 4), "", "Feedback on the first slate came fast, thank you."),
        ((4, 5, 4), (4, 4, 4), "Much better matched profiles this time.", ""),
        ((5, 4, 4), (4, 4, 5), "", ""),
    ],
    "sre": [
        ((4, 4, 4), (3, 3, 4), "", "Two reviews waited past the agreed two days."),
        ((4, 3, 4), (3, 4, 4), "", ""),
        ((4, 4, 4), (4, 4, 4), "", ""),
    ],
    "designer": [
        ((4, 4, 3), (4, 3, 3), "", ""),
        ((3, 3, 3), (3, 3, 2), "Portfolios are drifting away from B2B product work.", ""),
        (
            (2, 2, 3),
            (1, 2, 3),
            "The last five portfolios were agency work, not shipped B2B product. I would "
            "rather see two close profiles than five far ones.",
            "Portfolios wait over a week for feedback, and the notes say only “not a fit”: "
            "I cannot calibrate the search on that.",
        ),
    ],
    "data": [
        ((4, 4, 4), (4, 4, 3), "", ""),
        ((4, 4, 5), (4, 5, 4), "", ""),
        ((5, 4, 5), (4, 4, 4), "Great shortlist this round.", ""),
    ],
    "ae": [
        ((3, 4, 4), (4, 4, 4), "", ""),
        ((4, 4, 4), (4, 4, 4), "", ""),
        ((4, 4, 4), (5, 4, 4), "", ""),
    ],
    "csm": [
        ((4, 4, 4), (4, 3, 4), "", ""),
        ((4, 5, 4), (4, 4, 4), "", ""),
        ((4, 4, 4), (4, 4, 4), "", ""),
    ],
}


def _last_held(job: Any, now: dt.datetime) -> dt.datetime:
    """When the job's last touch-base was held (where the next agenda counts from)."""
    held = (
        Touchbase.objects.filter(job=job, status=TouchbaseStatus.HELD)
        .order_by("-scheduled_at")
        .first()
    )
    if held is None:
        return now - 7 * DAY
    return held.held_at or held.scheduled_at


def _round(ctx: Any, opened: dt.datetime, plan: tuple, revealed: dt.datetime) -> PulseRound:
    """One past round: both sides answer, the second at `revealed` (which reveals it)."""
    hm_scores, recruiter_scores, hm_comment, recruiter_comment = plan
    round_ = pulse_round_open(job=ctx.job, now=opened)
    first = opened + (revealed - opened) / 2
    pulse_answer_save(
        round_=round_, by=ctx.hm, scores=hm_scores, comment=hm_comment, now=first, via="email"
    )
    pulse_answer_save(
        round_=round_, by=ctx.recruiter, scores=recruiter_scores, comment=recruiter_comment,
        now=revealed,
    )  # fmt: skip
    return round_


def _history(org: Any, key: str, last_opened: dt.datetime) -> int:
    ctx, now = org.jobs[key], org.now
    rounds = HISTORY[key]
    for index, plan in enumerate(rounds):
        opened = last_opened - dt.timedelta(weeks=2 * (len(rounds) - 1 - index))
        revealed = opened + 2 * DAY
        if key == STRAINED_JOB and index == len(rounds) - 1:
            # Revealed since the last touch-base, so the next agenda carries it.
            revealed = min(max(_last_held(ctx.job, now) + dt.timedelta(minutes=5), opened + DAY),
                           now - dt.timedelta(minutes=1))  # fmt: skip
        _round(ctx, opened, plan, revealed)
    return len(rounds)


# The live round opened one batching window ago (everyone's default, 2 h).
ROUND_OPENED_AGO = dt.timedelta(hours=2)


def _open_round_with_invitations(org: Any) -> None:
    """The live round on the backend job, opened two hours ago; its invitations are composed
    now, so hank's and rita's emails (the one-click scores) are in the Outbox at once.

    Each is dated when the round opened, as the worker would have sent it: a message dated
    now would open their batching window, and the reminders the worker's first loops reach
    (hank's overdue reviews) would wait two hours behind it."""
    ctx, now = org.jobs[OPEN_JOB], org.now
    opened = now - ROUND_OPENED_AGO
    round_ = pulse_round_open(job=ctx.job, now=opened)
    subjects = [pulse_subject(round_, side) for side in PulseSide.values]
    for ask in Ask.objects.filter(kind=ANSWER_PULSE, status=AskStatus.OPEN, subject__in=subjects):
        if ask.next_nudge_at is not None:
            ask_catch_up(pk=ask.pk, steps_done=ask.steps_done, nudge_at=ask.next_nudge_at, now=now)
        if notices_compose_for(recipient_id=ask.owner_id, now=now):
            invitation = Message.objects.filter(recipient_id=ask.owner_id, template=NUDGE_TEMPLATE)
            invitation.filter(created_at__gte=now).update(created_at=opened, arrives_at=opened)


def seed(org: Any) -> dict[str, int]:
    rounds = 0
    for key in HISTORY:
        if key not in org.jobs or org.jobs[key].job.status != JobStatus.OPEN:
            continue
        last = org.now - (2 * dt.timedelta(weeks=1) if key == OPEN_JOB else 4 * DAY)
        rounds += _history(org, key, last)
    _open_round_with_invitations(org)
    return {"pulse rounds": rounds + 1}
