"""Reads of interviews, scorecards and debriefs, with every permission rule about them.

Who sees what (docs/architecture.md#security-and-permissions):
- an interview and its briefing: its interviewers while they sit on a live (not cancelled)
  interview of the candidate, and the hiring team of the job (recruiter, coordinator, HM,
  escalation contact) and admins;
- scorecards are blind: anyone on the application's panel (an interviewer of one of its
  interviews) sees their own, and the submitted scorecards of the others only once they have
  submitted every scorecard they owe on it; the recruiter, coordinator, HM and admins see
  every submitted scorecard; the escalation contact too, unless they sit on the panel (then
  the panel's rule applies to them); a draft is its author's alone. `scorecards_blind` is
  that one rule, and every page (briefing, application, debrief) reads through it;
- a debrief: the hiring team and admins, and READ-ONLY the application's panel (anyone on
  one of its interviews that was not cancelled): the panel attends the debrief. They read
  it through the same blindness rule, and only the HM decides, only the recruiting side
  records that the candidate was told. `debrief_visible_q` is that rule (the page, its
  .ics and the calendar feed read through it), so a debrief's attendees (invitations,
  calendar feed, "who took part") are chosen from the hiring team and the panel: nobody
  is sent a link they cannot open.
A guessed id answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.followups.business_time import people_off_time
from closeloop.followups.models import Ask, AskStatus
from closeloop.interviews.kinds import DECIDE_AFTER_DEBRIEF, DECIDE_HELD_DEBRIEF
from closeloop.interviews.models import (
    Debrief,
    DebriefStatus,
    Interview,
    InterviewStatus,
    Scorecard,
    ScorecardStatus,
)
from closeloop.interviews.models import PanelSeat as SeatRecord  # `PanelSeat` here is a row
from closeloop.jobs.models import Job, StageKind
from closeloop.jobs.selectors import (
    job_can_decide,
    job_can_manage,
    job_is_on_team,
    team_job_ids,
    user_sees_everything,
)
from closeloop.lib.folding import name_key
from closeloop.lib.ids import id_parse
from closeloop.lib.pages import Shown, first_shown, page_get
from closeloop.lib.timefmt import zoned
from closeloop.pipeline.models import Application, ApplicationStatus
from closeloop.pipeline.selectors import (
    DecisionRight,
    application_can_decide,
    application_decision_right,
    application_move_covered_by,
    applications_held_ids,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.paginator import Page

    from closeloop.followups.subjects import Subject
    from closeloop.jobs.models import InterviewRound, Stage


# --- Permission rules ------------------------------------------------------------------------


def interview_can_book(*, user: User, job: Job) -> bool:
    """Recruiter, coordinator, hiring manager of the job, and admins book interviews."""
    return user.is_active and (
        job_can_manage(user=user, job=job) or job_can_decide(user=user, job=job)
    )


def scorecards_see_all(*, user: User, job: Job, application: Application | None = None) -> bool:
    """Who reads every submitted scorecard at once: recruiter, coordinator, HM and admins,
    and on one candidate the delegate deciding for the absent HM."""
    if user_sees_everything(user) or job_can_decide(user=user, job=job):
        return True
    if user.pk in {job.recruiter_id, job.coordinator_id}:
        return True
    return application is not None and application_can_decide(user=user, application=application)


def debrief_decision_right(*, user: User, debrief: Debrief) -> DecisionRight | None:
    """Who decides the debrief: the hiring manager (or an admin), or the delegate covering
    for an absent one. The right also carries the decision out in the pipeline (a delegate
    off the job's team moves and rejects the candidate on it, after her ask closed)."""
    return application_decision_right(user=user, application=debrief.application)


def debrief_can_decide(*, user: User, debrief: Debrief) -> bool:
    """The hiring manager (or an admin), or the delegate covering for an absent one."""
    return debrief_decision_right(user=user, debrief=debrief) is not None


def debrief_can_inform(*, user: User, debrief: Debrief) -> bool:
    """The recruiting side tells the candidate (as for every candidate update)."""
    return job_can_manage(user=user, job=debrief.application.job)


# The filters below are conditions on the interview's (or debrief's) own row or its
# application's: its job is among the few on the user's team (read by the team columns'
# indexes), or an EXISTS finds the user on its panel (the interview-interviewers unique
# index). No multi-valued join reaches the outer query, so no DISTINCT, and one interview or
# debrief costs a few index lookups whatever the organisation's size.


def _sat_on_ids(user: User) -> QuerySet[Any, Any]:
    """The interviews whose panel includes the user (any status), as a set for `__in`."""
    return Interview.interviewers.through.objects.filter(user=user).values("interview_id")


def _sits_on_q(user: User) -> Q:
    """The interview (the row being filtered) has the user on its panel, and the user still
    holds a seat on its application: a cancelled interview's briefing goes with the
    candidate, unless a live interview of theirs keeps them on the panel (`PanelSeat`)."""
    seats = Interview.interviewers.through.objects.filter(interview=OuterRef("pk"), user=user)
    held = SeatRecord.objects.filter(user=user, application=OuterRef("application"))
    return Q(Exists(seats)) & Q(Exists(held))


def interviews_mine_q(user: User) -> Q:
    """A person's own interviews: those they sit on, and every interview of the jobs they run
    (recruiter, coordinator, HM), whose invitations they are sent too. Their calendar feed
    and their weekly update list these (a subset of what `_visible_interviews_q` lets them
    open). Both sets are read by index (the applications of the jobs they run by job), so a
    list of them never scans the organisation's interviews."""
    runs = Job.objects.filter(
        Q(hiring_manager=user) | Q(recruiter=user) | Q(coordinator=user)
    ).values("pk")
    return Q(pk__in=_sat_on_ids(user)) | Q(
        application__in=Application.objects.filter(job__in=runs).values("pk")
    )


def _visible_interviews_q(user: User) -> Q:
    """The job's team and the panel, and whoever an open ask about the candidate puts in
    front of it (a delegate, someone an escalation of a late scorecard named)."""
    if user_sees_everything(user):
        return Q()
    return (
        Q(application__job__in=team_job_ids(user))
        | _sits_on_q(user)
        | Q(application__in=applications_held_ids(user))
    )


# --- Interviews ------------------------------------------------------------------------------


def interview_base() -> QuerySet[Interview]:
    return Interview.objects.select_related(
        "application__candidate",
        "application__job__recruiter",
        "application__job__hiring_manager",
        "application__stage",
        "round",
        "booked_by",
        "debrief",
    )


def interview_get(*, user: User, pk: int) -> Interview:
    """One interview the user is on or whose job they run, or 404."""
    interview = interview_base().filter(_visible_interviews_q(user), pk=pk).first()
    if interview is None:
        raise Http404("No such interview.")
    return interview


def interview_is_on(*, user: User, interview: Interview) -> bool:
    return any(person.pk == user.pk for person in interview.interviewers.all())


def interviews_for_application(*, user: User, application: Application) -> list[Interview]:
    """The application's interviews the user may see, oldest first, with their panels."""
    return list(
        Interview.objects.filter(_visible_interviews_q(user), application=application)
        .select_related("round", "booked_by")
        .prefetch_related("interviewers", "scorecards")
        .order_by("starts_at", "pk")
    )


# The job page lists this many of the job's interviews of the next seven days, and of its
# debriefs waiting for a decision; the rest are on a page of their own, a page at a time.
JOB_PANEL_INTERVIEWS = 10
JOB_PANEL_DEBRIEFS = 10
WEEK = dt.timedelta(days=7)


def _this_week(*, user: User, job: Job, now: dt.datetime) -> QuerySet[Interview]:
    """Scheduled interviews of the job in the next seven days that the user may see, soonest
    first, with what their rows read."""
    return (
        Interview.objects.filter(
            _visible_interviews_q(user),
            application__job=job,
            status=InterviewStatus.SCHEDULED,
            ends_at__gte=now,
            starts_at__lt=now + WEEK,
        )
        .select_related("application__candidate")
        .prefetch_related("interviewers")
        .order_by("starts_at", "pk")
    )


def interviews_this_week(
    *, user: User, job: Job, now: dt.datetime | None = None, limit: int = JOB_PANEL_INTERVIEWS
) -> Shown[Interview]:
    """The job page's panel: the soonest `limit` interviews of the next seven days that the
    user may see, and their true count (two queries, and the interviewers)."""
    return first_shown(_this_week(user=user, job=job, now=now or timezone.now()), limit)


def interviews_this_week_page(
    *, user: User, job: Job, value: object, now: dt.datetime | None = None
) -> Page:
    """The page `value` of the job's interviews in the next seven days the user may see."""
    return page_get(_this_week(user=user, job=job, now=now or timezone.now()), value)


def interviews_upcoming_mine(
    *, user: User, now: dt.datetime | None = None, days: int = 7, limit: int = 50
) -> list[Interview]:
    """The person's own interviews (`interviews_mine_q`) still scheduled to start in the
    next `days` days, soonest first."""
    now = now or timezone.now()
    return list(
        Interview.objects.filter(
            interviews_mine_q(user),
            status=InterviewStatus.SCHEDULED,
            starts_at__gte=now,
            starts_at__lt=now + dt.timedelta(days=days),
        )
        .select_related("application__candidate", "application__job")
        .order_by("starts_at", "pk")[:limit]
    )


def interviews_on_panel_between(
    *, user: User, start: dt.datetime, end: dt.datetime
) -> QuerySet[Interview]:
    """The scheduled interviews with `user` on the panel that start from `start` to before
    `end` (an absence: the panels they cannot sit on), soonest first, with their candidate."""
    return (
        Interview.objects.filter(
            interviewers=user,
            status=InterviewStatus.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("application__candidate")
        .order_by("starts_at", "pk")
    )


def interview_default_interviewers(*, round: InterviewRound | None) -> list[int]:
    return [user.pk for user in round.interviewers.all()] if round is not None else []


def interview_notes_from_round(*, round: InterviewRound | None) -> str:
    """What the interviewers probe, prefilled from the round's focus attributes."""
    if round is None or not round.focus_attributes:
        return ""
    lines = [f"Probe: {', '.join(round.focus_attributes)}."]
    lines += [f"- {attribute}: ask for a concrete example." for attribute in round.focus_attributes]
    return "\n".join(lines)


@dataclass(frozen=True)
class RoundDefaults:
    """What booking a round prefills: its length, panel (user ids) and notes."""

    duration_minutes: int | None
    interviewers: frozenset[int]
    notes: str


def interview_round_defaults(*, round: InterviewRound | None) -> RoundDefaults:
    return RoundDefaults(
        duration_minutes=round.duration_minutes if round is not None else None,
        interviewers=frozenset(interview_default_interviewers(round=round)),
        notes=interview_notes_from_round(round=round),
    )


def _same_text(one: str, other: str) -> bool:
    # A browser posts a textarea's lines with "\r\n".
    return one.replace("\r\n", "\n").strip() == other.replace("\r\n", "\n").strip()


def interview_round_defaults_follow(
    *, shown: InterviewRound | None, chosen: InterviewRound | None, typed: RoundDefaults
) -> RoundDefaults:
    """What a booking keeps when its Round was changed in the form after another round's
    defaults were prefilled (`shown`): the length, panel and notes left as `shown` prefilled
    them follow the round `chosen`; whatever was changed by hand stays as typed."""
    if shown is None or chosen is None or shown.pk == chosen.pk:
        return typed
    before, after = interview_round_defaults(round=shown), interview_round_defaults(round=chosen)
    return RoundDefaults(
        duration_minutes=after.duration_minutes
        if typed.duration_minutes == before.duration_minutes
        else typed.duration_minutes,
        interviewers=after.interviewers
        if typed.interviewers == before.interviewers
        else typed.interviewers,
        notes=after.notes if _same_text(typed.notes, before.notes) else typed.notes,
    )


def _attribute_names(items: Iterable[object]) -> list[str]:
    names: list[str] = []
    for item in items:
        name = str(item).strip()
        if name and name not in names:
            names.append(name)
    return names


def interview_focus_attributes(interview: Interview) -> list[str]:
    """What this interview rates: its round's focus attributes while the round is in the
    plan; once the intake removed the round (`round` is NULL), the attributes stored on the
    interview when it was booked; for older rows without either, the attributes its
    scorecards were rated on (so submitted ratings keep showing, in a stable order)."""
    if interview.round is not None:
        return _attribute_names(interview.round.focus_attributes or [])
    if interview.focus_attributes:
        return _attribute_names(interview.focus_attributes)
    if interview.pk is None:
        return []
    cards = sorted(interview.scorecards.all(), key=lambda card: (card.created_at, card.pk))
    return _attribute_names(name for card in cards for name in card.ratings or {})


# --- Scorecards (blind) ----------------------------------------------------------------------


def _on_panel_of(*, user: User, application: Application) -> bool:
    """True when the user interviews (or interviewed) this candidate for this job."""
    return (
        Interview.objects.filter(application=application, interviewers=user)
        .exclude(status=InterviewStatus.CANCELLED)
        .exists()
    )


def scorecard_owed_done(*, user: User, application: Application) -> bool:
    """True when the user has submitted a scorecard for every interview they sat on this
    application that has started (and has submitted at least one): only then do they see
    the others' scorecards.
    """
    now = timezone.now()
    sat = Interview.objects.filter(
        application=application, interviewers=user, starts_at__lte=now
    ).exclude(status=InterviewStatus.CANCELLED)
    sat_ids = set(sat.values_list("pk", flat=True))
    if not sat_ids:
        return False
    submitted = set(
        Scorecard.objects.filter(
            interview_id__in=sat_ids, interviewer=user, status=ScorecardStatus.SUBMITTED
        ).values_list("interview_id", flat=True)
    )
    return sat_ids <= submitted


def scorecards_blind(*, user: User, application: Application) -> bool:
    """The blindness rule, in one place: True when the user reads only their own scorecards
    on this application.

    The recruiter, coordinator, HM and admins always read every submitted scorecard. Anyone
    else on the application's panel (an interviewer, or an escalation contact who also
    interviews) is blind until they have submitted every scorecard they owe on it. The
    escalation contact off the panel reads them all (they run the job with the team);
    anyone else reads only their own.
    """
    if scorecards_see_all(user=user, job=application.job, application=application):
        return False
    if _on_panel_of(user=user, application=application):
        return not scorecard_owed_done(user=user, application=application)
    return not job_is_on_team(user=user, job=application.job)


def scorecards_blind_on_a_panel(*, user: User, applications: Iterable[Application]) -> bool:
    """True when the user sits on the panel of one of `applications` and is blind there
    (`scorecards_blind`): what is said of the candidate could sway a scorecard they still
    owe. An application whose panel they do not sit on does not count (there they read
    only their own scorecards, but owe none): a candidate's application to another job
    hid their comments from her own recruiter. Those who read every scorecard of an
    application are never blind on it: their seats are not even looked up."""
    owing = [
        application
        for application in applications
        if not scorecards_see_all(user=user, job=application.job, application=application)
    ]
    if not owing:
        return False
    seats = SeatRecord.objects.filter(user=user, application__in=[app.pk for app in owing])
    seated = set(seats.values_list("application_id", flat=True))
    return any(
        scorecards_blind(user=user, application=application)
        for application in owing
        if application.pk in seated
    )


def scorecards_visible_q(*, user: User, application: Application) -> Q:
    """The filter for the scorecards of one application this user may read."""
    own = Q(interviewer=user)
    if scorecards_blind(user=user, application=application):
        return own
    return own | Q(status=ScorecardStatus.SUBMITTED)


def scorecards_for_application(*, user: User, application: Application) -> list[Scorecard]:
    """The application's scorecards this user may read (blindness applied), in order."""
    return list(
        Scorecard.objects.filter(
            scorecards_visible_q(user=user, application=application),
            interview__application=application,
        )
        .select_related("interviewer", "interview__round")
        .order_by("interview__starts_at", "interview_id", "submitted_at", "pk")
    )


@dataclass(frozen=True)
class BriefingScorecards:
    """The briefing's scorecards section: the cards the reader may read (their own on this
    interview is the form above it), and what to say of the others ("" when the cards say
    it all)."""

    cards: list[Scorecard]
    note: str = ""


HIDDEN_UNTIL_YOURS = (
    "Hidden until you submit your own scorecard, so that everyone's first impression is their own."
)


def briefing_scorecards(*, user: User, interview: Interview, on_panel: bool) -> BriefingScorecards:
    """What the briefing shows of the candidate's scorecards, by the blindness rule: a
    reader who still owes scorecards on the candidate is told the others are hidden, not
    that there are none. On this interview's panel they are told so whatever is in; from
    another round's panel (an escalation contact who also interviews), how many are in."""
    application = interview.application
    cards = [
        card
        for card in scorecards_for_application(user=user, application=application)
        if card.interviewer_id != user.pk or card.interview_id != interview.pk
    ]
    if scorecards_blind(user=user, application=application):
        if on_panel:
            return BriefingScorecards(cards=[], note=HIDDEN_UNTIL_YOURS)
        hidden = (
            Scorecard.objects.filter(
                interview__application=application, status=ScorecardStatus.SUBMITTED
            )
            .exclude(interviewer=user)
            .count()
        )
        if hidden:
            name = application.candidate.full_name
            are_in = "1 scorecard is in" if hidden == 1 else f"{hidden} scorecards are in"
            return BriefingScorecards(
                cards=cards,
                note=f"{are_in}, hidden from you until your own scorecards on {name} are in "
                "(you interview them in another round), so that your first impression is "
                "your own.",
            )
    if cards:
        return BriefingScorecards(cards=cards)
    return BriefingScorecards(
        cards=[], note="No other scorecards yet." if on_panel else "No scorecards submitted yet."
    )


def scorecard_mine(*, user: User, interview: Interview) -> Scorecard | None:
    return Scorecard.objects.filter(interview=interview, interviewer=user).first()


@dataclass
class PanelSeat:
    """One interviewer of one interview, and how far their scorecard is (what a reader may
    know: that it is in, not what it says, unless the scorecard is visible to them)."""

    interviewer: User
    state: str  # "submitted", "draft", "missing", "upcoming", "cancelled"
    scorecard: Scorecard | None = None  # set only when the reader may read it


@dataclass
class InterviewRow:
    interview: Interview
    seats: list[PanelSeat] = field(default_factory=list)
    is_on: bool = False


def _seat_state(interview: Interview, card: Scorecard | None, now: dt.datetime) -> str:
    # A scorecard submitted before the interview was called off stays in the record: the
    # team still reads that it is in (its author lost sight of the candidate with it).
    if card is not None and card.is_submitted:
        return "submitted"
    if interview.status == InterviewStatus.CANCELLED:
        return "cancelled"
    if interview.starts_at > now:
        return "upcoming"
    return "draft" if card is not None else "missing"


def interview_rows(
    *, user: User, application: Application, now: dt.datetime | None = None
) -> list[InterviewRow]:
    """The application panel: each visible interview with its panel's scorecard states."""
    now = now or timezone.now()
    interviews = interviews_for_application(user=user, application=application)
    readable = {card.pk for card in scorecards_for_application(user=user, application=application)}
    rows = []
    for interview in interviews:
        cards = {card.interviewer_id: card for card in interview.scorecards.all()}
        seats = []
        for person in sorted(interview.interviewers.all(), key=lambda p: name_key(p.full_name)):
            card = cards.get(person.pk)
            seats.append(
                PanelSeat(
                    interviewer=person,
                    state=_seat_state(interview, card, now),
                    scorecard=card if card is not None and card.pk in readable else None,
                )
            )
        is_on = any(seat.interviewer.pk == user.pk for seat in seats)
        rows.append(InterviewRow(interview=interview, seats=seats, is_on=is_on))
    return rows


# --- Debriefs --------------------------------------------------------------------------------


def debrief_visible_q(user: User) -> Q:
    """The one rule for who may open a debrief: the job's hiring team and admins, the
    application's panel (read-only; see `debrief_can_decide` / `debrief_can_inform`), and
    whoever an open ask about the candidate puts in front of it (a delegate deciding for the
    absent hiring manager, someone an escalation named) while it is open. The page, its .ics
    download and the calendar feed all read through it."""
    if user_sees_everything(user):
        return Q()
    panel = Interview.objects.filter(
        application=OuterRef("application"), interviewers=user
    ).exclude(status=InterviewStatus.CANCELLED)
    return (
        Q(application__job__in=team_job_ids(user))
        | Q(Exists(panel))
        | Q(application__in=applications_held_ids(user))
    )


def debrief_hold_ask(*, debrief: Debrief) -> Ask | None:
    """The open ask to decide again on a debrief on hold (its day, its owner), if any."""
    if debrief.status != DebriefStatus.HELD:
        return None
    asks = Ask.objects.filter(kind=DECIDE_HELD_DEBRIEF, subject=debrief.subject)
    return asks.filter(status=AskStatus.OPEN).select_related("owner").first()


def debrief_decided_already(*, debrief: Debrief) -> str:
    """What a decision sent after the debrief was decided is told (a second tab): "" while
    it is open. Only to those `debrief_decision_known_to` names; anyone else is refused."""
    if debrief.is_open or debrief.decided_at is None:
        return ""
    return f"Nothing was changed: {debrief.decided_by or 'someone'} decided this debrief already."


def debrief_decision_known_to(*, user: User, debrief: Debrief) -> bool:
    """Whether a refused second decision may tell the user it was decided: whoever decides
    on the candidate, whoever decided it, and the delegate who held the decision for the
    job's hiring manager (her right ended with that ask: a second tab of hers hears that it
    was decided). Anyone else (an interviewer) is refused as on an open debrief."""
    if debrief.decided_by_id == user.pk or debrief_can_decide(user=user, debrief=debrief):
        return True
    return Ask.objects.filter(
        kind=DECIDE_AFTER_DEBRIEF,
        subject=debrief.subject,
        owner=user,
        original_owner_id=debrief.application.job.hiring_manager_id,
    ).exists()


def debrief_can_read(*, user: User, debrief: Debrief) -> bool:
    return (
        user.is_active and Debrief.objects.filter(debrief_visible_q(user), pk=debrief.pk).exists()
    )


def debrief_get(*, user: User, pk: int) -> Debrief:
    """One debrief the user may open (hiring team, admin, or the application's panel),
    or 404."""
    debrief = (
        Debrief.objects.filter(debrief_visible_q(user), pk=pk)
        .select_related(
            "application__candidate",
            "application__job__recruiter",
            "application__job__hiring_manager",
            "application__stage",
            "round",
            "decided_by",
            "informed_by",
            "to_stage",
        )
        .first()
    )
    if debrief is None:
        raise Http404("No such debrief.")
    return debrief


def debrief_attendee_choices(*, application: Application) -> QuerySet[User]:
    """Who may attend a debrief (be invited, be listed as taking part): the people who can
    open it, i.e. the job's hiring team and the application's panel (active users only)."""
    job = application.job
    team = {job.recruiter_id, job.hiring_manager_id, job.coordinator_id, job.escalation_contact_id}
    team.discard(None)
    panel = (
        Interview.objects.filter(application=application)
        .exclude(status=InterviewStatus.CANCELLED)
        .values("interviewers")
    )
    return User.objects.filter(Q(pk__in=team) | Q(pk__in=panel), is_active=True).order_by(
        "full_name", "pk"
    )


def debrief_attendees_allowed(*, application: Application, people: Iterable[User]) -> list[User]:
    """`people` without those who cannot open the application's debriefs."""
    allowed = set(debrief_attendee_choices(application=application).values_list("pk", flat=True))
    return [person for person in people if person.pk in allowed]


def debriefs_for_application(*, user: User, application: Application) -> list[Debrief]:
    """The application's debriefs the user may open, newest first (the hiring team and
    the application's panel)."""
    return list(
        Debrief.objects.filter(debrief_visible_q(user), application=application)
        .select_related("decided_by", "to_stage", "informed_by", "application")
        .order_by("-opened_at", "-pk")
    )


def _waiting(*, user: User, job: Job) -> QuerySet[Debrief]:
    """The job's debriefs waiting for a decision (open or on hold), oldest first: the
    hiring team's, nobody else's."""
    if not job_is_on_team(user=user, job=job):
        return Debrief.objects.none()
    return (
        Debrief.objects.filter(
            application__job=job,
            status__in=[DebriefStatus.OPEN, DebriefStatus.HELD],
            application__status=ApplicationStatus.ACTIVE,
        )
        .select_related("application__candidate")
        # Waiting since the round's last interview ended (the decision's clock), longest first.
        .order_by("last_interview_ended_at", "opened_at", "pk")
    )


def _owed_since_set(debriefs: list[Debrief]) -> None:
    """Set `owed_since` on each debrief shown: since when its decision is owed, as its ask
    (and so My queue and the application page) counts it. That is the round's last
    interview, or the debrief's opening when it opened too late to leave the agreed time
    (`rounds._decision_owed_from`): a debrief the worker opened a week after the round does
    not read "waiting 9 days" here and "5 minutes" in the hiring manager's queue. One query
    for the rows shown."""
    asks = Ask.objects.filter(
        kind=DECIDE_AFTER_DEBRIEF,
        subject__in=[debrief.subject for debrief in debriefs],
        status=AskStatus.OPEN,
    )
    opened = dict(asks.values_list("subject", "opened_at"))
    for debrief in debriefs:
        debrief.owed_since = opened.get(debrief.subject, debrief.last_interview_ended_at)  # type: ignore[attr-defined]  # for the template


def debriefs_waiting(*, user: User, job: Job, limit: int = JOB_PANEL_DEBRIEFS) -> Shown[Debrief]:
    """The job page's panel: the `limit` debriefs waiting longest, and how many wait."""
    shown = first_shown(_waiting(user=user, job=job), limit)
    _owed_since_set(shown.rows)
    return shown


def debriefs_waiting_page(*, user: User, job: Job, value: object) -> Page:
    """The page `value` of the job's debriefs waiting for a decision, oldest first."""
    page = page_get(_waiting(user=user, job=job), value)
    _owed_since_set(list(page.object_list))
    return page


@dataclass
class ScorecardColumn:
    """One interviewer's column on the debrief page."""

    interviewer: User
    interview: Interview
    scorecard: Scorecard | None  # None: missing, still a draft, or hidden from the reader
    ratings: list[tuple[str, int | None, str]] = field(default_factory=list)
    hidden: bool = False  # submitted, but the reader is blind until they submit their own


@dataclass
class DebriefSheet:
    """Scorecards side by side: one column per interviewer, one row per focus attribute."""

    attributes: list[str]
    columns: list[ScorecardColumn]
    blind: bool = False  # the reader still owes their own scorecard

    @property
    def missing(self) -> list[ScorecardColumn]:
        return [column for column in self.columns if column.scorecard is None and not column.hidden]

    @property
    def rows(self) -> list[tuple[str, list[tuple[int | None, str]]]]:
        return [
            (attribute, [column.ratings[index][1:] for column in self.columns])
            for index, attribute in enumerate(self.attributes)
        ]


def debrief_interviews(*, debrief: Debrief, user: User | None = None) -> QuerySet[Interview]:
    """The round's interviews of this application that took place (not cancelled), with
    the submitted scorecards `user` may read (all of them when no reader is given: for
    services and messages, never for a page)."""
    cards = Scorecard.objects.filter(status=ScorecardStatus.SUBMITTED)
    if user is not None:
        cards = cards.filter(scorecards_visible_q(user=user, application=debrief.application))
    same_round = round_same_q(round_id=debrief.round_id, round_name=debrief.round_name)
    return (
        Interview.objects.filter(same_round, application=debrief.application)
        .exclude(status=InterviewStatus.CANCELLED)
        .select_related("round")
        .prefetch_related(
            "interviewers",
            Prefetch(
                "scorecards",
                queryset=cards,
                to_attr="submitted_cards",
            ),
        )
        .order_by("starts_at", "pk")
    )


def debrief_sheet(*, debrief: Debrief, user: User) -> DebriefSheet:
    """Who said what, per attribute, as `user` may read it; missing scorecards show as
    empty columns, and scorecards hidden from a blind reader (an escalation contact on the
    panel who still owes theirs) show as hidden, never as content.
    """
    interviews = list(debrief_interviews(debrief=debrief, user=user))
    blind = scorecards_blind(user=user, application=debrief.application)
    submitted = _submitted_pairs(interviews) if blind else set()
    attributes: list[str] = []
    for interview in interviews:
        attributes += [a for a in interview_focus_attributes(interview) if a not in attributes]
    for interview in interviews:
        for card in interview.submitted_cards:  # type: ignore[attr-defined]  # Prefetch to_attr
            attributes += [a for a in card.ratings if a not in attributes]
    columns = []
    for interview in interviews:
        cards = {card.interviewer_id: card for card in interview.submitted_cards}  # type: ignore[attr-defined]
        for person in sorted(interview.interviewers.all(), key=lambda p: name_key(p.full_name)):
            card = cards.get(person.pk)
            ratings = card.rating_rows(attributes) if card else [(a, None, "") for a in attributes]
            hidden = card is None and (interview.pk, person.pk) in submitted
            columns.append(ScorecardColumn(person, interview, card, ratings, hidden=hidden))
    return DebriefSheet(attributes=attributes, columns=columns, blind=blind)


def _submitted_pairs(interviews: list[Interview]) -> set[tuple[int, int]]:
    """(interview, interviewer) pairs whose scorecard is in: a blind reader may know that
    much (as on the application panel), not what it says."""
    return set(
        Scorecard.objects.filter(
            interview__in=interviews, status=ScorecardStatus.SUBMITTED
        ).values_list("interview_id", "interviewer_id")
    )


def debrief_recommendation_tally(*, sheet: DebriefSheet) -> dict[str, int]:
    tally: dict[str, int] = defaultdict(int)
    for column in sheet.columns:
        if column.scorecard is not None:
            tally[column.scorecard.get_recommendation_display()] += 1
    return dict(tally)


# --- The "same round" rule and what the interview and debrief pages offer ------------------


def round_same_q(*, round_id: int | None, round_name: str) -> Q:
    """The one rule for "the same round" (interviews and debriefs alike): the same round of
    the plan when there is one; for a round no longer (or never) in the plan, the same name
    without a round."""
    if round_id:
        return Q(round_id=round_id)
    return Q(round__isnull=True, round_name=round_name)


def interview_rounds_planned(*, job: Job) -> list[InterviewRound]:
    """The job's interview plan, in order."""
    return list(job.interview_rounds.order_by("position"))


def interview_round_next(
    *, application: Application, requested: str | None
) -> InterviewRound | None:
    """The round to book: the one asked for (?round=) if it is the job's, else the first of
    the plan not yet booked (cancelled interviews do not count), else the plan's first."""
    rounds = interview_rounds_planned(job=application.job)
    wanted = id_parse(requested)
    if wanted is not None:
        for item in rounds:
            if item.pk == wanted:
                return item
    booked = set(
        application.interviews.exclude(status=InterviewStatus.CANCELLED).values_list(
            "round_id", flat=True
        )
    )
    return next((item for item in rounds if item.pk not in booked), rounds[0] if rounds else None)


def scorecard_submit_open(*, interview: Interview, now: dt.datetime) -> bool:
    """Whether a scorecard of the interview may be submitted: once it has begun (a draft
    may be saved before, to prepare)."""
    return interview.starts_at <= now


def interview_off_time(*, interview: Interview, reader: User | None) -> list[str]:
    """What the briefing says of a scheduled interview that falls outside the working time of
    someone on its panel, by the rule the booking warned with: "Fri 25 Dec is a public
    holiday for Ivy Morgan (Christmas Day)", "07:30 is before your working hours (09:00–17:30
    New York)". Nothing once it is held or called off."""
    if interview.status != InterviewStatus.SCHEDULED:
        return []
    panel = interview.interviewers.all()
    return [
        off.sentence
        for off in people_off_time(panel, interview.starts_at, interview.ends_at, reader=reader)
    ]


def scorecard_submit_opens_note(interview: Interview) -> str:
    """When `scorecard_submit_open` opens, in the interview's own zone: the form's note and
    the refusal to submit early say it in the same words."""
    when = zoned(interview.starts_at, interview.time_zone)
    return f"Submitting opens when the interview starts, {when}; until then you can save a draft."


@dataclass(frozen=True)
class InterviewActions:
    """What the viewer may do on an interview's briefing page right now."""

    on_panel: bool = False  # sits on this interview: writes their own scorecard here
    score: bool = False
    submit: bool = False  # the scorecard may be submitted (the interview has begun)
    # Blind means "you still owe your own": not merely "nobody else has submitted".
    blind: bool = False
    book: bool = False  # reschedule or cancel


def interview_actions(*, interview: Interview, user: User) -> InterviewActions:
    """The briefing page's actions, mirroring the checks the interview services make."""
    application = interview.application
    on_panel = interview.interviewers.filter(pk=user.pk).exists()
    score = on_panel and interview.status != InterviewStatus.CANCELLED
    return InterviewActions(
        on_panel=on_panel,
        score=score,
        submit=score and scorecard_submit_open(interview=interview, now=timezone.now()),
        blind=on_panel and scorecards_blind(user=user, application=application),
        book=interview_can_book(user=user, job=application.job) and interview.is_scheduled,
    )


@dataclass(frozen=True)
class DebriefActions:
    """What the viewer may do on a debrief page right now."""

    decide: bool = False
    close: bool = False  # the application closed while the debrief waited
    schedule: bool = False
    inform: bool = False


def debrief_actions(*, debrief: Debrief, user: User) -> DebriefActions:
    """The debrief page's actions, mirroring the checks the debrief services make."""
    application = debrief.application
    decides = debrief_can_decide(user=user, debrief=debrief) and debrief.is_open
    return DebriefActions(
        decide=decides and application.is_active,
        close=decides and not application.is_active,
        schedule=interview_can_book(user=user, job=application.job) and debrief.is_open,
        inform=debrief_can_inform(user=user, debrief=debrief)
        and debrief.has_outcome
        and debrief.informed_on is None,
    )


def debrief_stays_for_next_round(*, debrief: Debrief) -> bool:
    """Whether "advance" may keep the candidate in their stage: only for the next round of
    the plan, in a stage where rounds are held (never the Debrief stage itself)."""
    application = debrief.application
    if application.stage.kind == StageKind.DEBRIEF:
        return False
    rounds = list(
        application.job.interview_rounds.order_by("position").values_list("pk", flat=True)
    )
    return bool(debrief.round_id and rounds and rounds[-1] != debrief.round_id)


def debrief_advance_stages(*, debrief: Debrief) -> QuerySet[Stage]:
    """Where the decision may advance the candidate: the stages after theirs, and their own
    stage only while it is where the next round is held (`debrief_stays_for_next_round`);
    never a Debrief stage, where nothing would be left to do once the debrief is decided."""
    stage = debrief.application.stage
    stages = debrief.application.job.stages.exclude(kind=StageKind.DEBRIEF).order_by("position")
    if debrief_stays_for_next_round(debrief=debrief):
        return stages.filter(position__gte=stage.position)
    return stages.filter(position__gt=stage.position)


def debrief_default_stage(*, debrief: Debrief) -> Stage:
    """Where "advance" goes by default: the same stage (the next round) while the plan has
    rounds after this one, else the stage after the interviews (the offer if there is one)."""
    stage = debrief.application.stage
    if debrief_stays_for_next_round(debrief=debrief):
        return stage
    later = debrief_advance_stages(debrief=debrief)
    offer = later.filter(kind=StageKind.OFFER).first()
    return offer or later.first() or stage


def debrief_default_attendees(*, debrief: Debrief, sheet: DebriefSheet) -> list[int]:
    """Who the debrief invites unless chosen otherwise: those already invited, else the HM,
    the recruiter and the round's panel (the panel attends the debrief). While the HM is
    away, the delegate covering his decision (`application_move_covered_by`, as the page's
    "Waiting for …, covering for …" says) is invited in his place, when she may attend."""
    invited = [person.pk for person in debrief.attendees.all()]
    if invited:
        return invited
    application = debrief.application
    job = application.job
    decider = job.hiring_manager_id
    covering = application_move_covered_by(application=application)
    if covering is not None and debrief_attendees_allowed(
        application=application, people=[covering]
    ):
        decider = covering.pk
    panel = [column.interviewer.pk for column in sheet.columns]
    return list(dict.fromkeys([decider, job.recruiter_id, *panel]))


def debrief_default_participants(*, debrief: Debrief, sheet: DebriefSheet, user: User) -> list[int]:
    """Whom the decision form's "Who took part" ticks unless chosen otherwise: the people
    invited (`debrief_default_attendees`); for a delegate deciding for the absent hiring
    manager, with her in his place (she attends for him; he is away), when she may attend."""
    invited = debrief_default_attendees(debrief=debrief, sheet=sheet)
    application = debrief.application
    job = application.job
    if job_can_decide(user=user, job=job) or not debrief_can_decide(user=user, debrief=debrief):
        return invited
    present = [pk for pk in invited if pk != job.hiring_manager_id]
    if debrief_attendees_allowed(application=application, people=[user]):
        present.append(user.pk)
    return list(dict.fromkeys(present))


def scorecard_ask_url(subject: Subject) -> str | None:
    """A submit_scorecard ask ("scorecard:<interview>:<user>") is answered on the briefing."""
    if not subject.pk:
        return None
    return reverse("interviews:interview-detail", args=[subject.pk]) + "#scorecard"


def debrief_ask_url(subject: Subject) -> str | None:
    """A decide_after_debrief ask ("debrief:<pk>") is answered on the debrief's page."""
    return reverse("interviews:debrief-detail", args=[subject.pk]) if subject.pk else None
