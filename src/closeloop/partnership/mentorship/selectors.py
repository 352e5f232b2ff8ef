"""Mentorship reads, and who may read them.

A mentorship, its goals, sessions, action items and prompts are read by its mentor, its
mentee and admins; anyone else gets 404 for a guessed id. What the mentor reads of the
mentee beyond that is only what the mentor's own role lets them see already (the prompts'
evidence goes through `prompts.prompts_for_viewer`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from closeloop.accounts.models import User
from closeloop.accounts.selectors import is_reader
from closeloop.insights.selectors import Figures, Period, insights_admin_check, responsiveness
from closeloop.jobs.models import Job
from closeloop.lib.folding import by_name
from closeloop.lib.rounding import percent_text
from closeloop.lib.timefmt import zone_or_utc
from closeloop.partnership.mentorship.models import (
    OPEN_STATUSES,
    GoalFigure,
    MentoringAction,
    MentoringGoal,
    MentoringSession,
    Mentorship,
    MentorshipStatus,
    WorkingCard,
)
from closeloop.partnership.mentorship.prompts import (
    PromptShown,
    prompts_for_viewer,
    prompts_raised,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

FIGURE_WINDOW = dt.timedelta(days=30)
PAIRS_WINDOW = dt.timedelta(days=90)
FIGURE_KINDS: dict[str, str] = {
    GoalFigure.REVIEWS_IN_TIME: "review_submission",
    GoalFigure.SCORECARDS_IN_TIME: "submit_scorecard",
    GoalFigure.ALL_IN_TIME: "",
}
# Suggested pairs: a strong record answers at least this share in time over enough asks; a
# struggling one at most the other share.
STRONG_SHARE, WEAK_SHARE, ENOUGH_ANSWERED = 0.8, 0.6, 3
# Two people whose pairing was declined or ended this recently are not suggested together
# again (either way round): the answer was given; the next strongest colleague is offered.
PAIR_REST = dt.timedelta(days=90)
PRACTICES = {
    "review_submission": "reviewing submissions in time",
    "submit_scorecard": "submitting scorecards in time",
    "update_candidate": "keeping candidates informed",
    "inform_candidate": "telling candidates the outcome in time",
    "answer_question": "answering the hiring manager's questions",
}


def _readable_q(viewer: User) -> Q:
    if viewer.is_active and viewer.is_admin:
        return Q()
    return Q(mentor=viewer) | Q(mentee=viewer)


def mentorship_get(*, viewer: User, pk: int) -> Mentorship:
    """A mentorship the viewer takes part in (or any, for an admin), else 404."""
    found = (
        Mentorship.objects.filter(_readable_q(viewer), pk=pk)
        .select_related("mentor", "mentee", "proposed_by", "ended_by", "declined_by")
        .first()
    )
    if found is None or not viewer.is_active:
        raise Http404("No such mentorship.")
    return found


def mentorship_list(*, viewer: User) -> QuerySet[Mentorship]:
    """The viewer's mentorships, live ones first (an admin's page lists all separately)."""
    return (
        Mentorship.objects.filter(Q(mentor=viewer) | Q(mentee=viewer))
        .select_related("mentor", "mentee")
        .order_by("-proposed_at", "pk")
    )


def mentorship_list_all(*, viewer: User) -> QuerySet[Mentorship]:
    insights_admin_check(viewer)
    return Mentorship.objects.select_related("mentor", "mentee").order_by("-proposed_at", "pk")


def mentorship_is_party(*, viewer: User, mentorship: Mentorship) -> bool:
    return viewer.pk in (mentorship.mentor_id, mentorship.mentee_id)


def mentorship_named_for(*, mentorship: Mentorship, reader: User | None) -> str:
    """The pairing as its reader calls it (the page's title and heading, the lists): "Your
    mentorship of Hank Manager" to the mentor, "Olga Outsider as your mentor" to the mentee,
    "Olga Outsider mentoring Hank Manager" to anyone else; never the reader by name."""
    if is_reader(mentorship.mentor, reader):
        return f"Your mentorship of {mentorship.mentee}"
    if is_reader(mentorship.mentee, reader):
        return f"{mentorship.mentor} as your mentor"
    return f"{mentorship.mentor} mentoring {mentorship.mentee}"


def mentorship_answers_as_mentee(*, viewer: User, mentorship: Mentorship) -> bool:
    """Whether the viewer is the mentee of a proposal someone else made: theirs to accept or
    decline, not to withdraw (they did not propose it)."""
    return (
        mentorship.status == "proposed"
        and viewer.pk == mentorship.mentee_id
        and mentorship.proposed_by_id != viewer.pk
    )


def mentorship_answers_as_mentor(*, viewer: User, mentorship: Mentorship) -> bool:
    """Whether the viewer is the mentor of a proposal someone else made (an admin's): theirs
    to decline, as the mentee's is, not to withdraw (they did not propose it)."""
    return (
        mentorship.status == "proposed"
        and viewer.pk == mentorship.mentor_id
        and mentorship.proposed_by_id != viewer.pk
    )


def mentorship_answers(*, viewer: User, mentorship: Mentorship) -> bool:
    """Whether the viewer answers the proposal rather than withdraws it: its mentor or its
    mentee, when someone else proposed it."""
    return mentorship_answers_as_mentee(
        viewer=viewer, mentorship=mentorship
    ) or mentorship_answers_as_mentor(viewer=viewer, mentorship=mentorship)


def mentorship_decline_told(*, mentorship: Mentorship, by: User | None = None) -> list[User]:
    """Who hears that `by` declined (by default whoever did, as recorded; the mentee for a
    decline recorded without them): the other person of the pairing, and whoever proposed it
    when that was someone else (an admin); never someone who has left."""
    declined_by = by.pk if by is not None else mentorship.declined_by_id or mentorship.mentee_id
    told = [mentorship.mentee if declined_by == mentorship.mentor_id else mentorship.mentor]
    proposer = mentorship.proposed_by
    if proposer is not None and proposer.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        told.append(proposer)
    return [person for person in told if person.is_active]


def mentorship_can_end(*, viewer: User, mentorship: Mentorship) -> bool:
    """Whether the page offers "End" (on a proposal, "Withdraw"): to either party, or an
    admin, while it runs; never to the mentee or the mentor of a proposal someone else made,
    who are offered Decline instead."""
    party = mentorship_is_party(viewer=viewer, mentorship=mentorship)
    if mentorship_answers(viewer=viewer, mentorship=mentorship):
        return False
    return mentorship.status in ("proposed", "active") and (party or viewer.is_admin)


def session_can_mark_held(
    *, viewer: User, mentorship: Mentorship, session: MentoringSession, now: dt.datetime
) -> bool:
    """Whether the page offers "Mark held": to a party, once the session has started."""
    return (
        mentorship_is_party(viewer=viewer, mentorship=mentorship)
        and mentorship.is_active
        and session.held_at is None
        and session.cancelled_at is None
        and session.starts_at <= now
    )


def session_get(*, viewer: User, pk: int) -> MentoringSession:
    found = (
        MentoringSession.objects.filter(pk=pk)
        .filter(Q(mentorship__in=Mentorship.objects.filter(_readable_q(viewer))))
        .select_related("mentorship__mentor", "mentorship__mentee")
        .first()
    )
    if found is None or not viewer.is_active:
        raise Http404("No such session.")
    return found


def goal_get(*, viewer: User, pk: int) -> MentoringGoal:
    found = (
        MentoringGoal.objects.filter(pk=pk)
        .filter(mentorship__in=Mentorship.objects.filter(_readable_q(viewer)))
        .select_related("mentorship")
        .first()
    )
    if found is None or not viewer.is_active:
        raise Http404("No such goal.")
    return found


def action_get(*, viewer: User, pk: int) -> MentoringAction:
    found = (
        MentoringAction.objects.filter(pk=pk)
        .filter(session__mentorship__in=Mentorship.objects.filter(_readable_q(viewer)))
        .select_related("owner", "session__mentorship__mentor", "session__mentorship__mentee")
        .first()
    )
    if found is None or not viewer.is_active:
        raise Http404("No such action item.")
    return found


def action_can_finish(*, viewer: User, item: MentoringAction) -> bool:
    """Whether the page offers "Done": to a party of the mentorship, while it is open."""
    return item.is_open and mentorship_is_party(viewer=viewer, mentorship=item.session.mentorship)


def sessions_of(*, mentorship: Mentorship) -> list[MentoringSession]:
    return list(
        mentorship.sessions.order_by("-starts_at", "pk").prefetch_related("action_items__owner")[
            :50
        ]
    )


def actions_of(*, session: MentoringSession) -> list[MentoringAction]:
    return list(session.action_items.select_related("owner").order_by("due_on", "pk"))


def actions_open_of(*, mentorship: Mentorship) -> list[MentoringAction]:
    return list(
        MentoringAction.objects.filter(session__mentorship=mentorship, status="open")
        .select_related("owner", "session")
        .order_by("due_on", "pk")
    )


# --- prompts and figures ---------------------------------------------------------------------


def mentorship_prompts(
    *, viewer: User, mentorship: Mentorship, now: dt.datetime
) -> list[PromptShown]:
    """What the mentee's data raises, as the viewer may read it, times in the viewer's zone
    and the mentee "you" when the viewer is the mentee.
    The caller has fetched the mentorship with `mentorship_get`, so the viewer is a party or
    an admin."""
    raised = prompts_raised(mentorship.mentee, now, zone_or_utc(viewer.time_zone), reader=viewer)
    return prompts_for_viewer(viewer=viewer, prompts=raised)


def session_prompts(
    *, viewer: User, session: MentoringSession, now: dt.datetime
) -> list[PromptShown] | None:
    """A session's coaching prompts: what the mentee's data raises now, for a session ahead
    or under way of an active mentorship ([] for an ended one). None for a session held or
    called off: prompts are read live, their evidence running up to now, so the page of a
    past session would list evidence from after it (a pulse revealed days later); it shows
    none, and says so, rather than a past it never had."""
    if session.held_at is not None or session.cancelled_at is not None:
        return None
    mentorship = session.mentorship
    if not mentorship.is_active:
        return []
    return mentorship_prompts(viewer=viewer, mentorship=mentorship, now=now)


@dataclass(frozen=True)
class GoalRow:
    goal: MentoringGoal
    figure_words: str = ""


def _share_words(figures: Figures | None, window: dt.timedelta = FIGURE_WINDOW) -> str:
    """The share answered in time: asks answered in the window, not those still open (the
    session prompts count an open ask past due as late, and say so)."""
    days = f"last {window.days} days"
    if figures is None or not figures.answered:
        return f"nothing answered in the {days}"
    # Halves up, as the insights pages show the same share (a format spec rounds to even).
    share = percent_text(figures.within_share or 0)
    return f"{share}% answered in time ({figures.within} of {figures.answered}, {days})"


def goals_with_figures(*, mentorship: Mentorship, now: dt.datetime) -> list[GoalRow]:
    """The goals, each tied to a figure with its current value (one responsiveness call)."""
    goals = list(mentorship.goals.order_by("created_at", "pk"))
    if not any(goal.figure for goal in goals):
        return [GoalRow(goal) for goal in goals]
    person = mentorship.mentee_id
    period = Period(now - FIGURE_WINDOW, now)
    by_kind = responsiveness(period=period, owners=[person], by_kind=True, now=now)
    overall = responsiveness(period=period, owners=[person], now=now)
    rows = []
    for goal in goals:
        if not goal.figure:
            rows.append(GoalRow(goal))
            continue
        kind = FIGURE_KINDS.get(goal.figure, "")
        figures = by_kind.get((person, kind)) if kind else overall.get((person, ""))
        rows.append(GoalRow(goal, _share_words(figures)))
    return rows


# --- suggested pairs -------------------------------------------------------------------------


@dataclass(frozen=True)
class PairSuggestion:
    mentor: User
    mentee: User
    practice: str
    mentor_words: str
    mentee_words: str


def _records(kinds: Iterable[str], now: dt.datetime) -> dict[tuple[int, str], Figures]:
    found = responsiveness(period=Period(now - PAIRS_WINDOW, now), by_kind=True, now=now)
    return {key: figures for key, figures in found.items() if key[1] in set(kinds)}


@dataclass(frozen=True)
class Pairs:
    """The suggested pairs, and why each person struggling on a practice who is in none of
    them was left out ("Grace Kim is not suggested for …: has a mentorship proposed
    already."), so an empty list does not read as nobody struggling."""

    suggested: list[PairSuggestion]
    left_out: list[str]


def pairs_suggested(*, viewer: User, now: dt.datetime, limit: int = 10) -> list[PairSuggestion]:
    """The suggested pairs alone (`pairs_suggestions`)."""
    return pairs_suggestions(viewer=viewer, now=now, limit=limit).suggested


def pairs_suggestions(*, viewer: User, now: dt.datetime, limit: int = 10) -> Pairs:
    """People whose record on a practice is strong, with people who struggle on it (admins
    only): per practice, each struggling person without a mentor gets the strongest
    colleague, unless the two declined or ended a pairing in the last `PAIR_REST` (then the
    next strongest). From insights' responsiveness over the last 90 days. Whoever struggles
    but is paired with nobody is named with the reason, for `viewer`: a mentor already, a
    mentorship proposed already, no colleague strong on it, or every strong colleague
    declined or ended a pairing with them lately."""
    insights_admin_check(viewer)
    records = _records(PRACTICES, now)
    people = User.objects.in_bulk({owner for owner, _ in records})
    # Someone who already has a mentor (or a proposal waiting) is not suggested again.
    mentored: dict[int, str] = {}
    for mentee, status in Mentorship.objects.filter(status__in=OPEN_STATUSES).values_list(
        "mentee_id", "status"
    ):
        if mentored.get(mentee) != MentorshipStatus.ACTIVE:
            mentored[mentee] = status
    since = now - PAIR_REST
    resting = {
        frozenset(pair)
        for pair in Mentorship.objects.filter(
            Q(status=MentorshipStatus.DECLINED, answered_at__gte=since)
            | Q(status=MentorshipStatus.ENDED, ended_at__gte=since)
        ).values_list("mentor_id", "mentee_id")
    }
    suggestions: list[PairSuggestion] = []
    left_out: list[str] = []
    taken: set[int] = set()
    for kind, practice in PRACTICES.items():
        rows = [
            figures
            for (owner, k), figures in records.items()
            if k == kind
            and figures.answered >= ENOUGH_ANSWERED
            and owner in people
            and people[owner].is_active
        ]
        strong = sorted(
            (f for f in rows if (f.within_share or 0) >= STRONG_SHARE),
            key=lambda f: (-(f.within_share or 0), -f.answered, f.owner_id),
        )
        weak = sorted(
            (f for f in rows if (f.within_share or 0) <= WEAK_SHARE),
            key=lambda f: (f.within_share or 0, f.owner_id),
        )
        for struggling in weak:
            if struggling.owner_id in taken:
                continue
            person = people[struggling.owner_id]
            if struggling.owner_id in mentored:
                active = mentored[struggling.owner_id] == MentorshipStatus.ACTIVE
                why = "a mentor already" if active else "a mentorship proposed already"
                left_out.append(_left_out(person, practice, struggling, why, viewer, has=True))
                continue
            for mentor in strong:
                if mentor.owner_id == struggling.owner_id or (
                    frozenset((mentor.owner_id, struggling.owner_id)) in resting
                ):
                    continue
                suggestions.append(
                    PairSuggestion(
                        people[mentor.owner_id],
                        person,
                        practice,
                        _share_words(mentor, PAIRS_WINDOW),
                        _share_words(struggling, PAIRS_WINDOW),
                    )
                )
                taken.add(struggling.owner_id)
                break
            else:
                others = [f for f in strong if f.owner_id != struggling.owner_id]
                why = (
                    f"a pairing with each colleague strong on it was declined or ended in the "
                    f"last {PAIR_REST.days} days"
                    if others
                    else f"no colleague answers {STRONG_SHARE:.0%} or more in time on it"
                )
                left_out.append(_left_out(person, practice, struggling, why, viewer))
    return Pairs(suggestions[:limit], left_out)


def _left_out(
    person: User, practice: str, figures: Figures, why: str, reader: User, *, has: bool = False
) -> str:
    """ "Hank Hill is not suggested for reviewing submissions in time (0% answered in time
    (0 of 4, last 90 days)): has a mentor already." ("You are …: have …" to Hank.)"""
    you = is_reader(person, reader)
    who = "You are" if you else f"{person} is"
    verb = ("have " if you else "has ") if has else ""
    return (
        f"{who} not suggested for {practice} ({_share_words(figures, PAIRS_WINDOW)}): {verb}{why}."
    )


def people_to_pair(*, viewer: User) -> QuerySet[User]:
    """Who may be proposed as mentor or mentee: every active person."""
    return User.objects.filter(is_active=True).order_by(*by_name("full_name"), "pk")


def mentees_to_offer(*, user: User) -> QuerySet[User]:
    """Whom `user` may name as the mentee. An admin proposing a pair: every active person
    (that the two differ is a rule of the pair, checked when it is proposed). Anyone else
    offers themself as the mentor: every active person but themself, those they mentor
    already or have offered to (a second live pairing of the two would be refused), and
    those who mentor them or have offered to (a pair mentors one way at a time)."""
    people = people_to_pair(viewer=user)
    if user.is_admin:
        return people
    paired = Mentorship.objects.filter(mentor=user, status__in=OPEN_STATUSES)
    reverse = Mentorship.objects.filter(mentee=user, status__in=OPEN_STATUSES)
    return (
        people.exclude(pk=user.pk)
        .exclude(pk__in=paired.values("mentee_id"))
        .exclude(pk__in=reverse.values("mentor_id"))
    )


# --- working with me -------------------------------------------------------------------------


def working_card_for(*, user: User) -> WorkingCard | None:
    return WorkingCard.objects.filter(user=user).first()


def working_cards_for_job(*, viewer: User, job: Job) -> list[tuple[str, User, WorkingCard]]:
    """The cards of the job's recruiter and hiring manager, for someone who sees the job
    (the caller's page has fetched it with the jobs' own permission check). The viewer's own
    card is left out: they know how they work."""
    roles: list[tuple[str, Any]] = [
        ("Recruiter", job.recruiter_id),
        ("Hiring manager", job.hiring_manager_id),
    ]
    ids = [pk for _, pk in roles if pk and pk != viewer.pk]
    cards = {
        card.user_id: card
        for card in WorkingCard.objects.filter(user__in=ids, user__is_active=True).select_related(
            "user"
        )
    }
    shown = []
    for role, pk in roles:
        card = cards.get(pk)
        if card is not None and not card.is_empty:
            shown.append((role, card.user, card))
    return shown
