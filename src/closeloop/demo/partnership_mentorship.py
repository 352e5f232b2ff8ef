"""The demo's mentorship and "working with me" cards, through the mentorship services.

Sofia (VP Engineering) mentors Hank, a slow reviewer: Ada proposed it five weeks ago and
Hank accepted. Two goals (one measured by his share of reviews answered in time), two past
sessions held with notes and action items (one done, one of Hank's still open), and the next
session planned, its invitation in both calendars. Sofia's mentorship page shows the prompts
Hank's real data raises (his late reviews, candidates waiting on him), each with its
evidence. Daniel has been proposed as Grace's mentor and she has not answered yet.
Rita, Hank, Sofia, Marcus, Priya and Daniel have their "working with me" cards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from closeloop.followups.services import ask_close, ask_open
from closeloop.notify.models import Message
from closeloop.partnership.mentorship.models import (
    ActionStatus,
    GoalFigure,
    MentoringAction,
    MentoringSession,
    Mentorship,
)
from closeloop.partnership.mentorship.policies import MENTORING_ACTION
from closeloop.partnership.mentorship.services import (
    action_add,
    action_subject,
    goal_add,
    mentorship_accept,
    mentorship_propose,
    working_card_save,
)

CARDS = {
    "rita": (
        "Mornings before 11 (London); I batch calls after lunch",
        "Slack for quick questions, email for anything that needs a decision",
        "Evidence of ownership: what they shipped, not the team's logo",
        "Straight and early: tell me on the first profile if I'm off",
    ),
    "hank": (
        "Tuesday and Thursday afternoons; Mondays are planning",
        "Email with the candidate in the subject line",
        "Has run PostgreSQL in production and been on call for it",
        "In the touch-base, with examples from the profiles",
    ),
    "sofia": (
        "Early mornings (Berlin), before the standups",
        "A one-line email; I answer from the phone",
        "Judgement under ambiguity; how they disagree",
        "Written, with the one thing to change first",
    ),
    "marcus": (
        "Afternoons (Berlin)",
        "Slack",
        "Curiosity about the customer",
        "Quick and informal; a call beats a document",
    ),
    "priya": (
        "New York mornings, which are London afternoons",
        "Email, so it is searchable",
        "Clear communication in the first call",
        "With the reason, so I can tell the candidate",
    ),
    "daniel": (
        "Wednesdays",
        "Email",
        "A portfolio that shows the messy middle, not only the final screens",
        "Face to face when it is about a person",
    ),
}

NOTES = [
    "Looked at last fortnight's reviews together: most waited over the weekend.\n"
    "Hank will block 30 minutes on Monday and Thursday mornings for reviews.",
    "Reviews improved on Backend; the passes still cite 'team fit' without saying what.\n"
    "Agreed to write down two concrete signals with Rita at the next touch-base.",
]


def _past_session(mentorship: Mentorship, starts_at: dt.datetime, notes: str) -> MentoringSession:
    """A session held in the past (the service only plans future ones)."""
    return MentoringSession.objects.create(
        mentorship=mentorship,
        starts_at=starts_at,
        minutes=mentorship.session_minutes,
        notes=notes,
        held_at=starts_at + dt.timedelta(minutes=mentorship.session_minutes),
    )


def _past_item(
    session: MentoringSession, owner: Any, by: Any, text: str, due_on: dt.date, now: dt.datetime
) -> MentoringAction:
    """An action item agreed in a past session and finished a day later, through the
    engine as `action_add` and `action_done` do, but dated then."""
    agreed_at = session.ends_at
    item = MentoringAction.objects.create(
        session=session, owner=owner, description=text, due_on=due_on, created_by=by,
        created_at=agreed_at,
    )  # fmt: skip
    ask_open(
        kind=MENTORING_ACTION, subject=action_subject(item), title=f"{text} (mentoring)",
        owner=owner, requested_by=by, opened_at=agreed_at, due_on=due_on, facts={"item": text},
    )  # fmt: skip
    finished = min(agreed_at + dt.timedelta(days=1), now)
    ask_close(kind=MENTORING_ACTION, subject=action_subject(item), by=owner, at=finished)
    item.status, item.done_at = ActionStatus.DONE, finished
    item.save(update_fields=["status", "done_at"])
    return item


def _sofia_and_hank(org: Any) -> dict[str, int]:
    sofia, hank, ada = org.users["sofia"], org.users["hank"], org.users["ada"]
    now = org.now
    mentorship = mentorship_propose(
        mentor=sofia, mentee=hank, by=ada, note="Hank is new to hiring; Sofia hires fast and well"
    )
    mentorship = mentorship_accept(mentorship=mentorship, by=hank)
    begun = org.worked(now - dt.timedelta(days=35), ada)
    # Accepted a day later, moved forward to Hank's next working moment: moved back (to his
    # last one before a weekend) it could come before the proposal itself.
    Mentorship.objects.filter(pk=mentorship.pk).update(
        proposed_at=begun, answered_at=org.worked_after(begun + dt.timedelta(days=1), hank)
    )
    # The proposal and its answer are five weeks old: their emails were read long ago (Hank's
    # Inbox offered "Accept or decline here" for a pairing running since October).
    Message.objects.filter(data__mentorship=mentorship.pk).delete()
    goal_add(
        mentorship=mentorship, by=sofia, text="Answer reviews within the agreed 2 business days",
        figure=GoalFigure.REVIEWS_IN_TIME,
    )  # fmt: skip
    goal_add(mentorship=mentorship, by=hank, text="Write every pass reason against a must-have")
    # The first session the service planned becomes the next one; two held before it.
    upcoming = mentorship.sessions.get()
    first_at = upcoming.starts_at - dt.timedelta(days=28)
    sessions = [
        _past_session(mentorship, first_at + dt.timedelta(days=14 * i), NOTES[i]) for i in (0, 1)
    ]
    items = [
        _past_item(
            sessions[0], hank, sofia, "Block two review slots a week in the calendar",
            (sessions[0].starts_at + dt.timedelta(days=3)).date(), now,
        ),
        _past_item(
            sessions[0], sofia, sofia, "Share my own checklist for reading a submission",
            (sessions[0].starts_at + dt.timedelta(days=2)).date(), now,
        ),
    ]  # fmt: skip
    if sessions[1].starts_at < now:
        items.append(
            action_add(
                session=sessions[1], by=sofia, owner=hank,
                description="Write down two concrete 'team fit' signals with Rita",
                due_on=(now + dt.timedelta(days=4)).date(),
            )
        )  # fmt: skip
    return {"mentorships": 1, "mentoring sessions": 3, "mentoring action items": len(items)}


def seed(org: Any) -> dict[str, int]:
    counts = _sofia_and_hank(org)
    # A proposal still waiting for its mentee's answer.
    mentorship_propose(
        mentor=org.users["daniel"], mentee=org.users["grace"], by=org.users["ada"],
        note="Daniel's reviews are the fastest in the company; Grace's are the slowest",
    )  # fmt: skip
    counts["mentorships"] += 1
    for name, (best_times, channel, looks_for, feedback) in CARDS.items():
        person = org.users[name]
        values = {
            "best_times": best_times, "channel": channel, "looks_for": looks_for,
            "feedback": feedback,
        }  # fmt: skip
        working_card_save(user=person, by=person, values=values)
    counts["working-with-me cards"] = len(CARDS)
    return counts
