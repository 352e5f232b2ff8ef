"""Writes to jobs and their stage plans."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from closeloop.activity.services import activity_record
from closeloop.followups.people import asks_role_handover
from closeloop.followups.policies import ServiceLevels, service_level_lines
from closeloop.followups.services import asks_rename
from closeloop.jobs.hooks import (
    job_closed,
    job_ending_effects,
    job_ending_words,
    job_reopened,
    job_role_changed,
)
from closeloop.jobs.models import (
    DEFAULT_STAGE_PLAN,
    Job,
    JobOutcome,
    JobStatus,
    MoveOwner,
    Stage,
    StageKind,
)
from closeloop.jobs.selectors import (
    AGREEMENT_FIELDS,
    job_agreement_in_force,
    job_can_create,
    job_can_manage,
    stage_occupancy,
    stage_removal_refusal,
)
from closeloop.lib.folding import by_name
from closeloop.lib.seen import seen_check, seen_stamp

if TYPE_CHECKING:
    from closeloop.accounts.models import User

TEAM_FIELDS = ("recruiter", "hiring_manager", "coordinator", "escalation_contact")


def _validate_team(job: Job) -> None:
    if not job.hiring_manager.is_hiring_manager:
        raise ValidationError({"hiring_manager": f"{job.hiring_manager} is not a hiring manager."})
    if not (job.recruiter.is_recruiter or job.recruiter.is_admin):
        raise ValidationError({"recruiter": f"{job.recruiter} is not a recruiter."})


def _clean_service_levels(data: dict[str, Any]) -> dict[str, Any]:
    """The job's agreed due times as the column stores them. The job form hands them parsed
    (`ServiceLevels`, trusted as they are); anything else a caller passes is parsed here,
    by the same rule: all valid, or ValidationError and nothing changes."""
    if "service_levels" not in data:
        return data
    return {**data, "service_levels": ServiceLevels.parse(data["service_levels"]).as_json()}


AGREED_NAMES = {"must_haves": "The must-haves", "service_levels": "The service levels"}


def _refuse_agreed_fields(job: Job, changed: list[str]) -> None:
    """While an agreement is in force, the fields it owns change only by amending it."""
    agreed = [name for name in changed if name in AGREEMENT_FIELDS]
    if agreed and job_agreement_in_force(job=job) is not None:
        raise ValidationError(
            {
                name: f"{AGREED_NAMES.get(name, name)} come from the signed intake agreement; "
                "amend the intake to change them."
                for name in agreed
            }
        )


ENDED = (JobStatus.FILLED, JobStatus.CLOSED)

ENDING_CONFIRM_FIELD = "ending_confirmed"


def _refuse_unconfirmed_ending(job: Job, by: User) -> None:
    """The form's box was left unticked: say what ending the search would do, change nothing."""
    if effects := job_ending_effects(job, reader=by):
        # What ending does in detail is said beside the box (each effect's `ahead`), not
        # again here.
        raise ValidationError(
            {
                ENDING_CONFIRM_FIELD: f"Ending the search would also {job_ending_words(effects)}: "
                "tick the box to go ahead, or keep the job's status."
            }
        )


def _stamp_status(job: Job, previous: str | None, by: User) -> None:
    now = timezone.now()
    if previous in ENDED and job.status not in ENDED and job.opened_at is not None:
        # A search that had run is on again; one closed before it ever opened has no
        # reopening, only its first opening below.
        job.reopened_at = now
    if job.status == JobStatus.OPEN and job.opened_at is None:
        job.opened_at = now
    if job.status == JobStatus.ON_HOLD and previous != JobStatus.ON_HOLD:
        job.held_at = now
    elif job.status != JobStatus.ON_HOLD:
        job.held_at = None
    if job.status in ENDED and previous not in ENDED:
        job.closed_at, job.closed_by = now, by
    elif job.status not in ENDED:
        job.closed_at, job.closed_by = None, None
    _stamp_outcome(job)


def _stamp_outcome(job: Job) -> None:
    """A Filled job was filled; a Closed one was cancelled or failed (a caller that does not
    say, such as an import, closes it as cancelled); a job not closed has no outcome yet."""
    if job.status == JobStatus.FILLED:
        job.outcome = JobOutcome.FILLED
    elif job.status == JobStatus.CLOSED:
        if job.outcome == JobOutcome.FILLED:
            raise ValidationError(
                {"outcome": "A filled search is marked Filled; choose cancelled or failed."}
            )
        job.outcome = job.outcome or JobOutcome.CANCELLED
    else:
        job.outcome = ""


@transaction.atomic
def job_create(*, by: User, data: dict[str, Any], interviewers: list[User] | None = None) -> Job:
    """Create a job with the default stage plan (Sourced … Hired)."""
    if not job_can_create(user=by):
        raise PermissionDenied("Only recruiters and admins open jobs.")
    job = Job(**_clean_service_levels(data))
    _validate_team(job)
    _stamp_status(job, None, by)
    job.full_clean()
    job.save()
    if interviewers:
        job.interviewers.set(interviewers)
    Stage.objects.bulk_create(
        Stage(job=job, kind=kind, name=name, move_owner=owner, position=index)
        for index, (kind, name, owner) in enumerate(DEFAULT_STAGE_PLAN)
    )
    activity_record(
        kind="closeloop.job.created", actor=by, job=job, summary=f"{by} opened {job.title}"
    )
    return job


# What the job form edits (the names `job_update` takes them by), and how its refusals name
# them: the edit page's fingerprint (docs/architecture.md#where-rules-live).
EDITED_LABELS = {
    "title": "title", "team": "team", "location": "location", "remote": "remote work",
    "headcount": "headcount", "status": "status", "outcome": "how the search ended",
    "must_haves": "must-haves", "recruiter": "recruiter", "hiring_manager": "hiring manager",
    "coordinator": "coordinator", "escalation_contact": "escalation contact",
    "service_levels": "service levels", "interviewers": "interviewers",
}  # fmt: skip


def _edited_values(job: Job, names: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        if name == "interviewers":
            values[name] = set(job.interviewers.values_list("pk", flat=True))
        else:
            values[name] = getattr(job, f"{name}_id" if name in TEAM_FIELDS else name)
    return values


def _edited_shown(job: Job, name: str) -> Any:
    """A value of the job as its page shows it (after a refused save)."""
    if name == "interviewers":
        return [str(person) for person in job.interviewers.order_by(*by_name("full_name"), "pk")]
    if name == "service_levels":
        return service_level_lines(ServiceLevels.stored(job.service_levels, owner=f"job {job.pk}"))
    if name in ("status", "outcome"):
        return getattr(job, f"get_{name}_display")()
    return getattr(job, name)


def job_edit_seen(job: Job) -> str:
    """The fingerprint of what the job form edits, for the edit page (`job_update` checks it)."""
    return seen_stamp(_edited_values(job, list(EDITED_LABELS)))


@transaction.atomic
def job_update(
    *,
    job: Job,
    by: User,
    data: dict[str, Any],
    interviewers: list[User] | None = None,
    seen: str | None = None,
    ending_confirmed: bool | None = None,
) -> Job:
    """Change a job's details, team or status; the activity log says what changed.

    `seen`: the edit page's fingerprint (`job_edit_seen`). When a value this save writes was
    saved differently since that page was rendered, nothing is saved (`SavedSince`): the page
    would undo that change. None checks nothing (a script's call).

    Ending the search (Filled or Closed) ends what depends on it (`job_closed`'s receivers:
    the active candidates are closed, so nobody is chased about a search that is over);
    reopening it tells `job_reopened`'s receivers. Renaming it renames its open asks
    (`asks_rename`): the queue never shows one job under two names.
    `ending_confirmed`: False (the form, its box not ticked) refuses an ending that would do
    more than close the job, saying what it would do (`job_ending_effects`); None (a
    script's call) goes ahead."""
    if not job_can_manage(user=by, job=job):
        raise PermissionDenied("Only the job's recruiter or an admin edits the job.")
    data = _clean_service_levels(data)
    previous = Job.objects.select_for_update().get(pk=job.pk)
    written = [name for name in EDITED_LABELS if name in data or name == "interviewers"]
    if interviewers is None:
        written.remove("interviewers")
    seen_check(
        seen=seen,
        values=_edited_values(previous, written),
        what="this job",
        labels=EDITED_LABELS,
        shown=lambda name: _edited_shown(previous, name),
    )
    changed = [name for name, value in data.items() if getattr(previous, name) != value]
    _refuse_agreed_fields(previous, changed)
    for name, value in data.items():
        setattr(job, name, value)
    _validate_team(job)
    _stamp_status(job, previous.status, by)
    ending = job.status in ENDED and previous.status not in ENDED
    reopening = previous.status in ENDED and job.status not in ENDED
    if ending and ending_confirmed is False:
        _refuse_unconfirmed_ending(previous, by)
    job.full_clean()
    job.save()
    asks_rename(asks=job.asks.all(), old=previous.title, new=job.title, last=True)
    if ending:
        # Subscribers (the candidates closed, the end-of-search survey) act in this
        # transaction.
        job_closed.send(sender=Job, job=job, by=by, outcome=job.outcome)
    if reopening:
        # What the ending started for a search that was over stops (the end-of-search
        # survey is called off).
        job_reopened.send(sender=Job, job=job, by=by)
    for role in HANDED_OVER_ROLES:
        if getattr(previous, f"{role}_id") != getattr(job, f"{role}_id"):
            _role_hand_over(job, role, before=getattr(previous, role), by=by)
    if interviewers is not None and set(interviewers) != set(job.interviewers.all()):
        job.interviewers.set(interviewers)
        changed.append("interviewers")
    if changed:
        activity_record(
            kind="closeloop.job.updated",
            actor=by,
            job=job,
            summary=f"{by} changed {', '.join(changed).replace('_', ' ')}",
            data={"fields": changed, "status": job.status},
        )
    return job


# The roles whose open asks follow the role to its new holder when the job changes hands.
HANDED_OVER_ROLES = ("recruiter", "hiring_manager")


def _role_hand_over(job: Job, role: str, *, before: User, by: User) -> None:
    """A role changed hands: what the previous holder owed in that role on this job goes to
    the new one, and the apps above hear of it (the candidates waiting on them move too)."""
    after = getattr(job, role)
    asks_role_handover(job=job, role=role, before=before, after=after, by=by)
    job_role_changed.send(sender=Job, job=job, role=role, before=before, after=after, by=by)


# What a signed agreement sets on its job: the role, the requirements, the cadence. Team
# roles other than the escalation contact, the status and the stage plan are not its to set.
AGREEMENT_TERMS = frozenset(
    {
        "title", "team", "location", "remote", "headcount", "compensation_min",
        "compensation_max", "compensation_currency", "target_start_date", "target_fill_date",
        "must_haves", "nice_to_haves", "deal_breakers", "service_levels", "touchbase_weekday",
        "touchbase_time", "touchbase_minutes", "touchbase_time_zone", "escalation_contact_id",
    }
)  # fmt: skip


def job_agreement_apply(*, job: Job, terms: dict[str, Any]) -> Job:
    """Make a signed agreement's terms the job's own: the one door through which the fields an
    agreement owns (AGREEMENT_FIELDS) change while it is in force.

    The intake calls it inside its signing transaction, after checking who signs; the
    agreement's values were validated on their way into it (service levels are parsed once
    more here, by the same rule as every other write)."""
    unknown = set(terms) - AGREEMENT_TERMS
    if unknown:
        raise ValueError(f"An agreement does not set {', '.join(sorted(unknown))}.")
    before = job.title
    for name, value in _clean_service_levels(terms).items():
        setattr(job, name, value)
    job.save()
    asks_rename(asks=job.asks.all(), old=before, new=job.title, last=True)
    return job


@transaction.atomic
def stage_add(*, job: Job, by: User, name: str, move_owner: str = MoveOwner.RECRUITER) -> Stage:
    """Add a custom stage before the final (Hired) stage."""
    if not job_can_manage(user=by, job=job):
        raise PermissionDenied("Only the job's recruiter or an admin edits stages.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the stage."})
    same = job.stages.filter(name__iexact=name).first()
    if same is not None:  # named as it is, not as typed ("interviewing")
        raise ValidationError({"name": f"This job already has a stage called {same.name}."})
    if move_owner not in MoveOwner.values:
        raise ValidationError({"move_owner": "Choose whose move it is in this stage."})
    stages = _plan_lock(job)
    hired = next((s for s in stages if s.kind == StageKind.HIRED), None)
    position = hired.position if hired else (job.stages.aggregate(m=Max("position"))["m"] or 0) + 1
    _renumber(stages, insert_at=position)
    stage = Stage.objects.create(
        job=job, name=name, kind=StageKind.CUSTOM, move_owner=move_owner, position=position
    )
    activity_record(
        kind="closeloop.job.stage_added", actor=by, job=job, summary=f"{by} added the stage {name}"
    )
    return stage


def _plan_lock(job: Job) -> list[Stage]:
    """The job's plan, locked in order for an edit of it (one edit at a time).

    FOR NO KEY UPDATE: a candidate entering a stage holds a share of it (`stage_keep`) and
    a move's foreign keys are checked at its commit; neither waits for this lock, so a stage
    edit never deadlocks with a move. Only a removal takes more (`stage_remove`).
    """
    return list(job.stages.select_for_update(no_key=True).order_by("position"))


def _renumber(stages: list[Stage], insert_at: int | None = None) -> None:
    """Number stages 0..n, leaving a gap at `insert_at` (two passes: the index is unique)."""
    for offset, stage in enumerate(stages):
        stage.position = 1000 + offset
    Stage.objects.bulk_update(stages, ["position"])
    position = 0
    for stage in stages:
        if insert_at is not None and position == insert_at:
            position += 1
        stage.position = position
        position += 1
    Stage.objects.bulk_update(stages, ["position"])


# What the stage editor edits of one stage, and how a refusal names it: each row's
# fingerprint (docs/architecture.md#where-rules-live).
STAGE_EDITED_LABELS = {"name": "name", "move_owner": "whose move"}


def _stage_values(stage: Stage) -> dict[str, Any]:
    return {"name": stage.name, "move_owner": stage.move_owner}


def _stage_shown(stage: Stage, name: str) -> Any:
    return stage.get_move_owner_display() if name == "move_owner" else getattr(stage, name)


def stage_edit_seen(stage: Stage) -> str:
    """The fingerprint of what a stage's row in the editor shows (`stage_update` checks it)."""
    return seen_stamp(_stage_values(stage))


def stage_plan_seen(stages: list[Stage]) -> str:
    """The fingerprint of the plan's order as the editor shows it (`stage_move` checks it):
    Up and Down mean "past the neighbour shown", which another order would not be."""
    return seen_stamp({"order": [stage.pk for stage in stages]})


@transaction.atomic
def stage_update(
    *, stage: Stage, by: User, name: str, move_owner: str, seen: str | None = None
) -> Stage:
    """Rename a stage or change whose move it is.

    `seen`: the row's fingerprint (`stage_edit_seen`). When the name or whose move it is was
    saved differently since the editor was rendered, nothing is saved (`SavedSince`): the
    page would undo that change. None checks nothing (a script's call)."""
    if not job_can_manage(user=by, job=stage.job):
        raise PermissionDenied("Only the job's recruiter or an admin edits stages.")
    locked = Stage.with_removed.select_for_update().get(pk=stage.pk)
    if locked.removed_at is not None:
        raise ValidationError(f"{locked.name} was removed from the plan; there is nothing to edit.")
    seen_check(
        seen=seen,
        values=_stage_values(locked),
        what=f"the stage {locked.name}",
        labels=STAGE_EDITED_LABELS,
        shown=lambda field: _stage_shown(locked, field),
    )
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the stage."})
    same = stage.job.stages.filter(name__iexact=name).exclude(pk=stage.pk).first()
    if same is not None:
        raise ValidationError({"name": f"This job already has a stage called {same.name}."})
    if move_owner not in MoveOwner.values:
        raise ValidationError({"move_owner": "Choose whose move it is in this stage."})
    stage.name, stage.move_owner = name, move_owner
    stage.save(update_fields=["name", "move_owner"])
    return stage


@transaction.atomic
def stage_move(*, stage: Stage, by: User, direction: int, seen: str | None = None) -> None:
    """Move a stage one place up (-1) or down (+1) in the plan.

    `seen`: the editor's fingerprint of the order (`stage_plan_seen`). When the plan was
    reordered, added to or cut since the page was rendered, nothing moves (`SavedSince`):
    the stage would not land where the page showed. None checks nothing (a script's call)."""
    if not job_can_manage(user=by, job=stage.job):
        raise PermissionDenied("Only the job's recruiter or an admin edits stages.")
    stages = _plan_lock(stage.job)
    seen_check(
        seen=seen,
        values={"order": [each.pk for each in stages]},
        what="the stages of this job",
        labels={"order": "order of the stages"},
        shown=lambda _: [f"{place}. {each.name}" for place, each in enumerate(stages, 1)],
        outcome="Nothing was moved; here are the stages as they are now.",
    )
    index = next((i for i, s in enumerate(stages) if s.pk == stage.pk), None)
    if index is None:
        raise ValidationError(f"{stage.name} was removed from the plan.")
    target = index + (1 if direction > 0 else -1)
    if not 0 <= target < len(stages):
        raise ValidationError("The stage is already at that end of the plan.")
    stages[index], stages[target] = stages[target], stages[index]
    _renumber(stages)


def stage_keep(*, stage: Stage) -> bool:
    """Keep `stage` in its job's plan until the transaction ends, for a candidate about to
    enter it; False when it is no longer in the plan.

    On PostgreSQL a share of the stage row (FOR KEY SHARE: entries into one stage never wait
    for each other) that `stage_remove`'s lock waits for; one taken while a removal is under
    way waits for it and then finds the stage gone. (The foreign key's own check would come
    too late: Django's are deferred to the commit.) SQLite runs one writer at a time.
    """
    if connection.vendor != "postgresql":
        return Stage.objects.filter(pk=stage.pk).exists()
    table = connection.ops.quote_name(Stage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE id = %s AND removed_at IS NULL FOR KEY SHARE",  # noqa: S608 - the model's own table
            [stage.pk],
        )
        return cursor.fetchone() is not None


@transaction.atomic
def stage_remove(*, stage: Stage, by: User) -> None:
    """Take a stage that holds no candidates out of the plan.

    The row stays, marked removed: the candidates who passed through it and those rejected
    or withdrawn in it still read where they were ("Interviewing (removed)"), and a closed
    application reopened from it goes back into the plan (`application_reopen`).
    """
    job = stage.job
    if not job_can_manage(user=by, job=job):
        raise PermissionDenied("Only the job's recruiter or an admin edits stages.")
    refusal = stage_removal_refusal(stage=stage)
    if refusal:
        raise ValidationError(refusal)
    stages = _plan_lock(job)
    if not any(each.pk == stage.pk for each in stages):
        raise ValidationError(f"{stage.name} was already removed.")
    # The stage itself locked FOR UPDATE before counting: an entry into it under way holds a
    # share of its row (`stage_keep`), so this waits for it and counts it; one that comes
    # later waits for this and finds the stage removed.
    list(Stage.objects.select_for_update().filter(pk=stage.pk).values("pk"))
    occupancy = stage_occupancy(stages=[stage])[stage.pk]
    refusal = stage_removal_refusal(stage=stage, occupancy=occupancy)
    if refusal:
        raise ValidationError(refusal)
    now = timezone.now()
    stage.removed_at = now
    stage.save(update_fields=["removed_at"])
    _renumber([each for each in stages if each.pk != stage.pk])
    closed = (
        f"; the {occupancy.closed} closed application{'s' if occupancy.closed != 1 else ''} "
        "that ended in it keep it in their history"
        if occupancy.closed
        else ""
    )
    activity_record(
        kind="closeloop.job.stage_removed",
        actor=by,
        job=job,
        at=now,
        summary=f"{by} removed the stage {stage.name}{closed}",
    )
