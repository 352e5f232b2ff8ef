"""Writing intake agreements: drafts, proposals, signatures, and handing the agreement over.

Decisions (documented here; the agreement itself: docs/architecture.md#the-intake-agreement):

- The proposer signs by proposing, for the side(s) they hold on the job. An admin who is
  neither the recruiter nor the HM proposes without signing: both sides are asked.
- A proposed version is immutable; any change is a new version (a new draft, started from
  the last one), proposed and signed again by both sides. A draft that differs in nothing
  from the version in force, or from the version awaiting signatures, is not proposed
  (`intake_unchanged_refusal`): both would be asked to sign terms they agreed already, or
  are asked to sign already.
- The last signed version stays in force until its successor is signed by both. Proposing a
  new version while another awaits signatures withdraws the older one (its asks are
  cancelled), so there is never more than one version to sign.
- When both have signed, the version is applied to the job in the same transaction: role,
  pay, dates, must-haves, nice-to-haves, deal-breakers, service levels (they become the job's
  ask policies), touch-base cadence, escalation contact and the interview plan (rounds are
  updated in place by position, so interviews already booked keep their round names).
- The job page also edits some of those details (JOB_EDITED_FIELDS: title, team, location,
  remote, headcount, escalation contact) while an agreement is in force. They are the job's
  between agreements: a new draft takes them from the job as it is now (whatever it starts
  from), and signing hands one over only if the version changed it from what it started
  with, so an amendment never undoes an edit made on the job page, even one made while the
  version awaited signatures. The diff marks such a value as the job page's, not a change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.selectors import possessive_for, time_zone_names
from closeloop.activity.services import activity_record
from closeloop.followups.policies import ServiceLevels, job_kinds, service_level_lines
from closeloop.followups.services import ask_cancel, ask_close, ask_open
from closeloop.followups.subjects import subject_key
from closeloop.intake.hooks import agreement_applied
from closeloop.intake.models import (
    IntakeSignature,
    IntakeStatus,
    IntakeTemplate,
    IntakeVersion,
    PulseCadence,
    Side,
)
from closeloop.intake.selectors import (
    JOB_EDITED_FIELDS,
    WEEKDAYS,
    awaiting_sides,
    intake_can_edit,
    intake_can_read,
    intake_last_proposed,
    intake_previous,
    intake_propose_refusal,
    intake_sides_of,
    intake_sides_to_sign,
    intake_sign_refusal,
    intake_start_refusal,
    intake_status_words,
    intake_unchanged_refusal,
    job_edits_kept,
    pulse_line,
    pulse_weeks_in_force,
    round_lines,
    side_holder,
    user_names,
    version_changes,
    version_fields_now,
)
from closeloop.jobs.models import InterviewRound, Job
from closeloop.jobs.services import job_agreement_apply
from closeloop.lib.seen import SAVED_NOTHING, seen_check, seen_stamp
from closeloop.lib.text import CURRENCY_CODE_MESSAGE, is_currency_code
from closeloop.notify.services import message_queue

if TYPE_CHECKING:
    from closeloop.accounts.models import User

# The fields each step of the guided form writes (the review step writes nothing).
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "role": (
        "title", "team", "location", "remote", "headcount", "compensation_min",
        "compensation_max", "compensation_currency", "target_start_date", "target_fill_date",
    ),
    "requirements": ("must_haves", "nice_to_haves", "deal_breakers"),
    "plan": ("interview_plan",),
    "cadence": (
        "service_levels", "touchbase_weekday", "touchbase_time", "touchbase_minutes",
        "touchbase_time_zone", "pulse_weeks", "escalation_contact", "notes",
    ),
}  # fmt: skip
AGREED_FIELDS = tuple(name for names in STEP_FIELDS.values() for name in names)
TEMPLATE_FIELDS = (
    "must_haves", "nice_to_haves", "deal_breakers", "interview_plan", "service_levels",
    "touchbase_weekday", "touchbase_time", "touchbase_minutes", "notes",
)  # fmt: skip
# The pulse cadence is the job's (kept by the agreement in force), not the job family's: a
# draft started from a template keeps it.

MAX_ITEMS = 20  # must-haves, nice-to-haves, deal-breakers: a list longer than this is a wish list
MAX_ITEM_LENGTH = 200
MAX_ROUNDS = 8
MAX_FOCUS = 8
ROUND_MINUTES = (15, 480)
TOUCHBASE_MINUTES = (10, 120)


def _require_edit(by: User, job: Job) -> None:
    if not intake_can_edit(user=by, job=job):
        raise PermissionDenied(
            "Only the job's recruiter, its hiring manager or an admin can do this."
        )


def _lock(version: IntakeVersion) -> IntakeVersion:
    # The job first, as `job_update` and `intake_draft_start` lock it: a search ending now
    # waits for this change, or this one reads it ended (and refuses to propose or sign).
    job = (
        Job.objects.select_for_update(of=("self",))
        .select_related("recruiter", "hiring_manager")
        .get(pk=version.job_id)
    )
    locked = IntakeVersion.objects.select_for_update().get(pk=version.pk)
    locked.job = job
    return locked


# --- Validation ------------------------------------------------------------------------------


def _list_problems(text: str, label: str, *, required: bool) -> list[str]:
    items = [line.strip() for line in text.splitlines() if line.strip()]
    problems = []
    if required and not items:
        problems.append(f"Write at least one {label}: submissions are measured against it.")
    if len(items) > MAX_ITEMS:
        problems.append(f"Keep it to {MAX_ITEMS} {label}s, one per line.")
    if any(len(item) > MAX_ITEM_LENGTH for item in items):
        problems.append(f"Keep each {label} under {MAX_ITEM_LENGTH} characters.")
    if len({item.casefold() for item in items}) != len(items):
        problems.append(f"Each {label} once: one is listed twice.")
    return problems


CRITERIA_LISTS = (
    ("must_haves", "must-have", True),
    ("nice_to_haves", "nice-to-have", False),
    ("deal_breakers", "deal-breaker", False),
)


def _criteria_in_two_lists(version: IntakeVersion) -> dict[str, str]:
    """A criterion is one of must-have, nice-to-have or deal-breaker: a submission cannot be
    measured against a line that is both required and optional. The later list is told."""
    seen: dict[str, str] = {}  # criterion (casefolded) -> label of the list that has it
    problems: dict[str, str] = {}
    for name, label, _ in CRITERIA_LISTS:
        for item in (line.strip() for line in getattr(version, name).splitlines()):
            first = seen.get(item.casefold())
            if first and first != label and name not in problems:
                problems[name] = f"“{item}” is a {first} already: list each criterion once."
            elif item:
                seen.setdefault(item.casefold(), label)
    return problems


def _round_problems(plan: Any) -> list[str]:
    if not isinstance(plan, list):
        return ["The interview plan is not a list of rounds."]
    if not plan:
        return ["Plan at least one interview round."]
    if len(plan) > MAX_ROUNDS:
        return [f"Keep the plan to {MAX_ROUNDS} rounds."]
    problems = []
    # Only the people the plan names: checking them against every user costs a large org.
    named = {
        person
        for step in plan
        if isinstance(step, dict) and isinstance(step.get("interviewers"), list)
        for person in step["interviewers"]
        if isinstance(person, int)
    }
    known = set(
        get_user_model().objects.filter(is_active=True, pk__in=named).values_list("pk", flat=True)
    )
    low, high = ROUND_MINUTES
    for index, step in enumerate(plan, start=1):
        step = step if isinstance(step, dict) else {}
        name = str(step.get("name") or "").strip()
        minutes = step.get("duration_minutes")
        if not name:
            problems.append(f"Round {index} needs a name.")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not low <= minutes <= high:
            problems.append(f"Round {index} needs a duration between {low} and {high} minutes.")
        focus = step.get("focus_attributes") or []
        if not isinstance(focus, list) or len(focus) > MAX_FOCUS:
            problems.append(f"Round {index}: at most {MAX_FOCUS} focus attributes.")
        people = step.get("interviewers") or []
        if not isinstance(people, list) or not set(people) <= known:
            problems.append(f"Round {index}: choose interviewers from the list.")
    names = [str((s or {}).get("name", "")).strip().casefold() for s in plan if isinstance(s, dict)]
    if len(set(names)) != len(names):
        problems.append("Give each round its own name.")
    return problems


def _role_problems(v: IntakeVersion) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not v.title.strip():
        errors["title"] = ["Give the role a title."]
    if not 1 <= (v.headcount or 0) <= 500:
        errors["headcount"] = ["Hire between 1 and 500 people."]
    low, high = v.compensation_min, v.compensation_max
    if high == 0:
        # "Up to 0" is no pay at all: a slip for "no top", which is left empty.
        errors["compensation_max"] = [
            "Leave “Pay up to” empty for no top, or give a figure above 0."
        ]
    elif low is not None and high is not None and low > high:
        errors["compensation_max"] = ["The top of the range must not be below its bottom."]
    currency = v.compensation_currency
    if (low is not None or high is not None) and not currency:
        errors["compensation_currency"] = ["Say which currency the range is in."]
    elif currency and not is_currency_code(currency):
        errors["compensation_currency"] = [CURRENCY_CODE_MESSAGE]
    start, fill = v.target_start_date, v.target_fill_date
    if start and fill and fill > start:
        # A hire is filled (offer accepted) before the person starts.
        errors["target_fill_date"] = [
            "The fill date (offer accepted) must not be after the start date."
        ]
    return errors


def _levels_agreed(raw: object) -> tuple[ServiceLevels | None, list[str]]:
    """The service levels a cadence step was given, parsed (the form hands them parsed; a
    direct caller's are parsed here), or why not: only the job's own kinds can be agreed."""
    try:
        levels, problems = ServiceLevels.parse(raw), []
    except ValidationError as error:
        levels, problems = None, error.message_dict["service_levels"]
    if isinstance(raw, Mapping) and set(raw) - set(job_kinds()):
        problems.append("Only the job's own ask kinds can be agreed.")
    return levels, problems


def _cadence_problems(v: IntakeVersion) -> dict[str, list[str]]:
    # A draft's service levels were parsed where they came in: intake_draft_save (the form's
    # or a caller's) or intake_draft_start (read back from the row it starts from).
    errors: dict[str, list[str]] = {}
    if v.touchbase_weekday is not None:
        if not 0 <= v.touchbase_weekday <= 6:
            errors["touchbase_weekday"] = ["Choose a day of the week."]
        if v.touchbase_time is None:
            errors["touchbase_time"] = ["Say at what time the touch-base starts."]
    low, high = TOUCHBASE_MINUTES
    if not low <= (v.touchbase_minutes or 0) <= high:
        errors["touchbase_minutes"] = [f"A touch-base lasts between {low} and {high} minutes."]
    if v.pulse_weeks not in PulseCadence.values:
        errors["pulse_weeks"] = ["Choose how often both sides rate the partnership."]
    if v.touchbase_time_zone and v.touchbase_time_zone not in time_zone_names():
        errors["touchbase_time_zone"] = ["Choose a time zone from the list, e.g. Europe/Berlin."]
    if v.escalation_contact_id and v.escalation_contact_id == v.job.hiring_manager_id:
        errors["escalation_contact"] = [
            "The escalation contact hears when the HM's asks wait: choose someone else."
        ]
    return errors


def intake_problems(*, version: IntakeVersion, steps: tuple[str, ...] | None = None) -> dict:
    """What is wrong with a version, by field ({} when it may be proposed)."""
    steps = steps or tuple(STEP_FIELDS)
    errors: dict[str, list[str]] = {}
    if "role" in steps:
        errors.update(_role_problems(version))
    if "requirements" in steps:
        for name, label, required in CRITERIA_LISTS:
            if problems := _list_problems(getattr(version, name), label, required=required):
                errors[name] = problems
        for name, problem in _criteria_in_two_lists(version).items():
            errors.setdefault(name, []).append(problem)
    if "plan" in steps and (problems := _round_problems(version.interview_plan)):
        errors["interview_plan"] = problems
    if "cadence" in steps:
        errors.update(_cadence_problems(version))
    return errors


def _normalise(version: IntakeVersion) -> None:
    for name in ("must_haves", "nice_to_haves", "deal_breakers"):
        items = [line.strip() for line in getattr(version, name).splitlines() if line.strip()]
        setattr(version, name, "\n".join(items))
    version.compensation_currency = (version.compensation_currency or "").strip().upper()
    version.title = version.title.strip()


# --- What a page of the draft showed ----------------------------------------------------------
#
# A draft is shared: the recruiter and the HM may each have a step open. Each step's page, and
# the review page (the whole draft), carry the fingerprint of the draft as they show it; a
# save, a proposal or a discard from a page older than a save made since is refused
# (docs/architecture.md#where-rules-live). "draft" is the draft itself: one discarded and
# started again is another draft.

DRAFT_LABELS = {
    "draft": "the draft itself (the one you opened was discarded and another started)",
    "title": "title", "team": "team", "location": "location", "remote": "remote work",
    "headcount": "people to hire", "compensation_min": "pay from",
    "compensation_max": "pay up to", "compensation_currency": "currency",
    "target_start_date": "target start date", "target_fill_date": "target fill date",
    "must_haves": "must-haves", "nice_to_haves": "nice-to-haves",
    "deal_breakers": "deal-breakers", "interview_plan": "interview plan",
    "service_levels": "service levels", "touchbase_weekday": "touch-base day",
    "touchbase_time": "touch-base time", "touchbase_minutes": "touch-base length",
    "touchbase_time_zone": "touch-base time zone", "pulse_weeks": "partnership pulse",
    "escalation_contact": "escalation contact", "notes": "notes",
}  # fmt: skip


def _draft_values(version: IntakeVersion, names: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {"draft": version.pk}
    for name in names:
        attribute = "escalation_contact_id" if name == "escalation_contact" else name
        values[name] = getattr(version, attribute)
    return values


def _draft_shown(version: IntakeVersion, name: str) -> Any:
    """A value of the draft as its pages show it (after a refused save)."""
    if name == "draft":
        return f"Version {version.number}, started from {version.started_from}"
    if name == "touchbase_weekday":
        day = version.touchbase_weekday
        return "No weekly touch-base" if day is None else WEEKDAYS[day]
    if name == "touchbase_minutes":
        return f"{version.touchbase_minutes} minutes"
    if name == "pulse_weeks":
        return pulse_line(version)
    if name == "service_levels":
        owner = f"intake version {version.pk}"
        return service_level_lines(ServiceLevels.stored(version.service_levels, owner=owner))
    if name == "interview_plan":
        return round_lines(version.interview_plan or [], user_names([version]))
    return getattr(version, name)


def intake_draft_seen(*, version: IntakeVersion, step: str = "review") -> str:
    """The fingerprint of the draft as a step's page shows it; the review page's is the whole
    draft's (checked by `intake_draft_save`, `intake_propose` and `intake_draft_discard`)."""
    return seen_stamp(_draft_values(version, STEP_FIELDS.get(step, AGREED_FIELDS)))


def _draft_check(
    version: IntakeVersion,
    names: tuple[str, ...],
    seen: str | None,
    outcome: str = SAVED_NOTHING,
) -> None:
    seen_check(
        seen=seen,
        values=_draft_values(version, names),
        what="this draft",
        labels=DRAFT_LABELS,
        shown=lambda name: _draft_shown(version, name),
        outcome=outcome,
    )


# --- Drafts ----------------------------------------------------------------------------------


def _job_basics(job: Job) -> dict[str, Any]:
    """A blank intake starts from what the job already says about itself."""
    plan = [
        {
            "name": r.name,
            "duration_minutes": r.duration_minutes,
            "focus_attributes": list(r.focus_attributes or []),
            "interviewers": sorted(u.pk for u in r.interviewers.all()),
        }
        for r in job.interview_rounds.prefetch_related("interviewers").order_by("position")
    ]
    fields = {
        name: getattr(job, name)
        for name in (*STEP_FIELDS["role"], "must_haves", "nice_to_haves", "deal_breakers")
    }
    return {
        **fields,
        "interview_plan": plan,
        "service_levels": job.service_levels,
        "touchbase_weekday": job.touchbase_weekday,
        "touchbase_time": job.touchbase_time,
        "touchbase_minutes": job.touchbase_minutes or 30,
        "touchbase_time_zone": job.touchbase_time_zone or job.hiring_manager.time_zone,
        # Not a job field: the agreement in force keeps it (else the default).
        "pulse_weeks": pulse_weeks_in_force(job_ids=[job.pk])[job.pk],
        "escalation_contact_id": job.escalation_contact_id,
    }


def _copy_of(version: IntakeVersion | IntakeTemplate, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(version, name) for name in names}


@transaction.atomic
def intake_draft_start(
    *,
    job: Job,
    by: User,
    source: str = "blank",
    template: IntakeTemplate | None = None,
    at: dt.datetime | None = None,
) -> IntakeVersion:
    """Start the job's next version as a draft: blank (the job's own details), a copy of the
    last proposed version ("last"), or an admin's template for the job family ("template").
    A job has at most one draft; starting again returns it."""
    _require_edit(by, job)
    job = Job.objects.select_for_update().select_related("hiring_manager").get(pk=job.pk)
    existing = IntakeVersion.objects.filter(job=job, status=IntakeStatus.DRAFT).first()
    if existing is not None:
        return existing
    if refusal := intake_start_refusal(job=job, at=at):
        raise ValidationError(refusal)
    values = _job_basics(job)
    started_from = "the job's details"
    if source == "last":
        last = intake_last_proposed(job=job)
        if last is None:
            raise ValidationError("There is no earlier version to start from.")
        names = (*(n for n in AGREED_FIELDS if n != "escalation_contact"), "escalation_contact_id")
        values.update(_copy_of(last, tuple(n for n in names if n not in JOB_EDITED_FIELDS)))
        started_from = f"version {last.number}"
    elif source == "template":
        if template is None:
            raise ValidationError({"template": "Choose a template."})
        values.update(_copy_of(template, TEMPLATE_FIELDS))
        started_from = f"the template “{template}”"
    elif source != "blank":
        raise ValidationError("Start from a blank form, the last version or a template.")
    # The levels are a row's (the job's, a version's, a template's), read back: a value edited
    # by hand is left out, and so is a kind a job does not agree on.
    levels = ServiceLevels.stored(values["service_levels"], owner=f"{started_from} (job {job.pk})")
    values["service_levels"] = levels.only(job_kinds()).as_json()
    number = (IntakeVersion.objects.filter(job=job).aggregate(n=Max("number"))["n"] or 0) + 1
    now = at or timezone.now()
    version = IntakeVersion.objects.create(
        job=job,
        number=number,
        created_by=by,
        created_at=now,
        updated_at=now,
        started_from=started_from,
        started_with={name: values[name] for name in JOB_EDITED_FIELDS},
        **values,
    )
    activity_record(
        kind="closeloop.intake.draft_started",
        actor=by,
        job=job,
        summary=f"{by} started version {number} of the intake from {started_from}",
        at=now,
        data={"version": version.pk},
        team_only=True,
    )
    return version


@transaction.atomic
def intake_draft_save(
    *,
    version: IntakeVersion,
    by: User,
    step: str,
    data: dict[str, Any],
    seen: str | None = None,
    at: dt.datetime | None = None,
) -> IntakeVersion:
    """Save one step of a draft: all of the step's fields valid, or ValidationError and
    nothing changes. `at`: the moment of the edit (now; the demo writes its history).

    `seen`: the step page's fingerprint (`intake_draft_seen`). When a value this save writes
    was saved differently since that page was rendered, nothing is saved (`SavedSince`)
    rather than undoing that change. None checks nothing (a script's call)."""
    now = at or timezone.now()
    version = _lock(version)
    _require_edit(by, version.job)
    if version.status != IntakeStatus.DRAFT:
        raise ValidationError("This version was proposed already; start a new draft to change it.")
    if step not in STEP_FIELDS:
        raise ValidationError("There is no such step.")
    _draft_check(version, tuple(name for name in STEP_FIELDS[step] if name in data), seen)
    errors: dict[str, list[str]] = {}
    if "service_levels" in STEP_FIELDS[step] and "service_levels" in data:
        levels, problems = _levels_agreed(data["service_levels"])
        if problems:
            errors["service_levels"] = problems
        data = {**data, "service_levels": levels.as_json() if levels is not None else {}}
    before = {name: getattr(version, name) for name in TARGET_DATES}
    for name in STEP_FIELDS[step]:
        if name in data:
            setattr(version, name, data[name])
    _normalise(version)
    errors.update(_dates_set_in_the_past(version, before, timezone.localdate(now, by.zone)))
    if errors := {**errors, **intake_problems(version=version, steps=(step,))}:
        raise ValidationError(errors)
    version.step = step
    version.updated_at = now
    version.save()
    return version


TARGET_DATES = ("target_fill_date", "target_start_date")


def _dates_set_in_the_past(
    version: IntakeVersion, before: dict[str, Any], today: dt.date
) -> dict[str, list[str]]:
    """A target date set to a day already gone cannot be met. One the version had already
    (a search running past its target, amended for something else) may stay."""
    errors: dict[str, list[str]] = {}
    for name in TARGET_DATES:
        value = getattr(version, name)
        if value is not None and value != before[name] and value < today:
            errors[name] = [f"Pick a day from today ({today:%d %b %Y}) on: that one has passed."]
    return errors


@transaction.atomic
def intake_draft_discard(*, version: IntakeVersion, by: User, seen: str | None = None) -> None:
    """Throw a draft away (it was never proposed, so nobody relied on it). `seen`: the review
    page's fingerprint; a draft changed since that page was rendered is kept (`SavedSince`)."""
    version = _lock(version)
    _require_edit(by, version.job)
    if version.status != IntakeStatus.DRAFT:
        raise ValidationError("Only a draft can be discarded.")
    _draft_check(
        version,
        AGREED_FIELDS,
        seen,
        "Nothing was discarded; here is the draft as it is now, with what was saved since.",
    )
    number = version.number
    version.delete()
    activity_record(
        kind="closeloop.intake.draft_discarded",
        actor=by,
        job=version.job,
        summary=f"{by} discarded the draft of intake version {number}",
        team_only=True,
    )


# --- Proposing and signing -------------------------------------------------------------------


def ask_subject(version: IntakeVersion, side: str) -> str:
    return subject_key("intake", version.pk, side)


def version_url(version: IntakeVersion) -> str:
    return reverse("intake:version", kwargs={"pk": version.job_id, "number": version.number})


def _withdraw_pending(job: Job, by: User, now: dt.datetime) -> IntakeVersion | None:
    """A new proposal replaces the one still awaiting signatures: stop chasing it. Returns
    the newest version withdrawn (the one its signers were last asked to sign), if any."""
    withdrawn = None
    for older in (
        IntakeVersion.objects.select_for_update()
        .filter(job=job, status=IntakeStatus.PROPOSED)
        .order_by("number")
    ):
        older.status = IntakeStatus.WITHDRAWN
        older.save(update_fields=["status"])
        for side in Side.values:
            ask_cancel(kind="sign_intake", subject=ask_subject(older, side), reason="replaced")
        withdrawn = older
    return withdrawn


@transaction.atomic
def intake_propose(
    *, version: IntakeVersion, by: User, seen: str | None = None, at: dt.datetime | None = None
) -> IntakeVersion:
    """Freeze a draft and ask for signatures.

    The proposer signs for their own side(s); each side still to sign gets a sign_intake ask
    and a message with a link to the version (and, for an amendment, what changed).

    `seen`: the review page's fingerprint (`intake_draft_seen`, the whole draft). When the
    draft changed after that page was rendered, nothing is proposed or signed (`SavedSince`):
    nobody signs terms they were not shown. None checks nothing (a script's call).
    """
    version = _lock(version)
    job = version.job
    _require_edit(by, job)
    if version.status != IntakeStatus.DRAFT:
        raise ValidationError("This version was proposed already.")
    if refusal := intake_propose_refusal(job=job, at=at):
        raise ValidationError(refusal)
    _draft_check(
        version,
        AGREED_FIELDS,
        seen,
        "Nothing was proposed or signed; here is the draft as it is now: read it, then "
        "propose again.",
    )
    _normalise(version)
    if errors := intake_problems(version=version):
        raise ValidationError(errors)
    against = intake_previous(version=version)
    if refusal := intake_unchanged_refusal(version=version, previous=against):
        raise ValidationError(refusal)
    now = at or timezone.now()
    withdrawn = _withdraw_pending(job, by, now)
    version.status = IntakeStatus.PROPOSED
    version.proposed_by, version.proposed_at, version.updated_at = by, now, now
    version.save()
    # Read again: withdrawing the pending version changed what the request words.
    previous = intake_previous(version=version)
    activity_record(
        kind="closeloop.intake.proposed",
        actor=by,
        job=job,
        summary=f"{by} proposed version {version.number} of the intake",
        at=now,
        data={"version": version.pk, "previous": previous.pk if previous else None},
        team_only=True,
    )
    for side in intake_sides_of(user=by, job=job):
        _sign(version, side, by, now)
    waiting = awaiting_sides(version)
    if not waiting:
        _bring_into_force(version, by, now)
        return version
    replaced = _Replaced.of(version, previous, withdrawn)
    for side in waiting:
        _ask_to_sign(version, side, by, now, replaced)
    return version


@dataclass(frozen=True)
class _Replaced:
    """What a proposal replaces, as its request to sign words it: the version it is compared
    with (`previous`: in force, or itself withdrawn) and, when that was another one, the
    version its signers were last asked to sign, withdrawn by this proposal — so nobody goes
    on signing it, and each sees what changed from the terms they last read."""

    previous: IntakeVersion | None
    changed: list[str]
    withdrawn: IntakeVersion | None = None
    changed_since_withdrawn: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, version: IntakeVersion, previous: IntakeVersion | None, withdrawn: IntakeVersion | None
    ) -> _Replaced:
        changed = version_changes(old=previous, new=version)
        if withdrawn is None or withdrawn == previous:
            return cls(previous, changed)
        return cls(previous, changed, withdrawn, tuple(version_changes(old=withdrawn, new=version)))

    def context(self, reader: User, proposer: User) -> dict[str, Any]:
        previous, withdrawn = self.previous, self.withdrawn
        return {
            "amendment": previous is not None,
            "previous": previous,
            "previous_in_force": previous is not None and previous.status == IntakeStatus.SIGNED,
            "previous_withdrawn": previous is not None
            and previous.status == IntakeStatus.WITHDRAWN,
            "changed": self.changed,
            "withdrawn": withdrawn,
            "changed_since_withdrawn": list(self.changed_since_withdrawn),
            # Whoever proposed the version withdrawn signed it already: they are told it was
            # replaced, not that they "no longer need to sign" their own proposal. A version in
            # force is the agreement, amended, whoever first proposed it: never "your proposal".
            "previous_yours": previous is not None
            and previous.status != IntakeStatus.SIGNED
            and previous.proposed_by_id == reader.pk,
            "withdrawn_yours": withdrawn is not None and withdrawn.proposed_by_id == reader.pk,
            "proposer_whose": possessive_for(proposer, reader=reader),
        }


def _ask_to_sign(
    version: IntakeVersion,
    side: str,
    by: User,
    now: dt.datetime,
    replaced: _Replaced,
) -> None:
    job = version.job
    owner = side_holder(job, side)
    _open_sign_ask(version, side, by, now)
    url = settings.SITE_URL + version_url(version)
    message_queue(
        recipient=owner,
        template="intake-sign",
        context={
            "recipient": owner,
            "job": job,
            "version": version,
            "proposer": by,
            **replaced.context(owner, by),
            "url": url,
            "diff_url": f"{url}#diff" if replaced.previous else "",
        },
        data={"job": job.pk, "intake_version": version.pk},
    )


def _open_sign_ask(version: IntakeVersion, side: str, by: User | None, now: dt.datetime) -> None:
    job = version.job
    ask_open(
        kind="sign_intake",
        subject=ask_subject(version, side),
        title=f"Sign the intake for {job.title} (version {version.number})",
        owner=side_holder(job, side),
        job=job,
        requested_by=by,
        opened_at=now,
        facts={"version": version.number},
    )


def _sign(version: IntakeVersion, side: str, by: User, now: dt.datetime) -> None:
    # Not their own side: they sign in place of its holder, away or gone (they hold the ask).
    own = side in intake_sides_of(user=by, job=version.job)
    signed_for = None if own else side_holder(version.job, side)
    try:
        with transaction.atomic():
            IntakeSignature.objects.create(
                version=version, side=side, signed_by=by, signed_for=signed_for, signed_at=now
            )
    except IntegrityError:
        raise ValidationError("This side has signed already.") from None
    ask_close(kind="sign_intake", subject=ask_subject(version, side), by=by, at=now)
    activity_record(
        kind="closeloop.intake.signed",
        actor=by,
        job=version.job,
        at=now,
        summary=f"{by} signed version {version.number} of the intake ({Side(side).label.lower()})",
        data={"version": version.pk, "side": side},
        team_only=True,
    )


@transaction.atomic
def intake_sign(
    *, version: IntakeVersion, by: User, at: dt.datetime | None = None
) -> IntakeVersion:
    """Sign a proposed version for the side(s) the user holds; when both sides have signed,
    the version comes into force and is applied to the job."""
    version = _lock(version)
    sides = intake_sides_to_sign(user=by, version=version)
    if not sides:
        raise PermissionDenied("Only the job's hiring manager and recruiter sign its intake.")
    if version.status != IntakeStatus.PROPOSED:
        state = IntakeStatus(version.status).label.lower()
        raise ValidationError(f"Version {version.number} is {state}; there is nothing to sign.")
    mine = [side for side in sides if side in awaiting_sides(version)]
    if not mine:
        raise ValidationError("You have signed this version already.")
    if refusal := intake_sign_refusal(job=version.job, at=at):
        raise ValidationError(refusal)
    now = at or timezone.now()
    for side in mine:
        _sign(version, side, by, now)
    if not awaiting_sides(version):
        _bring_into_force(version, by, now)
    return version


def _proposed(job: Job) -> list[IntakeVersion]:
    return list(
        IntakeVersion.objects.select_for_update()
        .filter(job=job, status=IntakeStatus.PROPOSED)
        .order_by("number")
    )


def intake_asks_end_with_job(*, job: Job) -> int:
    """The search ended (the job filled or closed): nobody is chased to sign its intake, as
    the signature would be refused (`intake_sign_refusal`). The version stays proposed, with
    the signatures it has, for a reopened search to go on with. Runs in `job_update`'s
    transaction (the `job_closed` receiver). Returns how many asks were cancelled."""
    why = f"the job was {job.get_status_display().lower()}"
    return sum(
        ask_cancel(kind="sign_intake", subject=ask_subject(version, side), reason=why)
        for version in _proposed(job)
        for side in Side.values
    )


def intake_asks_resume_with_job(
    *, job: Job, by: User | None, now: dt.datetime | None = None
) -> None:
    """The search is on again (the job reopened): each side still to sign a version
    proposed before the close is asked again, opened now (the days the search was over are
    not theirs to answer for). Runs in `job_update`'s transaction (`job_reopened`)."""
    now = now or timezone.now()
    for version in _proposed(job):
        version.job = job
        for side in awaiting_sides(version):
            _open_sign_ask(version, side, by or version.proposed_by, now)


def _bring_into_force(version: IntakeVersion, by: User, now: dt.datetime) -> None:
    job = version.job
    IntakeVersion.objects.filter(job=job, status=IntakeStatus.SIGNED).update(
        status=IntakeStatus.SUPERSEDED
    )
    version.status, version.in_force_at = IntakeStatus.SIGNED, now
    version.save(update_fields=["status", "in_force_at"])
    intake_apply(version=version, job=job)
    # Subscribers act now, in this transaction: the agreed touch-base cadence reaches the
    # calendars at once rather than on the worker's next loop.
    agreement_applied.send(sender=IntakeVersion, job=job, version=version, by=by, now=now)
    activity_record(
        kind="closeloop.intake.in_force",
        actor=by,
        job=job,
        at=now,
        summary=f"Version {version.number} of the intake is in force, signed by both",
        data={"version": version.pk},
    )
    for person in {job.recruiter, job.hiring_manager} - {by}:
        message_queue(
            recipient=person,
            template="intake-signed",
            context={
                "recipient": person,
                "job": job,
                "version": version,
                "by": by,
                "url": settings.SITE_URL + version_url(version),
            },
            data={"job": job.pk, "intake_version": version.pk},
        )


def intake_apply(*, version: IntakeVersion, job: Job) -> None:
    """Hand the agreement over to the product: the job's fields, its ask policies (service
    levels) and its interview rounds. Called inside the signing transaction."""
    names = (
        *STEP_FIELDS["role"],
        *STEP_FIELDS["requirements"],
        "touchbase_weekday",
        "touchbase_time",
        "touchbase_minutes",
        "touchbase_time_zone",
        "escalation_contact_id",
    )
    kept = job_edits_kept(version)
    terms = {name: getattr(version, name) for name in names if name not in kept}
    # The agreement's levels replace the job's for every kind a job agrees on. Both were
    # parsed on their way in; read back as stored, a kind no longer registered is skipped.
    current = ServiceLevels.stored(job.service_levels, owner=f"job {job.pk}")
    agreed = ServiceLevels.stored(version.service_levels, owner=f"intake version {version.pk}")
    terms["service_levels"] = current.without(job_kinds()) | agreed
    job_agreement_apply(job=job, terms=terms)
    _apply_rounds(job, version.interview_plan or [])


def _apply_rounds(job: Job, plan: list[dict[str, Any]]) -> None:
    """Make the job's interview rounds the agreed plan, keeping each round's identity.

    Booked interviews and debriefs point at a round row (`Interview.round`), so a row must
    stay the same round when the plan is reordered or shortened: rounds are matched by name
    (case-insensitive; names are unique within a plan), updated and moved to their new place;
    new names become new rows. A renamed round is a new round.

    A round no longer in the plan is deleted. Its interviews and debriefs are kept:
    `Interview.round` and `Debrief.round` are SET_NULL and both keep the `round_name` they were
    booked under, which is what the interviews app shows for rows without a round. Keeping the
    row instead would leave it bookable and make it the plan's "last round" (the interviews
    app reads every row of `job.interview_rounds` as the plan). The one exception is a round
    whose debrief could not lose its round (the application already has a round-less debrief
    of that name, see `debrief_one_per_round_name`): that row is parked after the plan rather
    than failing the signature.
    """
    rounds = list(InterviewRound.objects.select_for_update().filter(job=job).order_by("position"))
    by_name = {r.name.casefold(): r for r in rounds}
    # Positions are unique per job: move every row past both the old and the new plan first,
    # so the final positions can be given in any order without a clash.
    parking = max([r.position for r in rounds] + [len(plan)]) + 1
    for offset, current in enumerate(rounds):
        current.position = parking + offset
        current.save(update_fields=["position"])
    for position, step in enumerate(plan):
        named = by_name.pop(str(step["name"]).casefold(), None)
        current = named or InterviewRound(job=job)
        current.position = position
        current.name = step["name"]
        current.duration_minutes = step["duration_minutes"]
        current.focus_attributes = list(step.get("focus_attributes") or [])
        current.save()
        current.interviewers.set(step.get("interviewers") or [])
    gone = list(by_name.values())
    kept = {
        r.pk
        for r in gone
        if r.debriefs.filter(
            application__debriefs__round__isnull=True,
            application__debriefs__round_name=F("round_name"),
        ).exists()
    }
    InterviewRound.objects.filter(pk__in=[r.pk for r in gone if r.pk not in kept]).delete()
    for offset, current in enumerate(r for r in gone if r.pk in kept):
        current.position = len(plan) + offset
        current.save(update_fields=["position"])


# --- Sending the summary ---------------------------------------------------------------------


def summary_recipients(*, job: Job, by: User) -> list[User]:
    """Who a summary may be sent to: the job's hiring team (deciding roles), not the sender."""
    people = [job.recruiter, job.hiring_manager, job.coordinator, job.escalation_contact]
    seen: dict[int, User] = {}
    for person in people:
        if person is not None and person.is_active and person.pk != by.pk:
            seen.setdefault(person.pk, person)
    return list(seen.values())


@transaction.atomic
def intake_summary_send(*, version: IntakeVersion, by: User, recipient: User) -> None:
    """Email the one-page summary of a version to someone on the job's hiring team."""
    job = version.job
    if not intake_can_read(user=by, job=job):
        raise PermissionDenied("Only the job's hiring team sends its intake.")
    if version.status == IntakeStatus.DRAFT:
        raise ValidationError("Propose the draft before sending it.")
    if recipient.pk not in {p.pk for p in summary_recipients(job=job, by=by)}:
        raise ValidationError({"recipient": "Send it to someone on the job's hiring team."})
    message_queue(
        recipient=recipient,
        template="intake-summary",
        context={
            "recipient": recipient,
            "sender": by,
            "job": job,
            "version": version,
            # "not signed" once the search ended: nobody awaits its signatures any more.
            "status": intake_status_words(version=version, job=job).lower(),
            "fields": version_fields_now(version, job),
            "url": settings.SITE_URL
            + reverse("intake:summary", kwargs={"pk": job.pk})
            + f"?version={version.number}",
        },
        data={"job": job.pk, "intake_version": version.pk},
    )
    activity_record(
        kind="closeloop.intake.sent",
        actor=by,
        job=job,
        summary=f"{by} sent the intake summary (version {version.number}) to {recipient}",
        team_only=True,
    )
