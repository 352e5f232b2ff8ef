"""Intake pages: the job's agreement, the guided form, a version (diff and sign), the summary.

Views stay thin: selectors decide who may read (a job whose agreement the user may not
read answers 404), services decide what may change (a refusal becomes a message and
changes nothing). No state changes on GET.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.selectors import possessive_for
from closeloop.activity.receipts import SentBefore, submit_once
from closeloop.intake import services
from closeloop.intake.forms import (
    STEP_FORMS,
    STEP_NAMES,
    STEPS,
    BaseRoundFormSet,
    SendForm,
    StartForm,
    StepForm,
    round_formset,
)
from closeloop.intake.models import IntakeStatus
from closeloop.intake.selectors import (
    awaiting_sides,
    awaiting_signers,
    drift_flags,
    intake_asked_on_propose,
    intake_cadence_warning,
    intake_can_edit,
    intake_draft,
    intake_job_get,
    intake_last_proposed,
    intake_overview,
    intake_pending,
    intake_previous,
    intake_propose_refusal,
    intake_sides_of,
    intake_sides_to_sign,
    intake_sign_refusal,
    intake_start_refusal,
    intake_unchanged_refusal,
    intake_version_get,
    signed_sides,
    version_diff,
    version_fields_now,
)
from closeloop.intake.services import intake_problems, summary_recipients
from closeloop.lib.ids import id_parse
from closeloop.lib.seen import SavedSince, SavedValue, SeenForm, seen_kept, seen_untouched
from closeloop.lib.text import listed

if TYPE_CHECKING:
    from django.http import HttpResponse

    from closeloop.intake.models import IntakeVersion
    from closeloop.jobs.models import Job

EDIT_DENIED = "Only the job's recruiter, its hiring manager or an admin can change the intake."


def _require_edit(request: AuthedRequest, job: Job) -> None:
    if not intake_can_edit(user=request.user, job=job):
        raise PermissionDenied(EDIT_DENIED)


def _say(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- The job's agreement ---------------------------------------------------------------------


@login_required
@require_GET
def intake_overview_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The job's agreement: what is in force, what awaits signatures, drafts and history."""
    job = intake_job_get(user=request.user, pk=pk)
    overview = intake_overview(job=job, reader=request.user)
    has_last = any(v.status != IntakeStatus.DRAFT for v in overview.versions)
    context = {
        "nav": "jobs",
        "job": job,
        "overview": overview,
        "can_edit": intake_can_edit(user=request.user, job=job),
        "start_refusal": intake_start_refusal(job=job),
        "propose_refusal": intake_propose_refusal(job=job),
        "sign_refusal": intake_sign_refusal(job=job),
        "start_form": StartForm(has_last=has_last),
        "flags": drift_flags(job=job, overview=overview),
        "my_sides": intake_sides_of(user=request.user, job=job),
    }
    return render(request, "intake/overview.html", context)


@login_required
@require_POST
def intake_start(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start the next version as a draft (or continue the one being written)."""
    job = intake_job_get(user=request.user, pk=pk)
    _require_edit(request, job)
    existing = intake_draft(job=job)
    if existing is not None:
        messages.info(request, f"Version {existing.number} is already being drafted: continue it.")
        return redirect(_step_url(job, existing.step or "role"))
    form = StartForm(request.POST, has_last=intake_last_proposed(job=job) is not None)
    if not form.is_valid():
        messages.error(request, "Nothing was started. " + " ".join(_form_messages(form)))
        return redirect("intake:overview", pk=job.pk)
    try:
        version = services.intake_draft_start(
            job=job,
            by=request.user,
            source=form.cleaned_data["source"],
            template=form.cleaned_data.get("template"),
        )
    except ValidationError as error:
        messages.error(request, f"Nothing was started. {_say(error)}")
        return redirect("intake:overview", pk=job.pk)
    messages.success(
        request, f"Draft of version {version.number} started from {version.started_from}."
    )
    return redirect(_step_url(job, "role"))


def _form_messages(form: Any) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


# --- The guided form -------------------------------------------------------------------------


def _step_url(job: Job, step: str) -> str:
    return reverse("intake:draft-step", kwargs={"pk": job.pk, "step": step})


def _draft_for(request: AuthedRequest, pk: int) -> IntakeVersion:
    version = _draft_if_any(request, pk)
    if version is None:
        raise Http404("There is no draft; start one from the intake page.")
    return version


def _draft_if_any(request: AuthedRequest, pk: int) -> IntakeVersion | None:
    """The job's draft, for someone who may edit its intake (else 404); None without one."""
    job = intake_job_get(user=request.user, pk=pk)
    _require_edit(request, job)
    version = intake_draft(job=job)
    if version is not None:
        version.job = job
    return version


def _step_page(
    request: AuthedRequest,
    version: IntakeVersion,
    step: str,
    form: Any,
    status: int = 200,
    *,
    seen_form: SeenForm | None = None,
    saved_since: list[SavedValue] | None = None,
) -> HttpResponse:
    index = [key for key, _ in STEPS].index(step)
    if isinstance(form, StepForm):
        seen_field = form["seen"]
    else:  # the plan's rounds and the review page: the fingerprint is a form of its own
        seen_form = seen_form or SeenForm(
            initial={"seen": services.intake_draft_seen(version=version, step=step)}
        )
        seen_field = seen_form["seen"]
    context: dict[str, Any] = {
        "nav": "jobs",
        "job": version.job,
        "version": version,
        "steps": STEPS,
        "step": step,
        "step_name": STEP_NAMES[step],
        "step_number": index + 1,
        "previous_step": STEPS[index - 1][0] if index else "",
        "form": form,
        "seen_field": seen_field,
        "saved_since": saved_since,
    }
    if step in ("cadence", "review"):
        context["cadence_warning"] = intake_cadence_warning(version=version)
    if step == "review":
        previous = intake_previous(version=version)
        # Proposing withdraws the version still awaiting signatures: said before the button.
        pending = intake_pending(job=version.job)
        context.update(
            pending=pending,
            pending_awaits=listed(
                signer.named(request.user) for signer in awaiting_signers(pending)
            )
            if pending
            else "",
            problems=_problems_by_step(version),
            previous=previous,
            diff=version_diff(old=previous, new=version),
            signs_by_proposing=bool(intake_sides_of(user=request.user, job=version.job)),
            asked_to_sign=intake_asked_on_propose(user=request.user, job=version.job),
            propose_refusal=intake_propose_refusal(job=version.job)
            or intake_unchanged_refusal(version=version, previous=previous),
        )
    return render(request, f"intake/step_{step}.html", context, status=status)


def _problems_by_step(version: IntakeVersion) -> list[tuple[str, str, list[str]]]:
    """(step, step name, messages) for every step that would stop the proposal."""
    rows = []
    for key, name in STEPS[:-1]:
        errors = intake_problems(version=version, steps=(key,))
        if errors:
            rows.append((key, name, [m for ms in errors.values() for m in ms]))
    return rows


def _blank_form(version: IntakeVersion, step: str) -> Any:
    if step == "plan":
        return round_formset(version)
    if step == "review":
        return None
    form = STEP_FORMS[step](version=version)
    form.initial["seen"] = services.intake_draft_seen(version=version, step=step)
    return form


@login_required
@require_http_methods(["GET", "POST"])
def intake_draft_step(request: AuthedRequest, pk: int, step: str) -> HttpResponse:
    """One step of the guided form; a POST saves the step into the draft, then moves on."""
    if step not in STEP_NAMES:
        raise Http404("No such step.")
    version = _draft_for(request, pk)
    if request.method != "POST" or step == "review":
        if request.method == "POST":
            return redirect(_step_url(version.job, "review"))
        return _step_page(request, version, step, _blank_form(version, step))
    form: BaseRoundFormSet | StepForm
    seen_form = None
    if step == "plan":
        form = plan = round_formset(version, data=request.POST)
        seen_form = SeenForm(request.POST)
        seen = seen_form.posted()
        valid = plan.is_valid()
        data = {"interview_plan": plan.plan()} if valid else {}
    else:
        form = step_form = STEP_FORMS[step](request.POST, version=version)
        valid = step_form.is_valid()
        seen = step_form.cleaned_data.get("seen")
        data = step_form.step_data() if valid else {}
    if valid:
        try:
            services.intake_draft_save(
                version=version, by=request.user, step=step, data=data, seen=seen
            )
        except SavedSince as stale:
            return _step_kept(request, pk, step, form, stale, seen)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect(_next_url(version, step, request.POST.get("go", "next")))
    # The form's own error box says "not saved" and lists what to fix (one message, not two).
    return _step_page(request, version, step, form, status=400, seen_form=seen_form)


def _step_kept(
    request: AuthedRequest,
    pk: int,
    step: str,
    form: BaseRoundFormSet | StepForm,
    stale: SavedSince,
    seen: str | None,
) -> HttpResponse:
    """The step as the draft is now after a save from a page out of date, what was typed
    kept (docs/architecture.md#where-rules-live)."""
    version = _draft_for(request, pk)
    now_seen = services.intake_draft_seen(version=version, step=step)
    if isinstance(form, StepForm):
        data, rows = seen_kept(form, stale, now=_blank_form(version, step), seen=now_seen)
        kept: BaseRoundFormSet | StepForm = STEP_FORMS[step](data, version=version)
        kept.is_valid()
        _add_errors(kept, stale)
        return _step_page(request, version, step, kept, status=400, saved_since=rows)
    # The rounds are one value: the plan saved since, unless this page changed it too.
    untouched = seen_untouched(seen, "interview_plan", form.plan())
    kept = round_formset(version) if untouched else form
    _add_errors(kept, stale)
    rows = [
        replace(row, typed_kept=not untouched) if row.name == "interview_plan" else row
        for row in stale.rows
    ]
    seen_form = SeenForm(initial={"seen": now_seen})
    return _step_page(
        request, version, step, kept, status=400, seen_form=seen_form, saved_since=rows
    )


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(form, "add_service_error"):
        form.add_service_error(error)
        return
    form.service_errors = error.messages  # the plan's problems are shown above the rounds


def _next_url(version: IntakeVersion, step: str, go: str) -> str:
    keys = [key for key, _ in STEPS]
    index = keys.index(step)
    if go == "back" and index:
        return _step_url(version.job, keys[index - 1])
    if go == "stay":
        return _step_url(version.job, step)
    return _step_url(version.job, keys[min(index + 1, len(keys) - 1)])


@login_required
@require_POST
def intake_propose(request: AuthedRequest, pk: int) -> HttpResponse:
    """Propose the draft: it is frozen, the proposer signs, the other side is asked."""
    version = _draft_for(request, pk)
    try:
        version = services.intake_propose(
            version=version, by=request.user, seen=SeenForm(request.POST).posted()
        )
    except SavedSince as stale:
        return _review_again(request, pk, stale)
    except ValidationError as error:
        messages.error(request, f"Not proposed yet. {_say(error)}")
        return redirect(_step_url(version.job, "review"))
    if version.status == IntakeStatus.SIGNED:
        messages.success(request, f"Version {version.number} is signed by both and in force.")
    else:
        waiting = [signer.named(request.user) for signer in awaiting_signers(version)]
        verb = "is" if len(waiting) == 1 else "are"
        messages.success(
            request, f"Proposed version {version.number}; {listed(waiting)} {verb} asked to sign."
        )
    return redirect("intake:version", pk=version.job_id, number=version.number)


def _review_again(request: AuthedRequest, pk: int, stale: SavedSince) -> HttpResponse:
    """The review page as the draft is now, after a proposal or discard from a review page
    rendered before a save: what was saved since is listed above it."""
    messages.error(request, _say(stale))
    version = _draft_for(request, pk)
    return _step_page(request, version, "review", None, status=400, saved_since=list(stale.rows))


@login_required
@require_http_methods(["GET", "POST"])
def intake_discard(request: AuthedRequest, pk: int) -> HttpResponse:
    """Discard the draft once confirmed: the review page's button shows what would be thrown
    away and whose draft it is (the other side may have written most of it); the button on
    that page discards. A press from a page shown before a save goes straight to the refusal
    that lists what was saved since, rather than asking to confirm terms not shown.

    A GET is the confirmation page reloaded (or its address revisited): it asks again, about
    the draft as it stands, and discards nothing; once the draft is gone, the intake page
    says so."""
    if request.method == "GET":
        return _discard_reload(request, pk)
    version = _draft_for(request, pk)
    seen = SeenForm(request.POST).posted()
    current = services.intake_draft_seen(version=version)
    if request.POST.get("confirm") != "yes" and seen in (None, current):
        return _discard_confirm(request, version, seen or current)
    try:
        services.intake_draft_discard(version=version, by=request.user, seen=seen)
    except SavedSince as stale:
        return _review_again(request, pk, stale)
    except ValidationError as error:
        messages.error(request, _say(error))
    else:
        messages.success(request, f"Discarded the draft of version {version.number}.")
    return redirect("intake:overview", pk=version.job_id)


def _discard_reload(request: AuthedRequest, pk: int) -> HttpResponse:
    version = _draft_if_any(request, pk)
    if version is None:
        messages.info(request, "There is no draft to discard any more.")
        return redirect("intake:overview", pk=pk)
    return _discard_confirm(request, version, services.intake_draft_seen(version=version))


def _discard_confirm(request: AuthedRequest, version: IntakeVersion, seen: str) -> HttpResponse:
    author = version.created_by
    context = {
        "nav": "jobs",
        "job": version.job,
        "version": version,
        "whose": possessive_for(author, reader=request.user),
        "someone_elses": author is not None and author.pk != request.user.pk,
        "author": author,
        "seen_field": SeenForm(initial={"seen": seen})["seen"],
    }
    return render(request, "intake/discard_confirm.html", context)


# --- A version: diff, signatures, signing ----------------------------------------------------


@login_required
@require_GET
def intake_version(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    """A version beside the one before it (or `?against=N`), with who signed and who waits."""
    version = intake_version_get(user=request.user, job_pk=pk, number=number)
    if version.status == IntakeStatus.DRAFT:
        return redirect(_step_url(version.job, "review"))
    previous = _against(request, version)
    return render(request, "intake/version.html", _version_context(request, version, previous))


def _against(request: AuthedRequest, version: IntakeVersion) -> IntakeVersion | None:
    number = id_parse(request.GET.get("against"))
    if number is not None and number != version.number:
        try:
            other = intake_version_get(user=request.user, job_pk=version.job_id, number=number)
        except Http404:
            return intake_previous(version=version)
        return None if other.status == IntakeStatus.DRAFT else other
    return intake_previous(version=version)


def _version_context(
    request: AuthedRequest, version: IntakeVersion, previous: IntakeVersion | None
) -> dict[str, Any]:
    job = version.job
    signed = signed_sides(version)
    waiting = awaiting_sides(version) if version.status == IntakeStatus.PROPOSED else []
    mine = [s for s in intake_sides_to_sign(user=request.user, version=version) if s in waiting]
    # An ended search is neither signed nor amended: the page says why instead of offering.
    sign_refusal = intake_sign_refusal(job=job) if mine else ""
    others = [v for v in intake_overview(job=job).versions if v.status != IntakeStatus.DRAFT]
    return {
        "nav": "jobs",
        "job": job,
        "version": version,
        "previous": previous,
        "diff": version_diff(old=previous, new=version),
        "signatures": list(signed.values()),
        # Named as the pages name whoever holds the ask, with the side: "Sofia Lindqvist,
        # covering for Hank Hill (hiring manager, deactivated)"; once the search ended, the
        # side's own holder.
        "waiting": [
            signer.named_with_side(request.user, ended=job.has_ended)
            for signer in awaiting_signers(version)
        ]
        if waiting
        else [],
        # An ended search awaits nobody: its missing signatures read as final.
        "search_ended": job.has_ended,
        "can_sign": bool(mine) and not sign_refusal,
        "sign_refusal": sign_refusal,
        "can_edit": intake_can_edit(user=request.user, job=job),
        "can_amend": intake_can_edit(user=request.user, job=job)
        and intake_draft(job=job) is None
        and not intake_start_refusal(job=job)
        and version.status in (IntakeStatus.SIGNED, IntakeStatus.PROPOSED),
        "other_versions": [v for v in others if v.number != version.number],
        "send_form": SendForm(people=summary_recipients(job=job, by=request.user)),
    }


@login_required
@require_POST
def intake_sign(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    """Sign a proposed version for your side (the link in the sign request lands here)."""
    version = intake_version_get(user=request.user, job_pk=pk, number=number)
    try:
        version = services.intake_sign(version=version, by=request.user)
    except ValidationError as error:
        messages.error(request, f"Nothing was signed. {_say(error)}")
    else:
        if version.status == IntakeStatus.SIGNED:
            messages.success(
                request,
                f"Signed. Version {version.number} is in force: the job now runs on it.",
            )
        else:
            messages.success(request, f"Signed version {version.number}.")
    try:  # a delegate off the team read it through the signature she held, now given
        intake_version_get(user=request.user, job_pk=pk, number=number)
    except Http404:
        return redirect("pipeline:queue")
    return redirect("intake:version", pk=pk, number=number)


# --- The one-page summary --------------------------------------------------------------------


@login_required
@require_GET
def intake_summary(request: AuthedRequest, pk: int) -> HttpResponse:
    """The agreement on one printable page: the version in force, or `?version=N`."""
    job = intake_job_get(user=request.user, pk=pk)
    overview = intake_overview(job=job)
    number = id_parse(request.GET.get("version"))
    version: IntakeVersion | None
    if number is not None:
        version = intake_version_get(user=request.user, job_pk=pk, number=number)
    else:
        version = overview.in_force or overview.pending
    if version is None or version.status == IntakeStatus.DRAFT:
        raise Http404("No proposed or signed version to summarise.")
    version.job = job
    context = {
        "nav": "jobs",
        "job": job,
        "version": version,
        "fields": version_fields_now(version, job),
        "signatures": list(signed_sides(version).values()),
        "waiting": [
            signer.owner if job.has_ended else signer.named(request.user)
            for signer in awaiting_signers(version)
        ]
        if version.status == IntakeStatus.PROPOSED
        else [],
        "search_ended": job.has_ended,
        "send_form": SendForm(people=summary_recipients(job=job, by=request.user)),
    }
    return render(request, "intake/summary.html", context)


@login_required
@require_POST
def intake_send(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    """Email a version's summary to someone on the hiring team."""
    version = intake_version_get(user=request.user, job_pk=pk, number=number)
    people = summary_recipients(job=version.job, by=request.user)
    form = SendForm(request.POST, people=people)
    back = reverse("intake:summary", kwargs={"pk": pk}) + f"?version={number}"
    if not form.is_valid():
        messages.error(request, "Nothing was sent. Choose someone on the job's hiring team.")
        return redirect(back)
    recipient = form.cleaned_data["recipient"]

    def send() -> str:
        services.intake_summary_send(version=version, by=request.user, recipient=recipient)
        return back

    try:
        sent = submit_once(request, request.user, send, lambda url: url)
    except ValidationError as error:
        messages.error(request, f"Nothing was sent. {_say(error)}")
    else:
        if isinstance(sent, SentBefore):
            messages.info(request, f"The summary was sent to {recipient} already.")
        else:
            messages.success(request, f"Sent the summary to {recipient}.")
    return redirect(back)
