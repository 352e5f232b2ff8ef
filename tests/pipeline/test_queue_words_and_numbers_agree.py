"""My queue's words and numbers agree: a pending question stays visible beside the asks of
its candidate, the headline counts what the lists count, quiet news asks are accounted for,
and a candidate's wait is how long the candidate has waited, not the age of the newest ask."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from closeloop.interviews.models import Interview
from closeloop.interviews.services import Slot, debriefs_open_due, interview_book
from closeloop.interviews.services import interviews_complete as interviews_complete_step
from closeloop.pipeline.models import Application
from closeloop.pipeline.services import application_submit, submission_ask_question

QUEUE = reverse("pipeline:queue")
QUESTION = "Has Sam run the on-call rotation for a payments system, and for how long?"


@pytest.fixture
def world(clock, world):
    """The shared world, built at the frozen Monday morning (23 Nov 2026 10:00 UTC)."""
    return world


def page(login, person) -> str:
    response = login(person).get(QUEUE)
    assert response.status_code == 200
    return response.content.decode()


def application_page(login, person, application) -> str:
    response = login(person).get(reverse("pipeline:application-detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def strip(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.find("</section>", start)]


def row_of(html: str, name: str) -> str:
    """The queue row (its <li>) of one candidate."""
    start = html.rindex("<li", 0, html.index(name))
    return html[start : html.index("</li>", start)]


def headline(html: str) -> str:
    start = html.index(">", html.index('class="queue-summary"')) + 1
    return " ".join(re.sub(r"<[^>]+>", "", html[start : html.index("</p>", start)]).split())


def badge(html: str, heading_id: str) -> int:
    found = re.search(rf'id="{heading_id}">[^<]*<span class="badge">(\d+)</span>', html)
    return int(found.group(1)) if found else 0


def book(world, application, starts_at: dt.datetime, panel) -> Interview:
    return interview_book(
        application=application,
        by=world.rita,
        round=None,
        round_name="Technical",
        slot=Slot(starts_at=starts_at, time_zone="UTC", interviewers=panel),
    )


# --- 1. an open question is owed, beside the asks ------------------------------------------


def test_hanks_open_question_shows_beside_the_news_ask_in_both_queues(world, login, clock):
    submission = application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    submission_ask_question(submission=submission, by=world.hank, text=QUESTION)
    clock.move_to(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC))  # Sam's news is due
    rita = row_of(section(page(login, world.rita), "on-you"), "Sam Sourced")
    assert "Give Sam Sourced news" in rita
    assert "Hank" in rita and "question" in rita
    assert "“Has Sam run the on-call rotation" in rita  # the first words of what he asked
    # Hank sees the same row waiting on rita: his question, and the news she owes.
    hank = row_of(section(page(login, world.hank), "on-others"), "Sam Sourced")
    assert "Rita Recruiter:" in hank
    assert "“Has Sam run the on-call rotation" in hank and "Give Sam Sourced news" in hank


def test_an_ask_that_says_the_same_as_the_move_replaces_it(world, login):
    application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    row = row_of(section(page(login, world.hank), "on-you"), "Sam Sourced")
    assert "Review Sam Sourced for Backend Engineer" in row
    assert "Decide on submission" not in row


# --- 2. the headline counts what the lists count ----------------------------------------


def test_the_headline_and_the_badge_count_the_same_candidates(world, login, settings):
    Interview.objects.all().delete()
    application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    book(world, world.interviewed, dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC), [world.hank])
    html = page(login, world.hank)
    said = headline(html)
    assert said.startswith("1 candidate waits on you · the longest for ")
    assert " · 1 more waits for your interview. You owe 1 follow-up." in said
    assert badge(html, "on-you") == 1
    assert badge(html, "on-your-interview") == 1
    waiting = section(html, "on-you").split('id="on-your-interview"')
    assert "Sam Sourced" in waiting[0] and "Carla Candidate" not in waiting[0]
    assert "Carla Candidate" in waiting[1]


def test_a_panelist_who_does_not_hold_the_move_still_reads_her_next_interview(world, login):
    """On a panel of two the move is the first panelist's; the second's headline still names
    her next interview, the one her list below starts with, not "nothing waits"."""
    Interview.objects.all().delete()
    book(world, world.interviewed, dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC),
         [world.olga, world.ivy])  # fmt: skip
    html = page(login, world.ivy)
    assert headline(html).endswith("Your next interview: Wed 25 Nov 10:00, Carla Candidate.")


def test_an_interview_with_only_a_video_link_says_video_call_in_the_queue(world, login):
    Interview.objects.all().delete()
    interview_book(
        application=world.interviewed, by=world.rita, round=None, round_name="Technical",
        slot=Slot(starts_at=dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC), time_zone="UTC",
                  interviewers=[world.ivy], video_url="https://meet.example.com/abc"),
    )  # fmt: skip
    assert "Backend Engineer · Video call</span>" in page(login, world.ivy)


def test_ivys_candidates_wait_for_her_interviews_soonest_first_and_nothing_says_otherwise(
    world, login, clock
):
    Interview.objects.all().delete()
    book(world, world.sourced, dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC), [world.ivy])
    clock.move_to(dt.datetime(2026, 11, 23, 11, 0, tzinfo=dt.UTC))
    book(world, world.interviewed, dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC), [world.ivy])
    html = page(login, world.ivy)
    assert "Nothing waits on you" not in html
    assert headline(html) == (
        "2 candidates wait for your interview. Your next interview: Wed 25 Nov 10:00, "
        "Carla Candidate."
    )
    assert badge(html, "on-you") == 0 and badge(html, "on-your-interview") == 2
    listed = section(html, "on-you")
    assert listed.index("Carla Candidate") < listed.index("Sam Sourced")  # Wed before Fri
    # Her application page agrees: the move is hers, but it is the interview, not a wait.
    detail = strip(application_page(login, world.ivy, world.interviewed))
    assert "Whose move Yours interview Wed 25 Nov 10:00 ; nothing is owed before it" in detail
    assert "waiting" not in detail.split("Whose move", 1)[1].split("Who owes", 1)[0]


def test_an_admin_reads_that_nothing_waits_on_her_herself_above_the_organisation(world, login):
    # Otto, on ada's own job, waits on nobody: nothing is hers, but the organisation shows.
    Application.objects.filter(pk=world.other_application.pk).update(next_move_owner=None)
    html = page(login, world.ada)
    assert 'id="org-overview"' in html
    assert "Nothing waits on you right now" not in html
    assert "Nothing waits on you yourself" in headline(html)


# --- 3. quiet news asks are accounted for -------------------------------------------------


def test_candidates_whose_news_is_not_due_yet_are_counted_not_hidden_silently(world, login, clock):
    html = page(login, world.rita)
    assert "2 candidates get news on schedule; they appear here when news is due." in html
    assert "Give Sam Sourced news" not in html
    clock.move_to(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC))  # news is due for both
    html = page(login, world.rita)
    assert "get news on schedule" not in html
    assert "Give Sam Sourced news" in html and "Give Carla Candidate news" in html


# --- 4. the candidate's wait, not the newest ask's age ------------------------------------


def test_a_debrief_opened_on_time_keeps_the_candidates_wait_since_the_interview(
    world, login, clock
):
    """The decision is owed the agreed time after the round's last interview: the worker
    opens the debrief when the scorecards' time has passed, and the hiring manager's wait
    runs from the interview, as the ask, its reminders and the agenda say."""
    Interview.objects.all().delete()
    book(world, world.interviewed, dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC), [world.ivy])
    clock.move_to(dt.datetime(2026, 11, 25, 11, 0, tzinfo=dt.UTC))
    interviews_complete_step()
    debriefs_open_due()
    clock.move_to(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC))
    application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    world.interviewed.refresh_from_db()
    assert world.interviewed.next_move_owner == world.hank
    mine = section(page(login, world.hank), "on-you")
    carla = row_of(mine, "Carla Candidate")
    assert "Decide on Carla Candidate after the Technical debrief" in carla
    assert "since <time" in carla and "Tue 24 Nov 10:45" in carla  # when the interview ended
    # Oldest first by that wait: Carla (Tue 24 Nov) before Sam (submitted Fri 27 Nov).
    assert mine.index("Carla Candidate") < mine.index("Sam Sourced")
    # The application page shows the same clock as the queue, not the debrief's age.
    detail = strip(application_page(login, world.hank, world.interviewed))
    assert "Whose move Yours waiting 2 days · since Tue 24 Nov 10:45" in detail


def test_a_debrief_opened_late_counts_the_wait_on_the_hiring_manager_from_its_opening(
    world, login, clock, settings
):
    """The worker was down for a week: nobody could decide before the debrief opened, so
    the decision is owed from then (interviews' `_decision_owed_from`), not overdue and
    escalated the moment it is asked for, nor a week's wait on hank."""
    settings.STALE_AFTER_DAYS = 7
    Interview.objects.all().delete()
    book(world, world.interviewed, dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC), [world.ivy])
    clock.move_to(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC))
    application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    clock.move_to(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC))
    interviews_complete_step()
    debriefs_open_due()
    world.interviewed.refresh_from_db()
    assert world.interviewed.next_move_owner == world.hank
    mine = section(page(login, world.hank), "on-you")
    carla = row_of(mine, "Carla Candidate")
    assert "Decide on Carla Candidate after the Technical debrief" in carla
    assert "Wed 02 Dec 10:00" in carla and "Stale" not in carla and "overdue" not in carla
    # Oldest first: Sam (submitted Fri 27 Nov) before Carla (her debrief opened today).
    assert mine.index("Sam Sourced") < mine.index("Carla Candidate")
    detail = strip(application_page(login, world.hank, world.interviewed))
    assert "Whose move Yours waiting 1 min · since Wed 02 Dec 10:00" in detail
