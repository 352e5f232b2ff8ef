"""agenda_build: the agenda is generated from the pipeline, section by section."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.followups.models import Ask
from closeloop.followups.services import ask_open
from closeloop.interviews.models import Interview
from closeloop.jobs.models import StageKind
from closeloop.pipeline.models import Application
from closeloop.touchbases.sections import AGENDA_SOURCES
from closeloop.touchbases.selectors import AGENDA_SECTION_ROWS, agenda_build, agenda_for_page
from closeloop.touchbases.services import action_item_add, touchbase_hold, touchbases_advance

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
MONDAY_8 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)


def _section(agenda: dict, key: str) -> list[str]:
    section = next(s for s in agenda["sections"] if s["key"] == key)
    return [item["text"] for item in section["items"]]


def test_an_empty_pipeline_gives_empty_sections_with_their_words(world, current):
    agenda = agenda_build(touchbase=current)
    # Sections registered by higher apps (touchbases.sections) sit before the carried items.
    assert [s["key"] for s in agenda["sections"]] == [
        "new_submissions", "decisions", "debriefs", "overdue", "candidates_waiting",
        "interviews", "drift", *(source.key for source in AGENDA_SOURCES), "carried",
    ]  # fmt: skip
    assert _section(agenda, "interviews") == ["Carla Candidate: Technical"]
    assert _section(agenda, "decisions") == []


def test_submissions_decisions_and_overdue_asks_come_from_the_pipeline(
    world, current, submitted, clock
):
    clock.move_to(THURSDAY_14)
    agenda = agenda_build(touchbase=current)
    assert _section(agenda, "new_submissions") == ["Carla Candidate"]
    assert _section(agenda, "decisions") == ["Carla Candidate: waiting for Hank"]
    decisions = next(s for s in agenda["sections"] if s["key"] == "decisions")
    waited = "waiting 3 days (3 business days) since Mon 23 Nov 10:00"
    assert decisions["items"][0]["detail"] == waited
    # The review was due Wednesday 10:00: hank's overdue ask is listed under his name (and
    # rita's overdue news for the candidates under hers).
    assert _section(agenda, "overdue") == ["Hank Manager: 1 overdue", "Rita Recruiter: 2 overdue"]
    overdue = next(s for s in agenda["sections"] if s["key"] == "overdue")
    # Each ask listed says how late it is; the line itself carries no single due date.
    assert overdue["items"][0]["at"] == ""


def test_an_overdue_ask_reads_as_late_as_in_my_queue_to_the_minute(world, current, clock):
    """31 business minutes late is "31 business min overdue" on the agenda and in the queue
    (the agenda rounded it up to an hour)."""
    from closeloop.followups.selectors import ask_row

    due = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)  # Thursday, inside hank's day
    ask = ask_open(
        kind="review_submission", subject="review:late", title="Review Sam",
        owner=world.hank, job=world.job, application=world.sourced, opened_at=due - DAY,
    )  # fmt: skip
    Ask.objects.filter(pk=ask.pk).update(due_at=due)
    ask.refresh_from_db()
    clock.move_to(due + dt.timedelta(minutes=31))
    overdue = next(s for s in agenda_build(touchbase=current)["sections"] if s["key"] == "overdue")
    assert overdue["items"][0]["detail"] == "Review Sam (31 business min overdue)"
    assert ask_row(ask, due + dt.timedelta(minutes=31)).due_in == "31 business min overdue"


def test_past_due_by_no_business_time_the_agenda_says_since_when(world, current, clock):
    """Due Friday 17:00 and read on Sunday, no business time has passed: "overdue since
    Fri 27 Nov 17:00" (as My queue says it), not "1 business min overdue"."""
    from closeloop.followups.selectors import ask_row

    friday_17 = dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC)
    ask = ask_open(
        kind="review_submission", subject="review:late", title="Review Sam",
        owner=world.hank, job=world.job, application=world.sourced, opened_at=friday_17 - DAY,
    )  # fmt: skip
    Ask.objects.filter(pk=ask.pk).update(due_at=friday_17)
    ask.refresh_from_db()
    sunday = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    clock.move_to(sunday)
    overdue = next(s for s in agenda_build(touchbase=current)["sections"] if s["key"] == "overdue")
    assert overdue["items"][0]["detail"] == "Review Sam (overdue since Fri 27 Nov 17:00)"
    assert ask_row(ask, sunday).due_in == "overdue since Fri 27 Nov 17:00"


def test_a_question_asked_on_sunday_night_is_unanswered_since_then(
    world, current, submitted, clock
):
    """Hank asked at 03:57 on Sunday; read that morning no business hour has passed, so the
    agenda says since when, not "unanswered for 1 business hour"."""
    from closeloop.pipeline.services import submission_ask_question

    clock.move_to(dt.datetime(2026, 11, 29, 3, 57, tzinfo=dt.UTC))
    submission_ask_question(submission=submitted, by=world.hank, text="On call since when?")
    clock.move_to(dt.datetime(2026, 11, 29, 11, 0, tzinfo=dt.UTC))
    decisions = next(
        s for s in agenda_build(touchbase=current)["sections"] if s["key"] == "decisions"
    )
    detail = decisions["items"][0]["detail"]
    assert detail.endswith("Hank's question unanswered since Sun 29 Nov 03:57"), detail
    # Once a business hour has passed, it says how long.
    clock.move_to(dt.datetime(2026, 11, 30, 10, 30, tzinfo=dt.UTC))
    decisions = next(
        s for s in agenda_build(touchbase=current)["sections"] if s["key"] == "decisions"
    )
    assert decisions["items"][0]["detail"].endswith("unanswered for 1 business hour")


def test_the_overdue_line_counts_every_kind_as_the_job_page_does(world, current, submitted, clock):
    """The job page counts every overdue ask of hank's; so does his overdue line, his
    debrief decision included though it has its own section too."""
    ask_open(
        kind="decide_after_debrief", subject="test-debrief:2", title="Decide on Carla",
        owner=world.hank, application=world.interviewed, job=world.job,
    )  # fmt: skip
    clock.move_to(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC))
    assert _section(agenda_build(touchbase=current), "overdue")[0] == "Hank Manager: 2 overdue"


def test_new_submissions_count_from_the_last_held_meeting(world, series, submitted, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=30))
    first = series.occurrences.get()
    touchbase_hold(touchbase=first, by=world.rita)
    touchbases_advance()
    second = series.occurrences.get(scheduled_at=THURSDAY_14 + dt.timedelta(days=7))
    assert _section(agenda_build(touchbase=second), "new_submissions") == []


def test_debriefs_to_decide_come_from_asks_and_the_debrief_stage(world, current):
    ask_open(
        kind="decide_after_debrief",
        subject="test-debrief:1",
        title="Decide on Carla",
        owner=world.hank,
        application=world.interviewed,
    )
    debrief = world.job.stages.get(kind=StageKind.DEBRIEF)
    # Parked there without a debrief: older data, as a move there now opens the debrief of
    # the rounds held (or is refused, Sam having had none).
    Application.objects.filter(pk=world.sourced.pk).update(stage=debrief)
    assert sorted(_section(agenda_build(touchbase=current), "debriefs")) == [
        "Carla Candidate",
        "Sam Sourced",
    ]


def test_candidates_waiting_on_us_are_the_overdue_news_asks(world, current, clock):
    clock.move_to(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC))  # > 3 business days of silence
    items = _section(agenda_build(touchbase=current), "candidates_waiting")
    assert set(items) == {"Carla Candidate", "Sam Sourced"}


def test_interviews_are_those_of_the_next_seven_days(world, current):
    far = dt.datetime(2026, 12, 10, 10, 0, tzinfo=dt.UTC)
    Interview.objects.create(
        application=world.sourced, round_name="Onsite", starts_at=far, ends_at=far
    )
    assert _section(agenda_build(touchbase=current), "interviews") == ["Carla Candidate: Technical"]


def test_drift_flags_from_the_intake_are_listed(world, current, submitted):
    assert _section(agenda_build(touchbase=current), "drift") == []
    # The intake's rules are tested with the intake; the agenda lists what they say: here a
    # candidate put forward (submitted) whose expected pay is above the agreed range.
    world.job.compensation_min, world.job.compensation_max = 80_000, 100_000
    world.job.compensation_currency = "EUR"
    world.job.save()
    candidate = world.interviewed.candidate
    candidate.expected_compensation = 150_000
    candidate.save()
    current.refresh_from_db()  # the agenda reads the job through the meeting's series
    assert _section(agenda_build(touchbase=current), "drift") == [
        "1 candidate expects pay outside the range"
    ]


def test_open_action_items_carry_over_until_done(world, series, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=10))
    first = series.occurrences.get()
    action_item_add(
        touchbase=first,
        by=world.rita,
        description="Widen the search to Lisbon",
        owner=world.rita,
        due_on=dt.date(2026, 11, 27),
    )
    touchbase_hold(touchbase=first, by=world.rita)
    clock.move_to(THURSDAY_14 + dt.timedelta(hours=1))
    touchbases_advance()
    second = series.occurrences.get(scheduled_at=THURSDAY_14 + dt.timedelta(days=7))
    assert _section(agenda_build(touchbase=second), "carried") == ["Widen the search to Lisbon"]
    assert _section(agenda_build(touchbase=first), "carried") == []  # not carried into itself


def test_a_held_meeting_shows_its_snapshot_not_the_pipeline_today(world, current, submitted, clock):
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=30))
    touchbase_hold(touchbase=current, by=world.rita)
    submitted.application.delete()  # the pipeline changes afterwards
    current.refresh_from_db()
    page = agenda_for_page(touchbase=current)
    assert page["snapshot"] is True
    assert _section(page, "decisions") == ["Carla Candidate: waiting for Hank"]


def test_a_long_section_lists_its_most_urgent_rows_and_counts_the_rest(world, current, login):
    """A big search has more waiting than a meeting reads: each section shows its first
    AGENDA_SECTION_ROWS, oldest first, with the true count (and a link where a page lists
    them all); the snapshot kept when the meeting is held is the same."""
    from closeloop.pipeline.models import Application, Candidate, Submission

    stage = world.job.stages.get(name="Submitted")
    start = MONDAY_8
    for n in range(AGENDA_SECTION_ROWS + 5):
        candidate = Candidate.objects.create(full_name=f"Waiting {n:02d}")
        application = Application.objects.create(candidate=candidate, job=world.job, stage=stage)
        Submission.objects.create(
            application=application, submitted_by=world.rita, submitted_at=start - HOUR * n
        )
        interview = Interview.objects.create(
            application=application, round_name="Screen",
            starts_at=start + DAY + HOUR * n, ends_at=start + DAY + HOUR * (n + 1),
        )  # fmt: skip
        interview.interviewers.add(world.ivy)
    agenda = agenda_build(touchbase=current)
    decisions = next(s for s in agenda["sections"] if s["key"] == "decisions")
    assert len(decisions["items"]) == AGENDA_SECTION_ROWS
    assert decisions["total"] == AGENDA_SECTION_ROWS + 5
    waited_longest = f"Waiting {AGENDA_SECTION_ROWS + 4:02d}: waiting for Hank"
    assert decisions["items"][0]["text"] == waited_longest and not decisions["more_url"]
    interviews = next(s for s in agenda["sections"] if s["key"] == "interviews")
    assert interviews["total"] == AGENDA_SECTION_ROWS + 6  # and Carla's
    assert interviews["more_url"] == reverse("interviews:job-interviews", args=[world.job.pk])

    page = login(world.rita).get(reverse("touchbases:touchbase-detail", args=[current.pk]))
    html = page.content.decode()
    shown = html[html.index('id="agenda-decisions"') : html.index('id="agenda-debriefs"')]
    assert shown.count('<li class="tb-item') == AGENDA_SECTION_ROWS
    assert f'<span class="tab-count">{AGENDA_SECTION_ROWS + 5}</span>' in shown
    assert f"The first {AGENDA_SECTION_ROWS} of {AGENDA_SECTION_ROWS + 5}." in shown
    assert f"see all {AGENDA_SECTION_ROWS + 6}</a>" in html


def test_a_meeting_marked_held_days_later_covers_what_came_in_until_it_ended(world, series, clock):
    """Thursday's meeting (14:00–14:30) marked held on Saturday: Sam, submitted on Friday,
    is not among its new submissions, and the next meeting counts him (from Thursday's end,
    not from Saturday's click)."""
    from closeloop.pipeline.models import Submission

    first = series.occurrences.get()
    Submission.objects.create(
        application=world.sourced, submitted_by=world.rita, pitch="Fit.",
        submitted_at=THURSDAY_14 + DAY,
    )  # fmt: skip
    clock.move_to(THURSDAY_14 + 2 * DAY)
    touchbase_hold(touchbase=first, by=world.rita)
    first.refresh_from_db()
    held = next(s for s in first.agenda["sections"] if s["key"] == "new_submissions")
    assert [item["text"] for item in held["items"]] == []
    touchbases_advance()
    second = series.occurrences.get(scheduled_at=THURSDAY_14 + dt.timedelta(days=7))
    assert _section(agenda_build(touchbase=second), "new_submissions") == ["Sam Sourced"]
