"""The weekly update tells the same truth as My queue and the touch-base agenda: who is at
risk, in what order asks are listed and how they are worded, which interviews are coming
up, and how long a candidate has waited."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.urls import reverse

from closeloop.followups.models import Ask
from closeloop.followups.services import ask_open
from closeloop.interviews.models import Interview
from closeloop.interviews.services import Slot, interview_book
from closeloop.pipeline.selectors import candidate_wait_words, candidate_waiting, queue_for
from closeloop.pipeline.services import application_move, application_reject
from closeloop.touchbases.selectors import agenda_build
from closeloop.touchbases.weekly import weekly_update_build, weekly_update_context

MONDAY_DEC_7 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)


def email_text(update) -> str:
    """The plain-text body as it is mailed (the HTML one says the same)."""
    return render_to_string("emails/weekly-update-body.txt", weekly_update_context(update))


def line_of(text: str, words: str) -> str:
    return next(line for line in text.splitlines() if words in line)


# --- 1. at risk: the queue's rule ------------------------------------------------------------


def test_a_candidate_waiting_for_an_interview_to_come_is_not_at_risk_as_in_the_queue(
    world, clock, settings
):
    settings.STALE_AFTER_DAYS = 7
    Interview.objects.all().delete()
    interviewing = world.job.stages.get(kind="interviewing")
    application_move(application=world.interviewed, by=world.rita, to_stage=interviewing)
    interview = interview_book(
        application=world.interviewed,
        by=world.rita,
        round=None,
        round_name="Technical",
        slot=Slot(starts_at=dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC), time_zone="UTC",
                  interviewers=[world.ivy]),
    )  # fmt: skip
    clock.move_to(MONDAY_DEC_7)  # 14 days later; the interview is tomorrow

    def at_risk(person) -> set[str]:
        return {row.application.candidate.full_name for row in
                weekly_update_build(person=person).at_risk}  # fmt: skip

    def stale_in_queue(person) -> set[str]:
        queue = queue_for(user=person)
        return {item.application.candidate.full_name
                for item in queue.i_owe + queue.owed_to_me if item.is_stale}  # fmt: skip

    # Sam waits on rita (stale everywhere); Carla waits on tomorrow's interview (nowhere).
    assert at_risk(world.hank) == stale_in_queue(world.hank) == {"Sam Sourced"}
    assert at_risk(world.rita) == stale_in_queue(world.rita) == {"Sam Sourced"}
    assert "waiting on Ivy" not in email_text(weekly_update_build(person=world.hank))
    # Once the interview is over and the feedback is a week late, she is at risk.
    clock.move_to(interview.ends_at + dt.timedelta(days=8))
    assert at_risk(world.hank) == stale_in_queue(world.hank) == {"Sam Sourced", "Carla Candidate"}


# --- 2. order and wording of the asks -----------------------------------------------------


def test_asks_are_listed_soonest_due_first_and_one_not_yet_due_says_when_it_is_due(
    world, clock, submitted
):
    # Agreed long ago, due next Monday: nobody has been "waiting" 8 business days for it.
    item = ask_open(
        kind="action_item", subject="action:profiles", owner=world.hank, job=world.job,
        title="Share two example profiles (Backend Engineer)",
        opened_at=dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), due_on=dt.date(2026, 12, 7),
    )  # fmt: skip
    clock.move_to(dt.datetime(2026, 12, 3, 20, 0, tzinfo=dt.UTC))  # Thursday evening
    rita = weekly_update_build(person=world.rita)
    on_hank = next(group for group in rita.waits if group.person == world.hank)
    dues = [row.ask.due_at for row in on_hank.rows]
    assert dues == sorted(dues) and on_hank.rows[-1].ask == item  # the overdue review first
    for update in (rita, weekly_update_build(person=world.hank)):
        line = line_of(email_text(update), "Share two example profiles")
        assert "due Mon 07 Dec" in line
        assert "waiting" not in line and "overdue" not in line
        review = line_of(email_text(update), "Review Carla Candidate")
        assert "waiting" in review and "overdue since Wed 25 Nov" in review


def test_a_long_list_of_someone_elses_asks_counts_them_all_and_says_how_many_more(world, clock):
    """rita owes hank's job 25 more news asks: his update lists the first 25 and counts and
    links the rest."""
    from closeloop.touchbases.weekly import MAX_ROWS

    clock.move_to(MONDAY_DEC_7)
    waits = weekly_update_build(person=world.hank).waits
    before = next(group.total for group in waits if group.person == world.rita)
    assert before > 0  # what the world has her owe already: over the 25 once more are added
    for number in range(MAX_ROWS):
        ask_open(
            kind="update_candidate", subject=f"news:{number}", owner=world.rita, job=world.job,
            title=f"Give candidate {number:02d} news (Backend Engineer)",
            opened_at=MONDAY_DEC_7 - dt.timedelta(days=7), due_on=dt.date(2026, 12, 1),
        )  # fmt: skip
    update = weekly_update_build(person=world.hank)
    on_rita = next(group for group in update.waits if group.person == world.rita)
    total = before + MAX_ROWS
    assert (len(on_rita.rows), on_rita.total, on_rita.more) == (MAX_ROWS, total, before)
    text = email_text(update)
    assert f"Waiting on {world.rita} ({total}):" in text
    assert f"- and {before} more, due later: http" in text
    assert "/queue/others-follow-ups/" in text
    html = render_to_string("emails/weekly-update-body.html", weekly_update_context(update))
    assert f"Waiting on {world.rita} ({total})" in html
    assert f"and {before} more, due later" in html


# --- 3. interviews coming up --------------------------------------------------------------


def test_interviews_coming_up_lists_those_on_the_persons_panel_as_well_as_those_of_their_jobs(
    world,
):
    soon = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)
    sits_on = Interview.objects.create(
        application=world.other_application, round_name="Portfolio review",
        starts_at=soon, ends_at=soon + dt.timedelta(hours=1),
    )  # fmt: skip
    sits_on.interviewers.add(world.hank)
    not_his = Interview.objects.create(
        application=world.other_application, round_name="Case study",
        starts_at=soon, ends_at=soon + dt.timedelta(hours=1),
    )  # fmt: skip
    not_his.interviewers.add(world.ivy)
    listed = [row.interview.round_name for row in weekly_update_build(person=world.hank).interviews]
    assert listed == ["Technical", "Portfolio review"]  # his job's, then the one he sits on
    assert "Portfolio review" in email_text(weekly_update_build(person=world.hank))


# --- 4. one clock for the candidate's wait ------------------------------------------------


def test_the_agenda_and_the_weekly_update_give_the_same_wait_for_a_candidate(world, clock, current):
    # Sam last heard from us on Monday; he was turned down on Wednesday and not told yet.
    clock.move_to(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))
    ask_open(
        kind="inform_candidate", subject=f"application:{world.sourced.pk}",
        title="Tell Sam Sourced the outcome (Backend Engineer)", owner=world.rita,
        application=world.sourced,
    )  # fmt: skip
    clock.move_to(dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC))
    assert candidate_waiting(application=world.sourced) == "3 business days"
    waited = candidate_wait_words(application=world.sourced)
    assert waited == "3 days (3 business days) since Mon 23 Nov 10:00"
    agenda = agenda_build(touchbase=current)
    section = next(s for s in agenda["sections"] if s["key"] == "candidates_waiting")
    sam = next(item for item in section["items"] if item["text"] == "Sam Sourced")
    assert sam["detail"].endswith(f" {waited}")
    update = weekly_update_build(person=world.rita)
    row = next(row for row in update.waiting_on_you if row.ask.application == world.sourced)
    assert row.waited == waited
    assert f"waiting {waited}" in line_of(email_text(update), "Tell Sam Sourced the outcome")


# --- the subject: My queue's words, and what "at risk" counts --------------------------------


def test_the_subject_counts_follow_ups_as_my_queue_and_names_the_candidates_at_risk(
    world, clock, settings, client, login
):
    """ "You owe 4 follow-ups, 3 overdue" as My queue says it; the candidates waiting a week
    or more (on anyone: Sam on rita, Carla on hank) are counted as candidates, apart."""
    settings.STALE_AFTER_DAYS = 7
    Interview.objects.all().delete()
    clock.move_to(MONDAY_DEC_7)
    for subject, due in (
        ("late", MONDAY_DEC_7 - dt.timedelta(days=1)),
        ("soon", MONDAY_DEC_7 + dt.timedelta(days=2)),
    ):
        Ask.objects.create(kind="action_item", subject=f"action:{subject}", title=f"Do {subject}",
                           owner=world.rita, job=world.job, opened_at=MONDAY_DEC_7 - WEEK,
                           due_at=due)  # fmt: skip
    update = weekly_update_build(person=world.rita)
    print(update.subject)
    risk = len(update.at_risk)
    assert risk > 0
    login(world.rita)
    queue = client.get(reverse("pipeline:queue")).content.decode()
    assert "<strong>You owe 4 follow-ups</strong>, 3 overdue." in queue
    assert update.subject.startswith("Your weekly update, 07 Dec: you owe 4 follow-ups, 3 overdue;")
    assert f"; {risk} candidate{'s' if risk != 1 else ''} waiting a week or more" in (
        update.subject
    )
    assert "at risk" not in update.subject


def test_news_waits_read_alike_in_the_agenda_weekly_update_and_digest(world, clock, current):
    """A candidate owed news or the outcome: the agenda, the weekly update and the digest
    say the wait in one form, calendar days with business days beside them, since when."""
    from closeloop.followups.messages import business_wait
    from closeloop.lib.timefmt import absolute

    clock.move_to(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))
    application_reject(application=world.sourced, by=world.rita, reason="other", note="Pay")
    ask = Ask.objects.get(kind="inform_candidate", application=world.sourced, status="open")
    clock.move_to(dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC))
    world.sourced.refresh_from_db()
    since = world.sourced.candidate_updated_at or world.sourced.created_at
    waited = f"({candidate_waiting(application=world.sourced)}) since {absolute(since)}"
    agenda = agenda_build(touchbase=current)
    section = next(s for s in agenda["sections"] if s["key"] == "candidates_waiting")
    sam = next(item for item in section["items"] if item["text"] == "Sam Sourced")
    update = weekly_update_build(person=world.rita)
    row = next(row for row in update.waiting_on_you if row.ask == ask)
    digest = business_wait(ask, clock_now())
    assert row.waited.endswith(waited) and row.waited.split(" ")[1] == "days"
    assert digest == row.waited
    assert row.waited in sam["detail"]


def clock_now():
    from django.utils import timezone

    return timezone.now()
