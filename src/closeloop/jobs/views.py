"""Job pages: the jobs list, the job page (board and list), the job form and the stage editor.

Views stay thin: selectors decide what a person may see (a job they cannot see answers 404),
services decide what they may change. A person who can see a job but not run it gets a
403 page that says why; a service's ValidationError becomes a message and changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.people_fields import people_box_read
from closeloop.activity.receipts import SentBefore, submit_once
from closeloop.followups.policies import job_kinds, service_levels_in_force
from closeloop.jobs import services
from closeloop.jobs.forms import JobForm, StageForm, StageMoveForm
from closeloop.jobs.models import JobStatus
from closeloop.jobs.selectors import (
    JOB_PEOPLE_SUGGESTED,
    job_agreement_in_force,
    job_can_create,
    job_can_manage,
    job_get,
    job_list_page,
    job_people_suggest_allowed,
    job_role_people_suggest,
    job_status_since,
    stage_get,
    stage_list_with_counts,
)
from closeloop.lib.pages import page_query
from closeloop.lib.seen import SavedSince, SavedValue, seen_kept

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job, Stage

# A page of the jobs list: an admin of a large organisation sees 1,000 jobs a page at a time.
JOBS_PER_PAGE = 50

MANAGE_DENIED = "Only the job's recruiter, its coordinator or an admin can change this job."


def _require_manage(request: AuthedRequest, job: Job) -> None:
    if not job_can_manage(user=request.user, job=job):
        raise PermissionDenied(MANAGE_DENIED)


def _service_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Jobs list -----------------------------------------------------------------------------


@login_required
@require_GET
def job_list(request: AuthedRequest) -> HttpResponse:
    """The jobs the user may see, filtered by status, with what waits in each."""
    status = request.GET.get("status", "")
    if status not in JobStatus.values:
        status = ""
    listing = job_list_page(
        user=request.user,
        status=status or None,
        number=request.GET.get("page"),
        per_page=JOBS_PER_PAGE,
    )
    counts, page = listing.counts, listing.page
    jobs = list(page.object_list)
    tabs = [("", "All", sum(counts.values()))]
    tabs += [(value, label, counts[value]) for value, label in JobStatus.choices]
    context = {
        "nav": "jobs",
        "jobs": jobs,
        # Where a job names someone deactivated, these link to naming someone else.
        "manageable": {job.pk for job in jobs if job_can_manage(user=request.user, job=job)},
        "page": page,
        "page_query": page_query({"status": status}),
        "status": status,
        "status_label": JobStatus(status).label if status else "",
        "tabs": tabs,
        "total": sum(counts.values()),
        "can_create": job_can_create(user=request.user),
        "stale_after_days": settings.STALE_AFTER_DAYS,
    }
    return render(request, "jobs/job_list.html", context)


# --- Job form ------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    form: JobForm,
    job: Job | None,
    status: int = 200,
    saved_since: list[SavedValue] | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "nav": "jobs", "form": form, "job": job, "saved_since": saved_since,
    }  # fmt: skip
    if job is not None and form.agreement is not None:
        # Owned by the agreement in force: shown read-only beside its must-haves.
        context["service_levels"] = service_levels_in_force(job=job, kinds=job_kinds())
    return render(request, "jobs/job_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def job_create(request: AuthedRequest) -> HttpResponse:
    """Open a new job; it starts with the default stage plan."""
    if not job_can_create(user=request.user):
        raise PermissionDenied("Only recruiters and admins open jobs.")
    if request.method != "POST":
        initial = {"recruiter": request.user.pk} if request.user.is_recruiter else {}
        return _form_page(request, JobForm(initial=initial), None)
    form = JobForm(request.POST)
    if form.is_valid():
        try:
            job = submit_once(
                request,
                request.user,
                lambda: services.job_create(
                    by=request.user,
                    data=form.job_data(),
                    interviewers=list(form.cleaned_data["interviewers"]),
                ),
                lambda job: reverse("jobs:job-detail", args=[job.pk]),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if isinstance(job, SentBefore):
                messages.info(request, "This job was opened already; here it is.")
                return redirect(job.url or reverse("jobs:job-list"))
            assert job is not None  # job_create creates or raises
            messages.success(request, f"{job.title} is set up with the default stages.")
            return redirect("jobs:job-detail", pk=job.pk)
    return _form_page(request, form, None, status=400)


def _edit_form(job: Job, reader: User) -> JobForm:
    """The job form as the edit page shows it to `reader`, with the fingerprint of what it
    shows."""
    return JobForm(instance=job, initial={"seen": services.job_edit_seen(job)}, reader=reader)


@login_required
@require_http_methods(["GET", "POST"])
def job_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change a job's details, status or hiring team."""
    job = job_get(user=request.user, pk=pk)
    _require_manage(request, job)
    if request.method != "POST":
        return _form_page(request, _edit_form(job, request.user), job)
    form = JobForm(request.POST, instance=job, reader=request.user)
    if form.is_valid():
        try:
            services.job_update(
                job=job,
                by=request.user,
                data=form.job_data(),
                interviewers=list(form.cleaned_data["interviewers"]),
                seen=form.cleaned_data["seen"],
                ending_confirmed=form.ending_answer(),
            )
        except SavedSince as stale:
            # Someone saved since this page was opened: the page as it is now, what was
            # typed kept (docs/architecture.md#where-rules-live).
            now = job_get(user=request.user, pk=pk)
            seen = services.job_edit_seen(now)
            data, rows = seen_kept(form, stale, now=_edit_form(now, request.user), seen=seen)
            kept = JobForm(data, instance=now, reader=request.user)
            kept.is_valid()
            kept.add_service_error(stale)
            return _form_page(request, kept, now, status=400, saved_since=rows)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            ended = job.status in services.ENDED and form.ending_answer()
            done = " ".join(effect.done for effect in form.ending_effects) if ended else ""
            messages.success(request, f"Saved {job.title}. {done}".strip())
            return redirect("jobs:job-detail", pk=job.pk)
    # The service may have touched the in-memory job before refusing: show the stored one.
    return _form_page(request, form, job_get(user=request.user, pk=pk), status=400)


@login_required
@require_GET
def people_suggest(request: AuthedRequest) -> HttpResponse:
    """The people who may hold one of a job's roles whose name or email holds what was typed
    in its field (`?role=hiring_manager&hiring_manager=han`): the options a big
    organisation's job form offers as one types."""
    if not job_people_suggest_allowed(user=request.user):
        raise PermissionDenied("Only people who open or edit jobs are offered names here.")
    role = request.GET.get("role", "")
    if role not in JOB_PEOPLE_SUGGESTED:
        raise Http404("No such role.")
    if role != "interviewers":
        people = job_role_people_suggest(role=role, words=request.GET.get(role, ""))
        return render(request, "people/_options.html", {"people": people, "kept": ""})
    # Several interviewers to a box: suggest for the last one typed, keeping the others.
    kept, words, chosen = people_box_read(request.GET.getlist(role))
    people = job_role_people_suggest(role=role, words=words, chosen=chosen)
    return render(request, "people/_options.html", {"people": people, "kept": kept})


# --- Job page ------------------------------------------------------------------------------


@login_required
@require_GET
def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The job page: its team, must-haves and service levels, and the panels of the apps
    above jobs (the pipeline's board or list, the intake, interviews, touch-bases)."""
    job = job_get(user=request.user, pk=pk)
    context: dict[str, Any] = {
        "nav": "jobs",
        "job": job,
        "can_manage": job_can_manage(user=request.user, job=job),
        "status_since": job_status_since(job=job),
        "interviewers": list(job.interviewers.all()),
        "service_levels": service_levels_in_force(job=job, kinds=job_kinds()),
        # A job's own levels are "agreed" only while a signed intake is in force; before
        # that they were set on the job form.
        "agreement": job_agreement_in_force(job=job),
        # The list's actions come back to the list (#pipeline, far down on a phone): their
        # outcome is said there, above the list, rather than at the top of the page.
        "messages_in_pipeline": request.GET.get("view") == "list",
    }
    # The pipeline fills its panels itself (pipeline_panels: who it waits on, the board).
    return render(request, "jobs/job_detail.html", context)


# --- Stage editor --------------------------------------------------------------------------


def _stages_page(
    request: HttpRequest,
    job: Job,
    add_form: StageForm | None = None,
    bound: StageForm | None = None,
    bound_pk: int | None = None,
    status: int = 200,
    saved_since: list[SavedValue] | None = None,
) -> HttpResponse:
    """The stage editor; a form that failed is shown bound, with its errors, in its row (and
    what was saved since, after a save from a page out of date: above the plan when no row
    is bound)."""
    stages = stage_list_with_counts(job=job)
    rows = []
    for stage in stages:
        form = bound if stage.pk == bound_pk else None
        if form is None:
            form = _stage_form(stage)
        rows.append((stage, form))
    context = {
        "nav": "jobs",
        "job": job,
        "rows": rows,
        "plan_seen": services.stage_plan_seen(stages),
        "saved_since": saved_since,
        "saved_since_pk": bound_pk if saved_since else None,
        "add_form": add_form or StageForm(prefix="add", initial={"move_owner": "recruiter"}),
    }
    return render(request, "jobs/job_stages.html", context, status=status)


def _stage_form(stage: Stage) -> StageForm:
    """A stage's row as the editor shows it, with the fingerprint of what it shows."""
    initial = {
        "name": stage.name,
        "move_owner": stage.move_owner,
        "seen": services.stage_edit_seen(stage),
    }
    return StageForm(prefix=f"stage-{stage.pk}", initial=initial)


def _stages_url(job: Job, stage: Stage | None = None) -> str:
    url = reverse("jobs:job-stages", kwargs={"pk": job.pk})
    return f"{url}#stage-{stage.pk}" if stage else url


@login_required
@require_http_methods(["GET", "POST"])
def job_stages(request: AuthedRequest, pk: int) -> HttpResponse:
    """The stage plan of a job; a POST here adds a stage (before Hired)."""
    job = job_get(user=request.user, pk=pk)
    _require_manage(request, job)
    if request.method != "POST":
        return _stages_page(request, job)
    form = StageForm(request.POST, prefix="add")
    if form.is_valid():
        try:
            stage = services.stage_add(
                job=job,
                by=request.user,
                name=form.cleaned_data["name"],
                move_owner=form.cleaned_data["move_owner"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Added the stage {stage.name}.")
            return redirect(_stages_url(job, stage))
    return _stages_page(request, job, add_form=form, status=400)


def _managed_stage(request: AuthedRequest, pk: int) -> Stage:
    stage = stage_get(user=request.user, pk=pk)
    _require_manage(request, stage.job)
    return stage


@login_required
@require_POST
def stage_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Rename a stage or change whose move it is."""
    stage = _managed_stage(request, pk)
    form = StageForm(request.POST, prefix=f"stage-{stage.pk}")
    if form.is_valid():
        try:
            services.stage_update(
                stage=stage,
                by=request.user,
                name=form.cleaned_data["name"],
                move_owner=form.cleaned_data["move_owner"],
                seen=form.cleaned_data["seen"],
            )
        except SavedSince as stale:
            # Someone saved this stage since the page was opened: its row as it is now,
            # what was typed kept (docs/architecture.md#where-rules-live).
            now = _managed_stage(request, pk)
            seen = services.stage_edit_seen(now)
            data, rows = seen_kept(form, stale, now=_stage_form(now), seen=seen)
            kept = StageForm(data, prefix=f"stage-{now.pk}")
            kept.is_valid()
            kept.add_service_error(stale)
            return _stages_page(
                request, now.job, bound=kept, bound_pk=now.pk, status=400, saved_since=rows
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Saved the stage {stage.name}.")
            return redirect(_stages_url(stage.job, stage))
    return _stages_page(request, stage.job, bound=form, bound_pk=stage.pk, status=400)


@login_required
@require_POST
def stage_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move a stage one place up or down in the plan."""
    stage = _managed_stage(request, pk)
    form = StageMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to move the stage up or down.")
        return redirect(_stages_url(stage.job, stage))
    try:
        services.stage_move(
            stage=stage, by=request.user, direction=form.step, seen=form.cleaned_data["seen"]
        )
    except SavedSince as stale:
        # The plan changed since the page was opened: the plan as it is now, and how.
        messages.error(request, _service_message(stale))
        return _stages_page(request, stage.job, status=400, saved_since=list(stale.rows))
    except ValidationError as error:
        messages.error(request, _service_message(error))
    else:
        where = "up" if form.step < 0 else "down"
        messages.success(request, f"Moved {stage.name} {where}.")
    return redirect(_stages_url(stage.job, stage))


@login_required
@require_POST
def stage_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove an empty stage; stages with candidates, Submitted and Hired are refused."""
    stage = _managed_stage(request, pk)
    try:
        services.stage_remove(stage=stage, by=request.user)
    except ValidationError as error:
        messages.error(request, _service_message(error))
        return redirect(_stages_url(stage.job, stage))
    messages.success(request, f"Removed the stage {stage.name}.")
    return redirect(_stages_url(stage.job))
