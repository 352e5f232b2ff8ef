"""The drift watch: each of the four rules, and that each stays quiet when it should."""

from __future__ import annotations

import datetime as dt

from intake_helpers import REQUIREMENTS, ROLE, add_candidate, sign_everything

from closeloop.intake.models import PassCitation
from closeloop.intake.selectors import drift_flags, fill_projection, intake_overview
from closeloop.intake.services import (
    intake_draft_save,
    intake_draft_start,
    intake_propose,
    intake_sign,
)
from closeloop.jobs.models import StageKind
from closeloop.pipeline.services import (
    application_move,
    application_submit,
    submission_decide,
    submission_pass_citing,
)


def rules(job) -> set[str]:
    return {flag.rule for flag in drift_flags(job=job)}


def rules_read_with_the_overview(job) -> set[str]:
    return {flag.rule for flag in drift_flags(job=job, overview=intake_overview(job=job))}


def submit_and_pass(world, name, *, reason="communication", cite=None):
    application = add_candidate(world.job, world.rita, name)
    submission = application_submit(application=application, by=world.rita, pitch="Good.")
    if cite:
        return submission_pass_citing(
            submission=submission, by=world.hank, kind=cite[0], criterion=cite[1]
        )
    note = "Not for us" if reason == "other" else ""
    return submission_decide(
        submission=submission, by=world.hank, decision="passed", reason=reason, note=note
    )


def test_passes_for_reasons_outside_the_agreement_are_flagged(signed, world, clock):
    for index in range(3):
        clock.shift(dt.timedelta(hours=1))
        submit_and_pass(world, f"Off List{index}", reason="experience")
    flag = next(f for f in drift_flags(job=world.job) if f.rule == "off_list_passes")
    assert flag.title == "3 passes for reasons not in the agreement"
    assert "Experience level does not fit" in flag.detail


def test_passes_citing_must_haves_and_deal_breakers_are_not_drift(signed, world, clock):
    submit_and_pass(world, "Miss One", cite=("must_have", "Python"))
    submit_and_pass(world, "Miss Two", cite=("deal_breaker", "Needs visa sponsorship"))
    submit_and_pass(world, "Miss Three", reason="skills")
    assert "off_list_passes" not in rules(world.job)
    assert PassCitation.objects.count() == 2


def test_a_cited_must_have_the_agreement_since_dropped_counts_as_off_list(signed, world):
    for index in range(3):
        submit_and_pass(world, f"Gone Must{index}", cite=("must_have", "Cobol"))
    assert "off_list_passes" in rules(world.job)


def test_passes_before_the_agreement_came_into_force_do_not_count(world, clock):
    for index in range(3):
        submit_and_pass(world, f"Early Pass{index}", reason="team_fit")
    assert {"off_list_passes", "passes_in_a_row"} <= rules(world.job)
    assert rules_read_with_the_overview(world.job) == rules(world.job)
    clock.shift(dt.timedelta(hours=1))
    # Once an agreement is signed, the watch starts again from its signing.
    sign_everything(world)
    assert rules(world.job) & {"off_list_passes", "passes_in_a_row"} == set()
    # A page that read the overview passes it: its version in force is the same one.
    assert rules_read_with_the_overview(world.job) == rules(world.job)


def amend(world, clock, step: str, data: dict) -> None:
    """An hour later, rita amends one step of the agreement in force and hank signs it."""
    clock.shift(dt.timedelta(hours=1))
    draft = intake_draft_start(job=world.job, by=world.rita, source="last")
    intake_draft_save(version=draft, by=world.rita, step=step, data=data)
    intake_propose(version=draft, by=world.rita)
    intake_sign(version=draft, by=world.hank)
    world.job.refresh_from_db()


RAISED_PAY = {
    **ROLE, "remote": True, "headcount": 1, "compensation_min": 80000,
    "compensation_max": 120000, "compensation_currency": "EUR",
    "target_fill_date": dt.date(2027, 2, 26), "target_start_date": dt.date(2027, 4, 1),
}  # fmt: skip
DRIFTED = {"off_list_passes", "passes_in_a_row"}


def test_an_amendment_of_the_pay_alone_keeps_the_drift_flags(signed, world, clock):
    for index in range(3):
        clock.shift(dt.timedelta(hours=1))
        submit_and_pass(world, f"Off List{index}", reason="experience")
    assert rules(world.job) >= DRIFTED
    amend(world, clock, "role", RAISED_PAY)
    assert world.job.compensation_max == 120000  # the amendment is in force
    # The passes were weighed against the same must-haves: a raise at the top changes that not.
    assert rules(world.job) >= DRIFTED
    assert rules_read_with_the_overview(world.job) == rules(world.job)
    off_list = next(f for f in drift_flags(job=world.job) if f.rule == "off_list_passes")
    assert off_list.title == "3 passes for reasons not in the agreement"


def test_an_amendment_of_the_must_haves_starts_the_count_again(signed, world, clock):
    for index in range(3):
        clock.shift(dt.timedelta(hours=1))
        submit_and_pass(world, f"Off List{index}", reason="experience")
    must_haves = REQUIREMENTS["must_haves"] + "\nFive years of experience"
    amend(world, clock, "requirements", {**REQUIREMENTS, "must_haves": must_haves})
    assert rules(world.job) & DRIFTED == set()
    assert rules_read_with_the_overview(world.job) == rules(world.job)
    for index in range(3):
        clock.shift(dt.timedelta(hours=1))
        submit_and_pass(world, f"After{index}", reason="team_fit")
    # A later amendment of the pay keeps counting from the must-haves' own signing.
    amend(world, clock, "role", RAISED_PAY)
    assert rules(world.job) >= DRIFTED
    assert rules_read_with_the_overview(world.job) == rules(world.job)


def test_an_advance_breaks_the_run_of_passes(signed, world):
    submit_and_pass(world, "Pass One", cite=("must_have", "Python"))
    submit_and_pass(world, "Pass Two", cite=("must_have", "Python"))
    assert "passes_in_a_row" not in rules(world.job)
    submit_and_pass(world, "Pass Three", cite=("must_have", "Python"))
    assert "passes_in_a_row" in rules(world.job)
    application = add_candidate(world.job, world.rita, "Advanced Anna")
    submission = application_submit(application=application, by=world.rita, pitch="Great.")
    submission_decide(submission=submission, by=world.hank, decision="advanced")
    assert "passes_in_a_row" not in rules(world.job)


def test_expected_pay_outside_the_range_is_flagged_once_a_candidate_is_put_forward(signed, world):
    candidate = world.interviewed.candidate
    candidate.expected_compensation, candidate.compensation_currency = 130000, "EUR"
    candidate.save()
    assert "pay_outside_range" not in rules(world.job)  # still in Sourced: the recruiter's filter
    application_submit(application=world.interviewed, by=world.rita, pitch="Strong.")
    flag = next(f for f in drift_flags(job=world.job) if f.rule == "pay_outside_range")
    assert "Carla Candidate (130,000)" in flag.detail
    candidate.compensation_currency = "USD"  # another currency cannot be compared
    candidate.save()
    assert "pay_outside_range" not in rules(world.job)


def test_a_range_open_at_the_bottom_or_topped_at_zero_reads_in_the_flag(signed, world):
    """The job form (not the intake) may leave a range "up to 0" with no bottom: the flag
    still reads instead of failing the job page."""
    candidate = world.interviewed.candidate
    candidate.expected_compensation, candidate.compensation_currency = 5, "EUR"
    candidate.save()
    application_submit(application=world.interviewed, by=world.rita, pitch="Strong.")
    job = world.job
    for (low, high), words in {
        (None, 0): "Agreed range up to EUR 0:",
        (10, None): "Agreed range from EUR 10:",
    }.items():
        job.compensation_min, job.compensation_max = low, high
        job.save()
        flag = next(f for f in drift_flags(job=job) if f.rule == "pay_outside_range")
        assert flag.detail.startswith(words), flag.detail


def test_the_fill_date_is_projected_from_offers_per_week(signed, world, clock):
    job = world.job
    job.target_fill_date = dt.date(2026, 12, 14)  # three weeks out
    job.save()
    assert "fill_date_at_risk" in rules(job)  # no offers at all, and the target is near
    offer = job.stages.get(kind=StageKind.OFFER)
    application_move(application=world.interviewed, by=world.rita, to_stage=offer)
    projection = fill_projection(job=job)
    assert (projection.offers, projection.remaining) == (1, 1)
    # One offer in 8 weeks: 8 weeks for the one hire left, past a target three weeks out.
    assert projection.projected == dt.date(2026, 11, 23) + dt.timedelta(weeks=8)
    assert "fill_date_at_risk" in rules(job)
    job.target_fill_date = dt.date(2027, 3, 1)
    job.save()
    assert "fill_date_at_risk" not in rules(job)


def test_a_job_far_from_its_target_with_no_offers_is_not_flagged(signed, world):
    world.job.target_fill_date = dt.date(2027, 6, 1)
    world.job.save()
    assert drift_flags(job=world.job) == []
