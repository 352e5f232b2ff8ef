"""Reads of intake agreements and the drift watch, with their permission filters.

Who may do what: the job's hiring team (recruiter, HM, coordinator,
escalation contact, and admins) reads the agreement; the recruiter, the HM and admins edit
drafts and propose them; only the job's HM and recruiter sign, each for their own side.
Interviewers see neither the agreement nor the drift flags (they hold pay ranges and
candidates' expected pay). Anyone else gets a 404 that leaks nothing.

See docs/architecture.md#security-and-permissions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.selectors import person_for
from closeloop.followups.business_time import not_working_words, people_not_working_weekly
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.policies import ServiceLevels, service_level_lines
from closeloop.followups.selectors import absence_words, asks_escalated_to_ids, held_subjects
from closeloop.followups.subjects import subject_key
from closeloop.intake.hooks import CADENCE_CHECKS
from closeloop.intake.models import (
    DEFAULT_PULSE_WEEKS,
    IntakeStatus,
    IntakeVersion,
    PassCitation,
    PulseCadence,
    Side,
)
from closeloop.jobs.models import Job, JobStatus, StageKind, location_words
from closeloop.jobs.selectors import job_get, job_is_on_team
from closeloop.lib.folding import by_name
from closeloop.lib.ids import id_parse
from closeloop.lib.text import excerpt, listed
from closeloop.lib.timefmt import zone_or_utc
from closeloop.pipeline.first_steps import IntakeProgress
from closeloop.pipeline.models import (
    Application,
    ApplicationStatus,
    StageChange,
    Submission,
    SubmissionDecision,
)
from closeloop.pipeline.selectors import job_ended_refusal

if TYPE_CHECKING:
    from collections.abc import Iterable

    from closeloop.accounts.models import User
    from closeloop.followups.subjects import Subject

WEEKDAYS = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"]


# --- Permissions -------------------------------------------------------------------------------


def intake_can_read(*, user: User, job: Job) -> bool:
    """The hiring team in a deciding role and admins read the agreement (not interviewers)."""
    return job_is_on_team(user=user, job=job)


def intake_can_edit(*, user: User, job: Job) -> bool:
    """The two parties and admins start, edit and propose versions."""
    if not user.is_active:
        return False
    return bool(user.is_admin) or user.pk in {job.recruiter_id, job.hiring_manager_id}


def _ended_refusal(job: Job, at: dt.datetime | None, to_do: str) -> str:
    """A search that ended (Filled or Closed) has nothing left to agree on ("" while it
    runs). `at`: when the act is recorded, for a script writing history (the demo): a search
    that ended only after that moment was still running then."""
    if at is not None and job.closed_at is not None and at < job.closed_at:
        return ""
    return job_ended_refusal(job=job, to_do=to_do)


def intake_start_refusal(*, job: Job, at: dt.datetime | None = None) -> str:
    """Why no intake, nor a new version of one, is started for the job: its search ended
    (Filled or Closed), so there is nothing left to agree on ("" while it runs). The service
    refuses with it and the pages say it instead of inviting a start."""
    return _ended_refusal(job, at, "start an intake")


def intake_propose_refusal(*, job: Job, at: dt.datetime | None = None) -> str:
    """Why a draft begun while the search ran is not proposed now: the search ended, and an
    ended search needs no new agreement ("" while it runs; reopened, the draft goes on).
    The service refuses with it and the draft's pages say it instead of offering to propose."""
    return _ended_refusal(job, at, "propose its intake")


def intake_sign_refusal(*, job: Job, at: dt.datetime | None = None) -> str:
    """Why a version proposed while the search ran is not signed now: the search ended
    ("" while it runs; reopened, the signing goes on). The service refuses with it and the
    pages say it instead of offering to sign."""
    return _ended_refusal(job, at, "sign its intake")


def intake_sides_of(*, user: User, job: Job) -> list[str]:
    """The sides the user signs for on this job (both, when one person holds both roles)."""
    if not user.is_active:
        return []
    sides: list[str] = []
    if user.pk == job.hiring_manager_id:
        sides.append(Side.HIRING_MANAGER)
    if user.pk == job.recruiter_id:
        sides.append(Side.RECRUITER)
    return sides


def intake_sides_to_sign(*, user: User, version: IntakeVersion) -> list[str]:
    """The sides the user signs this version for: their own roles on the job, and a side
    whose sign_intake ask they hold for its owner (away, or gone: a delegate or successor
    signs in their place, and the signature records who did)."""
    sides = intake_sides_of(user=user, job=version.job)
    if not user.is_active:
        return sides
    others = [side for side in (Side.HIRING_MANAGER, Side.RECRUITER) if side not in sides]
    subjects = {subject_key("intake", version.pk, side): side for side in others}
    held = held_subjects(user=user, kind="sign_intake", subjects=subjects)
    return sides + [subjects[subject] for subject in subjects if subject in held]


def side_holder(job: Job, side: str) -> User:
    return job.hiring_manager if side == Side.HIRING_MANAGER else job.recruiter


def intake_asked_on_propose(*, user: User, job: Job) -> list[User]:
    """Who is asked to sign when this user proposes: the sides the proposer does not sign
    for (proposing signs one's own side)."""
    mine = intake_sides_of(user=user, job=job)
    return [side_holder(job, side) for side in Side if side not in mine]


def intake_job_get(*, user: User, pk: int) -> Job:
    """A job whose agreement the user may read, or 404 (an interviewer learns nothing either)."""
    job = job_get(user=user, pk=pk)
    if not intake_can_read(user=user, job=job):
        raise Http404("No such job.")
    return job


def intake_version_get(*, user: User, job_pk: int, number: int) -> IntakeVersion:
    """One version of a readable job's intake (or of one whose signature the user holds for
    an owner who is away or has left: they must read what they sign), or 404."""
    try:
        job: Job | None = intake_job_get(user=user, pk=job_pk)
    except Http404:
        if id_parse(job_pk) is None or id_parse(number) is None:
            raise  # an id no row can hold: not found, never a query
        job = None
    version = (
        IntakeVersion.objects.filter(job_id=job_pk, number=number)
        .select_related("job", "escalation_contact", "created_by", "proposed_by")
        .prefetch_related("signatures__signed_by", "signatures__signed_for")
        .first()
    )
    if version is None or (job is None and not _holds_a_signature(user, version)):
        raise Http404("No such version.")
    if job is not None:
        version.job = job
    return version


def _holds_a_signature(user: User, version: IntakeVersion) -> bool:
    """The user holds one of the version's signatures for someone, or an escalation of one
    reached them by name, while it is open."""
    subjects = [subject_key("intake", version.pk, side) for side in Side.values]
    if held_subjects(user=user, kind="sign_intake", subjects=subjects):
        return True
    escalated = Ask.objects.filter(
        kind="sign_intake", subject__in=subjects, status=AskStatus.OPEN
    ).filter(pk__in=asks_escalated_to_ids(user))
    return escalated.exists()


# --- Versions ----------------------------------------------------------------------------------


def intake_versions(*, job: Job) -> list[IntakeVersion]:
    """Every version of the job's intake, newest first, with signatures."""
    return list(
        IntakeVersion.objects.filter(job=job)
        .select_related("created_by", "proposed_by")
        .prefetch_related("signatures__signed_by", "signatures__signed_for")
        .order_by("-number")
    )


def _first(versions: Iterable[IntakeVersion], status: str) -> IntakeVersion | None:
    return next((v for v in versions if v.status == status), None)


def intake_in_force(*, job: Job) -> IntakeVersion | None:
    return IntakeVersion.objects.filter(job=job, status=IntakeStatus.SIGNED).first()


def intake_first_progress() -> IntakeProgress | None:
    """How far the organisation's intakes have come, for a new organisation's first steps:
    written once some version left the draft (proposed, signed, or replaced since); else the
    draft to finish; else the first job's intake to start. None while there is no job."""
    versions = IntakeVersion.objects.order_by("pk").values_list("job_id", flat=True)
    written = versions.exclude(status=IntakeStatus.DRAFT).first()
    drafted = versions.filter(status=IntakeStatus.DRAFT).first()
    job_id = written or drafted or Job.objects.order_by("pk").values_list("pk", flat=True).first()
    if job_id is None:
        return None
    return IntakeProgress(
        written=written is not None,
        drafted=drafted is not None,
        url=reverse("intake:overview", args=[job_id]),
    )


def pulse_weeks_in_force(*, job_ids: Iterable[int]) -> dict[int, int]:
    """The agreed pulse cadence (weeks between rounds, 0 = none) of each job; a job without
    an agreement in force has the default (every 2 weeks). One query."""
    ids = list(job_ids)
    agreed = dict(
        IntakeVersion.objects.filter(job_id__in=ids, status=IntakeStatus.SIGNED).values_list(
            "job_id", "pulse_weeks"
        )
    )
    return {pk: agreed.get(pk, DEFAULT_PULSE_WEEKS) for pk in ids}


def pulse_weeks_q(weeks: int) -> Q:
    """Jobs whose agreed pulse cadence is `weeks` (the default counts for jobs with none)."""
    agreed = IntakeVersion.objects.filter(status=IntakeStatus.SIGNED, pulse_weeks=weeks)
    cadence = Q(pk__in=agreed.values("job_id"))
    if weeks == DEFAULT_PULSE_WEEKS:
        in_force = IntakeVersion.objects.filter(status=IntakeStatus.SIGNED)
        cadence |= ~Q(pk__in=in_force.values("job_id"))
    return cadence


def pulse_line(version: IntakeVersion) -> str:
    weeks = version.pulse_weeks
    return PulseCadence(weeks).label if weeks in PulseCadence.values else f"Every {weeks} weeks"


def intake_draft(*, job: Job) -> IntakeVersion | None:
    return IntakeVersion.objects.filter(job=job, status=IntakeStatus.DRAFT).first()


def intake_pending(*, job: Job) -> IntakeVersion | None:
    return IntakeVersion.objects.filter(job=job, status=IntakeStatus.PROPOSED).first()


def intake_last_proposed(*, job: Job) -> IntakeVersion | None:
    """The newest version that left the draft stage (what "start from the last" copies)."""
    return (
        IntakeVersion.objects.filter(job=job)
        .exclude(status=IntakeStatus.DRAFT)
        .order_by("-number")
        .first()
    )


def intake_previous(*, version: IntakeVersion) -> IntakeVersion | None:
    """What a version is compared with: the newest earlier version that was ever signed,
    else the newest earlier proposed one (a first version has none)."""
    earlier = IntakeVersion.objects.filter(job_id=version.job_id, number__lt=version.number)
    signed = earlier.filter(status__in=[IntakeStatus.SIGNED, IntakeStatus.SUPERSEDED])
    return (
        signed.order_by("-number").first()
        or earlier.exclude(status=IntakeStatus.DRAFT).order_by("-number").first()
    )


def signed_sides(version: IntakeVersion) -> dict[str, object]:
    """side -> signature, from the prefetched signatures."""
    return {signature.side: signature for signature in version.signatures.all()}


def intake_status_words(*, version: IntakeVersion, job: Job) -> str:
    """A version's status as its badge says it: "Awaiting signatures" while the search runs,
    "Not signed" once it ended (Filled or Closed: nobody is awaited any more)."""
    if version.status == IntakeStatus.PROPOSED and job.has_ended:
        return "Not signed"
    return str(version.get_status_display())


def awaiting_sides(version: IntakeVersion) -> list[str]:
    signed = signed_sides(version)
    return [side for side in (Side.HIRING_MANAGER, Side.RECRUITER) if side not in signed]


@dataclass(frozen=True)
class Signer:
    """A side still to sign a proposed version: its holder on the job (`owner`) and who
    holds its sign_intake ask now (`holder`: the owner, or whoever covers for them while they
    are away or since they were deactivated; that person signs in their place)."""

    side: str
    owner: User
    holder: User

    def named(self, reader: User | None = None, *, short: bool = False) -> str:
        """ "Hank Hill", or "Sofia Lindqvist, covering for Hank Hill (deactivated)" (or "(out
        of office until Fri 11 Dec)", the reason every page gives: `absence_words`)."""
        owner = person_for(self.owner, reader=reader, short=short)
        if self.holder.pk == self.owner.pk:
            return owner
        holder = person_for(self.holder, reader=reader, short=short)
        why = absence_words(self.owner, reader)
        return f"{holder}, covering for {owner}" + (f" ({why})" if why else "")

    def named_with_side(self, reader: User | None = None, *, ended: bool = False) -> str:
        """The version page's row, one bracket for the side and its state: "Hank Hill
        (hiring manager)", "you (hiring manager)", "Sofia Lindqvist, covering for Hank Hill
        (hiring manager, deactivated)". Once the search `ended`, the side's own holder as
        everyone knows them ("Hank Hill (hiring manager)"): nobody is awaited any more."""
        role = Side(self.side).label.lower()
        if ended:
            return f"{self.owner} ({role})"
        owner = person_for(self.owner, reader=reader)
        why = absence_words(self.owner, reader) if self.holder.pk != self.owner.pk else ""
        about = f"{role}, {why}" if why else role
        if self.holder.pk == self.owner.pk:
            return f"{owner} ({about})"
        return f"{person_for(self.holder, reader=reader)}, covering for {owner} ({about})"


def awaiting_signers(version: IntakeVersion) -> list[Signer]:
    """The sides still to sign `version`, each with who holds its ask now (one query)."""
    job = version.job
    sides = awaiting_sides(version)
    subjects = {subject_key("intake", version.pk, side): side for side in sides}
    holders = {
        subjects[ask.subject]: ask.owner
        for ask in Ask.objects.filter(
            kind="sign_intake", subject__in=list(subjects), status=AskStatus.OPEN
        ).select_related("owner")
    }
    return [
        Signer(side, side_holder(job, side), holders.get(side) or side_holder(job, side))
        for side in sides
    ]


@dataclass
class IntakeOverview:
    """What the job page and the intake page say about a job's agreement."""

    in_force: IntakeVersion | None
    pending: IntakeVersion | None
    draft: IntakeVersion | None
    versions: list[IntakeVersion]
    status_line: str
    awaiting: list[User] = field(default_factory=list)
    # The search ended (Filled or Closed) with `pending` unsigned: nobody is awaited, and
    # these are who had not signed it (`awaiting` is empty then).
    ended_unsigned: list[User] = field(default_factory=list)
    # For the reader: who proposed `pending` and who it awaits (or was not signed by), full
    # names or "you" ("waiting for you and Hank Hill").
    proposer_named: str = ""
    unsigned_named: str = ""


def intake_overview(*, job: Job, reader: User | None = None) -> IntakeOverview:
    """The job's versions and one status line ("signed by both on …", "proposed as an
    amendment by hank, awaiting rita", "draft", "no intake yet"). Two queries, whatever the
    history. Whoever proposed a version is named as its proposer, not as the author of its
    changes: both sides may have written the draft. A search that ended awaits nobody: its
    unsigned version reads as final ("… not signed by hank before the search ended").
    `reader`, when given, is named "you" ("awaiting you"), as every page names its reader."""
    versions = intake_versions(job=job)
    in_force = _first(versions, IntakeStatus.SIGNED)
    pending = _first(versions, IntakeStatus.PROPOSED)
    draft = _first(versions, IntakeStatus.DRAFT)
    signers = awaiting_signers(pending) if pending else []
    unsigned = [signer.owner for signer in signers]
    ended = job.has_ended
    # Who the signature waits on now: whoever holds the ask (covering for a side's holder
    # who is away or was deactivated). A search that ended awaits nobody: its sides are named.
    if ended:
        who = listed(person_for(person, reader=reader, short=True) for person in unsigned)
    else:
        who = listed(signer.named(reader, short=True) for signer in signers)
    parts = []
    if in_force:
        parts.append(f"Version {in_force.number} signed by both on {_day(in_force.in_force_at)}.")
    if pending:
        verb = "proposed as an amendment" if in_force else "proposed"
        proposer = _short(pending.proposed_by, reader)
        if ended:
            parts.append(
                f"Version {pending.number} {verb} by {proposer}; "
                f"not signed by {who} before the search ended."
            )
        else:
            parts.append(f"Version {pending.number} {verb} by {proposer}, awaiting {who}.")
    if draft and not parts:
        started = f"Draft started by {_short(draft.created_by, reader)} on {_day(draft.created_at)}"
        parts.append(
            f"{started}; not proposed before the search ended." if ended else f"{started}."
        )
    elif draft and ended:
        parts.append(f"A draft of version {draft.number} was not proposed before the search ended.")
    elif draft:
        parts.append(f"A draft of version {draft.number} is being written.")
    line = " ".join(parts) or "No intake yet."
    overview = IntakeOverview(in_force, pending, draft, versions, line, unsigned)
    if ended:
        overview.awaiting, overview.ended_unsigned = [], unsigned
    if pending:
        overview.proposer_named = person_for(pending.proposed_by, reader=reader) or "someone"
    overview.unsigned_named = (
        listed(person_for(person, reader=reader) for person in unsigned)
        if ended
        else listed(signer.named(reader) for signer in signers)
    )
    return overview


def _short(user: User | None, reader: User | None = None) -> str:
    return person_for(user, reader=reader, short=True) if user else "someone"


def _day(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%a %d %b %Y")


# --- Describing a version (summary and diff) -------------------------------------------------


@dataclass(frozen=True)
class Item:
    text: str
    mark: str = ""  # "", "added" or "removed"


@dataclass
class DiffRow:
    """One field, old beside new; list fields mark the items that came and went."""

    key: str
    label: str
    old: list[Item]
    new: list[Item]
    # Why a value that differs is not this version's change (the job page changed it).
    note: str = ""

    @property
    def changed(self) -> bool:
        return not self.note and [i.text for i in self.old] != [i.text for i in self.new]

    @property
    def change_words(self) -> str:
        """The change as one line, for a message: "Compensation range: EUR 80,000–100,000 →
        EUR 80,000–110,000"; a list field names the items that came and went ("Must-haves:
        added Kafka; removed Go")."""
        if self.key in LIST_KEYS:
            added = [excerpt(i.text, CHANGE_LIMIT) for i in self.new if i.mark == "added"]
            removed = [excerpt(i.text, CHANGE_LIMIT) for i in self.old if i.mark == "removed"]
            parts = [f"added {', '.join(added)}"] if added else []
            parts += [f"removed {', '.join(removed)}"] if removed else []
            return f"{self.label}: {'; '.join(parts) or 'reordered'}"
        before = excerpt(", ".join(i.text for i in self.old), CHANGE_LIMIT) or "nothing"
        after = excerpt(", ".join(i.text for i in self.new), CHANGE_LIMIT) or "nothing"
        return f"{self.label}: {before} → {after}"


# A changed field's values, each at most this long in the request to re-sign.
CHANGE_LIMIT = 80


def version_changes(*, old: IntakeVersion | None, new: IntakeVersion) -> list[str]:
    """What `new` changes from `old`, one line per field, from the side-by-side diff's rows
    (`version_diff`), so the request to re-sign and the diff page never disagree."""
    if old is None:
        return []
    return [row.change_words for row in version_diff(old=old, new=new) if row.changed]


def money_range(low: int | None, high: int | None, currency: str) -> str:
    """ "EUR 60,000–80,000", "from EUR 0", "up to EUR 90,000"; "" when neither end is set.

    Either end may be 0 (a real figure), so ends are tested with `is None`, never truthiness.
    """
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        return f"{currency} {low:,}–{high:,}".strip()
    if high is None:
        return f"from {currency} {low:,}".replace("  ", " ")
    return f"up to {currency} {high:,}".replace("  ", " ")


def _money(version: IntakeVersion) -> list[str]:
    text = money_range(
        version.compensation_min, version.compensation_max, version.compensation_currency
    )
    return [text] if text else []


def _people_names(pks: Iterable[int], names: dict[int, str]) -> str:
    return ", ".join(names.get(pk, "someone who left") for pk in pks)


def round_lines(plan: list[dict], names: dict[int, str]) -> list[str]:
    lines = []
    for index, step in enumerate(plan, start=1):
        text = f"{index}. {step.get('name', '')} · {step.get('duration_minutes', '?')} min"
        if step.get("focus_attributes"):
            text += f" · probes {', '.join(step['focus_attributes'])}"
        if step.get("interviewers"):
            text += f" · with {_people_names(step['interviewers'], names)}"
        lines.append(text)
    return lines


def cadence_line(version: IntakeVersion) -> str:
    if version.touchbase_weekday is None or version.touchbase_time is None:
        return "No weekly touch-base agreed"
    zone = f" ({version.touchbase_time_zone})" if version.touchbase_time_zone else ""
    when = f"{WEEKDAYS[version.touchbase_weekday]} {version.touchbase_time:%H:%M}{zone}"
    return f"{when}, {version.touchbase_minutes} min"


def user_names(versions: Iterable[IntakeVersion]) -> dict[int, str]:
    """Names of everyone a version's interview plan or escalation names (one query)."""
    pks: set[int] = set()
    for version in versions:
        for step in version.interview_plan or []:
            pks.update(step.get("interviewers") or [])
        if version.escalation_contact_id:
            pks.add(version.escalation_contact_id)
    users = get_user_model().objects.filter(pk__in=pks)
    return {user.pk: str(user) for user in users}


def version_fields(version: IntakeVersion, names: dict[int, str]) -> list[tuple[str, str, list]]:
    """(key, label, values) for every agreed field, as people read them."""
    where = location_words(version.location, version.remote)
    escalation = version.escalation_contact_id
    return [
        ("title", "Title", [version.title]),
        ("team", "Team", [version.team] if version.team else []),
        ("location", "Location", [where] if where else []),
        ("headcount", "Headcount", [str(version.headcount)]),
        ("compensation", "Compensation range", _money(version)),
        ("target_start_date", "Target start", _date(version.target_start_date)),
        ("target_fill_date", "Target fill", _date(version.target_fill_date)),
        ("must_haves", "Must-haves", version.must_have_list),
        ("nice_to_haves", "Nice-to-haves", version.nice_to_have_list),
        ("deal_breakers", "Deal-breakers", version.deal_breaker_list),
        ("interview_plan", "Interview plan", round_lines(version.interview_plan or [], names)),
        ("service_levels", "Service levels", service_level_lines(
            ServiceLevels.stored(version.service_levels, owner=f"intake version {version.pk}")
        )),
        ("touchbase", "Touch-base", [cadence_line(version)]),
        ("pulse", "Partnership pulse", [pulse_line(version)]),
        ("escalation_contact", "Escalation contact", [names.get(escalation, "")] if escalation
         else []),
        ("notes", "Notes", [version.notes] if version.notes else []),
    ]  # fmt: skip


def _date(value: dt.date | None) -> list[str]:
    return [value.strftime("%a %d %b %Y")] if value else []


LIST_KEYS = {"must_haves", "nice_to_haves", "deal_breakers", "interview_plan", "service_levels"}
# Agreed details the job page edits too while an agreement is in force (the job form's fields
# minus jobs' AGREEMENT_FIELDS); the job's current values win unless a version changes them.
JOB_EDITED_FIELDS = ("title", "team", "location", "remote", "headcount", "escalation_contact_id")
# Their rows in `version_fields`.
JOB_EDITED_ROWS = {"title", "team", "location", "headcount", "escalation_contact"}
JOB_PAGE_NOTE = "Changed on the job page, not by this version."


def job_edits_kept(version: IntakeVersion) -> set[str]:
    """The job-page details a version leaves as the job has them: those it did not change
    from what it started with."""
    started = version.started_with or {}
    return {
        name
        for name in JOB_EDITED_FIELDS
        if name in started and getattr(version, name) == started[name]
    }


def version_fields_now(version: IntakeVersion, job: Job) -> list[tuple[str, str, list]]:
    """`version_fields` as the agreement stands today, for its summary (page and email).

    The details the job page edits are the job's between agreements: signing hands one over
    only when the version changed it, and the job page may change it while the version is in
    force. So the version in force (and, for one awaiting signatures, the details it leaves
    as it found them) shows the job's value, which the job page shows too, and says what the
    version itself says where the two differ. Versions no longer in force keep their words.
    """
    if version.status == IntakeStatus.SIGNED:
        edited = set(JOB_EDITED_FIELDS)
    elif version.status == IntakeStatus.PROPOSED:
        edited = job_edits_kept(version)
    else:
        edited = set()
    values = {name: getattr(job, name) for name in edited}
    now = IntakeVersion(
        **{f.attname: getattr(version, f.attname) for f in IntakeVersion._meta.concrete_fields},
    )
    for name, value in values.items():
        setattr(now, name, value)
    names = user_names([version, now])
    said = {key: shown for key, _, shown in version_fields(version, names)}
    rows = []
    for key, label, shown in version_fields(now, names):
        if key in JOB_EDITED_ROWS and shown != said[key]:
            words = ", ".join(said[key]) or "nothing"
            shown = [
                f"{', '.join(shown) or '—'} (set on the job page; version {version.number} "
                f"says {words})"
            ]
        rows.append((key, label, shown))
    return rows


def _started_with(version: IntakeVersion) -> IntakeVersion | None:
    """The job's own details as the version's draft found them, read like a version."""
    if not version.started_with:
        return None
    return IntakeVersion(job_id=version.job_id, **version.started_with)


def version_diff(*, old: IntakeVersion | None, new: IntakeVersion) -> list[DiffRow]:
    """Every field of `new` beside `old`; list fields mark added and removed items.

    A job-page detail the version took from the job unchanged is not the version's change,
    even where it differs from `old`: the row says the job page changed it.
    """
    start = _started_with(new)
    names = user_names([v for v in (old, new, start) if v is not None])
    before = {key: values for key, _, values in version_fields(old, names)} if old else {}
    found = {key: values for key, _, values in version_fields(start, names)} if start else {}
    rows = []
    for key, label, after in version_fields(new, names):
        previous = before.get(key, [])
        if key in LIST_KEYS:
            old_items = [Item(t, "" if t in after else "removed") for t in previous]
            new_items = [Item(t, "" if t in previous or old is None else "added") for t in after]
        else:
            old_items = [Item(t) for t in previous]
            new_items = [Item(t) for t in after]
        note = ""
        if old and key in JOB_EDITED_ROWS and key in found and previous != after == found[key]:
            note = JOB_PAGE_NOTE
        rows.append(DiffRow(key, label, old_items, new_items, note))
    return rows


def _unchanged(version: IntakeVersion, old: IntakeVersion) -> bool:
    return not any(row.changed for row in version_diff(old=old, new=version))


def intake_unchanged_refusal(*, version: IntakeVersion, previous: IntakeVersion | None) -> str:
    """Why a draft that differs in nothing from the version in force, or from the version
    still awaiting signatures, is not proposed: both would sign terms they already agreed
    (or are already asked to sign), after an ask and an email with no differences ("" when
    something differs from both). The service refuses with it and the review page says it
    instead of offering to propose."""
    if (
        previous is not None
        and previous.status == IntakeStatus.SIGNED
        and _unchanged(version, previous)
    ):
        number = previous.number
        return f"Nothing differs from version {number}: change something before proposing it."
    # Proposing withdraws the pending version: a copy of it would only ask for the same
    # signatures again.
    pending = (
        IntakeVersion.objects.filter(job_id=version.job_id, status=IntakeStatus.PROPOSED)
        .exclude(pk=version.pk)
        .order_by("-number")
        .first()
    )
    if pending is not None and _unchanged(version, pending):
        return (
            f"Nothing differs from version {pending.number}, which awaits signatures: "
            "change something before proposing it."
        )
    return ""


def intake_cadence_warning(*, version: IntakeVersion, now: dt.datetime | None = None) -> str:
    """The touch-base cadence's warning when its weekly slot falls outside the working hours
    of the recruiter or the HM: "Outside the working hours of Rita Ramos (Tue 23:30,
    Europe/London).", or clashes with another touch-base they both have ("Clashes with the
    Site Reliability Engineer touch-base (Tuesdays 11:30–12:00, Europe/Berlin) that …
    already have.") ("" when it suits both, or no weekly touch-base is set). Said, not
    refused, as a booked interview's: one side may choose to meet outside their hours. The
    slot is read in the zone the series will use (the version's, else the recruiter's)."""
    job = version.job
    day, at = version.touchbase_weekday, version.touchbase_time
    if day is None or at is None or not 0 <= day <= 6:
        return ""
    zone = zone_or_utc(version.touchbase_time_zone or job.recruiter.time_zone or "UTC")
    today = timezone.localtime(now or timezone.now(), zone).date()
    date = today + dt.timedelta(days=(day - today.weekday()) % 7)
    start = dt.datetime.combine(date, at, tzinfo=zone)
    end = start + dt.timedelta(minutes=version.touchbase_minutes or 30)
    people = [job.recruiter, job.hiring_manager]
    said = []
    if off := not_working_words(people_not_working_weekly(people, start, end)):
        said.append(off)
    # Another touch-base the same two people already have at that time (touch-bases sit
    # above the intake: their check comes through `hooks.CADENCE_CHECKS`).
    for check in CADENCE_CHECKS.values():
        said += check(job, start, end)
    if not said:
        return ""
    return " ".join([*said, "Choose another time if it does not suit them."])


# --- Drift watch -------------------------------------------------------------------------------

# Thresholds of the four rules (module constants so a team can tune them in one place).
PASSES_IN_A_ROW = 3  # the HM's last N decisions were all passes
OFF_LIST_PASSES = 3  # passes citing something the agreement does not contain
OFF_LIST_WINDOW_DAYS = 30  # …counted over this many days (since the criteria were agreed)
VELOCITY_WEEKS = 8  # pipeline velocity is measured over the last N weeks
FILL_NEAR_DAYS = 42  # with no velocity at all, flag once the target is this close

# Structured pass reasons that are not criteria of their own: compensation is judged against
# the agreed range, and "a stronger candidate was chosen" compares, it does not add a rule.
# Every other structured reason (experience, team fit, communication…) is a criterion the
# agreement does not list; "skills" means "missing a must-have skill", so it is on the list.
ON_LIST_REASONS = {"skills", "compensation", "other_candidate"}

# The rules that read the search as it is now, not dated decisions: `drift_flags` leaves
# them out of the flags of a past moment, and says which in these words.
DRIFT_RULES_NOW_ONLY = ("candidates expecting pay outside the range", "the projected fill date")


@dataclass(frozen=True)
class DriftFlag:
    """One way the search has drifted from its agreement (shown on the job page and
    collected for the next touch-base agenda)."""

    rule: str  # "off_list_passes", "passes_in_a_row", "pay_outside_range", "fill_date_at_risk"
    title: str  # one line: "3 passes in a row"
    detail: str  # what it is based on, in a sentence
    since: dt.datetime | None = None


def pass_is_off_list(
    submission: Submission,
    citation: PassCitation | None,
    job: Job,
    criteria: tuple[frozenset[str], frozenset[str]] | None = None,
) -> bool:
    """Whether a pass cited something outside the must-haves and deal-breakers (the job's,
    or `criteria`: the must-haves and deal-breakers of another moment's agreement)."""
    must_haves, deal_breakers = criteria or (job.must_have_list, job.deal_breaker_list)
    if citation is not None:
        if citation.kind == "must_have":
            return citation.criterion not in must_haves
        if citation.kind == "deal_breaker":
            return citation.criterion not in deal_breakers
        return True
    return submission.pass_reason not in ON_LIST_REASONS


def _hm_decisions(
    job: Job, since: dt.datetime | None, until: dt.datetime | None = None
) -> list[Submission]:
    """The HM's latest decisions on the job since `since` (and up to `until`), newest
    first, under whichever version of the agreement they fell."""
    rows = Submission.objects.filter(
        application__job=job, decided_by_id=job.hiring_manager_id, decided_at__isnull=False
    ).exclude(decision=SubmissionDecision.PENDING)
    if since is not None:
        rows = rows.filter(decided_at__gte=since)
    if until is not None:
        rows = rows.filter(decided_at__lte=until)
    return list(rows.select_related("intake_citation").order_by("-decided_at", "-pk")[:200])


# The versions that were in force once: the one in force now and those it replaced.
AGREED_STATUSES = (IntakeStatus.SIGNED, IntakeStatus.SUPERSEDED)


def _criteria(version: IntakeVersion) -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(version.must_have_list), frozenset(version.deal_breaker_list)


def _criteria_agreed_at(
    job: Job, overview: IntakeOverview | None, as_of: dt.datetime | None = None
) -> tuple[dt.datetime | None, tuple[frozenset[str], frozenset[str]] | None]:
    """When the must-haves and deal-breakers in force were agreed: the coming into force of
    the oldest of the signed versions, back from the one in force, that all hold the same
    ones (in any order). An amendment of the pay, the dates or the plan keeps that moment;
    one that changes the criteria moves it to its own signing. With them, the criteria
    themselves (must-haves, deal-breakers). (None, None): no agreement yet.

    `as_of`: the version in force at that moment instead of now (the latest to have come
    into force by then, whether superseded since or not)."""
    if overview is not None and as_of is None:
        versions = [v for v in overview.versions if v.status in AGREED_STATUSES]
    else:
        rows = IntakeVersion.objects.filter(job=job, status__in=AGREED_STATUSES)
        if as_of is not None:
            rows = rows.filter(in_force_at__lte=as_of)
        versions = list(rows.only("status", "number", "must_haves", "deal_breakers", "in_force_at"))
    versions.sort(key=lambda v: v.number, reverse=True)
    if not versions or (as_of is None and versions[0].status != IntakeStatus.SIGNED):
        return None, None
    criteria, agreed_at = _criteria(versions[0]), versions[0].in_force_at
    for older in versions[1:]:
        if _criteria(older) != criteria:
            break
        agreed_at = older.in_force_at
    return agreed_at, criteria


def pass_citation_of(submission: Submission) -> PassCitation | None:
    """What the pass cited from the agreement, or None (read with `intake_citation`
    selected, it costs no query)."""
    try:
        return submission.intake_citation
    except PassCitation.DoesNotExist:
        return None


def _off_list_flag(
    job: Job,
    decisions: list[Submission],
    now: dt.datetime,
    criteria: tuple[frozenset[str], frozenset[str]] | None = None,
) -> DriftFlag | None:
    window_start = now - dt.timedelta(days=OFF_LIST_WINDOW_DAYS)
    off = [
        s
        for s in decisions
        if s.decision == "passed"
        and s.decided_at is not None
        and s.decided_at >= window_start
        and pass_is_off_list(s, pass_citation_of(s), job, criteria)
    ]
    if len(off) < OFF_LIST_PASSES:
        return None
    reasons = []
    for submission in off:
        citation = pass_citation_of(submission)
        text = citation.criterion if citation else submission.get_pass_reason_display()
        if text not in reasons:
            reasons.append(text)
    return DriftFlag(
        "off_list_passes",
        f"{len(off)} passes for reasons not in the agreement",
        f"In the last {OFF_LIST_WINDOW_DAYS} days {job.hiring_manager.short_name} passed "
        f"citing: {'; '.join(reasons[:5])}. Add them to the must-haves or deal-breakers, "
        "or agree to leave them out.",
        since=off[-1].decided_at,
    )


def _in_a_row_flag(job: Job, decisions: list[Submission]) -> DriftFlag | None:
    streak = []
    for submission in decisions:  # newest first
        if submission.decision != "passed":
            break
        streak.append(submission)
    if len(streak) < PASSES_IN_A_ROW:
        return None
    return DriftFlag(
        "passes_in_a_row",
        f"{len(streak)} passes in a row",
        f"{job.hiring_manager.short_name} passed on the last {len(streak)} submissions: "
        "the profile may need recalibrating.",
        since=streak[-1].decided_at,
    )


def _pay_flag(job: Job) -> DriftFlag | None:
    """Active candidates the recruiter has put forward whose expected pay is outside the
    range. Candidates still in Sourced are the recruiter's own filter, not drift; a figure
    in another currency cannot be compared and is left out."""
    low, high = job.compensation_min, job.compensation_max
    if low is None and high is None:
        return None
    outside = Q()
    if low is not None:
        outside |= Q(candidate__expected_compensation__lt=low)
    if high is not None:
        outside |= Q(candidate__expected_compensation__gt=high)
    rows = list(
        Application.objects.filter(outside, job=job, status=ApplicationStatus.ACTIVE)
        .exclude(stage__kind=StageKind.SOURCED)
        .filter(
            Q(candidate__compensation_currency__iexact=job.compensation_currency)
            | Q(candidate__compensation_currency="")
        )
        .select_related("candidate")
        .order_by(*by_name("candidate__full_name"), "pk")[:50]
    )
    if not rows:
        return None
    names = ", ".join(
        f"{a.candidate.full_name} ({a.candidate.expected_compensation:,})" for a in rows[:4]
    )
    more = f" and {len(rows) - 4} more" if len(rows) > 4 else ""
    money = money_range(low, high, job.compensation_currency)
    return DriftFlag(
        "pay_outside_range",
        f"{len(rows)} {'candidates expect' if len(rows) != 1 else 'candidate expects'} pay "
        "outside the range",
        f"Agreed range {money}: {names}{more}.",
    )


@dataclass(frozen=True)
class FillProjection:
    """How the fill date is projected (see `fill_projection`)."""

    remaining: int
    offers: int
    per_week: float
    projected: dt.date | None


def fill_projection(*, job: Job, today: dt.date | None = None) -> FillProjection:
    """Project the fill date from pipeline velocity.

    velocity  = candidates who reached Offer (or were hired) in the last VELOCITY_WEEKS
                weeks ÷ VELOCITY_WEEKS, in candidates per week;
    remaining = headcount − candidates hired so far;
    projected = today + remaining ÷ velocity weeks (None when velocity is zero).

    Reaching an offer is the last step the team controls, so it is what the weekly rate counts.
    """
    today = today or timezone.localdate()
    hired = Application.objects.filter(job=job, status=ApplicationStatus.HIRED).count()
    remaining = max(0, job.headcount - hired)
    start = timezone.now() - dt.timedelta(weeks=VELOCITY_WEEKS)
    offers = (
        StageChange.objects.filter(
            application__job=job,
            at__gte=start,
            to_stage__kind__in=[StageKind.OFFER, StageKind.HIRED],
        )
        .values("application")
        .distinct()
        .count()
    )
    per_week = offers / VELOCITY_WEEKS
    projected = None
    if per_week and remaining:
        projected = today + dt.timedelta(weeks=remaining / per_week)
    return FillProjection(remaining, offers, per_week, projected)


def _fill_flag(job: Job) -> DriftFlag | None:
    target = job.target_fill_date
    if target is None or job.status != JobStatus.OPEN:
        return None  # a job on hold is paused on purpose: its pace is not drift
    today = timezone.localdate()
    projection = fill_projection(job=job, today=today)
    if not projection.remaining:
        return None
    when = target.strftime("%a %d %b %Y")
    if projection.projected is not None:
        if projection.projected <= target:
            return None
        return DriftFlag(
            "fill_date_at_risk",
            "Projected fill date is past the target",
            f"At {projection.offers} offer{'s' if projection.offers != 1 else ''} in "
            f"{VELOCITY_WEEKS} weeks, {projection.remaining} more hire"
            f"{'s' if projection.remaining != 1 else ''} would take until "
            f"{projection.projected:%a %d %b %Y}; the target is {when}.",
        )
    if (target - today).days > FILL_NEAR_DAYS:
        return None
    title = "No offers yet and the target fill date is near"
    if target < today:
        title = "Past the target fill date with no offers"
    return DriftFlag(
        "fill_date_at_risk",
        title,
        f"No candidate reached an offer in the last {VELOCITY_WEEKS} weeks; the target is {when}.",
    )


def drift_flags(
    *, job: Job, overview: IntakeOverview | None = None, as_of: dt.datetime | None = None
) -> list[DriftFlag]:
    """The job's drift flags right now, in a bounded number of queries (`overview`: the
    job's, when the page read it, whose version in force is used instead of reading it again).

    `as_of`: the flags as they stood at that past moment (a touch-base marked held after it
    ended keeps the drift of its end). Only the rules worked out from dated decisions can
    be: the HM's decisions up to then, against the agreement in force then. The pay and
    fill-date rules read the search as it is now (who is active and where, what they expect,
    the offers of the last weeks), so they are left out (`DRIFT_RULES_NOW_ONLY`).

    1. passes citing reasons outside the must-haves/deal-breakers (OFF_LIST_PASSES or more
       in the last OFF_LIST_WINDOW_DAYS);
    2. the HM's last PASSES_IN_A_ROW decisions all passes;
    3. candidates put forward whose expected pay is outside the agreed range;
    4. the projected fill date (see `fill_projection`) past the target, or no velocity at
       all while the target is within FILL_NEAR_DAYS.

    Both count the HM's decisions since the must-haves and deal-breakers in force were
    agreed (`_criteria_agreed_at`), whichever version each fell under: passes weighed
    against other criteria say nothing of these, but an amendment of the pay, the dates or
    the plan alone starts nothing again.

    See docs/architecture.md#the-intake-agreement.
    """
    agreed_at, criteria = _criteria_agreed_at(job, overview, as_of)
    if as_of is not None:
        decisions = _hm_decisions(job, agreed_at, until=as_of)
        flags = [_off_list_flag(job, decisions, as_of, criteria), _in_a_row_flag(job, decisions)]
    else:
        decisions = _hm_decisions(job, agreed_at)
        flags = [
            _off_list_flag(job, decisions, timezone.now()),
            _in_a_row_flag(job, decisions),
            _pay_flag(job),
            _fill_flag(job),
        ]
    return [flag for flag in flags if flag is not None]


def intake_ask_url(subject: Subject) -> str | None:
    """Where a sign_intake ask ("intake:<version pk>:<side>") is answered: the version's page."""
    return intake_ask_urls([subject]).get(subject)


def intake_ask_urls(subjects: list[Subject]) -> dict[Subject, str | None]:
    """`intake_ask_url` of many subjects in one query (a list of asks links each one)."""
    ids = {subject.pk for subject in subjects if subject.pk is not None}
    versions = IntakeVersion.objects.filter(pk__in=ids).values_list("pk", "job_id", "number")
    pages: dict[int | None, str] = {
        pk: reverse("intake:version", kwargs={"pk": job, "number": number})
        for pk, job, number in (versions if ids else [])
    }
    return {subject: pages.get(subject.pk) for subject in subjects}
