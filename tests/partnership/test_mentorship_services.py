"""Mentorship services: proposing, answering and ending a pairing, goals with a measured
figure, sessions on a cadence with their invitations, action items as asks, and the
"working with me" card."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from mentorship_data import active_mentorship, past_ask

from closeloop.followups.models import Ask, AskStatus
from closeloop.notify.models import Delivery, Message
from closeloop.partnership.mentorship import selectors, services
from closeloop.partnership.mentorship.models import (
    ActionStatus,
    GoalFigure,
    MentoringSession,
    Mentorship,
    MentorshipStatus,
    WorkingCard,
)


@pytest.fixture
def world(clock, world):
    return world


def test_a_mentor_proposes_and_the_mentee_is_asked_once_with_an_email(world):
    mentorship = services.mentorship_propose(
        mentor=world.rita, mentee=world.hank, by=world.rita, note="Reviews in time"
    )
    ask = Ask.objects.get(kind="accept_mentorship")
    assert (ask.owner, ask.status, ask.subject) == (
        world.hank,
        AskStatus.OPEN,
        f"mentorship:{mentorship.pk}",
    )
    # One reminder, halfway: a pairing is an offer, nobody is escalated.
    assert [step["kind"] for step in ask.policy["steps"]] == ["reminder"]
    email = Message.objects.get(recipient=world.hank, template="mentorship-proposed")
    assert "Rita Recruiter offers to mentor you" in email.subject
    assert "Reviews in time" in email.body_text


def test_only_an_admin_or_the_mentor_proposes(world):
    with pytest.raises(PermissionDenied):
        services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.ivy)
    assert services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.ada)


def test_a_pair_is_proposed_once_and_nobody_mentors_themself(world):
    services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.rita)
    with pytest.raises(ValidationError, match="already have a proposed or active"):
        services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.ada)
    with pytest.raises(ValidationError, match="two different people"):
        services.mentorship_propose(mentor=world.rita, mentee=world.rita, by=world.rita)
    with pytest.raises(ValidationError, match="every 1, 2, 3 or 4 weeks"):
        services.mentorship_propose(
            mentor=world.ivy, mentee=world.hank, by=world.ivy, cadence_days=5
        )
    assert Mentorship.objects.count() == 1


def test_accepting_closes_the_ask_and_plans_the_first_session_in_both_calendars(world):
    world.hank.time_zone = "Europe/Berlin"
    world.hank.save()
    mentorship = active_mentorship(world.rita, world.hank)
    assert mentorship.status == MentorshipStatus.ACTIVE
    assert Ask.objects.get(kind="accept_mentorship").status == AskStatus.DONE
    session = MentoringSession.objects.get(mentorship=mentorship)
    # A week later, Monday 30 Nov, 10:00 in rita's zone (UTC).
    assert session.starts_at == dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
    invites = Message.objects.filter(template="mentoring-session-invite")
    assert {m.recipient for m in invites} == {world.rita, world.hank}
    # Each reads the time in their own zone (hank works from Berlin).
    hank_mail = invites.get(recipient=world.hank)
    assert "Monday 30 November 2026, 11:00" in hank_mail.body_text
    ics = invites[0].attachments[0]
    assert ics["content_type"].startswith("text/calendar; method=REQUEST")
    assert f"UID:{session.uid}" in ics["content"]


@pytest.mark.parametrize(
    ("mentor_zone", "mentee_zone", "mentee_country", "starts"),
    [
        # London and New York share 14:00-17:00 London: the hour nearest 10:00 is 14:00.
        ("Europe/London", "America/New_York", "US", dt.datetime(2026, 11, 30, 14, tzinfo=dt.UTC)),
        # Tokyo and New York share no working hour: 10:00 Tokyo, on the mentor's day.
        ("Asia/Tokyo", "America/New_York", "US", dt.datetime(2026, 11, 30, 1, tzinfo=dt.UTC)),
        # Accepted Friday 18 Dec, a week on is Christmas Day: the mentee in Germany is off
        # (and the 26th and 27th are a weekend), so Monday 28 Dec, 10:00 London.
        ("Europe/London", "Europe/Berlin", "DE", None),
    ],
)
def test_the_first_session_falls_in_both_peoples_working_hours(
    world, clock, mentor_zone, mentee_zone, mentee_country, starts
):
    world.rita.time_zone = mentor_zone
    world.rita.save()
    world.hank.time_zone, world.hank.holiday_country = mentee_zone, mentee_country
    world.hank.save()
    if starts is None:
        clock.move_to(dt.datetime(2026, 12, 18, 10, 0, tzinfo=dt.UTC))  # a Friday
        starts = dt.datetime(2026, 12, 28, 10, 0, tzinfo=dt.UTC)
    mentorship = active_mentorship(world.rita, world.hank)
    session = MentoringSession.objects.get(mentorship=mentorship)
    assert session.starts_at == starts


def test_an_action_item_due_on_a_weekend_is_due_on_the_next_working_day_everywhere(world):
    mentorship = active_mentorship(world.rita, world.hank)
    session = MentoringSession.objects.get(mentorship=mentorship)
    item = services.action_add(
        session=session, by=world.rita, owner=world.hank, description="Block review time",
        due_on=dt.date(2026, 12, 19),  # a Saturday
    )  # fmt: skip
    ask = Ask.objects.get(kind="mentoring_action")
    assert item.due_on == dt.date(2026, 12, 21)
    assert ask.due_at.astimezone(world.hank.zone).date() == item.due_on


def test_only_the_mentee_answers_and_only_once(world):
    mentorship = services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.rita)
    with pytest.raises(PermissionDenied):
        services.mentorship_accept(mentorship=mentorship, by=world.rita)
    services.mentorship_decline(mentorship=mentorship, by=world.hank)
    with pytest.raises(ValidationError, match="already been answered"):
        services.mentorship_accept(mentorship=mentorship, by=world.hank)
    assert Mentorship.objects.get().status == MentorshipStatus.DECLINED
    assert not MentoringSession.objects.exists()


def test_ending_calls_off_the_sessions_ahead_and_stops_chasing_open_items(world):
    mentorship = active_mentorship(world.rita, world.hank)
    session = mentorship.sessions.get()
    item = services.action_add(
        session=session, by=world.rita, owner=world.hank, description="Block review time",
        due_on=dt.date(2026, 11, 27),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.mentorship_end(mentorship=mentorship, by=world.ivy)
    services.mentorship_end(mentorship=mentorship, by=world.hank)
    session.refresh_from_db()
    item.refresh_from_db()
    assert session.cancelled_at is not None and session.sequence == 1
    assert item.status == ActionStatus.DROPPED
    assert Ask.objects.get(kind="mentoring_action").status == AskStatus.CANCELLED
    cancel = Message.objects.filter(template="mentorship-ended").order_by("-pk")[0]
    assert "method=CANCEL" in cancel.attachments[0]["content_type"]
    with pytest.raises(ValidationError, match="already ended"):
        services.mentorship_end(mentorship=mentorship, by=world.rita)


def test_a_goal_tied_to_review_times_shows_the_current_share(world):
    mentorship = active_mentorship(world.rita, world.hank)
    services.goal_add(mentorship=mentorship, by=world.hank, text="Be kind", figure="")
    services.goal_add(
        mentorship=mentorship, by=world.rita, text="Reviews within 2 days",
        figure=GoalFigure.REVIEWS_IN_TIME,
    )  # fmt: skip
    past_ask(world.hank, "review_submission", days_ago=6, late_days=-1)
    past_ask(world.hank, "review_submission", days_ago=8, late_days=2)
    past_ask(world.hank, "submit_scorecard", days_ago=8, late_days=-1)
    rows = selectors.goals_with_figures(mentorship=mentorship, now=dt.datetime.now(dt.UTC))
    assert [row.figure_words for row in rows] == ["", "50% answered in time (1 of 2, last 30 days)"]


def test_a_goal_refuses_bad_input_and_changes_nothing(world):
    mentorship = active_mentorship(world.rita, world.hank)
    for text, figure, problem in [
        ("  ", "", "Write the goal"),
        ("x" * 301, "", "under 300"),
        ("Bell\x07", "", "control character"),
        ("Fine", "made_up", "from the list"),
    ]:
        with pytest.raises(ValidationError, match=problem):
            services.goal_add(mentorship=mentorship, by=world.rita, text=text, figure=figure)
    with pytest.raises(PermissionDenied):
        services.goal_add(mentorship=mentorship, by=world.ada, text="Admins only read")
    assert not mentorship.goals.exists()


def test_marking_a_session_held_plans_the_next_one_a_cadence_later(world, clock):
    mentorship = active_mentorship(world.rita, world.hank)
    first = mentorship.sessions.get()
    with pytest.raises(ValidationError, match="once it has started"):
        services.session_held(session=first, by=world.hank)
    clock.move_to(first.starts_at + dt.timedelta(hours=1))
    services.session_held(session=first, by=world.hank)
    nxt = mentorship.sessions.exclude(pk=first.pk).get()
    assert nxt.starts_at == first.starts_at + dt.timedelta(days=14)
    with pytest.raises(ValidationError, match="already marked held"):
        services.session_held(session=first, by=world.rita)


def test_moving_the_next_session_replaces_its_invitation(world):
    mentorship = active_mentorship(world.rita, world.hank)
    later = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
    session = services.session_schedule(mentorship=mentorship, by=world.hank, starts_at=later)
    assert mentorship.sessions.count() == 1
    assert (session.starts_at, session.sequence) == (later, 1)
    newest = Message.objects.filter(template="mentoring-session-invite").order_by("-pk")[0]
    assert "SEQUENCE:1" in newest.attachments[0]["content"]
    with pytest.raises(ValidationError, match="in the future"):
        services.session_schedule(
            mentorship=mentorship, by=world.hank, starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        )


def test_a_session_moved_away_from_a_time_before_his_hours_reaches_him_at_once(
    world, clock, settings
):
    """Moved on Sunday evening from Monday 08:00 to Wednesday: his calendar shows Monday's
    session until the new invitation arrives, so it is not held for his working hours."""
    settings.QUIET_HOURS = True
    world.hank.time_zone = "Europe/London"
    world.hank.save()
    mentorship = active_mentorship(world.rita, world.hank)
    session = mentorship.sessions.get()
    session.starts_at = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
    session.save(update_fields=["starts_at"])
    sunday_evening = dt.datetime(2026, 11, 29, 20, 0, tzinfo=dt.UTC)
    clock.move_to(sunday_evening)
    later = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
    services.session_schedule(mentorship=mentorship, by=world.rita, starts_at=later)
    newest = Delivery.objects.filter(
        message__recipient=world.hank, message__template="mentoring-session-invite"
    ).latest("pk")
    assert newest.message.data["sequence"] == 1
    assert newest.next_attempt_at == sunday_evening


def test_an_action_item_is_an_ask_in_its_owners_queue_until_done(world):
    mentorship = active_mentorship(world.rita, world.hank)
    session = mentorship.sessions.get()
    with pytest.raises(ValidationError, match="the mentor or the mentee"):
        services.action_add(
            session=session, by=world.rita, owner=world.ivy, description="x",
            due_on=dt.date(2026, 11, 27),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="in the past"):
        services.action_add(
            session=session, by=world.rita, owner=world.hank, description="x",
            due_on=dt.date(2026, 11, 1),
        )  # fmt: skip
    item = services.action_add(
        session=session, by=world.rita, owner=world.hank, description="Block review time",
        due_on=dt.date(2026, 11, 27),
    )  # fmt: skip
    ask = Ask.objects.get(kind="mentoring_action")
    assert (ask.owner, ask.requested_by, ask.subject) == (
        world.hank,
        world.rita,
        f"mentoring-action:{item.pk}",
    )
    from closeloop.followups.selectors import ask_url

    assert ask_url(ask) == f"/mentoring-actions/{item.pk}/"
    services.action_done(item=item, by=world.hank)
    ask.refresh_from_db()
    assert ask.status == AskStatus.DONE
    with pytest.raises(ValidationError, match="already closed"):
        services.action_done(item=item, by=world.hank)


def test_the_card_is_written_by_its_person_only_and_refuses_bad_input(world):
    values = {
        "best_times": "  Mornings ",
        "channel": "Email",
        "looks_for": "",
        "feedback": "Direct",
    }
    card = services.working_card_save(user=world.hank, by=world.hank, values=values)
    assert (card.best_times, card.looks_for) == ("Mornings", "")
    with pytest.raises(PermissionDenied):
        services.working_card_save(user=world.hank, by=world.ada, values=values)
    with pytest.raises(ValidationError):
        services.working_card_save(
            user=world.hank, by=world.hank, values={**values, "channel": "x" * 301}
        )
    assert WorkingCard.objects.get().channel == "Email"


def test_the_calendar_feed_carries_both_peoples_sessions(world):
    from closeloop.calendars.sources import events_for

    mentorship = active_mentorship(world.rita, world.hank)
    session = mentorship.sessions.get()
    start, end = session.starts_at - dt.timedelta(days=1), session.starts_at + dt.timedelta(days=1)
    for person in (world.rita, world.hank):
        assert [e.uid for e in events_for(person, start, end) if "mentoring" in e.uid] == [
            session.uid
        ]
    assert not [e for e in events_for(world.ivy, start, end) if "mentoring" in e.uid]


def test_deactivating_a_person_ends_their_pairings_and_nobody_inherits_the_asks(world):
    from closeloop.accounts.hooks import deactivation_impact
    from closeloop.accounts.people import user_deactivate

    mentorship = active_mentorship(world.rita, world.hank)
    proposal = services.mentorship_propose(mentor=world.ivy, mentee=world.hank, by=world.ivy)
    session = mentorship.sessions.get()
    services.action_add(
        session=session, by=world.rita, owner=world.hank, description="Block review time",
        due_on=dt.date(2026, 11, 27),
    )  # fmt: skip
    before = Message.objects.filter(recipient=world.hank).count()
    # The deactivation page says so beforehand, for each pairing.
    said = [line.text for line in deactivation_impact(user=world.hank, by=world.ada)]
    assert (
        "The mentorship of Hank Manager and Rita Recruiter ends: sessions ahead are called off, "
        "and its 1 open action item is dropped (the follow-up is cancelled, not handed over). "
        "Reactivating does not restart it; propose a new one."
    ) in said
    assert any(text.startswith("The mentorship of Hank Manager and Ivy") for text in said)
    user_deactivate(user=world.hank, by=world.ada)
    statuses = Mentorship.objects.filter(pk__in=[mentorship.pk, proposal.pk]).values_list(
        "status", flat=True
    )
    assert set(statuses) == {MentorshipStatus.ENDED}
    assert not Ask.objects.filter(kind__in=["accept_mentorship", "mentoring_action"], status="open")
    # rita hears the mentorship ended and why, its session called off; hank, who left, gets
    # nothing more.
    (ended,) = Message.objects.filter(recipient=world.rita, template="mentorship-ended")
    assert ended.subject == "Ada Admin ended your mentorship with Hank Manager"
    assert "Hank Manager has left Closeloop." in ended.body_text
    assert "method=CANCEL" in ended.attachments[0]["content_type"]
    assert Message.objects.filter(recipient=world.hank).count() == before


def test_erasing_a_candidate_scrubs_them_from_notes_and_action_items(world):
    from closeloop.pipeline.privacy import candidate_erase

    mentorship = active_mentorship(world.rita, world.hank)
    session = mentorship.sessions.get()
    services.session_notes_save(session=session, by=world.rita, notes="Sam Sourced waited a week.")
    item = services.action_add(
        session=session, by=world.rita, owner=world.hank, description="Call Sam Sourced back",
        due_on=dt.date(2026, 11, 27),
    )  # fmt: skip
    candidate_erase(candidate=world.sourced.candidate, by=world.ada, reason="Asked to be erased")
    session.refresh_from_db()
    item.refresh_from_db()
    assert "Sam" not in session.notes and "waited a week" in session.notes
    assert "Sam" not in item.description


def test_erasing_a_candidate_scrubs_them_from_goals_and_the_pairings_note(world):
    from closeloop.pipeline.privacy import candidate_erase

    mentorship = active_mentorship(world.rita, world.hank)
    type(mentorship).objects.filter(pk=mentorship.pk).update(note="Learn from Sam Sourced's case")
    goal = services.goal_add(mentorship=mentorship, by=world.rita, text="Get Sam Sourced an answer")
    candidate_erase(candidate=world.sourced.candidate, by=world.ada, reason="Asked to be erased")
    goal.refresh_from_db()
    mentorship.refresh_from_db()
    assert "Sam" not in goal.text and goal.text.startswith("Get ")
    assert "Sam" not in mentorship.note and mentorship.note.startswith("Learn from")


def test_an_ended_mentorship_is_a_record_its_goals_and_notes_no_longer_change(world):
    pairing = active_mentorship(world.rita, world.hank)
    goal = services.goal_add(mentorship=pairing, by=world.rita, text="Reviews in two days")
    session = pairing.sessions.get()
    services.mentorship_end(mentorship=pairing, by=world.hank)
    goal.refresh_from_db()
    session.refresh_from_db()
    with pytest.raises(ValidationError, match="not active"):
        services.goal_reached(goal=goal, by=world.rita)
    with pytest.raises(ValidationError, match="not active"):
        services.session_notes_save(session=session, by=world.rita, notes="Late note")
    goal.refresh_from_db()
    session.refresh_from_db()
    assert goal.reached_at is None and session.notes == ""


@pytest.mark.parametrize("status", [MentorshipStatus.ACTIVE, MentorshipStatus.PROPOSED])
def test_a_pair_mentors_one_way_at_a_time(world, status):
    """Hank proposed as Sofia's mentor while Sofia mentors Hank (or is proposed to) is
    refused with words for whoever proposes, and nothing is proposed."""
    Mentorship.objects.create(mentor=world.rita, mentee=world.hank, status=status)
    expected = {
        MentorshipStatus.ACTIVE: "Rita Recruiter already mentors Hank Manager",
        MentorshipStatus.PROPOSED: "Rita Recruiter is already proposed as Hank's mentor",
    }[status]
    with pytest.raises(ValidationError, match=expected) as refused:
        services.mentorship_propose(mentor=world.hank, mentee=world.rita, by=world.ada)
    assert "one way at a time" in refused.value.message_dict["mentee"][0]
    to_hank = {
        MentorshipStatus.ACTIVE: "Rita Recruiter already mentors you",
        MentorshipStatus.PROPOSED: "Rita Recruiter is already proposed as your mentor",
    }[status]
    with pytest.raises(ValidationError, match=to_hank):
        services.mentorship_propose(mentor=world.hank, mentee=world.rita, by=world.hank)
    assert Mentorship.objects.count() == 1
    assert not Ask.objects.filter(kind="accept_mentorship").exists()


def test_an_ended_reverse_pairing_does_not_stop_a_new_one(world):
    Mentorship.objects.create(mentor=world.rita, mentee=world.hank, status=MentorshipStatus.ENDED)
    assert services.mentorship_propose(mentor=world.hank, mentee=world.rita, by=world.ada)
