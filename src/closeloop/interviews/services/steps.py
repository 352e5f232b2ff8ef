"""The worker's steps: interviews that ended open their scorecard asks; rounds whose
scorecards are overdue open their debrief."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from closeloop.followups.services import AskRequest, ask_due_at, asks_open
from closeloop.followups.sweep import sweep_held, sweep_hold_push
from closeloop.interviews.models import (
    DebriefOpenedBecause,
    Interview,
    InterviewStatus,
    ScorecardStatus,
)
from closeloop.interviews.services.common import _refresh_next_move, scorecard_subject
from closeloop.interviews.services.rounds import (
    _debrief_if_round_complete,
    _round_interviews,
    debrief_open,
)
from closeloop.lib.sweep import Swept, sweep
from closeloop.pipeline.models import ApplicationStatus

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.followups.models import Ask

COMPLETE_STEP = "interviews_complete"
DEBRIEF_STEP = "debriefs_open_due"


def interviews_complete(*, now: dt.datetime | None = None, limit: int = 200) -> Swept:
    """Worker step: mark ended interviews completed and open each interviewer's scorecard
    ask; handled = interviews this worker completed.

    Safe with several workers: each interview is claimed with a conditional UPDATE on its
    status, and only the worker whose UPDATE changed the row opens the asks. An interview
    that raises is held back (closeloop.followups.sweep), so the later ones still complete.
    """
    now = now or timezone.now()
    ids = list(
        Interview.objects.filter(status=InterviewStatus.SCHEDULED, ends_at__lte=now)
        .exclude(pk__in=sweep_held(COMPLETE_STEP, now=now))
        .order_by("ends_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sweep(
        COMPLETE_STEP,
        ids,
        lambda pk: interview_complete(pk=pk, now=now),
        push_back=lambda pk, error: sweep_hold_push(COMPLETE_STEP, pk, error, now=now),
        row_id=lambda pk: f"interview {pk}",
    )


@transaction.atomic
def interview_complete(*, pk: int, now: dt.datetime) -> int:
    """Complete one ended interview if no other worker did; 1 if we did."""
    won = Interview.objects.filter(
        pk=pk, status=InterviewStatus.SCHEDULED, ends_at__lte=now
    ).update(status=InterviewStatus.COMPLETED, completed_at=now)
    if won != 1:
        return 0
    interview = (
        Interview.objects.select_related(
            "application__job", "application__candidate", "application__stage", "round"
        )
        .prefetch_related("interviewers")
        .get(pk=pk)
    )
    if not interview.application.is_active:
        # It took place, but the candidate left since: nobody owes a scorecard. The round's
        # debrief is due at once should the candidate be reopened (without a due time the
        # debrief step would never find the round).
        interview.scorecards_due_at = interview.ends_at
        interview.save(update_fields=["scorecards_due_at"])
        return 1
    interview.scorecards_due_at = _open_scorecard_asks(interview)
    interview.save(update_fields=["scorecards_due_at"])
    _refresh_next_move(interview.application)
    _debrief_if_round_complete(interview, now=now)
    return 1


def scorecard_ask_open(interview: Interview, person: User) -> Ask | None:
    """The interviewer's scorecard ask, opened at the interview's end (None: kind switched off)."""
    return asks_open([scorecard_ask_request(interview, person)])[0]


def scorecard_ask_request(interview: Interview, person: User) -> AskRequest:
    """What `scorecard_ask_open` opens, for opening many at once (`asks_open`)."""
    application = interview.application
    return AskRequest(
        kind="submit_scorecard",
        subject=scorecard_subject(interview, person),
        title=f"Scorecard: {application.candidate.full_name}, {interview.round_name} "
        f"({application.job.title})",
        owner=person,
        application=application,
        requested_by=application.job.recruiter,
        opened_at=interview.ends_at,
        facts={"round": interview.round_name},
    )


def _open_scorecard_asks(interview: Interview) -> dt.datetime:
    """One ask per interviewer still owing a scorecard; returns when the last one is due."""
    application = interview.application
    submitted = set(
        interview.scorecards.filter(status=ScorecardStatus.SUBMITTED).values_list(
            "interviewer_id", flat=True
        )
    )
    latest = interview.ends_at
    for person in interview.interviewers.all():
        if person.pk in submitted or not person.is_active:
            continue
        ask = scorecard_ask_open(interview, person)
        if ask is not None:
            latest = max(latest, ask.due_at)
        else:  # the kind is switched off: the debrief still waits the agreed time
            due_at = ask_due_at(
                kind="submit_scorecard",
                owner=person,
                opened_at=interview.ends_at,
                job=application.job,
            )
            latest = max(latest, due_at)
    return latest


def debriefs_open_due(*, now: dt.datetime | None = None, limit: int = 100) -> Swept:
    """Worker step: open the debriefs of rounds whose scorecards are overdue (the agreed
    time after the round's last interview has passed); handled = debriefs opened. An
    interview whose debrief raises is held back, so the other rounds' debriefs still open."""
    now = now or timezone.now()
    ids = list(
        Interview.objects.filter(
            status=InterviewStatus.COMPLETED,
            debrief__isnull=True,
            scorecards_due_at__lte=now,
            # A closed application has nothing to decide (if it reopens, the round's
            # debrief becomes due again).
            application__status=ApplicationStatus.ACTIVE,
        )
        .exclude(pk__in=sweep_held(DEBRIEF_STEP, now=now))
        .order_by("scorecards_due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sweep(
        DEBRIEF_STEP,
        ids,
        lambda pk: debrief_open_if_due(pk=pk, now=now),
        push_back=lambda pk, error: sweep_hold_push(DEBRIEF_STEP, pk, error, now=now),
        row_id=lambda pk: f"interview {pk}",
    )


@transaction.atomic
def debrief_open_if_due(*, pk: int, now: dt.datetime) -> int:
    """Open the debrief of one overdue interview's round (1), or push it back while another
    interview of the round is still to come (0)."""
    interview = (
        Interview.objects.select_related("application__job", "application__candidate", "round")
        .filter(pk=pk, debrief__isnull=True)
        .first()
    )
    if interview is None or not interview.application.is_active:
        return 0
    interviews = list(
        _round_interviews(interview.application, interview.round_id, interview.round_name)
        .prefetch_related("interviewers", "scorecards")
        .order_by("ends_at")
    )
    later = max(i.ends_at for i in interviews)
    if later > now:
        # The round's last interview is still ahead: its own completion sets the next due.
        Interview.objects.filter(pk=pk, debrief__isnull=True).update(scorecards_due_at=later)
        return 0
    due = max((i.scorecards_due_at or i.ends_at) for i in interviews)
    if due > now:
        Interview.objects.filter(pk=pk, debrief__isnull=True).update(scorecards_due_at=due)
        return 0
    debrief = debrief_open(
        interview=interview,
        because=DebriefOpenedBecause.TIME_PASSED,
        interviews=interviews,
        now=now,
    )
    return 1 if debrief is not None else 0
