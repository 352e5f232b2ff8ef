"""The pipeline services: every write keeps the data, the stage history and the timeline in step."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pipeline_helpers import PITCH, fresh

from closeloop.activity.models import Activity
from closeloop.comments.models import Comment
from closeloop.lib.models import AppendOnlyError
from closeloop.notify.models import Message
from closeloop.pipeline.models import (
    Application,
    ApplicationStatus,
    Candidate,
    CandidateAccess,
    CandidateTag,
    StageChange,
    Submission,
    SubmissionDecision,
    Tag,
)
from closeloop.pipeline.services import (
    application_move,
    application_reject,
    application_reopen,
    application_submit,
    application_withdraw,
    candidate_add,
    candidate_merge,
    candidate_update,
    question_answer,
    submission_ask_question,
    submission_decide,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def kinds(application) -> list[str]:
    return list(
        Activity.objects.filter(application=application)
        .order_by("at", "pk")
        .values_list("kind", flat=True)
    )


def stage(world, name):
    return world.job.stages.get(name=name)


# --- candidate_add / candidate_update / candidate_merge ----------------------------------------


def test_adding_a_candidate_starts_them_in_the_first_stage_with_history(world):
    added = candidate_add(
        job=world.job, by=world.rita, data={"full_name": "Nina", "email": "N@X.io"}
    )
    application = added.application
    assert not added.merged
    assert application.candidate.email == "n@x.io"
    assert application.stage.name == "Sourced"
    change = application.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.to_status) == (
        None,
        application.stage,
        "active",
    )
    assert "closeloop.application.created" in kinds(application)


def test_adding_an_email_already_on_file_merges_into_that_person(world):
    otto = world.other_application.candidate  # on ada's job: she sees him, rita does not
    added = candidate_add(
        job=world.job,
        by=world.ada,
        data={"full_name": "Someone Else", "email": "otto@cand.example", "phone": "+1 555"},
    )
    assert added.merged
    assert added.application.candidate == otto
    assert added.name_typed == "Someone Else"
    otto.refresh_from_db()
    assert otto.full_name == "Otto Other"
    assert otto.phone == "+1 555"
    assert otto.activities.filter(kind="closeloop.candidate.merged").exists()


def test_adding_someone_already_in_the_job_is_refused(world):
    before = Candidate.objects.count()
    with pytest.raises(ValidationError, match="already in this job's pipeline"):
        candidate_add(
            job=world.job, by=world.rita, data={"full_name": "C", "email": "carla@cand.example"}
        )
    assert Candidate.objects.count() == before


def test_adding_a_second_person_of_the_same_name_to_a_job_needs_confirming(world):
    before = Candidate.objects.count()
    data = {"full_name": "Carla  CANDIDATE", "email": "carla2@cand.example"}
    with pytest.raises(ValidationError, match=r"Carla Candidate is already on this job \(carla@"):
        candidate_add(job=world.job, by=world.rita, data=data)
    assert Candidate.objects.count() == before
    added = candidate_add(job=world.job, by=world.rita, data=data, same_name_ok=True)
    assert added.application.candidate.email == "carla2@cand.example"


@pytest.mark.parametrize("persona", ["hank", "ivy", "olga"])
def test_only_the_recruiting_side_adds_candidates(world, persona):
    with pytest.raises(PermissionDenied):
        candidate_add(job=world.job, by=getattr(world, persona), data={"full_name": "X"})


def test_updating_to_another_candidates_email_is_refused(world):
    sam = world.sourced.candidate
    with pytest.raises(ValidationError, match="merge the two records"):
        candidate_update(
            candidate=sam, by=world.rita, data={"full_name": "Sam", "email": "carla@cand.example"}
        )
    assert fresh(sam).email == "sam@cand.example"


def test_merging_moves_applications_and_activity_and_fills_blanks(world):
    keep = world.sourced.candidate
    duplicate = world.other_application.candidate
    duplicate.phone = "+44 1"
    duplicate.save()
    candidate_merge(keep=keep, duplicate=duplicate, by=world.ada)
    assert not Candidate.objects.filter(pk=duplicate.pk).exists()
    assert fresh(world.other_application).candidate == keep
    assert fresh(keep).phone == "+44 1"
    assert Activity.objects.filter(candidate=keep, application=world.other_application).exists()


def test_merging_keeps_the_duplicates_tags_comments_view_record_and_keep_decision(world):
    """Nothing said or decided about the duplicate is lost with its record."""
    keep, duplicate = world.sourced.candidate, world.other_application.candidate
    python, remote = Tag.objects.create(name="python"), Tag.objects.create(name="remote")
    CandidateTag.objects.create(candidate=keep, tag=python, added_by=world.rita)
    CandidateTag.objects.create(candidate=duplicate, tag=python, added_by=world.olga)
    CandidateTag.objects.create(candidate=duplicate, tag=remote, added_by=world.olga)
    note = Comment.objects.create(candidate=duplicate, author=world.olga, body="Met at PyCon")
    CandidateAccess.objects.create(candidate=duplicate, by=world.ada, kind="resume")
    kept_at = timezone.now()
    Candidate.objects.filter(pk=duplicate.pk).update(
        retention_kept_at=kept_at, retention_kept_by=world.ada, retention_kept_reason="Offer"
    )
    candidate_merge(keep=keep, duplicate=fresh(duplicate), by=world.ada)
    links = CandidateTag.objects.filter(candidate=keep).order_by("tag__name")
    assert [(link.tag.name, link.added_by) for link in links] == [
        ("python", world.rita),
        ("remote", world.olga),
    ]
    assert fresh(note).candidate == keep
    assert CandidateAccess.objects.get().candidate == keep
    kept = fresh(keep)
    assert (kept.retention_kept_at, kept.retention_kept_by) == (kept_at, world.ada)
    assert kept.retention_kept_reason == "Offer"


def test_merging_renames_the_open_asks_about_the_duplicate(world):
    """Titles are written when an ask opens: "Give Otto Other news" names the person kept."""
    from closeloop.followups.models import Ask, AskStatus

    keep, duplicate = world.sourced.candidate, world.other_application.candidate
    news = Ask.objects.create(
        kind="update_candidate", subject="test:otto", title="Give Otto Other news (Data)",
        owner=world.ada, job=world.other_job, application=world.other_application,
        due_at=timezone.now(),
    )  # fmt: skip
    done = Ask.objects.create(
        kind="update_candidate", subject="test:otto-done", title="Give Otto Other news (old)",
        owner=world.ada, job=world.other_job, application=world.other_application,
        due_at=timezone.now(), status=AskStatus.DONE,
    )  # fmt: skip
    candidate_merge(keep=keep, duplicate=duplicate, by=world.ada)
    assert fresh(news).title == "Give Sam Sourced news (Data)"
    assert fresh(done).title == "Give Otto Other news (old)"  # what was answered stays


def test_two_records_on_one_job_merge_into_the_entry_with_a_record(world):
    """Sam's record is Carla's duplicate, both on Backend Engineer: Carla's entry (with its
    interviews) stays whichever record is kept; Sam's, only sourced, goes, and its activity
    and comments follow. Its follow-ups end with it."""
    carla, sam = world.interviewed, world.sourced
    note = Comment.objects.create(application=sam, author=world.rita, body="Found on GitHub")
    from closeloop.followups.models import Ask

    Ask.objects.create(
        kind="update_candidate", subject="test:sam", title="Give Sam Sourced news",
        owner=world.rita, job=world.job, application=sam, due_at=timezone.now(),
    )  # fmt: skip
    added = Activity.objects.filter(application=sam).count()
    assert added
    candidate_merge(keep=sam.candidate, duplicate=carla.candidate, by=world.rita)
    assert not Application.objects.filter(pk=sam.pk).exists()
    assert fresh(carla).candidate_id == sam.candidate_id  # the interviewed entry, moved over
    assert fresh(note).application_id == carla.pk
    assert Activity.objects.filter(application=carla, candidate=sam.candidate).count() > added
    merged = Activity.objects.get(kind="closeloop.application.merged")
    assert merged.application_id == carla.pk and "it was in Sourced" in merged.summary
    assert not Ask.objects.filter(subject="test:sam").exists()


def test_two_records_each_with_a_record_on_one_job_are_not_merged(world):
    """A submission on each: neither can be deleted, so the merge is refused, changing nothing."""
    Submission.objects.create(application=world.sourced, pitch=PITCH, submitted_by=world.rita)
    Submission.objects.create(application=world.interviewed, pitch=PITCH, submitted_by=world.rita)
    with pytest.raises(ValidationError, match="Both records have their own history on Backend"):
        candidate_merge(
            keep=world.interviewed.candidate, duplicate=world.sourced.candidate, by=world.rita
        )
    assert fresh(world.sourced).candidate_id == world.sourced.candidate_id


def test_a_candidate_cannot_be_merged_into_itself(world):
    carla = world.interviewed.candidate
    with pytest.raises(ValidationError):
        candidate_merge(keep=carla, duplicate=carla, by=world.rita)


# --- submit and decide --------------------------------------------------------------------------


def test_submitting_makes_it_the_hms_move_from_that_moment(world):
    with time_machine.travel(T0, tick=False):
        submission = application_submit(
            application=world.sourced, by=world.rita, pitch=PITCH, must_haves_met=["Python", "Go"]
        )
    application = fresh(world.sourced)
    assert submission.must_haves_met == ["Python"]  # only the job's must-haves are kept
    assert application.stage.name == "Submitted"
    assert application.next_move_owner == world.hank
    assert application.next_move_since == T0
    assert application.entered_stage_at == T0


def test_a_second_submission_waits_for_the_first_decision(world, submitted):
    with pytest.raises(ValidationError, match="already waiting"):
        application_submit(application=world.interviewed, by=world.rita, pitch=PITCH)


def test_an_empty_pitch_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        application_submit(application=world.sourced, by=world.rita, pitch="  ")
    assert "pitch" in caught.value.error_dict


def test_hank_advances_to_the_next_stage(world, submitted):
    submission_decide(submission=submitted, by=world.hank, decision="advanced", note="Yes")
    application = fresh(world.interviewed)
    assert application.stage.name == "Scheduling"
    assert fresh(submitted).decided_by == world.hank
    assert "closeloop.submission.advanced" in kinds(application)


def test_hank_passes_with_a_reason_and_the_loop_closes(world, submitted):
    submission_decide(
        submission=submitted, by=world.hank, decision="passed", reason="skills", note="No Go"
    )
    application = fresh(world.interviewed)
    assert application.status == ApplicationStatus.REJECTED
    assert application.next_move_owner is None
    assert fresh(submitted).pass_reason == "skills"
    last = application.stage_changes.last()
    assert (last.from_status, last.to_status, last.by) == ("active", "rejected", world.hank)
    told = Message.objects.filter(recipient=world.rita).latest("pk").body_text
    assert "Hank's note: No Go.\n\nLet the candidate know." in told


def test_a_second_decision_finds_the_first_and_changes_nothing(world, submitted):
    submission_decide(submission=submitted, by=world.hank, decision="advanced")
    before = (StageChange.objects.count(), Activity.objects.count(), fresh(world.interviewed).stage)
    # The second click holds the stale (still pending) object, as a second request would.
    with pytest.raises(ValidationError, match="already"):
        submission_decide(submission=submitted, by=world.hank, decision="passed", reason="skills")
    after = (StageChange.objects.count(), Activity.objects.count(), fresh(world.interviewed).stage)
    assert after == before
    assert fresh(submitted).decision == SubmissionDecision.ADVANCED


@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [("", "", "reason"), ("bogus", "", "reason"), ("other", "", "note")],
)
def test_a_pass_needs_a_real_reason_and_other_needs_a_note(world, submitted, reason, note, field):
    with pytest.raises(ValidationError) as caught:
        submission_decide(
            submission=submitted, by=world.hank, decision="passed", reason=reason, note=note
        )
    assert field in caught.value.error_dict
    assert fresh(submitted).decision == SubmissionDecision.PENDING
    assert fresh(world.interviewed).is_active


@pytest.mark.parametrize("persona", ["rita", "ivy", "olga"])
def test_only_the_hiring_manager_decides(world, submitted, persona):
    with pytest.raises(PermissionDenied):
        submission_decide(submission=submitted, by=getattr(world, persona), decision="advanced")


def test_a_question_hands_the_move_to_the_recruiter_and_the_answer_hands_it_back(world, submitted):
    with time_machine.travel(T0, tick=False):
        question = submission_ask_question(submission=submitted, by=world.hank, text="Django?")
    application = fresh(world.interviewed)
    assert (application.next_move_owner, application.next_move_since) == (world.rita, T0)
    later = T0 + dt.timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        question_answer(question=question, by=world.rita, answer="Yes")
    application = fresh(world.interviewed)
    assert (application.next_move_owner, application.next_move_since) == (world.hank, later)
    team_only = Activity.objects.filter(application=application, team_only=True)
    assert {
        "closeloop.submission.question_asked",
        "closeloop.submission.question_answered",
    } <= set(team_only.values_list("kind", flat=True))


def test_the_recruiter_is_told_the_question_with_the_candidate_and_the_job(world, submitted):
    """Like every other notice about a candidate, the question names the job: a recruiter
    with several roles open knows at a glance which one it is about."""
    submission_ask_question(submission=submitted, by=world.hank, text="Notice period?")

    told = Message.objects.filter(recipient=world.rita).latest("pk")

    job = world.job.title
    assert told.subject == f"Hank Manager has a question about Carla Candidate ({job})"
    assert f"Hank Manager asked about Carla Candidate ({job}):\n\n“Notice period?”" in (
        told.body_text
    )
    assert "The decision waits on your answer." in told.body_text


def test_questions_need_text_and_only_the_hm_asks(world, submitted):
    with pytest.raises(ValidationError):
        submission_ask_question(submission=submitted, by=world.hank, text=" ")
    with pytest.raises(PermissionDenied):
        submission_ask_question(submission=submitted, by=world.rita, text="Why?")


# --- move, reject, withdraw, reopen -------------------------------------------------------------


def test_moving_records_who_why_and_whose_move_it_becomes(world):
    offer = stage(world, "Offer")
    application_move(application=world.sourced, by=world.hank, to_stage=offer, reason="Fast track")
    application = fresh(world.sourced)
    assert application.stage == offer
    assert application.next_move_owner == world.rita  # Offer is the recruiter's move
    change = application.stage_changes.last()
    assert (change.from_stage.name, change.to_stage, change.reason) == (
        "Sourced",
        offer,
        "Fast track",
    )


def test_moving_into_hired_marks_the_application_hired(world):
    application_move(application=world.sourced, by=world.rita, to_stage=stage(world, "Hired"))
    application = fresh(world.sourced)
    assert application.status == ApplicationStatus.HIRED
    assert application.next_move_owner is None


def test_moving_to_another_jobs_stage_is_refused(world):
    with pytest.raises(ValidationError, match="another job"):
        application_move(
            application=world.sourced, by=world.rita, to_stage=world.other_job.stages.first()
        )


def test_rejecting_passes_a_pending_submission(world, submitted):
    application_reject(application=world.interviewed, by=world.rita, reason="compensation")
    assert fresh(submitted).decision == SubmissionDecision.PASSED
    assert fresh(submitted).pass_reason == "compensation"


def test_withdrawing_is_the_recruiting_sides_record(world, submitted):
    with pytest.raises(PermissionDenied):
        application_withdraw(application=world.interviewed, by=world.hank, reason="other_offer")
    application_withdraw(application=world.interviewed, by=world.rita, reason="other_offer")
    assert fresh(world.interviewed).status == ApplicationStatus.WITHDRAWN
    assert fresh(submitted).decision_note == "Candidate withdrew"


def test_reopening_brings_the_candidate_back_into_their_stage(world):
    application_reject(application=world.sourced, by=world.rita, reason="skills", note="meh")
    with time_machine.travel(timezone.now() + dt.timedelta(days=2), tick=False):
        application_reopen(application=world.sourced, by=world.rita, reason="Budget grew")
        now = timezone.now()
    application = fresh(world.sourced)
    assert application.status == ApplicationStatus.ACTIVE
    assert (application.closed_reason, application.closed_note, application.closed_at) == (
        "",
        "",
        None,
    )
    assert application.next_move_since == now
    statuses = list(application.stage_changes.values_list("to_status", flat=True))
    assert statuses == ["active", "rejected", "active"]


def test_only_closed_applications_reopen(world):
    with pytest.raises(ValidationError):
        application_reopen(application=world.sourced, by=world.rita)


# --- StageChange is append-only -----------------------------------------------------------------


def test_a_stage_change_cannot_be_edited(world):
    change = world.sourced.stage_changes.get()
    change.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        change.save()
    assert StageChange.objects.get(pk=change.pk).reason == "Added"


def test_a_stage_change_cannot_be_deleted(world):
    change = world.sourced.stage_changes.get()
    with pytest.raises(AppendOnlyError):
        change.delete()
    assert StageChange.objects.filter(pk=change.pk).exists()


def test_every_service_only_ever_appends_stage_changes(world, submitted):
    seen = list(StageChange.objects.order_by("pk").values_list("pk", "reason", "to_status"))
    submission_decide(submission=submitted, by=world.hank, decision="advanced")
    application_reject(application=world.sourced, by=world.rita, reason="skills")
    application_reopen(application=world.sourced, by=world.rita)
    now = list(StageChange.objects.order_by("pk").values_list("pk", "reason", "to_status"))
    assert now[: len(seen)] == seen
    assert len(now) == len(seen) + 3
    assert Submission.objects.count() == 1
