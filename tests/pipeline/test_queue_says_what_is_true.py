"""My queue says what is true: what is owed in the ask's own words, who a candidate waits on
before an interview has happened, and stage names and moves that match whose move it is."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.urls import reverse

from closeloop.followups.services import ask_open
from closeloop.interviews.models import Interview
from closeloop.interviews.services import (
    ScorecardInput,
    Slot,
    interview_book,
    interviews_complete,
    scorecard_save,
)
from closeloop.jobs.models import MoveOwner, Stage, StageKind
from closeloop.pipeline.models import StageChange
from closeloop.pipeline.services import application_move, application_submit, submission_decide

QUEUE = reverse("pipeline:queue")


@pytest.fixture
def world(clock, world):
    """The shared world, built at the frozen Monday morning."""
    return world


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.find("</section>", start)]


def row_of(html: str, name: str) -> str:
    """The queue row (its <li>) of one candidate."""
    start = html.rindex("<li", 0, html.index(name))
    return html[start : html.index("</li>", start)]


def stage(world, kind: str) -> Stage:
    return world.job.stages.get(kind=kind)


def advance(world, application) -> None:
    submission = application_submit(application=application, by=world.rita, pitch="Strong fit.")
    submission_decide(submission=submission, by=world.hank, decision="advanced")


def book(world, application, starts_at: dt.datetime, panel=None) -> Interview:
    return interview_book(
        application=application,
        by=world.rita,
        round=None,
        round_name="Technical",
        slot=Slot(starts_at=starts_at, time_zone="UTC", interviewers=panel or [world.ivy]),
    )


def carla_booked_for_tuesday(world) -> Interview:
    """Carla interviewing, her only interview booked with ivy for Tue 8 Dec 10:00."""
    Interview.objects.all().delete()
    interviewing = stage(world, "interviewing")
    application_move(application=world.interviewed, by=world.rita, to_stage=interviewing)
    return book(world, world.interviewed, dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC))


# --- what is owed ---------------------------------------------------------------------------


def test_an_ask_beside_a_candidate_says_what_is_owed_not_the_stages_move(world, login):
    application_move(application=world.sourced, by=world.rita, to_stage=stage(world, "offer"))
    ask_open(
        kind="inform_candidate",
        subject=f"application:{world.sourced.pk}",
        title="Tell Sam Sourced the outcome of the Technical debrief (Backend Engineer)",
        owner=world.rita,
        application=world.sourced,
    )
    row = row_of(section(login(world.rita).get(QUEUE).content.decode(), "on-you"), "Sam Sourced")
    assert "Tell Sam Sourced the outcome of the Technical debrief" in row
    assert "Make the offer" not in row
    assert "due in 1 business day" in row


def test_a_review_submitted_a_minute_ago_is_due_in_its_whole_two_days(world, login, clock):
    application_submit(application=world.sourced, by=world.rita, pitch="Strong fit.")
    clock.shift(dt.timedelta(minutes=1))
    row = row_of(section(login(world.hank).get(QUEUE).content.decode(), "on-you"), "Sam Sourced")
    assert "due in 2 business days" in row
    clock.shift(dt.timedelta(hours=2))
    row = row_of(section(login(world.hank).get(QUEUE).content.decode(), "on-you"), "Sam Sourced")
    assert "due in 1 business day 6 h" in row


# --- before the interview -------------------------------------------------------------------


def test_before_the_interview_the_candidate_waits_on_the_interview_not_the_interviewer(
    world, login, clock, settings
):
    settings.STALE_AFTER_DAYS = 7
    interview = carla_booked_for_tuesday(world)
    clock.move_to(dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC))  # 14 days after booking
    html = login(world.ivy).get(QUEUE).content.decode()
    row = row_of(section(html, "on-you"), "Carla Candidate")
    assert "Hold the Technical interview" in row
    assert "Interview <time" in row and "Tue 08 Dec 10:00" in row
    assert "Stale" not in row and 'class="queue-item"' in row
    assert "wait on you" not in section(html, "on-you").split("</h2>")[0]
    assert "Nothing waits on you" not in html  # never above a list that is not empty
    assert "1 candidate waits for your interview" in html
    # The recruiter sees the same: Carla waits on the interview, not on a silent ivy.
    rita = row_of(section(login(world.rita).get(QUEUE).content.decode(), "on-others"), "Carla")
    assert "Stale" not in rita and "Tue 08 Dec 10:00" in rita
    # Once it has started, the interviewer owes the feedback and the clock is theirs again.
    clock.move_to(interview.ends_at + dt.timedelta(days=8))
    html = login(world.ivy).get(QUEUE).content.decode()
    row = row_of(section(html, "on-you"), "Carla Candidate")
    assert "Give feedback on the Technical interview" in row and "Stale" in row
    assert "1 candidate waits on you" in html


def test_an_interview_with_a_panel_waits_on_every_interviewer(world, login):
    """The move's owner is one person, the panel's first interviewer: the others found the
    candidate in nobody's queue of theirs, and the team saw the interview as the first
    one's alone. Each sits in their own queue, and the team's names the whole panel."""
    interview = carla_booked_for_tuesday(world)
    interview.interviewers.add(world.olga)
    first, second = sorted((world.ivy, world.olga), key=lambda person: person.pk)
    world.interviewed.refresh_from_db()
    assert world.interviewed.next_move_owner == first
    for person in (first, second):
        html = login(person).get(QUEUE).content.decode()
        row = row_of(section(html, "on-your-interview"), "Carla Candidate")
        assert "Hold the Technical interview" in row
        assert "1 candidate waits for your interview" in html
    row = row_of(section(login(world.hank).get(QUEUE).content.decode(), "on-others"), "Carla")
    assert f"{first.full_name} and {second.full_name}:" in row
    page = reverse("pipeline:application-detail", args=[world.interviewed.pk])
    assert f"<strong>Yours and {first.full_name}’s</strong>" in login(second).get(page).text
    assert "<strong>The panel’s</strong>" in login(world.hank).get(page).content.decode()


def submit_card(interview, by) -> None:
    ratings = dict.fromkeys(interview.focus_attributes, 3)
    card = ScorecardInput(ratings=ratings, recommendation="yes", notes="")
    scorecard_save(interview=interview, by=by, data=card, submit=True)


def test_while_the_interview_runs_with_every_scorecard_in_nobody_owes_feedback(world, login, clock):
    """ivy submits her card half-way through the interview: until it ends nobody owes
    anything, and at its end the debrief opens for hank. Her queue and the team's say so,
    not "Give feedback on …", stale since the candidate entered the stage."""
    interview = carla_booked_for_tuesday(world)
    clock.move_to(interview.starts_at + dt.timedelta(minutes=15))
    row = row_of(section(login(world.ivy).get(QUEUE).content.decode(), "on-you"), "Carla")
    assert "Give feedback on the Technical interview" in row  # her card is owed

    submit_card(interview, world.ivy)
    ends = "Tue 08 Dec 10:45"
    assert f"{interview.ends_at:%a %d %b %H:%M}" == ends
    html = login(world.ivy).get(QUEUE).content.decode()
    row = row_of(section(html, "on-you"), "Carla Candidate")
    assert "Scorecards in: the debrief opens when the Technical interview ends" in row
    assert "Give feedback" not in row and "Stale" not in row
    assert "Ends <time" in row and ends in row
    assert "1 candidate waits for your interview" in html
    assert "1 candidate waits on you" not in html
    # Under way, it is not her next interview to come, nor one starting "in 0 minutes".
    assert "Your interview with Carla Candidate is under way, ends" in html
    assert "Your next interview" not in html
    interviews = section(html, "interviews")
    assert "under way, ends" in interviews and "in 0" not in interviews
    for person in (world.rita, world.hank):
        row = row_of(section(login(person).get(QUEUE).content.decode(), "on-others"), "Carla")
        assert "Scorecards in: the debrief opens" in row and "Stale" not in row
        # Nobody owes a move until it ends: not ivy, whose card is in.
        assert "Ivy Interviewer" not in row
    mine = login(world.ivy).get(reverse("pipeline:application-detail", args=[world.interviewed.pk]))
    assert "<strong>Nobody yet</strong>" in mine.content.decode()
    assert "<strong>Yours</strong>" not in mine.content.decode()
    card = row_of(
        login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode(),
        ">Carla Candidate</a>",
    )
    assert "Ivy Interviewer’s interview" in card and "until <time" in card and ends in card
    page = login(world.rita).get(
        reverse("pipeline:application-detail", args=[world.interviewed.pk])
    )
    assert "interview under way until" in page.content.decode()

    # It ends: the worker opens the debrief and the decision is hank's.
    clock.move_to(interview.ends_at + dt.timedelta(minutes=1))
    interviews_complete()
    assert "Carla Candidate" in section(login(world.hank).get(QUEUE).content.decode(), "on-you")


def test_on_a_panel_feedback_is_owed_while_one_card_is_missing(world, login, clock):
    interview = carla_booked_for_tuesday(world)
    interview.interviewers.add(world.olga)
    clock.move_to(interview.starts_at + dt.timedelta(minutes=15))
    submit_card(interview, world.ivy)
    html = login(world.rita).get(QUEUE).content.decode()
    row = row_of(section(html, "on-others"), "Carla Candidate")
    assert "Give feedback on the Technical interview" in row and "Scorecards in" not in row


def test_the_board_and_the_list_say_what_the_queue_says_about_an_interview_ahead(
    world, login, clock
):
    interview = carla_booked_for_tuesday(world)
    clock.move_to(dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC))  # 14 days after booking
    job_page = reverse("jobs:job-detail", args=[world.job.pk])
    card = row_of(login(world.rita).get(job_page).content.decode(), ">Carla Candidate</a>")
    assert "Ivy Interviewer’s interview" in card and "Tue 08 Dec 10:00" in card
    assert "’s move" not in card  # not "Ivy's move, 14 days", as if she were slow
    assert "Stale" not in card and "is-stale" not in card  # booked, not stuck
    listed = login(world.ivy).get(job_page, {"view": "list"}).content.decode()
    name = listed.index(">Carla Candidate</a>")
    row = listed[listed.rindex("<tr", 0, name) : listed.index("</tr>", name)]
    assert "Your interview" in row and "Tue 08 Dec 10:00" in row
    # Once it has started, the move and its wait are the interviewer's again.
    clock.move_to(interview.ends_at + dt.timedelta(hours=1))
    card = row_of(login(world.rita).get(job_page).content.decode(), ">Carla Candidate</a>")
    assert "Ivy Interviewer’s move" in card and "interview" not in card.split("card-move")[1]
    assert "Stale" in card  # 14 days in the stage, and now it is on her


def test_the_job_page_counts_a_candidate_before_the_interview_as_waiting_on_no_one(
    world, login, clock
):
    interview = carla_booked_for_tuesday(world)
    clock.move_to(dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC))
    job_page = reverse("jobs:job-detail", args=[world.job.pk])
    waiting = section(login(world.rita).get(job_page).content.decode(), "waiting-heading")
    assert "Ivy Interviewer" not in waiting  # not blamed before she has had the chance
    row = row_of(waiting, "An interview still to come")
    assert "waits on no one yet" in row and "1 candidate" in row and "Tue 08 Dec 10:00" in row
    # Once it has started, she owes the feedback: the wait is hers.
    clock.move_to(interview.ends_at + dt.timedelta(hours=1))
    waiting = section(login(world.rita).get(job_page).content.decode(), "waiting-heading")
    assert "An interview still to come" not in waiting
    assert "Ivy Interviewer" in row_of(waiting, "Ivy Interviewer") and "(interviewer)" in waiting


# --- stage names and moves ------------------------------------------------------------------


def test_after_the_hms_yes_the_candidate_waits_on_the_recruiter_to_schedule(world, login):
    advance(world, world.sourced)
    world.sourced.refresh_from_db()
    assert world.sourced.stage.name == "Scheduling"
    assert world.sourced.stage.move_owner == MoveOwner.RECRUITER
    assert world.sourced.next_move_owner == world.rita
    row = row_of(section(login(world.rita).get(QUEUE).content.decode(), "on-you"), "Sam Sourced")
    assert "Schedule the interviews" in row
    assert "Backend Engineer · Scheduling" in row


def test_booking_an_interview_moves_the_candidate_to_interviewing(world, login):
    advance(world, world.sourced)
    book(world, world.sourced, dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))
    world.sourced.refresh_from_db()
    assert world.sourced.stage.kind == StageKind.INTERVIEWING
    assert world.sourced.next_move_owner == world.ivy
    change = StageChange.objects.filter(application=world.sourced).latest("at", "pk")
    assert (change.from_stage.name, change.to_stage.name) == ("Scheduling", "Interviewing")
    assert change.by == world.rita
    ivy = row_of(section(login(world.ivy).get(QUEUE).content.decode(), "on-you"), "Sam Sourced")
    assert "Hold the Technical interview" in ivy


def test_booking_from_sourced_moves_forward_but_a_later_stage_stays(world):
    book(world, world.sourced, dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))
    world.sourced.refresh_from_db()
    assert world.sourced.stage.kind == StageKind.INTERVIEWING
    application_move(application=world.sourced, by=world.rita, to_stage=stage(world, "offer"))
    book(world, world.sourced, dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC))
    world.sourced.refresh_from_db()
    assert world.sourced.stage.kind == StageKind.OFFER


def test_existing_jobs_get_the_new_name_unless_someone_renamed_the_stage(world):
    migration = importlib.import_module("closeloop.jobs.migrations.0005_scheduling_stage_name")
    from django.apps import apps

    review = stage(world, "hm_review")
    review.name = "HM review"
    review.save()
    other = world.other_job.stages.get(kind="hm_review")
    other.name = "Hiring manager screen"  # renamed by a user: kept
    other.save()
    migration.name_scheduling_stages(apps, None)
    review.refresh_from_db()
    other.refresh_from_db()
    assert review.name == "Scheduling"
    assert other.name == "Hiring manager screen"


def test_an_interviewer_who_owes_only_a_scorecard_is_not_told_nothing_waits(world, login):
    ask_open(
        kind="submit_scorecard",
        subject=f"scorecard:{world.interviewed.interviews.get().pk}:{world.ivy.pk}",
        title="Submit your scorecard for Carla Candidate (Technical)",
        owner=world.ivy,
        application=world.interviewed,
    )
    head = login(world.ivy).get(QUEUE).content.decode()
    head = head[
        head.index('class="queue-summary"') : head.index("</p>", head.index("queue-summary"))
    ]
    assert "Nothing waits on you" not in head
    assert "You owe 1 follow-up" in head
