# ruff: noqa: E501  (a table of cases reads best one per line)
"""The intake services: validation, versions, sign-off and the hand-over to the job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask, AskStatus
from closeloop.intake.models import IntakeSignature, IntakeStatus, IntakeTemplate, IntakeVersion
from closeloop.intake.services import (
    intake_draft_discard,
    intake_draft_save,
    intake_draft_start,
    intake_propose,
    intake_sign,
    intake_summary_send,
)
from closeloop.interviews.models import Debrief, Interview
from closeloop.interviews.selectors import interview_focus_attributes
from closeloop.interviews.services import Slot, interview_book
from closeloop.notify.models import Message
from closeloop.touchbases.models import TouchbaseSeries
from closeloop.touchbases.services import series_sync_due


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("step", "data", "field", "words"),
    [
        ("role", {"compensation_min": 90000, "compensation_max": 80000, "compensation_currency": "EUR"}, "compensation_max", "below"),
        ("role", {"compensation_min": 90000, "compensation_currency": ""}, "compensation_currency", "currency"),
        ("role", {"compensation_min": None, "compensation_max": 0, "compensation_currency": "EUR"}, "compensation_max", "above 0"),
        ("role", {"target_fill_date": dt.date(2027, 5, 1), "target_start_date": dt.date(2027, 4, 1)}, "target_fill_date", "after the start"),
        ("role", {"title": "  "}, "title", "title"),
        ("role", {"target_fill_date": dt.date(2020, 1, 1)}, "target_fill_date", "has passed"),
        ("role", {"target_start_date": dt.date(2020, 2, 1)}, "target_start_date", "has passed"),
        ("requirements", {"must_haves": " \n "}, "must_haves", "at least one must-have"),
        ("requirements", {"must_haves": "Python\npython"}, "must_haves", "twice"),
        ("plan", {"interview_plan": [{"name": "", "duration_minutes": 45}]}, "interview_plan", "needs a name"),
        ("plan", {"interview_plan": [{"name": "Tech", "duration_minutes": None}]}, "interview_plan", "duration"),
        ("plan", {"interview_plan": []}, "interview_plan", "at least one"),
        ("cadence", {"service_levels": {"review_submission": 0}}, "service_levels", "at least"),
        ("cadence", {"touchbase_weekday": 1, "touchbase_time": None}, "touchbase_time", "what time"),
        ("cadence", {"touchbase_time_zone": "Mars/Olympus"}, "touchbase_time_zone", "time zone"),
    ],
)  # fmt: skip
def test_a_bad_step_is_refused_with_a_clear_message_and_nothing_changes(
    drafted, world, step, data, field, words
):
    before = IntakeVersion.objects.values().get(pk=drafted.pk)
    errors = errors_of(
        lambda: intake_draft_save(version=drafted, by=world.rita, step=step, data=data)
    )
    assert words in " ".join(errors[field])
    assert IntakeVersion.objects.values().get(pk=drafted.pk) == before


def test_a_target_date_already_in_the_version_may_stay_when_other_fields_change(drafted, world):
    """A search running past its agreed date is amended for something else: the date it
    had stays (only a date newly set in the past is refused)."""
    IntakeVersion.objects.filter(pk=drafted.pk).update(target_fill_date=dt.date(2020, 1, 1))
    drafted.refresh_from_db()
    saved = intake_draft_save(
        version=drafted, by=world.rita, step="role",
        data={"title": "Backend Engineer II", "target_fill_date": dt.date(2020, 1, 1)},
    )  # fmt: skip
    assert (saved.title, saved.target_fill_date) == ("Backend Engineer II", dt.date(2020, 1, 1))


def test_the_escalation_contact_cannot_be_the_hiring_manager(drafted, world):
    errors = errors_of(
        lambda: intake_draft_save(
            version=drafted, by=world.rita, step="cadence", data={"escalation_contact": world.hank}
        )
    )
    assert "someone else" in errors["escalation_contact"][0]


def test_a_blank_start_takes_the_jobs_own_details(world):
    version = intake_draft_start(job=world.job, by=world.hank)
    assert version.number == 1 and version.status == IntakeStatus.DRAFT
    assert version.title == "Backend Engineer" and version.must_have_list[0] == "Python"
    assert intake_draft_start(job=world.job, by=world.rita).pk == version.pk  # one draft


def test_starting_from_a_template_copies_its_requirements_and_plan(world):
    template = IntakeTemplate.objects.create(
        name="Backend",
        job_family="Engineering",
        must_haves="Go\nKubernetes",
        interview_plan=[{"name": "Tech", "duration_minutes": 60, "focus_attributes": ["Go"]}],
        service_levels={"review_submission": 1},
    )
    version = intake_draft_start(job=world.job, by=world.rita, source="template", template=template)
    assert version.must_have_list == ["Go", "Kubernetes"]
    assert version.interview_plan[0]["name"] == "Tech"
    assert "template" in version.started_from


def test_only_the_recruiter_the_hm_and_admins_edit(world, drafted):
    for outsider in (world.ivy, world.olga):
        with pytest.raises(PermissionDenied):
            intake_draft_save(version=drafted, by=outsider, step="requirements", data={})
        with pytest.raises(PermissionDenied):
            intake_draft_start(job=world.job, by=outsider)
    intake_draft_save(
        version=drafted, by=world.ada, step="requirements", data={"must_haves": "Python"}
    )


def test_proposing_signs_the_proposers_side_and_asks_the_other(proposed, world):
    assert proposed.status == IntakeStatus.PROPOSED
    assert list(proposed.signatures.values_list("side", "signed_by")) == [
        ("recruiter", world.rita.pk)
    ]
    ask = Ask.objects.get(kind="sign_intake", status=AskStatus.OPEN)
    assert (ask.owner, ask.subject) == (world.hank, f"intake:{proposed.pk}:hiring_manager")
    message = Message.objects.get(template="intake-sign")
    assert message.recipient == world.hank and "Please sign" in message.subject


def test_the_reminder_to_sign_names_the_version_and_never_a_candidate(proposed, world, clock):
    clock.move_to(dt.datetime(2026, 11, 24, 10, 1, tzinfo=dt.UTC))  # halfway to due
    asks_advance()
    notices_compose()
    reminder = Message.objects.get(recipient=world.hank, template="nudge")
    assert reminder.subject == "Version 1 of the Backend Engineer intake waits for your signature"
    assert "Version 1 of the Backend Engineer intake waits for your signature (due" in (
        reminder.body_text
    )
    assert "candidate" not in (reminder.subject + reminder.body_text).lower()


def test_an_admin_who_is_neither_side_asks_both(drafted, world):
    intake_propose(version=drafted, by=world.ada)
    owners = set(Ask.objects.filter(kind="sign_intake").values_list("owner", flat=True))
    assert owners == {world.hank.pk, world.rita.pk}
    assert not IntakeSignature.objects.exists()


def test_a_proposed_version_is_immutable(proposed, world):
    with pytest.raises(ValidationError):
        intake_draft_save(version=proposed, by=world.rita, step="requirements", data={})
    with pytest.raises(ValidationError):
        intake_draft_discard(version=proposed, by=world.rita)


def test_signing_twice_or_by_someone_else_changes_nothing(proposed, world):
    with pytest.raises(ValidationError, match="already"):
        intake_sign(version=proposed, by=world.rita)
    for person in (world.ivy, world.olga):
        with pytest.raises(PermissionDenied):
            intake_sign(version=proposed, by=person)
    with pytest.raises(PermissionDenied):
        intake_sign(version=proposed, by=world.ada)  # admins edit, but only the sides sign
    assert proposed.signatures.count() == 1


def test_both_signatures_bring_it_into_force_and_hand_it_over(signed, world):
    job = world.job
    job.refresh_from_db()
    assert signed.status == IntakeStatus.SIGNED and signed.in_force_at is not None
    assert (job.compensation_min, job.compensation_max, job.compensation_currency) == (
        80000,
        100000,
        "EUR",
    )
    assert job.deal_breaker_list == ["Needs visa sponsorship"]
    assert (job.touchbase_weekday, job.touchbase_time, job.touchbase_time_zone) == (
        1,
        dt.time(10),
        "Europe/Berlin",
    )
    rounds = list(job.interview_rounds.order_by("position"))
    assert [(r.name, r.duration_minutes) for r in rounds] == [
        ("Technical", 60),
        ("Team conversation", 45),
    ]
    assert rounds[0].focus_attributes == ["Python", "PostgreSQL"]
    assert list(rounds[0].interviewers.all()) == [world.ivy]
    assert Message.objects.filter(template="intake-signed", recipient=world.rita).exists()


def amend_plan(world, plan: list[dict]) -> None:
    """rita amends the interview plan and hank signs: the new plan comes into force."""
    draft = intake_draft_start(job=world.job, by=world.rita, source="last")
    intake_draft_save(version=draft, by=world.rita, step="plan", data={"interview_plan": plan})
    intake_propose(version=draft, by=world.rita)
    intake_sign(version=draft, by=world.hank)


def book(world, round_name: str) -> Interview:
    round_ = world.job.interview_rounds.get(name=round_name)
    slot = Slot(
        starts_at=timezone.now() + dt.timedelta(days=2),
        time_zone="UTC",
        interviewers=[world.ivy],
        location="Room 1",
    )
    return interview_book(application=world.interviewed, by=world.rita, round=round_, slot=slot)


def step(name: str, focus: list[str] | None = None) -> dict:
    return {
        "name": name,
        "duration_minutes": 45,
        "focus_attributes": focus or [],
        "interviewers": [],
    }


def test_an_amendment_replaces_the_plan_and_booked_interviews_keep_their_names(signed, world):
    draft = intake_draft_start(job=world.job, by=world.rita, source="last")
    plan = [{"name": "Systems", "duration_minutes": 90, "focus_attributes": [], "interviewers": []}]
    intake_draft_save(version=draft, by=world.rita, step="plan", data={"interview_plan": plan})
    intake_propose(version=draft, by=world.rita)
    assert world.job.interview_rounds.count() == 2  # not in force until hank signs
    intake_sign(version=draft, by=world.hank)
    assert [r.name for r in world.job.interview_rounds.all()] == ["Systems"]
    assert Interview.objects.get(application=world.interviewed).round_name == "Technical"
    signed.refresh_from_db()
    assert signed.status == IntakeStatus.SUPERSEDED


def test_reversing_the_plan_keeps_a_booked_interview_on_its_own_round(signed, world):
    technical = book(world, "Technical")
    before = {r.name: r.pk for r in world.job.interview_rounds.all()}
    amend_plan(world, [step("Team conversation"), step("Technical", ["Python", "Go"])])
    rounds = list(world.job.interview_rounds.order_by("position"))
    assert [(r.position, r.name) for r in rounds] == [(0, "Team conversation"), (1, "Technical")]
    assert {r.name: r.pk for r in rounds} == before  # the same rows, moved
    technical.refresh_from_db()
    assert technical.round.name == technical.round_name == "Technical"
    # The amended focus is what the booked Technical interview now probes.
    assert interview_focus_attributes(technical) == ["Python", "Go"]


def test_removing_a_middle_round_shifts_nothing_onto_the_others(signed, world):
    amend_plan(world, [step("Screen"), step("Technical", ["Python"]), step("Team conversation")])
    screen, technical, team = (
        book(world, name) for name in ("Screen", "Technical", "Team conversation")
    )
    amend_plan(world, [step("screen"), step("Team conversation")])  # names match case-blind
    rounds = list(world.job.interview_rounds.order_by("position"))
    assert [(r.position, r.name) for r in rounds] == [(0, "screen"), (1, "Team conversation")]
    for interview in (screen, technical, team):
        interview.refresh_from_db()
    assert screen.round == rounds[0] and team.round == rounds[1]
    # The removed round is gone; its interview keeps the name it was booked under.
    assert technical.round is None and technical.round_name == "Technical"


def test_a_removed_round_whose_debrief_cannot_lose_it_is_parked_after_the_plan(signed, world):
    """The application already has a round-less "Technical" debrief (the round was removed
    and re-added before): nulling the second one would break `debrief_one_per_round_name`."""
    technical = world.job.interview_rounds.get(name="Technical")
    common = {"opened_because": "by_hand", "last_interview_ended_at": timezone.now()}
    Debrief.objects.create(
        application=world.interviewed, round=None, round_name="Technical", **common
    )
    Debrief.objects.create(
        application=world.interviewed, round=technical, round_name="Technical", **common
    )
    amend_plan(world, [step("Team conversation")])
    rounds = list(world.job.interview_rounds.order_by("position"))
    assert [(r.position, r.name) for r in rounds] == [(0, "Team conversation"), (1, "Technical")]
    assert Debrief.objects.filter(round=technical).count() == 1
    amend_plan(world, [step("Technical"), step("Team conversation")])  # back in the plan
    first = world.job.interview_rounds.order_by("position").first()
    assert first is not None and first.pk == technical.pk


def test_the_agreed_cadence_reaches_the_calendars_when_it_comes_into_force(proposed, world):
    assert not TouchbaseSeries.objects.exists()
    intake_sign(version=proposed, by=world.hank)
    series = TouchbaseSeries.objects.get(job=world.job)  # not left for the worker's next loop
    assert series.active and (series.weekday, series.start_time) == (1, dt.time(10))
    assert Message.objects.filter(template="touchbase-invite").count() == 2
    assert series_sync_due().handled == 0  # already in line: nothing re-sent


def test_a_new_proposal_withdraws_the_one_still_awaiting_signatures(proposed, world):
    again = intake_draft_start(job=world.job, by=world.hank, source="last")
    # (A copy of it unchanged is refused: test_an_unchanged_amendment_is_refused.)
    intake_draft_save(
        version=again, by=world.hank, step="requirements", data={"nice_to_haves": "Go\nRust"}
    )
    intake_propose(version=again, by=world.hank)
    proposed.refresh_from_db()
    assert proposed.status == IntakeStatus.WITHDRAWN
    old_ask = Ask.objects.get(subject=f"intake:{proposed.pk}:hiring_manager")
    assert old_ask.status == AskStatus.CANCELLED
    new_ask = Ask.objects.get(subject=f"intake:{again.pk}:recruiter")
    assert new_ask.owner == world.rita and new_ask.status == AskStatus.OPEN
    with pytest.raises(ValidationError):
        intake_sign(version=proposed, by=world.rita)


def test_an_incomplete_draft_cannot_be_proposed(world):
    draft = intake_draft_start(job=world.job, by=world.rita)
    errors = errors_of(lambda: intake_propose(version=draft, by=world.rita))
    assert "interview_plan" in errors
    assert IntakeVersion.objects.get(pk=draft.pk).status == IntakeStatus.DRAFT
    assert not Ask.objects.filter(kind="sign_intake").exists()


def test_the_summary_goes_only_to_the_hiring_team(signed, world):
    intake_summary_send(version=signed, by=world.rita, recipient=world.hank)
    message = Message.objects.get(template="intake-summary")
    assert "Python" in message.body_text and "EUR 80,000–100,000" in message.body_text
    with pytest.raises(ValidationError):
        intake_summary_send(version=signed, by=world.rita, recipient=world.ivy)
