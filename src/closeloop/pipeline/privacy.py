"""Candidate privacy: erase a person on request, anonymise them after the retention period,
export what is stored about them, and record who read their résumé (README "Candidate privacy").

Erasing keeps every row that counts something (applications, stage changes, asks with their
timings, messages, events) and takes the person out of them: their details, the free text
about them, every mention of their full name, address, phone or links, their résumé file. The
apps below pipeline expose functions called here (activity, notify, followups); the apps
above plug in what they hold through `privacy_register` from their `ready()` (interviews:
scorecards and debriefs; touch-bases: notes, agendas and action items).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.activity.models import Activity
from closeloop.activity.privacy import activities_export, activities_scrub
from closeloop.activity.services import activity_record
from closeloop.followups.privacy import asks_cancel_for_applications, asks_export, asks_scrub
from closeloop.followups.sweep import sweep_held, sweep_hold_push
from closeloop.lib.files import CONTENT_TYPES, safe_download_name
from closeloop.lib.scrub import Names, Scrubber
from closeloop.lib.sweep import Swept, sweep
from closeloop.lib.timefmt import absolute
from closeloop.notify.privacy import messages_export, messages_scrub
from closeloop.notify.services import message_queue
from closeloop.pipeline.models import (
    JOB_CLOSED_REASON,
    Application,
    ApplicationStatus,
    Candidate,
    CandidateAccess,
    CandidateAccessKind,
    CandidateTag,
    Question,
    RejectionReason,
    StageChange,
    Submission,
    WithdrawalReason,
    closing_reason_code,
)
from closeloop.pipeline.selectors import candidate_get
from closeloop.pipeline.services import ERASED_REASON, application_withdraw_for_erasure

if TYPE_CHECKING:
    from django.core.files.storage import Storage

ERASED_KIND = "closeloop.candidate.erased"
KEPT_KIND = "closeloop.candidate.kept"
RETENTION_STEP = "candidates_retention"
# Admins hear this long before retention anonymises anyone, and can keep them meanwhile.
RETENTION_NOTICE = dt.timedelta(days=14)
# The worker runs retention at most this often per process (unless a pass filled its batch):
# the candidates' last activity is read with subqueries, not needed on every 2-second loop.
RETENTION_EVERY_SECONDS = 600.0
RETENTION_LIMIT = 50
_retention_last_run = [-float("inf")]
# What stands where free text about the person was (a pitch, a question): the column is
# required, and an empty one would read as a missing value rather than an erased one.
ERASED_TEXT = "[erased]"
# The view record on the candidate's page: the latest accesses, newest first.
ACCESSES_SHOWN = 20
# What an export shows where a text about the person also names another candidate.
ANOTHER_CANDIDATE = "[another candidate]"


def erased_label(pk: int) -> str:
    return f"Erased candidate #{pk}"


# --- The registry: what the apps above pipeline hold about a candidate -------------------------


@dataclass(frozen=True)
class CandidateErasure:
    """One erasure in progress, handed to each registered eraser (inside its transaction)."""

    candidate_id: int
    application_ids: list[int]
    scrubber: Scrubber
    # Other candidates with the same full name, and their applications: a text about one of
    # them names that person, so its mentions of the name stay (`naming_q`).
    namesake_ids: list[int]
    namesake_application_ids: list[int]

    def about_namesake_q(self, candidate: str = "candidate", application: str = "application") -> Q:
        """Rows about another candidate of the same full name (`candidate` and `application`:
        the rows' fields pointing at them). Nothing when there is none."""
        if not self.namesake_ids:
            return Q(pk__in=[])
        return Q(**{f"{candidate}_id__in": self.namesake_ids}) | Q(
            **{f"{application}_id__in": self.namesake_application_ids}
        )


@dataclass(frozen=True)
class PrivacySource:
    """What an app holds about candidates: `erase` takes the person out of its rows (keeping
    the rows that count something), `export` returns its rows about them as plain data."""

    name: str
    erase: Callable[[CandidateErasure], object]
    export: Callable[[CandidateErasure], dict[str, Any]]


_SOURCES: dict[str, PrivacySource] = {}


def privacy_register(source: PrivacySource) -> None:
    """Register (or replace, when `ready()` runs twice) an app's privacy source."""
    _SOURCES[source.name] = source


def privacy_sources() -> list[PrivacySource]:
    return list(_SOURCES.values())


# --- Selectors: who may, and what there is ---------------------------------------------------


def privacy_allowed(user: User) -> bool:
    """Only admins erase, export, keep candidates and read the view record."""
    return bool(user.is_active and user.is_admin)


def candidate_privacy_get(*, user: User, pk: int) -> Candidate:
    """The candidate, for an admin; 404 when there is none or the user may not see them (a
    guessed id leaks nothing), 403 for anyone else who sees them."""
    candidate = candidate_get(user=user, pk=pk)
    if not privacy_allowed(user):
        raise PermissionDenied("Only an admin erases or exports a candidate's data.")
    return candidate


def candidate_accesses(*, user: User, candidate: Candidate) -> list[CandidateAccess]:
    """The latest downloads of the candidate's résumé and exports of their data, for admins
    (nobody else sees the record: an empty list)."""
    if not privacy_allowed(user):
        return []
    return list(candidate.accesses.select_related("by")[:ACCESSES_SHOWN])


def _scrubber(candidate: Candidate) -> Scrubber:
    """The person's strings: name, address, phone (also as bare digits), links, and the
    address's local part when it spells a name ("bianca.zhang" in a note: contact via …)."""
    digits = "".join(char for char in candidate.phone if char.isdigit())
    local = (candidate.email or "").partition("@")[0]
    named = any(mark in local for mark in ".-_") and len(local) >= 6
    # The name becomes the label; the details beside it "[removed]" (a bracket of nothing
    # else goes), so a text reads "Erased candidate #7 compares well", not the label thrice.
    return Scrubber.of(
        [candidate.full_name],
        erased_label(candidate.pk),
        details=[
            candidate.email,
            local if named else "",
            candidate.phone,
            digits if len(digits) >= 7 else "",
            *candidate.link_list,
        ],
    )


def _erasure(candidate: Candidate) -> CandidateErasure:
    ids = list(candidate.applications.values_list("pk", flat=True))
    name = candidate.full_name.strip()
    namesakes = list(
        Candidate.objects.filter(full_name__iexact=name)
        .exclude(pk=candidate.pk)
        .values_list("pk", flat=True)
    )
    namesake_applications = list(
        Application.objects.filter(candidate_id__in=namesakes).values_list("pk", flat=True)
    )
    return CandidateErasure(
        candidate.pk, ids, _scrubber(candidate), namesakes, namesake_applications
    )


def _others(candidate: Candidate) -> Names:
    """Every other candidate's name, for an export: a text held because it names the person
    (a line listing candidates and their pay) shows the others as "[another candidate]".
    Erased candidates are left out (their label names no one), and so is the person's own
    name, which another record may share."""
    names = (
        Candidate.objects.filter(erased_at__isnull=True)
        .exclude(pk=candidate.pk)
        .values_list("full_name", flat=True)
    )
    return Names.of(
        names.iterator(chunk_size=2000), ANOTHER_CANDIDATE, besides=[candidate.full_name]
    )


@dataclass(frozen=True)
class ErasurePreview:
    """What the confirmation page says erasing will touch."""

    applications: int
    events: int
    has_resume: bool
    open_applications: int  # withdrawn first (interviews still booked are called off)


def candidate_erase_preview(*, candidate: Candidate) -> ErasurePreview:
    rows = list(candidate.applications.values_list("pk", "status"))
    ids = [pk for pk, _status in rows]
    events = Activity.objects.filter(Q(candidate=candidate) | Q(application_id__in=ids)).count()
    still_open = sum(1 for _pk, status in rows if status == ApplicationStatus.ACTIVE)
    return ErasurePreview(len(ids), events, bool(candidate.resume), still_open)


# --- Erase -----------------------------------------------------------------------------------


# The structured reasons a StageChange may start with (`closing_reason`): kept on erasure.
REASON_CODES = frozenset(
    [*RejectionReason.values, *WithdrawalReason.values, ERASED_REASON, JOB_CLOSED_REASON]
)


def _closing_code(reason: str) -> str:
    """A StageChange's reason without its free text: "skills: …" → "skills"; a move's own
    words ("Strong onsite") → ""."""
    code = closing_reason_code(reason)
    return code if code in REASON_CODES else ""


def _erase_pipeline(candidate: Candidate, erasure: CandidateErasure) -> None:
    ids, scrub = erasure.application_ids, erasure.scrubber
    Application.objects.filter(pk__in=ids).update(closed_note="")
    submissions = Submission.objects.filter(application_id__in=ids)
    # The calibration sentence is free text about the person; the rating itself counts.
    submissions.update(pitch=ERASED_TEXT, decision_note="", calibration_note="")
    Question.objects.filter(submission__in=submissions).update(text=ERASED_TEXT, answer="")
    # Stage changes are append-only for application code; their reasons keep the code only.
    changes = list(StageChange.objects.filter(application_id__in=ids).exclude(reason=""))
    for change in changes:
        change.reason = _closing_code(scrub.text(change.reason))
    StageChange.objects.bulk_update(changes, ["reason"], batch_size=500)
    # Django's admin history names the objects it changed.
    types = ContentType.objects.get_for_models(Candidate, Application)
    own = Q(content_type=types[Candidate], object_id=str(candidate.pk)) | Q(
        content_type=types[Application], object_id__in=[str(pk) for pk in ids]
    )
    for entry in LogEntry.objects.filter(own | scrub.q("object_repr", "change_message")):
        entry.object_repr = scrub.text(entry.object_repr)[:200]
        entry.change_message = scrub.text(entry.change_message)
        entry.save(update_fields=["object_repr", "change_message"])


def _anonymise(candidate: Candidate, now: dt.datetime) -> None:
    resume = candidate.resume.name if candidate.resume else ""
    storage: Storage = candidate.resume.storage
    candidate.full_name = erased_label(candidate.pk)
    candidate.email = None
    candidate.phone = candidate.location = candidate.links = ""
    candidate.current_company = candidate.current_title = ""
    candidate.expected_compensation = None
    candidate.resume = ""
    candidate.resume_filename = candidate.resume_text = ""
    candidate.retention_kept_reason = ""
    candidate.erased_at = candidate.updated_at = now
    candidate.save()
    # Tags describe the person ("relocating", "silver medal"): an anonymous record has none.
    CandidateTag.objects.filter(candidate=candidate).delete()
    if resume:
        transaction.on_commit(lambda: storage.delete(resume))


@transaction.atomic
def candidate_erase(
    *, candidate: Candidate, by: User | None, reason: str, now: dt.datetime | None = None
) -> Candidate:
    """Erase a candidate: every detail, file and mention of them goes; the anonymous rows stay
    (see the module). `by` None is the retention step. Refused when already erased."""
    now = now or timezone.now()
    if by is not None and not privacy_allowed(by):
        raise PermissionDenied("Only an admin erases a candidate.")
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why (an erasure request, the retention period)."})
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.erased_at is not None:
        raise ValidationError(
            f"This candidate was already erased on {absolute(candidate.erased_at)}; "
            "nothing is left to erase."
        )
    # Open applications are withdrawn first (reason "erased"), so what that sends (interviews
    # called off) is scrubbed with the rest.
    open_applications = list(candidate.applications.filter(status=ApplicationStatus.ACTIVE))
    if open_applications:
        if by is None:
            raise ValidationError("Retention never erases a candidate with an open application.")
        for application in open_applications:
            application_withdraw_for_erasure(application=application, by=by)
    erasure = _erasure(candidate)
    asks_cancel_for_applications(application_ids=erasure.application_ids, reason="candidate erased")
    _erase_pipeline(candidate, erasure)
    asks_scrub(
        application_ids=erasure.application_ids,
        scrubber=erasure.scrubber,
        namesake_application_ids=erasure.namesake_application_ids,
    )
    messages_scrub(scrubber=erasure.scrubber)
    for source in privacy_sources():
        source.erase(erasure)
    activities_scrub(
        candidate_id=candidate.pk,
        application_ids=erasure.application_ids,
        scrubber=erasure.scrubber,
        namesake_ids=erasure.namesake_ids,
        namesake_application_ids=erasure.namesake_application_ids,
    )
    _anonymise(candidate, now)
    activity_record(
        kind=ERASED_KIND,
        actor=by,
        candidate=candidate,
        summary=f"{by or 'Retention'} erased candidate #{candidate.pk}",
        data={"reason": erasure.scrubber.text(reason)[:500], "by_retention": by is None},
        at=max(now, timezone.now()),  # after the withdrawals it caused, on the timeline
    )
    return candidate


def erasures_stamp() -> tuple[int, dt.datetime | None]:
    """How many erasures were recorded, and the latest one's moment: it changes with each
    erasure as it commits, in every process (the worker's retention too). Figures counted
    under another stamp may name someone erased since (`insights.kept` keys on it); read
    from the events' (kind, at) index alone."""
    row = Activity.objects.filter(kind=ERASED_KIND).aggregate(count=Count("*"), last=Max("at"))
    return row["count"], row["last"]


# --- Keep (a legal hold against retention) ----------------------------------------------------


@transaction.atomic
def candidate_keep(*, candidate: Candidate, by: User, reason: str) -> Candidate:
    """Keep a candidate out of retention (a legal hold), with who and why."""
    if not privacy_allowed(by):
        raise PermissionDenied("Only an admin keeps a candidate past the retention period.")
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why this candidate is kept (e.g. a legal hold)."})
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.erased_at is not None:
        raise ValidationError("This candidate was erased; there is nothing left to keep.")
    candidate.retention_kept_at = timezone.now()
    candidate.retention_kept_by = by
    candidate.retention_kept_reason = reason[:300]
    candidate.save(
        update_fields=["retention_kept_at", "retention_kept_by", "retention_kept_reason"]
    )
    activity_record(
        kind=KEPT_KIND,
        actor=by,
        candidate=candidate,
        summary=f"{by} kept candidate #{candidate.pk} past the retention period",
        data={"reason": reason[:300]},
    )
    return candidate


# --- The view record -------------------------------------------------------------------------


def candidate_access_record(*, candidate: Candidate, by: User, kind: str) -> CandidateAccess:
    return CandidateAccess.objects.create(candidate=candidate, by=by, kind=kind)


# --- Export ----------------------------------------------------------------------------------


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _candidate_data(candidate: Candidate) -> dict[str, Any]:
    names = [
        "full_name", "email", "phone", "location", "current_company", "current_title",
        "expected_compensation", "compensation_currency", "source", "resume_filename",
    ]  # fmt: skip
    data: dict[str, Any] = {name: getattr(candidate, name) for name in names}
    data |= {
        "id": candidate.pk,
        "links": candidate.link_list,
        "created_at": _iso(candidate.created_at),
        "updated_at": _iso(candidate.updated_at),
        "erased_at": _iso(candidate.erased_at),
        "tags": list(candidate.tag_links.order_by("tag__name").values_list("tag__name", flat=True)),
    }
    return data


def _applications_data(candidate: Candidate) -> Iterator[dict[str, Any]]:
    applications = (
        candidate.applications.select_related("job", "stage")
        .prefetch_related("stage_changes__from_stage", "stage_changes__to_stage")
        .prefetch_related("submissions__questions")
        .order_by("created_at", "pk")
    )
    for application in applications:
        yield {
            "id": application.pk,
            "job": application.job.title,
            "stage": application.stage.name,
            "status": application.status,
            "created_at": _iso(application.created_at),
            "closed_at": _iso(application.closed_at),
            "closed_reason": application.closed_reason,
            "closed_note": application.closed_note,
            "stage_history": [
                {
                    "at": _iso(change.at),
                    "from": change.from_stage.name if change.from_stage else None,
                    "to": change.to_stage.name if change.to_stage else None,
                    "status": change.to_status,
                    "reason": change.reason,
                }
                for change in application.stage_changes.all()
            ],
            "submissions": [
                {
                    "submitted_at": _iso(submission.submitted_at),
                    "pitch": submission.pitch,
                    "decision": submission.decision,
                    "decided_at": _iso(submission.decided_at),
                    "pass_reason": submission.pass_reason,
                    "decision_note": submission.decision_note,
                    "closeness": submission.get_closeness_display() if submission.closeness else "",
                    "calibration_note": submission.calibration_note,
                    "questions": [
                        {"asked_at": _iso(q.asked_at), "text": q.text, "answer": q.answer}
                        for q in submission.questions.all()
                    ],
                }
                for submission in application.submissions.all()
            ],
        }


def _write_list(out: _TextOut, name: str, rows: Iterable[Any], *, last: bool = False) -> None:
    """One key of the JSON object, its list written row by row (never all held at once)."""
    out.write(f"  {json.dumps(name)}: [")
    for number, row in enumerate(rows):
        out.write(("," if number else "") + "\n    " + json.dumps(row, ensure_ascii=False))
    out.write("\n  ]" + ("" if last else ",") + "\n")


def candidate_export_refusal(candidate: Candidate) -> str:
    """Why the candidate's data cannot be exported ("" when it can): once erased, what is
    left is anonymous and about nobody."""
    if candidate.erased_at is not None:
        return (
            f"This candidate was erased on {absolute(candidate.erased_at)}: their details "
            "are gone, so there is nothing to export."
        )
    return ""


def candidate_export(*, candidate: Candidate, by: User) -> tuple[IO[bytes], str]:
    """Everything stored about the candidate as a zip (data.json and their résumé), built in a
    temporary file; returns the open file (at its start) and the download's name. The export
    is recorded on the candidate's view record. Refused once they are erased."""
    if not privacy_allowed(by):
        raise PermissionDenied("Only an admin exports a candidate's data.")
    refusal = candidate_export_refusal(candidate)
    if refusal:
        raise ValidationError(refusal)
    erasure = _erasure(candidate)
    erasure = replace(erasure, scrubber=erasure.scrubber.with_others(_others(candidate)))
    spooled = tempfile.TemporaryFile()  # noqa: SIM115  (handed to the response, which closes it)
    with zipfile.ZipFile(spooled, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("data.json", "w") as raw:
            out = _TextOut(raw)
            out.write("{\n")
            out.write(f'  "exported_at": {json.dumps(timezone.now().isoformat())},\n')
            out.write(f'  "exported_by": {json.dumps(str(by))},\n')
            out.write(
                f'  "candidate": {json.dumps(_candidate_data(candidate), ensure_ascii=False)},\n'
            )
            _write_list(out, "applications", _applications_data(candidate))
            # Each source's lists at the top level ("comments": [...], "interviews": [...]),
            # never wrapped in the source's name; two sources never share a key.
            written = {"applications", "asks", "messages", "activity"}
            for source in privacy_sources():
                for key, rows in source.export(erasure).items():
                    if key in written:
                        raise ImproperlyConfigured(
                            f"Privacy source {source.name!r} exports {key!r}, already written."
                        )
                    written.add(key)
                    _write_list(out, key, rows)
            _write_list(out, "asks", asks_export(application_ids=erasure.application_ids))
            _write_list(out, "messages", messages_export(scrubber=erasure.scrubber))
            _write_list(
                out,
                "activity",
                activities_export(
                    candidate_id=candidate.pk, application_ids=erasure.application_ids
                ),
                last=True,
            )
            out.write("}\n")
        if candidate.resume:
            suffix = PurePath(candidate.resume.name or "").suffix.lower()
            if suffix in CONTENT_TYPES:
                name = safe_download_name(candidate.resume_filename or "resume", "resume")
                name = name if name.lower().endswith(suffix) else f"{name}{suffix}"
                try:
                    with (
                        candidate.resume.open("rb") as stored,
                        archive.open(f"files/{name}", "w") as target,
                    ):
                        for chunk in iter(lambda: stored.read(64 * 1024), b""):
                            target.write(chunk)
                except FileNotFoundError:
                    archive.writestr("files/MISSING.txt", "The résumé file is missing on disk.\n")
    spooled.seek(0)
    candidate_access_record(candidate=candidate, by=by, kind=CandidateAccessKind.EXPORT)
    return spooled, f"candidate-{candidate.pk}.zip"


class _TextOut:
    """Text written to a binary zip member as UTF-8."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw

    def write(self, text: str) -> None:
        self.raw.write(text.encode("utf-8"))


# --- Retention -------------------------------------------------------------------------------


def retention_days() -> int:
    return int(getattr(settings, "CANDIDATE_RETENTION_DAYS", 730))


def _retention_candidates() -> QuerySet[Candidate]:
    """Candidates retention may anonymise: not erased, not kept, with no application still
    open or hired (every one rejected or withdrawn), annotated with their last activity."""
    live = Application.objects.filter(
        candidate=OuterRef("pk"),
        status__in=[ApplicationStatus.ACTIVE, ApplicationStatus.HIRED],
    )
    last_event = (
        Activity.objects.filter(candidate=OuterRef("pk"))
        .exclude(kind__in=[ERASED_KIND])
        .order_by()
        .values("candidate")
        .annotate(last=Max("at"))
        .values("last")
    )
    last_closed = (
        Application.objects.filter(candidate=OuterRef("pk"))
        .order_by()
        .values("candidate")
        .annotate(last=Max("closed_at"))
        .values("last")
    )
    return (
        Candidate.objects.filter(erased_at__isnull=True, retention_kept_at__isnull=True)
        .exclude(Exists(live))
        .annotate(
            last_active_at=Greatest(
                F("updated_at"),
                Coalesce(Subquery(last_event, output_field=DateTimeField()), F("created_at")),
                Coalesce(Subquery(last_closed, output_field=DateTimeField()), F("created_at")),
            )
        )
    )


def _noticed_q() -> Q:
    """Admins were told about this candidate since their last activity."""
    return Q(retention_noticed_at__isnull=False, retention_noticed_at__gte=F("last_active_at"))


def retention_due(*, now: dt.datetime | None = None) -> QuerySet[Candidate]:
    """Candidates admins were told about, waiting to be anonymised (the retention page), the
    soonest first. Empty when retention is off."""
    days = retention_days()
    if days <= 0:
        return Candidate.objects.none()
    now = now or timezone.now()
    notice_from = now - max(dt.timedelta(days=days) - RETENTION_NOTICE, dt.timedelta(0))
    return (
        _retention_candidates()
        .filter(_noticed_q(), Q(last_active_at__lte=notice_from))
        .order_by(F("last_active_at").asc(), "pk")
    )


def retention_erase_at(candidate: Candidate) -> dt.datetime:
    """When retention anonymises a candidate of `retention_due` (not before the notice's end)."""
    last = candidate.last_active_at  # type: ignore[attr-defined]  # annotated by the selector
    assert candidate.retention_noticed_at is not None
    return max(
        last + dt.timedelta(days=retention_days()),
        candidate.retention_noticed_at + RETENTION_NOTICE,
    )


def retention_page_get(*, user: User) -> QuerySet[Candidate]:
    if not privacy_allowed(user):
        raise PermissionDenied("Only an admin manages retention.")
    return retention_due()


def _retention_notice(now: dt.datetime, days: int) -> int:
    """Tell the admins, in one message each, how many candidates retention will anonymise in
    two weeks (those not yet announced since their last activity); 0 when there are none."""
    notice_from = now - max(dt.timedelta(days=days) - RETENTION_NOTICE, dt.timedelta(0))
    fresh = _retention_candidates().filter(Q(last_active_at__lte=notice_from)).exclude(_noticed_q())
    with transaction.atomic():
        ids = list(fresh.values_list("pk", flat=True)[:10_000])
        if not ids:
            return 0
        # Conditional: a second worker that read the same rows marks none and sends nothing.
        marked = (
            Candidate.objects.filter(pk__in=ids, erased_at__isnull=True)
            .filter(Q(retention_noticed_at__isnull=True) | Q(retention_noticed_at__lt=now))
            .update(retention_noticed_at=now)
        )
        if not marked:
            return 0
        url = settings.SITE_URL + reverse("pipeline:retention")
        when = (now + RETENTION_NOTICE).date()
        people = "candidate" if marked == 1 else "candidates"
        for admin in User.objects.filter(is_admin=True, is_active=True).order_by("pk"):
            message_queue(
                recipient=admin,
                template="notice",
                channel=admin.notify_channel,
                context={
                    "recipient": admin,
                    "subject": f"Retention: {marked} {people} anonymised from {when:%d %b %Y}",
                    "body": (
                        f"{marked} {people} whose applications all closed have had no activity "
                        f"for {days - RETENTION_NOTICE.days} days. From {when:%d %b %Y} Closeloop "
                        "anonymises them (the retention period). Keep anyone you must (a legal "
                        "hold) on the retention page."
                    ),
                    "action_url": url,
                    "action_label": "Review them",
                },
                data={"retention": marked},
            )
    return marked


def _retention_erase_one(pk: int, now: dt.datetime, days: int) -> int:
    """Anonymise one candidate still due (checked again under the lock); 1 if we did."""
    with transaction.atomic():
        still = (
            _retention_candidates()
            .filter(Q(last_active_at__lte=now - dt.timedelta(days=days)), pk=pk)
            .filter(_noticed_q(), retention_noticed_at__lte=now - RETENTION_NOTICE)
            .exists()
        )
        candidate = Candidate.objects.select_for_update().filter(pk=pk).first()
        if not still or candidate is None or candidate.erased_at is not None:
            return 0
        candidate_erase(
            candidate=candidate,
            by=None,
            reason=f"Retention: no activity for {days} days after every application closed",
            now=now,
        )
    return 1


def candidates_retention(*, now: dt.datetime | None = None, limit: int = RETENTION_LIMIT) -> Swept:
    """Worker step: tell the admins two weeks ahead, then anonymise candidates whose every
    application closed (rejected or withdrawn) and who had no activity for
    CANDIDATE_RETENTION_DAYS (0: off). A candidate that raises is held back (followups.sweep)."""
    days = retention_days()
    if days <= 0:
        return Swept()
    now = now or timezone.now()
    noticed = _retention_notice(now, days)
    ids = list(
        _retention_candidates()
        .filter(Q(last_active_at__lte=now - dt.timedelta(days=days)))
        .filter(_noticed_q(), retention_noticed_at__lte=now - RETENTION_NOTICE)
        .exclude(pk__in=sweep_held(RETENTION_STEP, now=now))
        .order_by(F("last_active_at").asc(), "pk")
        .values_list("pk", flat=True)[:limit]
    )
    swept = sweep(
        RETENTION_STEP,
        ids,
        lambda pk: retention_erase_one(pk=pk, now=now, days=days),
        push_back=lambda pk, error: sweep_hold_push(RETENTION_STEP, pk, error, now=now),
        row_id=lambda pk: f"candidate {pk}",
    )
    return swept + Swept(handled=noticed)


def retention_step() -> Swept:
    """What the worker runs (`STEPS`): `candidates_retention`, at most every 10 minutes."""
    if time.monotonic() - _retention_last_run[0] < RETENTION_EVERY_SECONDS:
        return Swept()
    swept = candidates_retention(limit=RETENTION_LIMIT)
    if swept.handled + swept.failed < RETENTION_LIMIT:  # caught up: the next pass waits
        _retention_last_run[0] = time.monotonic()
    return swept


def retention_erase_one(*, pk: int, now: dt.datetime, days: int) -> int:
    """The step's per-row function (a module attribute, so a test can poison one row)."""
    return _retention_erase_one(pk, now, days)
