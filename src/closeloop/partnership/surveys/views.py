"""Survey, check-in and history pages. Thin: selectors decide what a person sees (404 for
anything else), services what they may change; a refusal is a message and changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from closeloop.lib.forms import refusal_words
from closeloop.lib.pages import page_get
from closeloop.partnership.surveys import selectors, services
from closeloop.partnership.surveys.forms import CheckinForm, SurveyAnswerForm

if TYPE_CHECKING:
    from django.forms import Form
    from django.http import HttpResponse

    from closeloop.accounts.http import AuthedRequest

HISTORY_PER_PAGE = 20


def _service_error(form: Form, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return
    form.add_error(None, refusal_words(error))


@login_required
@require_http_methods(["GET", "POST"])
def survey_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A survey: answer (or change) your side until it is revealed; then both answers."""
    survey = selectors.survey_get(user=request.user, pk=pk)
    view = selectors.survey_view(survey=survey, user=request.user)
    initial: dict[str, Any] = {}
    if view.mine is not None:
        mine = view.mine
        initial = {"again": mine.again, "what_worked": mine.what_worked,
                   "what_to_change": mine.what_to_change}  # fmt: skip
    form = SurveyAnswerForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.survey_answer(survey=survey, by=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                _service_error(form, error)
            else:
                messages.success(request, "Thank you: your answer is saved.")
                return redirect("partnership:surveys-survey", pk=survey.pk)
        status = 400
    context = {"nav": "jobs", "view": view, "survey": survey, "form": form}
    return render(request, "partnership/surveys/survey.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def checkin_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A quality-of-hire check-in: the HM answers; the job's recruiter and admins read it."""
    checkin = selectors.checkin_get(user=request.user, pk=pk)
    initial = {"rating": checkin.rating, "hire_again": checkin.hire_again, "note": checkin.note}
    form = CheckinForm(request.POST or None, initial=initial if checkin.answered_at else {})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.checkin_answer(checkin=checkin, by=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                _service_error(form, error)
            else:
                messages.success(request, "Thank you: the check-in is saved.")
                return redirect("partnership:surveys-checkin", pk=checkin.pk)
        status = 400
    can_answer = selectors.checkin_can_answer(user=request.user, checkin=checkin)
    context = {"nav": "jobs", "checkin": checkin, "form": form, "can_answer": can_answer}
    return render(request, "partnership/surveys/checkin.html", context, status=status)


@login_required
@require_GET
def job_history(request: AuthedRequest, pk: int) -> HttpResponse:
    """A job's end-of-search surveys and the check-ins on its hires."""
    job = selectors.history_job_get(user=request.user, pk=pk)
    checkins = page_get(
        selectors.checkins_for_job(job=job), request.GET.get("page"), per_page=HISTORY_PER_PAGE
    )
    context = {
        "nav": "jobs",
        "job": job,
        "surveys": selectors.surveys_for_job(user=request.user, job=job),
        "checkins": checkins,
        "checkins_none": selectors.checkins_none_words(job=job),
    }
    return render(request, "partnership/surveys/job_history.html", context)


@login_required
@require_GET
def person_history(request: AuthedRequest, pk: int) -> HttpResponse:
    """A person's searches, a list at a time (surveys, or check-ins with `?list=checkins`):
    the surveys they took part in and the check-ins on their hires, as far as the viewer may
    read them."""
    person = selectors.history_person_get(viewer=request.user, pk=pk)
    showing = "checkins" if request.GET.get("list") == "checkins" else "surveys"
    number = request.GET.get("page")
    context: dict[str, Any] = {"nav": "jobs", "person": person, "showing": showing}
    if showing == "checkins":
        rows = selectors.history_person_checkins(viewer=request.user, person=person)
        context["page"] = page_get(rows, number, per_page=HISTORY_PER_PAGE)
        context["query"] = "list=checkins"
    else:
        rows_s = selectors.history_person_surveys(viewer=request.user, person=person)
        page = page_get(rows_s, number, per_page=HISTORY_PER_PAGE)
        context["page"] = page
        context["surveys"] = selectors.survey_views(
            surveys=list(page.object_list), user=request.user
        )
    return render(request, "partnership/surveys/person_history.html", context)
