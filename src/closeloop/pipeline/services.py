"""Writes to the pipeline: every change that touches several rows or has side effects.

Each service runs in one transaction, appends a StageChange when the stage or status moves,
and records an Activity, so the timeline and the audit trail never disagree with the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.selectors import possessive_for
from closeloop.activity.services import activity_record
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.services import (
    AskRequest,
    ask_cancel,
    ask_close,
    ask_hold,
    ask_open,
    ask_reinstate,
    ask_resume,
    asks_open,
    asks_rename,
)
from closeloop.followups.subjects import subject_key
from closeloop.followups.sweep import sweep_held, sweep_hold_push
from closeloop.jobs.hooks import EndingEffect
from closeloop.jobs.models import Job, JobOutcome, JobStatus, MoveOwner, Stage, StageKind
from closeloop.jobs.selectors import job_can_manage, job_can_move_candidates
from closeloop.jobs.services import stage_keep
from closeloop.lib.documents import document_text
from closeloop.lib.files import upload_base_name
from closeloop.lib.seen import seen_check, seen_stamp
from closeloop.lib.sweep import Swept, sweep
from closeloop.lib.text import excerpt, listed, validate_single_line_text
from closeloop.notify.services import message_queue
from closeloop.pipeline.hooks import (
    application_closed,
    application_folding,
    application_moved,
    candidate_merging,
    submission_passed_citing,
)
from closeloop.pipeline.models import (
    CALIBRATION_NOTE_MAX,
    JOB_CLOSED_LABEL,
    JOB_CLOSED_REASON,
    Application,
    ApplicationStatus,
    Candidate,
    Closeness,
    Question,
    RejectionReason,
    Source,
    StageChange,
    Submission,
    SubmissionDecision,
    WithdrawalReason,
    closing_reason,
)
from closeloop.pipeline.policies import ANSWER_QUESTION
from closeloop.pipeline.selectors import (
    DecisionRight,
    EntryFold,
    application_advance_stage,
    application_can_decide,
    application_past_review,
    application_reopen_stage,
    applications_same_name,
    candidate_add_refusal,
    candidate_can_edit,
    candidate_edit_refusal,
    candidate_find_by_email,
    candidate_waiting_since,
    candidates_merge_plan,
    job_ended_refusal,
    job_fill_shortfall,
    submission_decided_words,
    submission_decision_known_to,
    submission_subject,
    submission_waiting,
    submitted_by_move_allowed,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from closeloop.accounts.models import User

# Candidate fields a duplicate may fill in on the existing record (never overwrite what is known).
MERGEABLE_FIELDS = (
    "phone",
    "location",
    "links",
    "current_company",
    "current_title",
    "expected_compensation",
    "compensation_currency",
)


def _resume_set(candidate: Candidate, resume: UploadedFile) -> None:
    """A new résumé, its display name and its words for search (read before it is stored)."""
    candidate.resume = resume
    candidate.resume_filename = upload_base_name(resume.name, fallback="resume")
    candidate.resume_text = document_text(resume, resume.name or "")


def next_move_owner_for(*, application: Application, stage: Stage) -> User | None:
    """Whose move it is in this stage: the job's recruiter, HM or next interviewer."""
    job = application.job
    if stage.move_owner == MoveOwner.RECRUITER:
        return job.recruiter
    if stage.move_owner == MoveOwner.HIRING_MANAGER:
        return job.hiring_manager
    if stage.move_owner == MoveOwner.INTERVIEWERS:
        upcoming = (
            application.interviews.filter(status="scheduled").order_by("starts_at").first()
            if application.pk
            else None
        )
        first = upcoming.interviewers.order_by("pk").first() if upcoming else None
        # Until an interview is booked, scheduling is the recruiting side's move.
        return first or job.coordinator or job.recruiter
    return None


def application_next_move_set(
    *,
    application: Application,
    owner: User | None,
    at: Any,
    keep_since: bool = False,
    save: bool = True,
) -> bool:
    """Say whose move it is: the one writer of `next_move_owner` and `next_move_since`.

    The wait is measured from `at`; nobody owing the move means no wait. With `keep_since`
    an unchanged owner keeps the wait that is already running (an interview rebooked with
    the same first interviewer is still the same wait). `save=False` only sets the instance,
    for a caller that saves the row itself. Returns whether anything changed.
    """
    if keep_since and owner is not None and owner.pk == application.next_move_owner_id:
        return False
    application.next_move_owner = owner
    application.next_move_since = at if owner is not None else None
    if save:
        application.save(update_fields=["next_move_owner", "next_move_since"])
    return True


def on_job_role_changed(
    sender: object, *, job: Job, role: str, before: User, after: User, **_: Any
) -> None:
    """jobs' `job_role_changed`: the job's active candidates whose move the previous holder
    of the role owed now wait on the new one, for as long as they have waited already."""
    waiting = Application.objects.select_for_update().filter(
        job=job, status=ApplicationStatus.ACTIVE, next_move_owner=before
    )
    for application in waiting:
        application_next_move_set(
            application=application, owner=after, at=application.next_move_since
        )


def _set_stage(
    *, application: Application, stage: Stage, by: User | None, reason: str, now: Any
) -> StageChange:
    """Put the application in `stage` and append the StageChange that says so."""
    # Held in the plan until this commits: a removal of the stage under way or to come
    # either finishes first (refused here) or waits and counts this candidate.
    if not stage_keep(stage=stage):
        raise ValidationError(f"{stage.name} is no longer one of the job's stages.")
    from_stage = application.stage if application.stage_id else None
    from_status = application.status if application.pk else ""
    hired = stage.kind == StageKind.HIRED
    application.stage = stage
    application.status = ApplicationStatus.HIRED if hired else ApplicationStatus.ACTIVE
    application.entered_stage_at = now
    owner = next_move_owner_for(application=application, stage=stage)
    application_next_move_set(application=application, owner=owner, at=now, save=False)
    application.save()
    return StageChange.objects.create(
        application=application,
        from_stage=from_stage,
        to_stage=stage,
        from_status=from_status,
        to_status=application.status,
        by=by,
        at=now,
        reason=reason,
    )


def update_subject(application: Application) -> str:
    return subject_key("application", application.pk)


def question_subject(question: Question) -> str:
    return subject_key("question", question.pk)


def update_ask_request(application: Application, since: Any) -> AskRequest:
    """The ask that starts the candidate waiting clock: the recruiter owes news."""
    return AskRequest(
        kind="update_candidate",
        subject=update_subject(application),
        title=f"Give {application.candidate.full_name} news ({application.job.title})",
        owner=application.job.recruiter,
        application=application,
        opened_at=since,
    )


def inform_ask_request(application: Application, now: Any) -> AskRequest:
    """The ask that a rejected candidate is owed the outcome."""
    return AskRequest(
        kind="inform_candidate",
        subject=update_subject(application),
        title=f"Tell {application.candidate.full_name} the outcome ({application.job.title})",
        owner=application.job.recruiter,
        application=application,
        opened_at=now,
        # Owed the outcome, they have waited since they last heard from us, as every
        # message about the ask says.
        waiting_since=candidate_waiting_since(application),
    )


def _open_update_ask(application: Application, since: Any) -> None:
    """Start the candidate waiting clock: the recruiter owes news N business days from now."""
    asks_open([update_ask_request(application, since)])


def _resume_update_ask(application: Application, now: Any) -> None:
    """Reopened: the news owed before the rejection is owed still, from when it was owed.

    The news ask the rejection cancelled (`_open_inform_ask`: "decided") opens again as it
    stood, its due time and ladder carried on, unless the candidate has heard from us since
    (then the clock starts at the reopening, as after any news). A recruiter who changed in
    between is owed a new ask dated from the old one's opening: the due time still carries.
    Rejecting and reopening never wipes an overdue ask off the counts and the ladder.
    """
    last = (
        Ask.objects.filter(kind="update_candidate", subject=update_subject(application))
        .order_by("-opened_at", "-pk")
        .first()
    )
    told = application.candidate_updated_at
    if (
        last is None
        or last.status != AskStatus.CANCELLED
        or last.closed_via != "decided"
        or last.closed_at is None
        or (told is not None and told >= last.closed_at)
    ):
        _open_update_ask(application, now)
        return
    recruiter_id = application.job.recruiter_id
    if (last.original_owner_id or last.owner_id) == recruiter_id and ask_reinstate(ask=last):
        return
    _open_update_ask(application, last.opened_at)


def _open_inform_ask(application: Application, now: Any) -> None:
    """A rejected candidate is owed the outcome soon, not at the next 3-day check-in."""
    ask_cancel(kind="update_candidate", subject=update_subject(application), reason="decided")
    asks_open([inform_ask_request(application, now)])


def _cancel_review_asks(application: Application, reason: str) -> None:
    for pk in application.submissions.filter(decision=SubmissionDecision.PENDING).values_list(
        "pk", flat=True
    ):
        ask_cancel(kind="review_submission", subject=subject_key("submission", pk), reason=reason)
    _cancel_question_asks(
        Question.objects.filter(submission__application=application), reason=reason
    )


def _cancel_question_asks(questions: Any, *, reason: str) -> None:
    """Nobody waits for an answer any more (the HM decided, the application closed)."""
    for pk in questions.filter(answered_at__isnull=True).values_list("pk", flat=True):
        ask_cancel(kind=ANSWER_QUESTION, subject=subject_key("question", pk), reason=reason)


def _tell(recipient: User | None, *, subject: str, body: str, application: Application) -> None:
    """Queue a short notice (inside the recipient's working hours) about an application."""
    if recipient is None or not recipient.is_active:
        return
    path = reverse("pipeline:application-detail", args=[application.pk])
    message_queue(
        recipient=recipient,
        template="notice",
        channel=recipient.notify_channel,
        context={
            "recipient": recipient,
            "subject": subject,
            "body": body,
            "action_url": settings.SITE_URL + path,
        },
    )


def _sentence(text: str) -> str:
    """Text as a sentence in a message: it ends with a full stop unless it has its own."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _stage_of_kind(job: Job, kind: str) -> Stage:
    stage = job.stages.filter(kind=kind).order_by("position").first()
    stage = stage or job.stages.order_by("position").first()
    if stage is None:  # every job is created with its stage plan; a job without is broken
        raise ValidationError(f"{job.title} has no stages; add them on the job's page.")
    return stage


@dataclass
class CandidateAdded:
    application: Application
    merged: bool
    # The name typed when the record matched by email keeps another ("" otherwise): the page
    # says so rather than dropping it silently.
    name_typed: str = ""
    # The matched record's résumé, kept when another was uploaded with the add (a record's
    # details on file are kept, its empty ones filled in): the page says which one stays.
    resume_kept: str = ""


@transaction.atomic
def candidate_add(
    *,
    job: Job,
    by: User,
    data: dict[str, Any],
    resume: UploadedFile | None = None,
    resume_content_type: str = "",
    same_name_ok: bool = False,
) -> CandidateAdded:
    """Add a candidate to a job in its first stage; an existing email merges into that person,
    for someone who already sees that record (`candidate_add_refusal`): knowing an address
    never opens a record.

    Someone else with the same name on the job (`applications_same_name`) refuses the add
    unless `same_name_ok`: the recruiter confirmed this is another person."""
    _require(job_can_manage(user=by, job=job), "Only the job's recruiting side can add candidates.")
    _refuse_ended(job, "add candidates to it")  # as the page read it, before any work
    now = timezone.now()
    email = (data.get("email") or "").strip().lower() or None
    candidate = candidate_find_by_email(email=email or "")
    if candidate is not None and (refusal := candidate_add_refusal(user=by, candidate=candidate)):
        raise ValidationError({"email": refusal})
    if not same_name_ok:
        _refuse_same_name(job, data.get("full_name") or "", email or "")
    merged = candidate is not None
    if candidate is None:
        candidate = Candidate(email=email, created_by=by, created_at=now)
        for name, value in data.items():
            if name != "email" and hasattr(candidate, name):
                setattr(candidate, name, value)
    else:
        if candidate.applications.filter(job=job).exists():
            raise ValidationError(
                f"{candidate.full_name} ({email}) is already in this job's pipeline."
            )
        _fill_blanks(candidate, data)
    # A matched record keeps the résumé on file, as its other details: replacing it is an
    # edit of the record (its Edit details page, which says what it replaced).
    resume_kept = candidate.resume_filename if resume is not None and candidate.resume else ""
    if resume is not None and not resume_kept:
        _resume_set(candidate, resume)  # reading the document is slow: before the lock
    # Checked again on the row as stored, locked until the transaction ends, so an ending
    # racing this add either waits or is seen; the new application keeps the caller's job.
    job_refuse_ended(job_id=job.pk, to_do="add candidates to it")
    candidate.updated_at = now
    candidate.full_clean(exclude=["resume"])
    candidate.save()
    application = Application(candidate=candidate, job=job, created_at=now)
    first_stage = job.stages.order_by("position").first()
    if first_stage is None:
        raise ValidationError("This job has no stages; add one before adding candidates.")
    _set_stage(application=application, stage=first_stage, by=by, reason="Added", now=now)
    if merged:
        activity_record(
            kind="closeloop.candidate.merged",
            actor=by,
            candidate=candidate,
            at=now,
            summary=f"{by} added {candidate.full_name} again; matched the existing record by email",
        )
    activity_record(
        kind="closeloop.application.created",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} added {candidate.full_name} to {job.title} ({first_stage.name})",
    )
    _open_update_ask(application, now)
    typed = " ".join((data.get("full_name") or "").split())
    differs = merged and typed.casefold() != " ".join(candidate.full_name.split()).casefold()
    return CandidateAdded(
        application=application,
        merged=merged,
        name_typed=typed if differs else "",
        resume_kept=resume_kept,
    )


def _refuse_same_name(job: Job, full_name: str, email: str) -> None:
    same = applications_same_name(job=job, full_name=full_name, email=email)
    if not same:
        return
    who = "; ".join(
        f"{application.candidate.email or 'no email'}, "
        + (f"in {application.stage.name}" if application.is_active else "closed")
        for application in same
    )
    raise ValidationError(
        f"{same[0].candidate.full_name} is already on this job ({who}). If this is someone "
        "else, confirm to add them anyway.",
        code="same_name",
    )


def _fill_blanks(candidate: Candidate, data: dict[str, Any]) -> None:
    for name in MERGEABLE_FIELDS:
        if data.get(name) and not getattr(candidate, name):
            setattr(candidate, name, data[name])


# The candidate's details the edit page edits (the résumé apart), and how refusals name them.
CANDIDATE_EDITED_LABELS = {
    "full_name": "name", "email": "email", "phone": "phone", "location": "location",
    "current_title": "current title", "current_company": "current company", "links": "links",
    "expected_compensation": "expected compensation", "compensation_currency": "currency",
    "source": "source",
}  # fmt: skip


# What the timeline says of an edit without the values: the pay is not every reader's to see
# (the timeline's readers include interviewers), and links are said as added and removed.
CANDIDATE_VALUES_UNSAID = frozenset({"expected_compensation", "compensation_currency"})


def _candidate_value_words(name: str, value: Any) -> str:
    if name == "source":
        return str(Source(value).label) if value in Source.values else str(value)
    return str(value or "")


def _candidate_change_line(name: str, old: Any, new: Any) -> str:
    """One line of the edit's detail: "Phone: from +44 20 … to +44 20 …"."""
    label = CANDIDATE_EDITED_LABELS[name].capitalize()
    if name == "links":
        before, after = _link_lines(old), _link_lines(new)
        added = [link for link in after if link not in before]
        gone = [link for link in before if link not in after]
        said = [f"added {', '.join(added)}"] if added else []
        said += [f"removed {', '.join(gone)}"] if gone else []
        return f"{label}: {'; '.join(said) or 'reordered'}"
    was, now = _candidate_value_words(name, old), _candidate_value_words(name, new)
    if not was:
        return f"{label}: {now} (none before)"
    if not now:
        return f"{label}: removed (was {was})"
    return f"{label}: from {was} to {now}"


def _link_lines(links: str) -> list[str]:
    return [line.strip() for line in (links or "").splitlines() if line.strip()]


def _candidate_edit_said(
    *, by: User, before: dict[str, Any], candidate: Candidate, changed: list[str], resume_was: str
) -> tuple[str, str]:
    """The timeline's summary and detail of an edit, in the form's words: "Rita Ramos changed
    the phone, and replaced the résumé", then "Phone: from … to …" and "Résumé: was … ".

    The values go in the detail only: an erasure empties the candidate's own events' detail,
    while it scrubs their summaries only of the details the candidate has then, never of
    a phone or file they had before."""
    fields = [name for name in CANDIDATE_EDITED_LABELS if name in changed]
    said = (
        [f"changed the {listed(CANDIDATE_EDITED_LABELS[name] for name in fields)}"]
        if fields
        else []
    )
    lines = [
        _candidate_change_line(name, before[name], getattr(candidate, name))
        for name in fields
        if name not in CANDIDATE_VALUES_UNSAID
    ]
    if "resume" in changed:
        said.append("replaced the résumé" if resume_was else "added a résumé")
        now = candidate.resume_filename
        lines.append(f"Résumé: was {resume_was}, now {now}" if resume_was else f"Résumé: {now}")
    return f"{by} {', and '.join(said)}", "\n".join(lines)


def candidate_edit_seen(candidate: Candidate) -> str:
    """The fingerprint of what the edit page shows (`candidate_update` checks it)."""
    return seen_stamp({name: getattr(candidate, name) for name in CANDIDATE_EDITED_LABELS})


@transaction.atomic
def candidate_update(
    *,
    candidate: Candidate,
    by: User,
    data: dict[str, Any],
    resume: UploadedFile | None = None,
    seen: str | None = None,
) -> Candidate:
    """Edit the given fields of a candidate; a résumé upload replaces the old file. A new
    name renames the open asks about their applications (`asks_rename`).

    `seen`: the edit page's fingerprint (`candidate_edit_seen`). When a detail this save
    writes was saved differently since that page was rendered, nothing is saved
    (`SavedSince`) rather than undoing that change. None checks nothing (a script's call)."""
    refusal = candidate_edit_refusal(user=by, candidate=candidate)
    _require(not refusal, refusal)
    # The row as it is now, locked: what this save changes is worked out against it.
    candidate.refresh_from_db(from_queryset=Candidate.objects.select_for_update())
    seen_check(
        seen=seen,
        values={name: getattr(candidate, name) for name in CANDIDATE_EDITED_LABELS if name in data},
        what="this candidate",
        labels=CANDIDATE_EDITED_LABELS,
        shown=lambda name: (
            candidate.get_source_display() if name == "source" else getattr(candidate, name)
        ),
    )
    data = dict(data)
    if "email" in data:
        email = (data["email"] or "").strip().lower() or None
        other = candidate_find_by_email(email=email or "")
        if other is not None and other.pk != candidate.pk:
            raise ValidationError(
                f"{other.full_name} already has the address {email}; merge the two records."
            )
        data["email"] = email
    named = candidate.full_name
    before = {name: getattr(candidate, name) for name in CANDIDATE_EDITED_LABELS}
    resume_was = candidate.resume_filename if candidate.resume else ""
    changed = []
    for name, value in data.items():
        if hasattr(candidate, name) and getattr(candidate, name) != value:
            setattr(candidate, name, value)
            changed.append(name)
    old_resume = candidate.resume.name if candidate.resume else ""
    if resume is not None:
        _resume_set(candidate, resume)
        changed.append("resume")
    candidate.updated_at = timezone.now()
    candidate.full_clean(exclude=["resume"])
    candidate.save()
    # Their open asks were titled with the old name ("Review Lars Dahl for …").
    asks_rename(
        asks=Ask.objects.filter(application__candidate=candidate),
        old=named,
        new=candidate.full_name,
    )
    if resume is not None and old_resume:
        transaction.on_commit(lambda: candidate.resume.storage.delete(old_resume))
    if changed:
        summary, detail = _candidate_edit_said(
            by=by, before=before, candidate=candidate, changed=changed, resume_was=resume_was
        )
        activity_record(
            kind="closeloop.candidate.updated",
            actor=by,
            candidate=candidate,
            summary=summary,
            detail=detail,
        )
    return candidate


@transaction.atomic
def candidate_merge(*, keep: Candidate, duplicate: Candidate, by: User) -> Candidate:
    """Fold a duplicate record into `keep`: applications, history and known details move over."""
    _require(
        candidate_can_edit(user=by, candidate=keep)
        and candidate_can_edit(user=by, candidate=duplicate),
        "Merging needs the recruiting side of both records.",
    )
    if keep.pk == duplicate.pk:
        raise ValidationError("A candidate cannot be merged into itself.")
    plan = candidates_merge_plan(keep=keep, duplicate=duplicate)
    if plan.refusal:
        raise ValidationError(plan.refusal)
    for fold in plan.folds:
        _entry_fold(fold, by=by)
    _fill_blanks(keep, {name: getattr(duplicate, name) for name in MERGEABLE_FIELDS})
    if not keep.resume and duplicate.resume:
        keep.resume, keep.resume_filename = duplicate.resume, duplicate.resume_filename
        keep.resume_text = duplicate.resume_text
    elif duplicate.resume:
        # The record kept has its own résumé: the duplicate's file would be left on disk with
        # nothing pointing at it (and never erased with the person).
        orphan, storage = duplicate.resume.name or "", duplicate.resume.storage
        transaction.on_commit(lambda: storage.delete(orphan))
    moved = list(duplicate.applications.values_list("pk", flat=True))
    duplicate.applications.update(candidate=keep)
    # Their open asks were titled with the duplicate's name ("Give Raf Nguyen news").
    asks_rename(
        asks=Ask.objects.filter(application_id__in=moved),
        old=duplicate.full_name,
        new=keep.full_name,
    )
    # Activity and the view record are append-only for application code; re-pointing them on
    # a merge keeps one timeline (and one record of who read the file) per person: the one
    # sanctioned bulk change (with `_entry_fold`'s, for an entry's timeline).
    duplicate.activities.update(candidate=keep)
    duplicate.accesses.update(candidate=keep)
    _tags_merge(keep, duplicate)
    _retention_merge(keep, duplicate)
    candidate_merging.send(sender=Candidate, keep=keep, duplicate=duplicate)
    duplicate_email = duplicate.email
    duplicate.delete()
    if not keep.email and duplicate_email:
        keep.email = duplicate_email
    keep.save()
    activity_record(
        kind="closeloop.candidate.merged",
        actor=by,
        candidate=keep,
        summary=f"{by} merged a duplicate record into {keep.full_name}",
    )
    return keep


def _entry_fold(fold: EntryFold, *, by: User) -> None:
    """Remove the entry that goes on a job both records are on: its activity and what other
    apps hold about it move to the entry that stays; its moves and follow-ups go with it
    (a duplicate entry's, owed about a duplicate)."""
    goes, stays = fold.goes, fold.stays
    goes.activities.update(application=stays)
    application_folding.send(sender=Application, stays=stays, goes=goes)
    added = goes.created_at.astimezone(by.zone)
    where = "closed" if not goes.is_active else f"in {goes.stage.name}"
    goes.delete()
    activity_record(
        kind="closeloop.application.merged",
        actor=by,
        job=fold.job,
        candidate=stays.candidate,
        application=stays,
        summary=f"{by} merged a duplicate entry on this job into this one "
        f"(it was {where}, added {added:%d %b %Y})",
    )


def _tags_merge(keep: Candidate, duplicate: Candidate) -> None:
    """The duplicate's tags join the record kept (one link per tag: who tagged first stays)."""
    held = keep.tag_links.values("tag_id")
    duplicate.tag_links.exclude(tag_id__in=held).update(candidate=keep)


def _retention_merge(keep: Candidate, duplicate: Candidate) -> None:
    """An admin's decision to keep the duplicate's data holds for the merged record when it
    is the later one (or the record kept has none), so the merge never shortens a keep."""
    kept_at = duplicate.retention_kept_at
    if kept_at is None or (keep.retention_kept_at and keep.retention_kept_at >= kept_at):
        return
    keep.retention_kept_at, keep.retention_kept_by = kept_at, duplicate.retention_kept_by
    keep.retention_kept_reason = duplicate.retention_kept_reason


def _lock(application: Application) -> Application:
    """Re-read the application under a row lock so two decisions cannot both win."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("job", "stage", "candidate")
        .get(pk=application.pk)
    )


def _refuse_erased(application: Application) -> None:
    """An erased candidate's application is an anonymous record: it never comes back."""
    if application.candidate.erased_at is not None:
        raise ValidationError(
            "This candidate was erased: their application is an anonymous record now."
        )


@transaction.atomic
def application_move(
    *, application: Application, by: User, to_stage: Stage, reason: str = ""
) -> Application:
    """Move an active application to another stage of its job."""
    application = _lock(application)
    _require(
        job_can_move_candidates(user=by, job=application.job),
        "Only the hiring team can move candidates.",
    )
    return _move(application=application, by=by, to_stage=to_stage, reason=reason)


def _require_right(right: DecisionRight, application: Application) -> None:
    """A decision's right carries out that decision only: on its own application."""
    _require(
        right.application_id == application.pk,
        "That decision is about another candidate; nothing was changed.",
    )


@transaction.atomic
def application_move_decided(
    *, application: Application, right: DecisionRight, to_stage: Stage, reason: str = ""
) -> Application:
    """Move the candidate as a decision says (the debrief's advance), on the right its
    service checked (`application_decision_right`): the delegate deciding for an absent
    hiring manager moves the candidate as he would."""
    application = _lock(application)
    _require_right(right, application)
    return _move(application=application, by=right.by, to_stage=to_stage, reason=reason)


class AlreadyInStage(ValidationError):
    """A move to the stage the candidate is in: nothing to do. A single move is refused
    with it; a bulk move leaves that candidate where they are and moves the others."""


def _move(*, application: Application, by: User, to_stage: Stage, reason: str) -> Application:
    """Move the locked application, once the caller has said who may."""
    if to_stage.job_id != application.job_id:
        raise ValidationError("That stage belongs to another job.")
    # Said before "closed; reopen it": an ended job reopens none of its candidates.
    _refuse_ended(application.job, "move its candidates")
    if not application.is_active:
        raise ValidationError("This candidate's application is closed; reopen it to move it.")
    if to_stage.pk == application.stage_id:
        raise AlreadyInStage(f"{application.candidate.full_name} is already in {to_stage.name}.")
    _require_submitted_by_submission(application, to_stage)
    from_stage = application.stage
    _set_stage(application=application, stage=to_stage, by=by, reason=reason, now=timezone.now())
    if not application.is_active:  # hired: no interview of theirs is left to run or decide
        application_closed.send(
            sender=Application, application=application, by=by, reason="candidate hired"
        )
    activity_record(
        kind="closeloop.application.moved",
        actor=by,
        application=application,
        summary=f"{by} moved {application.candidate.full_name} from {from_stage.name} to "
        f"{to_stage.name}",
        detail=reason,
        data={"from": from_stage.name, "to": to_stage.name},
    )
    if application.is_active:
        # What entering the stage means above the pipeline (a Debrief stage opens the
        # debrief of the rounds held, or refuses the move when there is none to open).
        application_moved.send(
            sender=Application,
            application=application,
            by=by,
            from_stage=from_stage,
            to_stage=to_stage,
        )
    return application


def _require_submitted_by_submission(application: Application, to_stage: Stage) -> None:
    """A plain move into Submitted only as `submitted_by_move_allowed` says."""
    if to_stage.kind != StageKind.SUBMITTED or submitted_by_move_allowed(application=application):
        return
    if application_past_review(application):
        # Already reviewed and taken further: there is no submission form to point to.
        raise ValidationError(
            f"{application.candidate.full_name} is past the hiring manager's review already "
            f"(in {application.stage.name}): moving them back to Submitted would ask "
            f"{application.job.hiring_manager} for a decision already made."
        )
    raise ValidationError(
        f"To put {application.candidate.full_name} in front of "
        f"{application.job.hiring_manager}, submit them with a pitch (Submit to the hiring "
        "manager, on their page): a move alone would not ask the hiring manager anything."
    )


@transaction.atomic
def application_submit(
    *, application: Application, by: User, pitch: str, must_haves_met: list[str] | None = None
) -> Submission:
    """Present an application to the HM with a pitch; the next move becomes the HM's."""
    application = _lock(application)
    job = application.job
    _require(job_can_manage(user=by, job=job), "Only the job's recruiting side can submit.")
    if not application.is_active:
        raise ValidationError("This candidate's application is closed.")
    _refuse_ended(job, "submit its candidates")
    if not pitch.strip():
        raise ValidationError(
            {"pitch": "Say why this person fits: the pitch is what the HM reads."}
        )
    if submission_waiting(application=application):
        raise ValidationError("This candidate is already waiting for the HM's decision.")
    if application_past_review(application):
        raise ValidationError(
            f"{application.candidate.full_name} is already past the HM's review "
            f"(in {application.stage.name}); move them on from there instead."
        )
    now = timezone.now()
    submission = Submission.objects.create(
        application=application,
        submitted_by=by,
        submitted_at=now,
        pitch=pitch.strip(),
        must_haves_met=[m for m in (must_haves_met or []) if m in job.must_have_list],
        must_haves_listed=job.must_have_list,
        in_calibration_round=_calibration_round_open(job),
    )
    target = _stage_of_kind(job, StageKind.SUBMITTED)
    if target.pk != application.stage_id:
        _set_stage(
            application=application, stage=target, by=by, reason="Submitted to the HM", now=now
        )
    application_next_move_set(application=application, owner=job.hiring_manager, at=now)
    activity_record(
        kind="closeloop.submission.created",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} submitted {application.candidate.full_name} to {job.hiring_manager}",
        detail=submission.pitch,
        data={"submission": submission.pk},
    )
    ask_open(
        kind="review_submission",
        subject=submission_subject(submission),
        title=f"Review {application.candidate.full_name} for {job.title}",
        owner=job.hiring_manager,
        job=job,
        application=application,
        requested_by=by,
        opened_at=now,
    )
    return submission


@transaction.atomic
def submission_decide(
    *,
    submission: Submission,
    by: User,
    decision: str,
    reason: str = "",
    note: str = "",
    via: str = "app",
    calibration: Calibration | None = None,
) -> Submission:
    """The HM's answer to a submission: advance to the next stage, or pass with a reason,
    with their calibration (how close the profile was; see `Calibration`).

    Re-reads the rows under a lock, so a second click or a second person finds the
    decision already made and changes nothing.
    """
    application = _lock(submission.application)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    job = application.job
    # Decided already (a second click, a stale tab): said to those who may know how, before
    # the permission check, which a delegate no longer passes once her review was answered.
    if submission.decision != SubmissionDecision.PENDING and submission_decision_known_to(
        user=by, submission=submission
    ):
        raise ValidationError(submission_decided_words(submission=submission, user=by))
    _require(
        application_can_decide(user=by, application=application),
        "Only the job's hiring manager decides on submissions (or, while away, their delegate).",
    )
    if not application.is_active:
        raise ValidationError("This candidate's application is closed.")
    _refuse_ended(job, "decide on its candidates")
    _calibration_set(submission, job, calibration)
    now = timezone.now()
    if decision == SubmissionDecision.ADVANCED:
        _advance(application=application, by=by, note=note, now=now)
    elif decision == SubmissionDecision.PASSED:
        _pass(application=application, by=by, reason=reason, note=note, now=now)
    else:
        raise ValidationError("Choose advance or pass.")
    submission.decision = decision
    submission.decided_by = by
    submission.decided_at = now
    submission.pass_reason = reason if decision == SubmissionDecision.PASSED else ""
    submission.decision_note = note.strip()
    submission.save()
    ask_close(
        kind="review_submission", subject=submission_subject(submission), by=by, via=via, at=now
    )
    # Decided without waiting for the answer: the recruiter no longer owes it.
    _cancel_question_asks(submission.questions.all(), reason="decided")
    candidate = application.candidate.full_name
    verdict = "advanced" if decision == SubmissionDecision.ADVANCED else "passed on"
    _tell(
        job.recruiter,
        application=application,
        subject=f"{by.full_name} {verdict} {candidate} ({job.title})",
        body=_decision_words(submission, by=by, verdict=verdict, candidate=candidate),
    )
    return submission


def _decision_words(submission: Submission, *, by: User, verdict: str, candidate: str) -> str:
    """The recruiter's notice of a decision, one paragraph a part: what was decided and why,
    the decider's own words labelled as theirs, the calibration, then what to do now."""
    reason = submission.pass_reason
    parts = [f"{by.full_name} {verdict} {candidate}."]
    if reason:
        parts[0] += f" Reason: {RejectionReason(reason).label}."
    if submission.decision_note:
        parts.append(f"{by.short_name}'s note: {_sentence(submission.decision_note)}")
    parts.append(_calibration_words(submission, by=by))
    if submission.decision == SubmissionDecision.PASSED:
        parts.append("Let the candidate know.")
    return "\n\n".join(part for part in parts if part)


def _advance(*, application: Application, by: User, note: str, now: Any) -> None:
    following = application_advance_stage(application=application)
    if following is None:
        raise ValidationError("There is no stage after this one to advance to.")
    _set_stage(
        application=application,
        stage=following,
        by=by,
        reason=note or "Advanced by the HM",
        now=now,
    )
    activity_record(
        kind="closeloop.submission.advanced",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} advanced {application.candidate.full_name} to {following.name}",
        detail=note.strip(),
    )


def _pass(*, application: Application, by: User, reason: str, note: str, now: Any) -> None:
    if reason not in RejectionReason.values:
        raise ValidationError({"reason": "Choose the reason for passing."})
    if reason == RejectionReason.OTHER and not note.strip():
        raise ValidationError({"note": "Say why in the note when the reason is “Other”."})
    _close(
        application=application,
        by=by,
        status=ApplicationStatus.REJECTED,
        reason=reason,
        note=note,
        now=now,
    )
    # Closed by the HM's pass: the apps above call off what is left (interviews, scorecards).
    application_closed.send(
        sender=Application, application=application, by=by, reason="passed on the submission"
    )
    label = RejectionReason(reason).label
    activity_record(
        kind="closeloop.submission.passed",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} passed on {application.candidate.full_name}: {label}",
        detail=note.strip(),
        data={"reason": reason},
    )
    _open_inform_ask(application, now)


def _close(
    *, application: Application, by: User, status: str, reason: str, note: str, now: Any
) -> None:
    StageChange.objects.create(
        application=application,
        from_stage=application.stage,
        to_stage=application.stage,
        from_status=application.status,
        to_status=status,
        by=by,
        at=now,
        reason=closing_reason(reason, note),
    )
    application.status = status
    application.closed_reason = reason
    application.closed_note = note.strip()
    application.closed_at = now
    application_next_move_set(application=application, owner=None, at=now, save=False)
    application.save()


@transaction.atomic
def submission_ask_question(*, submission: Submission, by: User, text: str) -> Question:
    """The HM asks the recruiter something; the next move is the recruiter's until answered."""
    application = _lock(submission.application)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.decision != SubmissionDecision.PENDING and submission_decision_known_to(
        user=by, submission=submission
    ):
        raise ValidationError(submission_decided_words(submission=submission, user=by))
    _require(
        application_can_decide(user=by, application=application),
        "Only the job's hiring manager asks here (or, while away, their delegate).",
    )
    _refuse_ended(application.job, "ask about its candidates")
    if not text.strip():
        raise ValidationError({"text": "Write the question."})
    now = timezone.now()
    question = Question.objects.create(
        submission=submission, asked_by=by, asked_at=now, text=text.strip()
    )
    application_next_move_set(application=application, owner=application.job.recruiter, at=now)
    question_asks_open(question=question, application=application, at=now)
    activity_record(
        kind="closeloop.submission.question_asked",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} asked {application.job.recruiter} about {application.candidate.full_name}",
        detail=question.text,
        team_only=True,
    )
    about = f"{application.candidate.full_name} ({application.job.title})"
    _tell(
        application.job.recruiter,
        application=application,
        subject=f"{by.full_name} has a question about {about}",
        body=(
            f"{by.full_name} asked about {about}:\n\n“{question.text}”\n\n"
            "The decision waits on your answer."
        ),
    )
    return question


def question_asks_open(*, question: Question, application: Application, at: Any) -> None:
    """The recruiter owes the answer (due in business time); the HM's review waits for it.

    The review goes on hold rather than on running: its ladder would otherwise remind and
    escalate the HM for a wait that is the recruiter's. Called when the question is asked
    (and by the demo seeder for its past questions).
    """
    recruiter, asker = application.job.recruiter, question.asked_by
    # A question's author is only missing once their account is gone: the HM asked it.
    asker_name = asker.short_name if asker is not None else "the hiring manager"
    candidate = application.candidate.full_name
    ask = ask_open(
        kind=ANSWER_QUESTION,
        subject=question_subject(question),
        title=f"Answer {asker_name}'s question about {candidate}",
        owner=recruiter,
        application=application,
        requested_by=asker,
        opened_at=at,
        facts={"asker": asker_name, "candidate": candidate, "question": excerpt(question.text)},
    )
    answerer = ask.owner if ask is not None else recruiter
    ask_hold(
        kind="review_submission",
        subject=submission_subject(question.submission),
        waiting_for=answerer,
        by=asker,
        at=at,
    )


def question_asks_answered(*, question: Question, by: User | None, at: Any) -> None:
    """The recruiter's ask is answered; with no other question open, the review runs again
    with the time it was held given back to the HM."""
    ask_close(kind=ANSWER_QUESTION, subject=question_subject(question), by=by, at=at)
    if not question.submission.questions.filter(answered_at__isnull=True).exists():
        ask_resume(
            kind="review_submission",
            subject=submission_subject(question.submission),
            by=by,
            at=at,
        )


@transaction.atomic
def question_answer(*, question: Question, by: User, answer: str) -> Question:
    """The recruiter answers; the decision is the HM's move again."""
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("submission")
        .get(pk=question.pk)
    )
    application = _lock(question.submission.application)
    _require(job_can_manage(user=by, job=application.job), "Only the recruiting side answers here.")
    if question.answered_at is not None:
        raise ValidationError("This question is already answered.")
    if not answer.strip():
        raise ValidationError({"answer": "Write the answer."})
    now = timezone.now()
    question.answer, question.answered_by, question.answered_at = answer.strip(), by, now
    question.save()
    question_asks_answered(question=question, by=by, at=now)
    if application.is_active and question.submission.decision == SubmissionDecision.PENDING:
        application_next_move_set(
            application=application, owner=application.job.hiring_manager, at=now
        )
    activity_record(
        kind="closeloop.submission.question_answered",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} answered {question.asked_by}'s question",
        detail=question.answer,
        team_only=True,
    )
    return question


@dataclass(frozen=True)
class _Closing:
    """How an application closes: what the record says and what the candidate is owed."""

    status: str
    reason: str  # the structured reason (a RejectionReason or WithdrawalReason)
    note: str
    why: str  # words for the cancelled asks and for application_closed's subscribers
    # A pending submission is passed (with pass_reason) when the team rejected the
    # candidate; otherwise (they withdrew, the search ended) it closes before a decision.
    passes_pending: bool
    pass_reason: str
    decision_note: str
    activity: str  # the timeline's kind
    summary: str


def _application_close(*, application: Application, by: User, closing: _Closing, now: Any) -> None:
    """Every effect of closing an application, whoever closes it (reject, withdraw).

    The StageChange and the closed fields (nobody's move any more), the HM's review and open
    questions called off, the candidate's clock settled (a rejected candidate is owed the
    outcome; one who withdrew needs no news), the apps above told (interviews call off what
    is left), pending submissions passed, and one line on the timeline.
    """
    _close(
        application=application,
        by=by,
        status=closing.status,
        reason=closing.reason,
        note=closing.note,
        now=now,
    )
    _cancel_review_asks(application, closing.why)
    if closing.status == ApplicationStatus.REJECTED:
        _open_inform_ask(application, now)
    else:
        ask_cancel(kind="update_candidate", subject=update_subject(application), reason=closing.why)
    application_closed.send(sender=Application, application=application, by=by, reason=closing.why)
    pending = application.submissions.filter(decision=SubmissionDecision.PENDING)
    if closing.passes_pending:  # the team's pass on the candidate
        pending.update(
            decision=SubmissionDecision.PASSED,
            decided_by=by,
            decided_at=now,
            pass_reason=closing.pass_reason,
            decision_note=closing.decision_note,
        )
    else:  # the candidate left before anyone decided: not a pass, not a decision
        pending.update(decision=SubmissionDecision.CLOSED, decision_note=closing.decision_note)
    activity_record(
        kind=closing.activity,
        actor=by,
        application=application,
        at=now,
        summary=closing.summary,
        detail=closing.note.strip(),
        data={"reason": closing.reason},
    )


@transaction.atomic
def application_reject(
    *, application: Application, by: User, reason: str, note: str = ""
) -> Application:
    """Close an application as rejected, with a structured reason."""
    application = _lock(application)
    _require(
        job_can_move_candidates(user=by, job=application.job),
        "Only the hiring team can reject candidates.",
    )
    return _reject(application=application, by=by, reason=reason, note=note)


@transaction.atomic
def application_reject_decided(
    *, application: Application, right: DecisionRight, reason: str, note: str = ""
) -> Application:
    """Reject the candidate as a decision says (the debrief's), on the right its service
    checked (`application_decision_right`), as `application_move_decided` moves them."""
    application = _lock(application)
    _require_right(right, application)
    return _reject(application=application, by=right.by, reason=reason, note=note)


def _reject(*, application: Application, by: User, reason: str, note: str) -> Application:
    """Reject the locked application, once the caller has said who may."""
    if not application.is_active:
        raise ValidationError("This application is already closed.")
    if reason not in RejectionReason.values:
        raise ValidationError({"reason": "Choose the reason for rejecting."})
    if reason == RejectionReason.OTHER and not note.strip():
        raise ValidationError({"note": "Say why in the note when the reason is “Other”."})
    candidate = application.candidate.full_name
    closing = _Closing(
        status=ApplicationStatus.REJECTED,
        reason=reason,
        note=note,
        why="application rejected",
        passes_pending=True,
        pass_reason=reason,
        decision_note=note.strip(),
        activity="closeloop.application.rejected",
        summary=f"{by} rejected {candidate}: {RejectionReason(reason).label}",
    )
    _application_close(application=application, by=by, closing=closing, now=timezone.now())
    return application


@transaction.atomic
def application_withdraw(
    *, application: Application, by: User, reason: str, note: str = ""
) -> Application:
    """Record that the candidate withdrew, with their reason."""
    application = _lock(application)
    _require(
        job_can_manage(user=by, job=application.job),
        "Only the recruiting side records withdrawals.",
    )
    if not application.is_active:
        raise ValidationError("This application is already closed.")
    if reason not in WithdrawalReason.values:
        raise ValidationError({"reason": "Choose the candidate's reason."})
    candidate = application.candidate.full_name
    closing = _Closing(
        status=ApplicationStatus.WITHDRAWN,
        reason=reason,
        note=note,
        why="candidate withdrew",
        passes_pending=False,
        pass_reason="",
        decision_note="Candidate withdrew",
        activity="closeloop.application.withdrawn",
        summary=f"{candidate} withdrew: {WithdrawalReason(reason).label}",
    )
    _application_close(application=application, by=by, closing=closing, now=timezone.now())
    return application


# An application closed because its candidate asked to be erased (pipeline.privacy): not a
# reason anyone picks on the withdraw form, so not a WithdrawalReason.
ERASED_REASON = "erased"


def _job_lock(job_id: int) -> Job:
    """The job as stored, its row locked until the transaction ends. Ending a search
    (job_update) locks it too before closing the job's active candidates, so a candidate
    added or reopened is either refused by `_refuse_ended` on this row or closed with the
    job; the copy a page read before the transaction may say Open after the job ended.
    A "no key" lock (PostgreSQL): it waits for job_update's, but not for the key-share
    locks other transactions take to write rows that point at the job (moves, asks)."""
    return Job.objects.select_for_update(no_key=True).get(pk=job_id)


def job_refuse_ended(*, job_id: int, to_do: str) -> Job:
    """The job as stored and locked (`_job_lock`), refused when its search ended: for every
    service that must not act on a search a close may have ended since its page was read."""
    job = _job_lock(job_id)
    _refuse_ended(job, to_do)
    return job


def _refuse_ended(job: Job, to_do: str) -> None:
    """A search that ended (Filled or Closed) takes no candidates back and starts no new work
    on one still active (a big search's rest waits for the worker to close it): reopen the
    job first."""
    refusal = job_ended_refusal(job=job, to_do=to_do)
    if refusal:
        raise ValidationError(refusal)


# A search that ends closes up to this many of its active candidates in the request that
# ends it (most searches hold fewer); the worker closes the rest (`ended_jobs_close`), each
# candidate in its own transaction. Closing one costs about 23 queries: a search with 2,000
# active candidates closed in one request held the database's write lock for most of a
# minute (every other writer waits on SQLite) and outlived the proxy's timeout.
JOB_CLOSE_NOW = 50
ENDED_JOBS_STEP = "ended jobs' candidates"
ENDED_JOBS_BATCH = 200


def _job_closing(*, application: Application, job: Job, by: User) -> _Closing:
    """How a candidate closes with their search (rejected as JOB_CLOSED_REASON)."""
    ended = dict(JobOutcome.choices).get(job.outcome, "")
    return _Closing(
        status=ApplicationStatus.REJECTED,
        reason=JOB_CLOSED_REASON,
        note=f"The search ended: {ended.lower()}." if ended else "",
        why="the job closed",
        passes_pending=False,
        pass_reason="",
        decision_note="The job closed",
        activity="closeloop.application.rejected",
        summary=f"{application.candidate.full_name} closed with the job, closed by {by}",
    )


def on_job_closed(sender: object, *, job: Job, by: User, outcome: str, **_: Any) -> None:
    """jobs' `job_closed`: the search is over, so its active candidates are closed with it
    (rejected as JOB_CLOSED_REASON): their interviews still to come are called off, nobody
    is chased about them any more, and each is owed the outcome (the recruiter's ask). The
    first JOB_CLOSE_NOW here, in the transaction that ends the job; any more by the worker."""
    for application in (
        Application.objects.select_for_update()
        .filter(job=job, status=ApplicationStatus.ACTIVE)
        .select_related("candidate")
        .order_by("pk")[:JOB_CLOSE_NOW]
    ):
        closing = _job_closing(application=application, job=job, by=by)
        _application_close(application=application, by=by, closing=closing, now=timezone.now())


def ended_jobs_close(*, limit: int = ENDED_JOBS_BATCH, now: dt.datetime | None = None) -> Swept:
    """Worker step: close the candidates still active on a Filled or Closed job, as
    `on_job_closed` does, in the name of whoever ended it. They are those a big search left
    for the worker, and any added or reopened while the job was being closed. A candidate
    that raises is held back (followups.sweep) while the others go on."""
    now = now or timezone.now()
    # Only jobs ended through job_update (closed_by recorded): a job set Filled in Django's
    # admin, or ended before candidates closed with their search, is left as it is rather
    # than flooding its recruiter with backdated rejections to tell.
    ids = list(
        Application.objects.filter(
            status=ApplicationStatus.ACTIVE,
            job__status__in=(JobStatus.FILLED, JobStatus.CLOSED),
            job__closed_by__isnull=False,
        )
        .exclude(pk__in=sweep_held(ENDED_JOBS_STEP, now=now))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sweep(
        ENDED_JOBS_STEP,
        ids,
        lambda pk: ended_job_close_one(pk=pk),
        push_back=lambda pk, error: sweep_hold_push(ENDED_JOBS_STEP, pk, error, now=now),
        row_id=lambda pk: f"application {pk}",
    )


@transaction.atomic
def ended_job_close_one(*, pk: int) -> int:
    """Close one candidate of an ended search (the step's per-row function, a module
    attribute so a test can poison one row). 0 when someone closed them first or the job
    was reopened meanwhile."""
    found = Application.objects.filter(pk=pk).values_list("job_id", flat=True).first()
    if found is None:
        return 0
    # The job first, as job_update and application_reopen lock it: a reopening in flight is
    # waited for and seen, never undone by this close.
    job = _job_lock(found)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("candidate")
        .filter(pk=pk, status=ApplicationStatus.ACTIVE)
        .first()
    )
    if application is None or not job.has_ended:
        return 0
    application.job = job
    by = job.closed_by or job.recruiter
    closing = _job_closing(application=application, job=job, by=by)
    _application_close(application=application, by=by, closing=closing, now=timezone.now())
    return 1


# How many of the candidates a Filled job would reject are named before the rest are counted.
SHORT_NAMED = 5


def _filled_short_words(job: Job) -> str:
    """Said before a job is set Filled with fewer hired than it hires for: Filled rejects
    the candidate at Offer like any other active one, so the hire still to be recorded would
    be rejected ("" when the hires are all recorded, or no one is that far)."""
    hired, far = job_fill_shortfall(job=job)
    if hired >= job.headcount or not far:
        return ""
    named = [
        f"{application.candidate.full_name} (at {application.stage.name})"
        for application in far[:SHORT_NAMED]
    ]
    if len(far) > SHORT_NAMED:
        named.append(f"{len(far) - SHORT_NAMED} more")
    return (
        f" If you set it Filled: {hired} of {job.headcount} hired so far, and "
        f"{listed(named)} would be rejected too. Move the hire to Hired first, or choose "
        "Closed if the search ends without one."
    )


def job_ending_active_candidates(job: Job, reader: User | None = None) -> EndingEffect | None:
    """What ending the job does to its candidates, said to `reader`, for the job form to
    confirm first (the registered `job_ending_effect`): each then waits in the recruiter's
    queue to be told ("your queue" when the reader is the recruiter)."""
    active = Application.objects.filter(job=job, status=ApplicationStatus.ACTIVE).count()
    if not active:
        return None
    who = f"{active} active candidate{pluralize(active)}"
    # Whose queue the closed candidates wait in: "your", "Rita's".
    whose = possessive_for(job.recruiter, reader=reader) if job.recruiter_id else "the recruiter's"
    if active > JOB_CLOSE_NOW:
        done = (
            f"{who} are being rejected as “{JOB_CLOSED_LABEL}”: {JOB_CLOSE_NOW} at once, the "
            f"rest in the next minutes; each waits in {whose} queue to be told."
        )
    elif active == 1:
        done = f"{who} was rejected as “{JOB_CLOSED_LABEL}”; it waits in {whose} queue to be told."
    else:
        done = (
            f"{who} were rejected as “{JOB_CLOSED_LABEL}”; each waits in {whose} queue to be told."
        )
    each = "each then waits" if active > 1 else "then waits"
    return EndingEffect(
        ahead=f"{who} will be rejected as “{JOB_CLOSED_LABEL}”, with any interviews still "
        f"to come called off, and {each} in {whose} queue to be told." + _filled_short_words(job),
        done=done,
        what=f"close its active candidate{pluralize(active)}",
    )


@transaction.atomic
def application_withdraw_for_erasure(*, application: Application, by: User) -> Application:
    """Close an open application whose candidate is being erased, as withdrawn with the reason
    "erased", through the one closing door: interviews are called off, asks cancelled."""
    application = _lock(application)
    _require(job_can_manage(user=by, job=application.job), "Only an admin erases a candidate.")
    if not application.is_active:
        return application
    closing = _Closing(
        status=ApplicationStatus.WITHDRAWN,
        reason=ERASED_REASON,
        note="",
        why="candidate erased",
        passes_pending=False,
        pass_reason="",
        decision_note="Candidate erased",
        activity="closeloop.application.withdrawn",
        summary=f"{application.candidate.full_name} withdrew: asked to be erased",
    )
    _application_close(application=application, by=by, closing=closing, now=timezone.now())
    return application


@transaction.atomic
def application_reopen(*, application: Application, by: User, reason: str = "") -> Application:
    """Bring a rejected or withdrawn application back into its last stage (the stage before
    its place when that one was removed from the plan: `application_reopen_stage`).

    Back in play, the candidate is owed news like anyone added or moved: the outcome a
    rejection left to tell is no longer owed, and whose move it is starts again at the
    reopening. The news clock (`update_candidate`) carries on from when the news was really
    owed, unless they heard from us while closed (`_resume_update_ask`).
    """
    job = _job_lock(application.job_id)  # the job first, as job_update locks it
    application = _lock(application)
    _require(job_can_manage(user=by, job=job), "Only the recruiting side can reopen.")
    _refuse_erased(application)
    if application.status not in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN):
        raise ValidationError("Only a rejected or withdrawn application can be reopened.")
    _refuse_ended(job, "reopen a candidate")
    stage = application_reopen_stage(application)
    if stage is None:
        raise ValidationError(f"{application.job.title} has no stages to reopen them in.")
    was, now = application.stage, timezone.now()
    application.closed_reason, application.closed_note, application.closed_at = "", "", None
    _set_stage(application=application, stage=stage, by=by, reason=reason or "Reopened", now=now)
    ask_cancel(kind="inform_candidate", subject=update_subject(application), reason="reopened")
    _resume_update_ask(application, now)
    if stage.pk == was.pk:
        where = stage.name
    elif was.removed_at is not None:
        where = f"{stage.name} ({was.name} was removed)"
    else:
        where = f"{stage.name} (only a submission enters {was.name})"
    activity_record(
        kind="closeloop.application.reopened",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} reopened {application.candidate.full_name} in {where}",
        detail=reason,
    )
    return application


@transaction.atomic
def candidate_updated(*, application: Application, by: User, note: str = "") -> Application:
    """Record that the candidate heard from us: closes the waiting clock's ask and restarts it."""
    application = _lock(application)
    _require(job_can_manage(user=by, job=application.job), "Only the recruiting side records this.")
    _refuse_erased(application)
    now = timezone.now()
    application.candidate_updated_at = now
    application.save(update_fields=["candidate_updated_at"])
    for kind in ("update_candidate", "inform_candidate"):
        ask_close(kind=kind, subject=update_subject(application), by=by, at=now)
    activity_record(
        kind="closeloop.candidate.informed",
        actor=by,
        application=application,
        at=now,
        summary=f"{by} updated {application.candidate.full_name}",
        detail=note.strip(),
    )
    if application.is_active:
        _open_update_ask(application, now)
    return application


# --- Passes that cite the agreement (must-haves, deal-breakers) -----------------------------

CITATION_KINDS = ("must_have", "deal_breaker", "other")


def _calibration_round_open(job: Job) -> bool:
    """Whether the job's next submission still belongs to its calibration round (its first
    CALIBRATION_ROUND_SIZE submissions). The job row is locked so that two submissions made
    at once are counted one after the other."""
    Job.objects.select_for_update().only("pk").get(pk=job.pk)
    made = Submission.objects.filter(application__job=job).count()
    return made < settings.CALIBRATION_ROUND_SIZE


@dataclass(frozen=True)
class Calibration:
    """What the decider says with a decision: how close the profile was (a `Closeness`),
    which of the job's must-haves it met in their eyes (the rest count as missed), and, in
    the job's calibration round, a sentence on why (docs/architecture.md#calibration)."""

    closeness: int
    must_haves_met: Sequence[str] = ()
    note: str = ""


def _calibration_set(submission: Submission, job: Job, calibration: Calibration | None) -> None:
    """Write the calibration on the submission (not saved here), or refuse it whole.

    None is allowed (imports, scripts, decisions recorded before calibration): the
    submission then keeps no closeness. The forms people use always send one.
    """
    if calibration is None:
        return
    if calibration.closeness not in Closeness.values:
        raise ValidationError({"closeness": "Say how close the profile was to what you need."})
    note = " ".join(calibration.note.split())
    validate_single_line_text(note)
    if len(note) > CALIBRATION_NOTE_MAX:
        raise ValidationError(
            {"calibration_note": f"Keep the sentence under {CALIBRATION_NOTE_MAX} characters."}
        )
    if submission.in_calibration_round and not note:
        raise ValidationError(
            {
                "calibration_note": "This submission is in the job's calibration round: "
                "say in a sentence why the profile was close or not."
            }
        )
    met = set(calibration.must_haves_met)
    listed = submission.must_haves_pitched(job)
    submission.closeness = calibration.closeness
    # Kept as listed for the pitch at the decision, so a later change of must-haves does not
    # rewrite what the decider said (nor count as missed one nobody pitched against).
    submission.hm_must_haves_met = [m for m in listed if m in met]
    submission.hm_must_haves_missed = [m for m in listed if m not in met]
    submission.calibration_note = note


def _calibration_words(submission: Submission, *, by: User) -> str:
    """The calibration in the recruiter's notice ("Closeness: Close.", then on its own line
    "Hank's words on the fit: “…”")."""
    if submission.closeness is None:
        return ""
    words = f"Closeness: {Closeness(submission.closeness).label}."
    if submission.hm_must_haves_missed:
        words += " Missed: " + ", ".join(submission.hm_must_haves_missed) + "."
    if submission.calibration_note:
        words += f"\n{by.short_name}'s words on the fit: “{submission.calibration_note}”"
    return words


def _citation_reason(kind: str, criterion: str, reason: str, note: str) -> tuple[str, str]:
    """The structured reason and note the pipeline records for a cited pass.

    A missed must-have is "skills" (calibration counts it); a deal-breaker has no structured
    reason of its own, so it is "other" with the deal-breaker named in the note (which the
    recruiter reads, so it names the criterion either way).
    """
    note = note.strip()
    if kind == "must_have":
        return "skills", f"Misses the must-have “{criterion}”. {note}".strip()
    if kind == "deal_breaker":
        return "other", f"Hits the deal-breaker “{criterion}”. {note}".strip()
    return reason or "other", note or criterion


def submission_answer(
    *,
    submission: Submission,
    by: User,
    decision: str,
    reason: str = "",
    note: str = "",
    calibration: Calibration | None = None,
    via: str = "app",
    citation: tuple[str, str] | None = None,
) -> Submission:
    """The HM's answer as a decision form gives it (the application page's, or an email's
    confirmation page): a pass that cites the agreement (or says "other" in words,
    `citation`) goes through `submission_pass_citing`, so the drift watch hears of it
    whichever way the HM answered; anything else through `submission_decide`."""
    if decision == SubmissionDecision.PASSED and citation is not None:
        kind, criterion = citation
        return submission_pass_citing(
            submission=submission,
            by=by,
            kind=kind,
            criterion=criterion,
            reason=reason if kind == "other" else "",
            note=note,
            calibration=calibration,
            via=via,
        )
    return submission_decide(
        submission=submission,
        by=by,
        decision=decision,
        reason=reason if decision == SubmissionDecision.PASSED else "",
        note=note,
        via=via,
        calibration=calibration,
    )


@transaction.atomic
def submission_pass_citing(
    *,
    submission: Submission,
    by: User,
    kind: str,
    criterion: str,
    reason: str = "",
    note: str = "",
    calibration: Calibration | None = None,
    via: str = "app",
) -> Submission:
    """The HM passes citing a must-have, a deal-breaker, or another reason in their words.

    The pipeline records the decision (structured reason, ask closed, recruiter told) and
    announces the citation, which the intake's drift watch compares with the agreement.
    One transaction.
    """
    criterion = " ".join(criterion.split())[:300]
    if kind not in CITATION_KINDS:
        raise ValidationError({"reason": "Choose the reason for passing."})
    if not criterion:
        raise ValidationError({"note": "Say why in the note when the reason is “Other”."})
    reason, note = _citation_reason(kind, criterion, reason, note)
    if calibration is not None and kind == "must_have":
        # The pass cites this must-have as missing: the calibration cannot call it met.
        kept = [m for m in calibration.must_haves_met if m != criterion]
        calibration = replace(calibration, must_haves_met=kept)
    submission = submission_decide(
        submission=submission,
        by=by,
        decision="passed",
        reason=reason,
        note=note,
        via=via,
        calibration=calibration,
    )
    # The intake records what was cited, for its drift watch, in this transaction.
    submission_passed_citing.send(
        sender=Submission, submission=submission, kind=kind, criterion=criterion
    )
    return submission
