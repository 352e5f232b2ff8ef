"""Candidate and application pages: add, edit, read, download the résumé, and act on a candidate.

Views stay thin: forms parse, selectors read (and decide who may see what), services write.
Every action is a POST that redirects back to the application page with a message; when a
service refuses (ValidationError, PermissionDenied) the page is shown again with the reason
and nothing has changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from closeloop.accounts.http import AuthedRequest
from closeloop.activity.receipts import SentBefore, submit_once
from closeloop.activity.selectors import timeline_page
from closeloop.followups.selectors import ask_handed_to, ask_rows, asks_for_application
from closeloop.jobs.selectors import job_can_manage, job_can_move_candidates, job_get
from closeloop.lib.files import CONTENT_TYPES, safe_download_name
from closeloop.lib.forms import add_service_errors, refusal_message, refusal_words
from closeloop.lib.ids import id_parse
from closeloop.lib.pages import Shown
from closeloop.lib.seen import SavedSince, seen_kept
from closeloop.pipeline import services
from closeloop.pipeline.forms import (
    AnswerForm,
    CandidateAddForm,
    CandidateForm,
    CandidateUpdatedForm,
    DecideForm,
    MergeForm,
    MoveForm,
    QuestionForm,
    RejectForm,
    ReopenForm,
    SubmitForm,
    TagAddForm,
    WithdrawForm,
)
from closeloop.pipeline.models import (
    JOB_CLOSED_LABEL,
    JOB_CLOSED_REASON,
    Application,
    ApplicationStatus,
    Candidate,
    CandidateAccessKind,
    RejectionReason,
    StageChange,
    Submission,
    WithdrawalReason,
)
from closeloop.pipeline.move_words import move_words
from closeloop.pipeline.privacy import candidate_access_record, candidate_accesses, privacy_allowed
from closeloop.pipeline.selectors import (
    REVIEW_BLIND,
    ApplicationActions,
    application_actions,
    application_can_read,
    application_escalated_to,
    application_get,
    application_in_job,
    application_move_covered_by,
    application_move_stages,
    application_move_wait,
    application_neighbours,
    application_review_blind,
    application_review_open,
    application_stage_history,
    application_timeline,
    applications_same_name,
    candidate_applications,
    candidate_applications_shown,
    candidate_can_edit,
    candidate_edit_refusal,
    candidate_find_by_email,
    candidate_get,
    candidate_on_team,
    candidate_pay_visible,
    candidate_timeline,
    candidate_waiting,
    candidate_waiting_by_application,
    candidates_merge_plan,
    candidates_same_name_elsewhere,
    job_ended_refusal,
    question_get,
    submission_current,
    submission_must_haves,
    submission_state,
)
from closeloop.pipeline.tags import candidate_can_tag, candidate_tags

# The pages show a candidate's latest applications and an application's latest moves (a
# count says how many more there are); timelines page with "Older events" (?before=).
CANDIDATE_APPLICATIONS_SHOWN = 50
STAGE_HISTORY_SHOWN = 50


def _web_links(candidate: Candidate) -> list[tuple[str, bool]]:
    """Each link with whether it is safe to make clickable (only http and https)."""
    return [
        (link, link.lower().startswith(("https://", "http://"))) for link in candidate.link_list
    ]


# --- Candidates ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def candidate_add(request: AuthedRequest, job_pk: int) -> HttpResponse:
    """Add a candidate to a job; an email already on file reuses (merges into) that person."""
    job = job_get(user=request.user, pk=job_pk)
    if not job_can_manage(user=request.user, job=job):
        raise PermissionDenied("Only the job's recruiter or coordinator adds candidates.")
    ended = job_ended_refusal(job=job, to_do="add candidates to it")
    if ended:  # said before the form is filled in, not after
        messages.error(request, ended)
        return redirect("jobs:job-detail", pk=job.pk)
    form = (
        CandidateAddForm(request.POST, request.FILES)
        if request.method == "POST"
        else CandidateAddForm()
    )
    existing = None
    same_name: list[Application] = []
    same_name_elsewhere: list[Candidate] = []
    if request.method == "POST" and form.is_valid():
        try:
            # Once per form, however often it is sent (a retry, Back then Send).
            added = submit_once(
                request,
                request.user,
                lambda: services.candidate_add(
                    job=job,
                    by=request.user,
                    data=form.candidate_data(),
                    resume=form.cleaned_data["resume"],
                    same_name_ok=form.cleaned_data["add_anyway"],
                ),
                lambda added: reverse("pipeline:application-detail", args=[added.application.pk]),
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "same_name":
                # Named above the form with each one's email and stage, and the confirmation.
                name, email = form.cleaned_data["full_name"], form.cleaned_data.get("email", "")
                same_name = applications_same_name(job=job, full_name=name, email=email)
                same_name_elsewhere = candidates_same_name_elsewhere(
                    user=request.user, job=job, full_name=name, email=email
                )
            else:
                add_service_errors(form, error)
            existing = application_in_job(job=job, email=form.cleaned_data.get("email", ""))
        else:
            if isinstance(added, SentBefore):
                messages.info(request, "This candidate was added already; here they are.")
                return redirect(added.url or reverse("jobs:job-detail", args=[job.pk]))
            assert added is not None  # candidate_add adds or raises
            _announce_added(request, added, resume=form.cleaned_data["resume"] is not None)
            return redirect("pipeline:application-detail", pk=added.application.pk)
    context = {
        "job": job,
        "form": form,
        "existing": existing,
        "same_name": same_name,
        "same_name_elsewhere": same_name_elsewhere,
        "nav": "jobs",
    }
    refused = form.errors or same_name
    return render(request, "pipeline/candidate_add.html", context, status=400 if refused else 200)


def _resume_kept(candidate: Candidate, uploaded: bool, *, replaced: bool = False) -> str:
    """Say which name an uploaded résumé is kept under (paths and odd characters are dropped),
    and that it replaced the one on file, if any ("kept as" read as if the old one stayed)."""
    if not uploaded:
        return ""
    if replaced:
        return f" Résumé replaced: now “{candidate.resume_filename}”."
    return f" Résumé kept as “{candidate.resume_filename}”."


def _announce_added(request: HttpRequest, added: services.CandidateAdded, resume: bool) -> None:
    candidate = added.application.candidate
    kept = _resume_kept(candidate, resume and not added.resume_kept)
    if added.resume_kept:
        kept = (
            f" The résumé on file (“{added.resume_kept}”) was kept, not the one uploaded: "
            "replace it from their details if it is newer."
        )
    if added.merged:
        renamed = (
            f" The record keeps the name {candidate.full_name}, not “{added.name_typed}” as "
            "typed: edit their details to change it."
            if added.name_typed
            else ""
        )
        messages.info(
            request,
            f"Matched existing candidate {candidate.full_name} by email; added to this job. "
            f"Details already on file were kept and empty ones filled in.{renamed}{kept}",
        )
    else:
        messages.success(
            request, f"Added {candidate.full_name} to {added.application.job.title}.{kept}"
        )


@login_required
@require_GET
def candidate_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A candidate: their details, the applications the viewer may see and the timeline."""
    candidate = candidate_get(user=request.user, pk=pk)
    timeline = timeline_page(
        candidate_timeline(user=request.user, candidate=candidate),
        before=request.GET.get("before"),
    )
    applications = candidate_applications_shown(
        user=request.user, candidate=candidate, limit=CANDIDATE_APPLICATIONS_SHOWN
    )
    waiting = candidate_waiting_by_application(applications=applications.rows)
    for application in applications.rows:
        application.candidate_waiting = waiting.get(application.pk, "")  # type: ignore[attr-defined]  # for the template
    context = {
        "candidate": candidate,
        "links": _web_links(candidate),
        "applications": applications,
        "timeline": timeline,
        "on_team": candidate_on_team(user=request.user, candidate=candidate),
        "pay_visible": candidate_pay_visible(user=request.user, candidate=candidate),
        "can_edit": candidate_can_edit(user=request.user, candidate=candidate),
        # Admins: erase, export, and the record of who downloaded the résumé or exported.
        "privacy": privacy_allowed(request.user),
        "accesses": candidate_accesses(user=request.user, candidate=candidate),
        "tags": candidate_tags(candidate=candidate),
        "nav": "jobs",
    }
    return render(request, "pipeline/candidate_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit a candidate; an address that belongs to another record offers to merge the two."""
    candidate = _candidate_for_edit(request, pk)
    if request.method == "POST" and "into" in request.POST:
        return _candidate_merge(request, candidate)
    if request.method == "POST":
        form = CandidateForm(request.POST, request.FILES)
    else:
        form = _candidate_form(candidate)
    clash = None
    saved_since = None
    if request.method == "POST" and form.is_valid():
        had_resume = bool(candidate.resume)
        try:
            services.candidate_update(
                candidate=candidate,
                by=request.user,
                data=form.candidate_data(),
                resume=form.cleaned_data["resume"],
                seen=form.cleaned_data["seen"],
            )
        except SavedSince as stale:
            # Someone saved since this page was opened: the page as it is now, what was
            # typed kept (a chosen file cannot be: it is chosen again).
            candidate = _candidate_for_edit(request, pk)
            data, saved_since = seen_kept(
                form,
                stale,
                now=_candidate_form(candidate),
                seen=services.candidate_edit_seen(candidate),
            )
            form = CandidateForm(data)
            form.is_valid()
            add_service_errors(form, stale)
        except ValidationError as error:
            clash = _refused_update(request, form, candidate, error)
        else:
            uploaded = form.cleaned_data["resume"] is not None
            kept = _resume_kept(candidate, uploaded, replaced=had_resume)
            messages.success(request, f"Saved {candidate.full_name}'s details.{kept}")
            return redirect("pipeline:candidate-detail", pk=candidate.pk)
    return _candidate_edit_page(request, candidate, form, clash=clash, saved_since=saved_since)


def _candidate_edit_page(
    request: AuthedRequest,
    candidate: Candidate,
    form: CandidateForm,
    *,
    clash: Candidate | None = None,
    saved_since: Any = None,
    merge_form: MergeForm | None = None,
) -> HttpResponse:
    records = []
    if clash is not None:
        # Each record as stored (not as typed), so two of one name can be told apart.
        for record, label in ((candidate_get(user=request.user, pk=candidate.pk), "This record"),
                              (clash, f"{clash.full_name}’s record")):  # fmt: skip
            applications = candidate_applications(user=request.user, candidate=record)[:10]
            records.append({"label": label, "candidate": record, "applications": applications})
    context = {
        "candidate": candidate,
        "form": form,
        "clash": clash,
        "saved_since": saved_since,
        # What merging this record into the other does on the jobs both are on, or why not.
        "merge_plan": clash and candidates_merge_plan(keep=clash, duplicate=candidate),
        "merge_records": records,
        "merge_form": merge_form or (clash and MergeForm(initial={"into": clash.pk})),
        "nav": "jobs",
    }
    refused = form.errors or (merge_form is not None and merge_form.errors)
    return render(request, "pipeline/candidate_edit.html", context, status=400 if refused else 200)


def _candidate_for_edit(request: AuthedRequest, pk: int) -> Candidate:
    candidate = candidate_get(user=request.user, pk=pk)
    refusal = candidate_edit_refusal(user=request.user, candidate=candidate)
    if refusal:
        raise PermissionDenied(refusal)
    return candidate


def _candidate_initial(candidate: Candidate) -> dict[str, Any]:
    names = [name for name in CandidateForm.base_fields if name not in ("resume", "seen")]
    return {name: getattr(candidate, name) for name in names}


def _candidate_form(candidate: Candidate) -> CandidateForm:
    """The edit form as the page shows it, with the fingerprint of what it shows."""
    initial = _candidate_initial(candidate)
    return CandidateForm(initial={**initial, "seen": services.candidate_edit_seen(candidate)})


def _refused_update(
    request: AuthedRequest, form: CandidateForm, candidate: Candidate, error: ValidationError
) -> Candidate | None:
    """Show why the update was refused; return the clashing record when a merge is possible.

    The service names the other record holding the address; a user who cannot see that
    record learns only that the address is taken.
    """
    other = candidate_find_by_email(email=form.cleaned_data.get("email", ""))
    if other is None or other.pk == candidate.pk:
        add_service_errors(form, error)
        return None
    try:
        candidate_get(user=request.user, pk=other.pk)
    except Http404:
        form.add_error(
            "email", "Another candidate already has this address; an admin can merge the two."
        )
        return None
    # The notice above the form explains whether and how the two records can be merged.
    form.add_error("email", f"{other.full_name} already has this address.")
    return other if candidate_can_edit(user=request.user, candidate=other) else None


def _candidate_merge(request: AuthedRequest, candidate: Candidate) -> HttpResponse:
    """Fold the record being edited into the one that already holds the address."""
    form = MergeForm(request.POST)
    into = id_parse(form.fields["into"].widget.value_from_datadict(form.data, form.files, "into"))
    if into is None or (not form.is_valid() and form.has_error("into")):
        messages.error(request, "Choose which record to merge into.")
        return redirect("pipeline:candidate-edit", pk=candidate.pk)
    keep = candidate_get(user=request.user, pk=into)
    if not candidate_can_edit(user=request.user, candidate=keep):
        raise PermissionDenied("You cannot edit the record you chose to merge into.")
    if form.errors:  # not confirmed: the page again, the two records side by side
        edit_form = _candidate_form(candidate)
        edit_form.initial["email"] = keep.email
        return _candidate_edit_page(request, candidate, edit_form, clash=keep, merge_form=form)
    try:
        services.candidate_merge(keep=keep, duplicate=candidate, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("pipeline:candidate-edit", pk=candidate.pk)
    messages.success(
        request,
        f"Merged the duplicate into {keep.full_name}: applications, history, tags and comments "
        "moved over. "
        "Check the details below.",
    )
    return redirect("pipeline:candidate-detail", pk=keep.pk)


@login_required
@require_GET
def candidate_resume(request: AuthedRequest, pk: int) -> FileResponse:
    """The résumé as a download, only to people who may see the candidate."""
    candidate = candidate_get(user=request.user, pk=pk)
    if not candidate.resume:
        raise Http404("No résumé on file.")
    suffix = PurePath(candidate.resume.name or "").suffix.lower()
    if suffix not in CONTENT_TYPES:
        raise Http404("No résumé on file.")
    try:
        handle = candidate.resume.open("rb")
    except FileNotFoundError:
        raise Http404("The résumé file is missing.") from None
    fallback = f"resume{suffix}"
    name = safe_download_name(candidate.resume_filename or fallback, fallback)
    if not name.lower().endswith(suffix):
        name = f"{name}{suffix}"
    # The view record admins read on the candidate's page (README "Candidate privacy").
    candidate_access_record(candidate=candidate, by=request.user, kind=CandidateAccessKind.RESUME)
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES[suffix]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# --- The application page --------------------------------------------------------------------


@login_required
@require_GET
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A candidate on a job: where they are, whose move it is, the pitch, and what to do next."""
    application = application_get(user=request.user, pk=pk)
    return _render_application(request, application)


def _render_application(
    request: AuthedRequest,
    application: Application,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The application page; `bound` replaces blank forms with ones that carry errors."""
    user = request.user
    submission = submission_current(application=application)
    actions = application_actions(user=user, application=application, submission=submission)
    action_forms = _action_forms(application, submission, actions)
    questions = list(submission.questions.all()) if submission and actions.on_team else []
    for question in questions:
        key = f"answer-{question.pk}"
        # For the template: each question carries its own answer form.
        question.answer_form = (bound or {}).get(key) or AnswerForm(auto_id=f"{key}-%s")  # type: ignore[attr-defined]
    for form in (bound or {}).values():
        _explain_refusal(request, form)
    action_forms.update(bound or {})
    context = {
        "application": application,
        "job": application.job,
        "candidate": application.candidate,
        "links": _web_links(application.candidate),
        "submission": submission,
        "review_blind": (blind := application_review_blind(user=user, application=application)),
        "pay_visible": application_review_open(
            user=user, application=application, on_team=actions.on_team
        ),
        "review_blind_words": REVIEW_BLIND,
        "must_haves": submission_must_haves(application=application, submission=submission),
        "questions": questions,
        "actions": actions,
        "forms": action_forms,
        # The form a refusal reopens, or the one a link asks for (a board card's "Submit").
        "open_form": next(iter(bound), "") if bound else _asked_form(request, actions),
        "history": _history_rows(application, blind=blind),
        "timeline": timeline_page(
            application_timeline(user=user, application=application),
            before=request.GET.get("before"),
        ),
        # While the move's owner is away, the candidate waits on their delegate.
        "covered_by": (covered_by := application_move_covered_by(application=application)),
        "submission_state": submission
        and submission_state(submission=submission, reader=user, covered_by=covered_by),
        "move_wait": application_move_wait(application=application),
        # The candidates before and after on the job's board: "j" / "k" and the links.
        "neighbours": application_neighbours(user=user, application=application),
        "nav": "jobs",
        **_followup_context(user, application, actions),
        **_tag_context(user, application.candidate),
    }
    return render(request, "pipeline/application_detail.html", context, status=status)


def _followup_context(
    user: Any, application: Application, actions: ApplicationActions
) -> dict[str, object]:
    """Open asks and the candidate waiting clock: the hiring team's view, and that of someone
    an escalation about the candidate reached."""
    if not (actions.on_team or application_escalated_to(user=user, application=application)):
        return {"asks": [], "candidate_waiting": ""}
    return {
        "asks": ask_rows(asks_for_application(application=application), reader=user),
        "candidate_waiting": candidate_waiting(application=application),
        "can_record_news": job_can_manage(user=user, job=application.job)
        and application.candidate.erased_at is None,
        "news_form": CandidateUpdatedForm(),
    }


def _tag_context(user: Any, candidate: Candidate) -> dict[str, object]:
    """The candidate's tags, and the form to add one for those who may tag."""
    can_tag = candidate_can_tag(user=user, candidate=candidate)
    return {
        "tags": candidate_tags(candidate=candidate),
        "can_tag": can_tag,
        "tag_form": TagAddForm() if can_tag else None,
    }


def _explain_refusal(request: HttpRequest, form: forms.Form) -> None:
    """Say at the top of the page that nothing changed, and why.

    A refusal often means the page was out of date (already decided, already closed), so the
    form that caused it may no longer be offered: problems that belong to no field are said
    up here; a field's own problem is shown beside the field only.
    """
    messages.error(request, refusal_message(form))


def _action_forms(
    application: Application, submission: Submission | None, actions: ApplicationActions
) -> dict[str, forms.Form]:
    """Blank forms for the actions the viewer may take (each with its own element ids)."""
    job = application.job
    current = {"submission": submission.pk} if submission else {}
    made: dict[str, Callable[[], forms.Form]] = {
        "submit": lambda: SubmitForm(job=job, auto_id="submit-%s"),
        "move": lambda: MoveForm(
            job=job, stages=application_move_stages(application=application), auto_id="move-%s"
        ),
        "reject": lambda: RejectForm(auto_id="reject-%s"),
        "withdraw": lambda: WithdrawForm(auto_id="withdraw-%s"),
        "reopen": lambda: ReopenForm(auto_id="reopen-%s"),
    }
    result = {key: build() for key, build in made.items() if getattr(actions, key)}
    if actions.decide:
        result["decide"] = DecideForm(
            initial=current, auto_id="decide-%s", job=job, submission=submission
        )
        result["question"] = QuestionForm(initial=current, auto_id="question-%s")
    return result


def _history_rows(application: Application, *, blind: bool) -> Shown[StageChange]:
    """The latest stage changes, with closing reasons shown by their label, not their code.
    `blind`: an interviewer whose scorecard is not in reads no reason (a move's reason is the
    hiring manager's decision note, or why the candidate was turned down)."""
    labels = {
        **dict(WithdrawalReason.choices),
        **dict(RejectionReason.choices),
        JOB_CLOSED_REASON: JOB_CLOSED_LABEL,
    }
    history = application_stage_history(application=application, limit=STAGE_HISTORY_SHOWN)
    for change in history.rows:
        if blind:
            change.reason_display = ""  # type: ignore[attr-defined]
            continue
        code, _, note = change.reason.partition(": ")
        closing = change.to_status in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
        label = labels.get(code) if closing else None
        # For the template, beside the stored code.
        change.reason_display = f"{label}: {note}" if label and note else label or change.reason  # type: ignore[attr-defined]
    return history


def _act(
    request: AuthedRequest,
    application: Application,
    key: str,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """Run one action: on success redirect with its message, else show the page again.

    `perform` calls the service and returns the success message. A refusal changes nothing
    (each service runs in one transaction) and is shown beside the form that caused it.
    """
    if form.is_valid():
        try:
            message = perform(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error) or "You cannot do that here.")
            fresh = application_get(user=request.user, pk=application.pk)
            return _render_application(request, fresh, status=403)
        else:
            messages.success(request, message)
            return _after_acting(request, application)
    fresh = application_get(user=request.user, pk=application.pk)
    return _render_application(request, fresh, bound={key: form}, status=400)


def _after_acting(request: AuthedRequest, application: Application) -> HttpResponse:
    """Back to the application, or to the queue for someone whose access ended with what
    they just did (a delegate's decision closed the ask that let her in)."""
    if application_can_read(user=request.user, pk=application.pk):
        return redirect("pipeline:application-detail", pk=application.pk)
    return redirect("pipeline:queue")


@login_required
@require_POST
def application_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Submit the candidate to the hiring manager with a pitch."""
    application = application_get(user=request.user, pk=pk)
    form = SubmitForm(request.POST, job=application.job, auto_id="submit-%s")

    def perform(data: dict[str, Any]) -> str:
        submission = services.application_submit(
            application=application,
            by=request.user,
            pitch=data["pitch"],
            must_haves_met=data["must_haves_met"],
        )
        # Whoever really holds the review: a delegate, or an absent HM escalated at once.
        sent = ask_handed_to(
            kind="review_submission",
            subject=services.submission_subject(submission),
            owner=application.job.hiring_manager,
        )
        return f"Submitted {application.candidate.full_name} {sent}."

    return _act(request, application, "submit", form, perform)


@login_required
@require_http_methods(["GET", "POST"])
def application_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move the candidate to another stage of the job. GET is a board card's move form."""
    application = application_get(user=request.user, pk=pk)
    if request.method == "GET":
        return _card_move_form(request, application)
    form = MoveForm(request.POST, job=application.job, auto_id="move-%s")

    def perform(data: dict[str, Any]) -> str:
        services.application_move(
            application=application,
            by=request.user,
            to_stage=data["to_stage"],
            reason=data["reason"],
        )
        moved, stage = [application], data["to_stage"]
        # What the move means to the apps above (who decides after the debrief it opened, the
        # interviews still to come it left booked).
        said = move_words(applications=moved, to_stage=stage, reader=request.user)
        return " ".join([f"Moved {application.candidate.full_name} to {stage.name}.", *said])

    if request.POST.get("from") == "board":  # a card's move form, or a card dragged
        return _act_from_board(request, application, form, perform)
    return _act(request, application, "move", form, perform)


def _asked_form(request: AuthedRequest, actions: ApplicationActions) -> str:
    """`?open=submit` opens the submit form, when it is the user's to use."""
    return "submit" if request.GET.get("open") == "submit" and actions.submit else ""


def _card_move_form(request: AuthedRequest, application: Application) -> HttpResponse:
    """A board card's move form, fetched (htmx) when the card's Move opens: each card carries
    only the button, as a form listing every stage on each card made a big job's board
    several times larger. Opened without JavaScript, it is a small page of its own."""
    if not job_can_move_candidates(user=request.user, job=application.job):
        raise PermissionDenied("Only the job's hiring team moves its candidates.")
    stages = list(application_move_stages(application=application))
    context = {
        "card": application,
        "stages": stages,
        # The next stage a move may reach is chosen (past Submitted, which a submission enters).
        "chosen": next((s for s in stages if s.position > application.stage.position), None),
        "active": application.is_active,
        # The Submitted stage is entered by a submission: its form, when the user may submit.
        "submit": application_actions(
            user=request.user,
            application=application,
            submission=submission_current(application=application),
        ).submit,
    }
    if request.htmx:
        return render(request, "pipeline/_card_move_form.html", context)
    return render(request, "pipeline/application_move.html", {**context, "nav": "jobs"})


def _act_from_board(
    request: AuthedRequest,
    application: Application,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """Run a board card's action and go back to the board, its outcome said there (the
    board shows the messages of an htmx swap itself). The way back is always the job's page:
    the form names where it comes from, never an address to follow."""
    if not form.is_valid():
        problems = [str(problem) for errors in form.errors.values() for problem in errors]
        messages.error(request, " ".join(["Nothing was changed.", *problems]))
    else:
        try:
            messages.success(request, perform(form.cleaned_data))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, f"Nothing was changed. {refusal_words(error)}")
    return redirect("jobs:job-detail", pk=application.job_id)


@login_required
@require_POST
def application_reject(request: AuthedRequest, pk: int) -> HttpResponse:
    """Close the application as rejected, with a structured reason."""
    application = application_get(user=request.user, pk=pk)
    form = RejectForm(request.POST, auto_id="reject-%s")

    def perform(data: dict[str, Any]) -> str:
        services.application_reject(
            application=application, by=request.user, reason=data["reason"], note=data["note"]
        )
        return f"Rejected {application.candidate.full_name}."

    return _act(request, application, "reject", form, perform)


@login_required
@require_POST
def application_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record that the candidate withdrew from this job."""
    application = application_get(user=request.user, pk=pk)
    form = WithdrawForm(request.POST, auto_id="withdraw-%s")

    def perform(data: dict[str, Any]) -> str:
        services.application_withdraw(
            application=application, by=request.user, reason=data["reason"], note=data["note"]
        )
        return f"Recorded that {application.candidate.full_name} withdrew."

    return _act(request, application, "withdraw", form, perform)


@login_required
@require_POST
def application_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    """Bring a rejected or withdrawn application back into its stage."""
    application = application_get(user=request.user, pk=pk)
    form = ReopenForm(request.POST, auto_id="reopen-%s")

    def perform(data: dict[str, Any]) -> str:
        reopened = services.application_reopen(
            application=application, by=request.user, reason=data["reason"]
        )
        return f"Reopened {reopened.candidate.full_name} in {reopened.stage.name}."

    return _act(request, application, "reopen", form, perform)


def _current_submission(application: Application, submission_pk: int) -> Submission:
    """The submission the form was about, refusing a stale page (a newer submission exists)."""
    current = submission_current(application=application)
    if current is None:
        raise ValidationError("This candidate has not been submitted; there is nothing to decide.")
    if current.pk != submission_pk:
        raise ValidationError(
            "The submission changed since this page was loaded; nothing was changed. "
            "Read the new pitch and decide again."
        )
    return current


@login_required
@require_POST
def submission_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """The hiring manager advances the candidate, or passes with a reason."""
    application = application_get(user=request.user, pk=pk)
    key = "decide"
    form = DecideForm(
        request.POST,
        auto_id="decide-%s",
        job=application.job,
        submission=submission_current(application=application),
    )

    def perform(data: dict[str, Any]) -> str:
        services.submission_answer(
            submission=_current_submission(application, data["submission"]),
            by=request.user,
            decision=data["decision"],
            reason=data["reason"],
            note=data["note"],
            calibration=form.calibration(),
            citation=form.citation(),
        )
        name = application.candidate.full_name
        return f"Advanced {name}." if data["decision"] == "advanced" else f"Passed on {name}."

    return _act(request, application, key, form, perform)


@login_required
@require_POST
def submission_question(request: AuthedRequest, pk: int) -> HttpResponse:
    """The hiring manager asks the recruiter about the submission before deciding."""
    application = application_get(user=request.user, pk=pk)
    form = QuestionForm(request.POST, auto_id="question-%s")

    def perform(data: dict[str, Any]) -> str:
        submission = _current_submission(application, data["submission"])
        services.submission_ask_question(submission=submission, by=request.user, text=data["text"])
        return f"Asked {application.job.recruiter}; it is their move until they answer."

    return _act(request, application, "question", form, perform)


@login_required
@require_POST
def question_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    """The recruiter answers the hiring manager's question."""
    question = question_get(user=request.user, pk=pk)
    application = application_get(user=request.user, pk=question.submission.application_id)
    key = f"answer-{question.pk}"
    form = AnswerForm(request.POST, auto_id=f"{key}-%s")

    def perform(data: dict[str, Any]) -> str:
        services.question_answer(question=question, by=request.user, answer=data["answer"])
        return f"Answered; the decision is {application.job.hiring_manager}'s move again."

    return _act(request, application, key, form, perform)


@login_required
@require_POST
def candidate_updated(request: AuthedRequest, pk: int) -> HttpResponse:
    """The recruiter records that the candidate has had news: the waiting clock restarts."""
    application = application_get(user=request.user, pk=pk)
    form = CandidateUpdatedForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_updated(
                application=application, by=request.user, note=form.cleaned_data["note"]
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Recorded: {application.candidate.full_name} is up to date.")
    return redirect("pipeline:application-detail", pk=application.pk)
