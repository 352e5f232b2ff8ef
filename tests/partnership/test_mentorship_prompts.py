"""Coaching prompts from real behaviour, with their evidence, as each reader may see it; and
the admins' suggested pairs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone
from mentorship_data import active_mentorship, past_ask, slow_reviews

from closeloop.partnership.mentorship import prompts, selectors
from closeloop.partnership.pulses.models import PulseAnswer, PulseRound


@pytest.fixture
def world(clock, world):
    return world


def _keys(person):
    return [prompt.key for prompt in prompts.prompts_raised(person, timezone.now())]


def test_reviews_slower_than_agreed_for_two_weeks_raise_a_prompt_with_each_late_review(world):
    assert "slow_reviews" not in _keys(world.hank)
    late = slow_reviews(world, count=3)
    raised = {p.key: p for p in prompts.prompts_raised(world.hank, timezone.now())}
    prompt = raised["slow_reviews"]
    assert prompt.title == "Reviews slower than agreed: 3 answered late, 0 in time in two weeks"
    assert {e.application_id for e in prompt.evidence} == {world.sourced.pk}
    assert len(prompt.evidence) == len(late)
    # One still open past due is late too, and said apart from those answered: the goal's
    # figure beside it counts answered asks only.
    past_ask(world.hank, "review_submission", days_ago=5, open_=True, application=world.sourced)
    prompt = next(
        p for p in prompts.prompts_raised(world.hank, timezone.now()) if p.key == "slow_reviews"
    )
    assert prompt.title == (
        "Reviews slower than agreed: 3 answered late, 1 still open past due, 0 in time in two weeks"
    )


def test_reviews_mostly_in_time_or_older_than_two_weeks_raise_nothing(world):
    slow_reviews(world, count=2)
    for days in (3, 5, 6):
        past_ask(world.hank, "review_submission", days_ago=days, late_days=-1)
    assert "slow_reviews" not in _keys(world.hank)
    for days in (20, 25, 30):
        past_ask(world.ivy, "review_submission", days_ago=days, late_days=2)
    assert "slow_reviews" not in _keys(world.ivy)


def test_late_scorecards_and_long_waits_raise_their_prompts(world, clock):
    for days in (3, 9):
        past_ask(
            world.ivy, "submit_scorecard", days_ago=days, late_days=1, application=world.interviewed
        )
    assert "late_scorecards" in _keys(world.ivy)
    # Sam waits on hank's move; nine business days later he has waited too long.
    world.sourced.next_move_owner = world.hank
    world.sourced.next_move_since = timezone.now()
    world.sourced.save()
    assert "waiting_candidates" not in _keys(world.hank)
    clock.move_to(timezone.now() + dt.timedelta(days=12))
    assert "waiting_candidates" in _keys(world.hank)


def test_a_pass_citing_a_reason_outside_the_must_haves_raises_a_prompt(world):
    from closeloop.pipeline.services import application_submit, submission_pass_citing

    submission = application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    assert "outside_passes" not in _keys(world.hank)
    submission_pass_citing(
        submission=submission, by=world.hank, kind="other", criterion="Not a culture fit"
    )
    raised = {p.key: p for p in prompts.prompts_raised(world.hank, timezone.now())}
    assert "Not a culture fit" in raised["outside_passes"].evidence[0].detail


def test_the_prompt_counts_the_passes_the_jobs_drift_watch_counts_off_the_agreement(world):
    """One rule for both: a pass for a reason the agreement does not hold ("Communication"),
    named or not, counts; one for a must-have skill does not."""
    from closeloop.intake.selectors import drift_flags
    from closeloop.pipeline.services import (
        application_submit,
        candidate_add,
        submission_decide,
    )

    reasons = ["communication", "team_fit", "experience", "skills"]
    for number, reason in enumerate(reasons):
        data = {"full_name": f"Pat {number}", "email": f"pat{number}@cand.example"}
        application = candidate_add(job=world.job, by=world.rita, data=data).application
        submission = application_submit(application=application, by=world.rita, pitch="Strong.")
        submission_decide(submission=submission, by=world.hank, decision="passed", reason=reason)
    now = timezone.now()
    raised = {p.key: p for p in prompts.prompts_raised(world.hank, now)}
    prompt = raised["outside_passes"]
    assert prompt.title == "3 passes for reasons not in the agreement in 30 days"
    flag = next(f for f in drift_flags(job=world.job) if f.rule == "off_list_passes")
    assert flag.title.startswith("3 passes for reasons not in the agreement")
    assert {"“Communication”" in e.detail for e in prompt.evidence} == {True, False}


def test_a_failing_prompt_source_is_left_out_and_logged(world, caplog):
    def broken(person, now, zone, reader):
        raise RuntimeError("boom")

    prompts.PROMPT_SOURCES["broken"] = broken
    try:
        slow_reviews(world)
        assert "slow_reviews" in _keys(world.hank)
    finally:
        del prompts.PROMPT_SOURCES["broken"]
    assert "mentoring prompt broken failed" in caplog.text


def test_a_mentor_who_shares_the_job_gets_names_and_links(world):
    slow_reviews(world)
    mentorship = active_mentorship(world.rita, world.hank)
    shown = selectors.mentorship_prompts(
        viewer=world.rita, mentorship=mentorship, now=timezone.now()
    )
    evidence = next(p for p in shown if p.key == "slow_reviews").evidence
    assert evidence[0].url == f"/applications/{world.sourced.pk}/"
    assert "Sam Sourced" in evidence[0].text


def test_a_mentor_outside_the_job_gets_a_summary_without_names_or_links(world):
    slow_reviews(world)
    mentorship = active_mentorship(world.olga, world.hank)
    shown = selectors.mentorship_prompts(
        viewer=world.olga, mentorship=mentorship, now=timezone.now()
    )
    evidence = next(p for p in shown if p.key == "slow_reviews").evidence
    assert all(row.url == "" for row in evidence)
    text = " ".join(row.text for row in evidence)
    assert "Sam" not in text and "Backend" not in text and "A review due" in text


def test_suggested_pairs_match_a_strong_record_with_a_weak_one_for_admins_only(world):
    for days in (5, 10, 15, 20):
        past_ask(world.olga, "review_submission", days_ago=days, late_days=-1)
        past_ask(world.hank, "review_submission", days_ago=days, late_days=2)
    now = timezone.now()
    pairs = selectors.pairs_suggested(viewer=world.ada, now=now)
    assert [(p.mentor, p.mentee, p.practice) for p in pairs] == [
        (world.olga, world.hank, "reviewing submissions in time")
    ]
    assert pairs[0].mentee_words == "0% answered in time (0 of 4, last 90 days)"
    with pytest.raises(Http404):
        selectors.pairs_suggested(viewer=world.rita, now=now)
    # Once they are paired, the pair is no longer suggested.
    active_mentorship(world.olga, world.hank)
    assert selectors.pairs_suggested(viewer=world.ada, now=now) == []


def test_telling_candidates_the_outcome_late_is_a_practice_pairs_are_suggested_for(world):
    for days in (5, 10, 15):
        past_ask(world.olga, "inform_candidate", days_ago=days, late_days=-1)
        past_ask(world.rita, "inform_candidate", days_ago=days, late_days=1)
    pairs = selectors.pairs_suggested(viewer=world.ada, now=timezone.now())
    assert [(p.mentor, p.mentee, p.practice) for p in pairs] == [
        (world.olga, world.rita, "telling candidates the outcome in time")
    ]


def _pulse(world, number, scores, *, days_ago, job=None):
    """A revealed pulse round on `job` in which rita said `scores` of working with hank."""
    revealed = timezone.now() - dt.timedelta(days=days_ago)
    pulse = PulseRound.objects.create(
        job=job or world.job, number=number, recruiter=world.rita, hiring_manager=world.hank,
        opened_at=revealed - dt.timedelta(days=5), closes_at=revealed, revealed_at=revealed,
    )  # fmt: skip
    PulseAnswer.objects.create(
        round=pulse, side="recruiter", by=world.rita, about=world.hank,
        score_1=scores[0], score_2=scores[1], score_3=scores[2], answered_at=revealed,
    )  # fmt: skip


def test_a_pulse_that_fell_more_than_a_point_or_is_low_raises_a_prompt(world):
    _pulse(world, 1, (4, 4, 4), days_ago=20)
    _pulse(world, 2, (4, 3, 3), days_ago=6)  # each fell a point at most, none is low
    assert "falling_pulse" not in _keys(world.hank)
    _pulse(world, 3, (4, 3, 1), days_ago=1)  # the third fell two points, to 1
    raised = {p.key: p for p in prompts.prompts_raised(world.hank, timezone.now())}
    prompt = raised["falling_pulse"]
    assert prompt.title == "A partnership pulse is low or falling on 1 job"
    (evidence,) = prompt.evidence
    assert evidence.summary.startswith("Availability 3 → 1 in a pulse revealed")
    assert evidence.job_id is None
    # Neither wording names the job or whose answer it was: the pulse page is the two
    # sides' and the admins' only, and a mentor may be neither.
    assert "Backend" not in evidence.detail and "Rita" not in evidence.detail
    # About rita nothing was said: no prompt for her.
    assert "falling_pulse" not in _keys(world.rita)


def test_a_low_score_raises_a_prompt_unless_older_than_the_window(world):
    _pulse(world, 1, (1, 4, 4), days_ago=90)
    assert "falling_pulse" not in _keys(world.hank)
    _pulse(world, 2, (5, 5, 2), days_ago=3)  # a 2 on the first round in the window
    assert "falling_pulse" in _keys(world.hank)


def test_evidence_gives_its_times_in_the_readers_zone_not_the_mentees(world):
    """Hank works from Berlin; rita, his mentor, reads in London and ada in New York: each
    reads a late review's due time as their own pages show it."""
    from closeloop.lib.timefmt import absolute, zone_or_utc

    for person, zone in ((world.hank, "Europe/Berlin"), (world.rita, "Europe/London"),
                         (world.ada, "America/New_York")):  # fmt: skip
        person.time_zone = zone
        person.save()
    late = slow_reviews(world)
    mentorship = active_mentorship(world.rita, world.hank)
    due = late[0].due_at
    for reader in (world.rita, world.ada, world.hank):
        shown = selectors.mentorship_prompts(
            viewer=reader, mentorship=mentorship, now=timezone.now()
        )
        text = " ".join(row.text for p in shown if p.key == "slow_reviews" for row in p.evidence)
        assert f"due {absolute(due, zone_or_utc(reader.time_zone))}, answered late" in text
        if reader != world.hank:
            assert f"due {absolute(due, zone_or_utc('Europe/Berlin'))}," not in text


def test_a_falling_pulse_names_the_question_that_fell_not_the_average(world):
    """4, 5, 4 then 2, 4, 3: the average went 4.3 → 3.0, but what fell is the speed of
    answers, 4 → 2; the other two moved a point, which the pulse alerts do not flag."""
    _pulse(world, 1, (4, 5, 4), days_ago=20)
    _pulse(world, 2, (2, 4, 3), days_ago=6)
    raised = {p.key: p for p in prompts.prompts_raised(world.hank, timezone.now())}
    (evidence,) = raised["falling_pulse"].evidence
    assert evidence.summary.startswith("Speed of answers 4 → 2 in a pulse revealed ")
    assert "4.3" not in evidence.summary and "Clarity" not in evidence.summary
    # A low score with no round before is named with its score alone.
    _pulse(world, 1, (5, 2, 5), days_ago=3, job=world.other_job)
    raised = {p.key: p for p in prompts.prompts_raised(world.hank, timezone.now())}
    assert {e.summary.split(" in a pulse")[0] for e in raised["falling_pulse"].evidence} == {
        "Speed of answers 4 → 2",
        "Clarity of feedback 2",
    }


def test_a_pair_declined_or_ended_lately_is_not_suggested_again(world):
    """Hank declined Olga: for 90 days the admins are offered Rita, the next strongest, not
    Olga again; a pairing that ended rests the same way; after 90 days it may come back."""
    from closeloop.partnership.mentorship import services
    from closeloop.partnership.mentorship.models import Mentorship

    for days in (5, 10, 15, 20):
        past_ask(world.olga, "review_submission", days_ago=days, late_days=-1)
        past_ask(world.hank, "review_submission", days_ago=days, late_days=2)
    for days in (6, 11, 16):
        past_ask(world.rita, "review_submission", days_ago=days, late_days=-1)
    now = timezone.now()

    def pairs():
        return [(p.mentor, p.mentee) for p in selectors.pairs_suggested(viewer=world.ada, now=now)]

    assert pairs() == [(world.olga, world.hank)]
    declined = services.mentorship_propose(mentor=world.olga, mentee=world.hank, by=world.ada)
    services.mentorship_decline(mentorship=declined, by=world.hank)
    assert pairs() == [(world.rita, world.hank)]
    ended = active_mentorship(world.rita, world.hank)
    services.mentorship_end(mentorship=ended, by=world.rita)
    assert pairs() == []  # both strong colleagues were turned down lately
    Mentorship.objects.filter(pk=declined.pk).update(answered_at=now - dt.timedelta(days=91))
    assert pairs() == [(world.olga, world.hank)]
