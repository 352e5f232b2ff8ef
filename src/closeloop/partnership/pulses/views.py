"""Pulse pages: a job's rounds and trend, answering a round, a person's received scores.

Thin: selectors fetch (404 for anyone not allowed), services write and refuse with words.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from closeloop.accounts.http import AuthedRequest
from closeloop.lib.forms import add_service_errors, refusal_message
from closeloop.lib.pages import page_get
from closeloop.partnership.pulses.charts import pulse_trend_uri
from closeloop.partnership.pulses.forms import NAMES, PulseAnswerForm
from closeloop.partnership.pulses.models import QUESTIONS, PulseRound
from closeloop.partnership.pulses.selectors import (
    pulse_answer_of,
    pulse_job_get,
    pulse_open_for,
    pulse_person_can_read,
    pulse_person_get,
    pulse_round_get,
    pulse_round_view,
    pulse_round_views,
    pulse_rounds_for_job,
    pulse_rows_linked,
    pulse_scores_for_person,
    pulse_trend,
)
from closeloop.partnership.pulses.services import pulse_answer_refusal, pulse_answer_save

ROUNDS_PER_PAGE = 10


@login_required
@require_GET
def pulse_job(request: AuthedRequest, pk: int) -> HttpResponse:
    """A job's pulse: each round (blind until revealed), the trend, what I still owe."""
    job = pulse_job_get(user=request.user, pk=pk)
    page = page_get(
        pulse_rounds_for_job(user=request.user, job=job),
        request.GET.get("page"),
        per_page=ROUNDS_PER_PAGE,
    )
    trend = pulse_trend(user=request.user, job=job)
    context = {
        "job": job,
        "page": page,
        "rounds": pulse_round_views(user=request.user, rounds=page.object_list),
        "trend": trend,
        "trend_rows": [
            (row, list(zip(trend.rounds, row.scores, strict=True))) for row in trend.rows
        ],
        "chart": pulse_trend_uri(trend),
        "mine": pulse_open_for(user=request.user, job=job),
        # Each side's received scores, linked only where this reader may open them.
        "received": [
            (person, pulse_person_can_read(user=request.user, person_id=person.pk))
            for person in (job.recruiter, job.hiring_manager)
        ],
        "nav": "jobs",
    }
    return render(request, "partnership/pulses/job.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pulse_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Answer (or change) my side of a round; once revealed, the answer is shown, final.
    Its other readers (admins, the coordinator) read it as the job's pulse page shows it."""
    round_, side = pulse_round_get(user=request.user, pk=pk)
    if side is None:
        return _pulse_round_read(request, round_)
    current = pulse_answer_of(round_=round_, side=side)
    initial = (
        {"comment": current.comment, **dict(zip(NAMES, current.scores, strict=True))}
        if current
        else {}
    )
    form = PulseAnswerForm(request.POST or None, side=side, initial=initial)
    refusal = pulse_answer_refusal(round_, timezone.now())
    status = 200
    if request.method == "POST":
        if refusal is None and form.is_valid():
            try:
                pulse_answer_save(
                    round_=round_,
                    by=request.user,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            except (ValidationError, PermissionDenied) as error:
                if isinstance(error, PermissionDenied):
                    error = ValidationError(str(error))
                add_service_errors(form, error)
            else:
                messages.success(request, "Thank you: your pulse is saved.")
                return redirect("partnership:pulse-job", pk=round_.job_id)
        if refusal:
            messages.error(request, f"Nothing was changed. {refusal}")
        else:
            messages.error(request, refusal_message(form))
        status = 400
    about = round_.recruiter if side == "hiring_manager" else round_.hiring_manager
    context = {
        "pulse_round": round_,
        "job": round_.job,
        "side": side,
        "about": about,
        "form": form,
        "current": current,
        "refusal": refusal,
        # Both sides once revealed, each labelled ("You on Rita Recruiter", "Rita Recruiter
        # on you"); before, only the reader's own.
        "r": pulse_round_view(user=request.user, round_=round_),
        "questions": QUESTIONS[side],
        "nav": "jobs",
    }
    return render(request, "partnership/pulses/answer.html", context, status=status)


def _pulse_round_read(request: AuthedRequest, round_: PulseRound) -> HttpResponse:
    """The round's page for a reader who answers in it neither side: what the blindness
    rules let them see, and no form (a POST changes nothing and says why)."""
    status = 200
    if request.method == "POST":
        messages.error(
            request,
            f"Nothing was changed. Only {round_.hiring_manager.full_name} and "
            f"{round_.recruiter.full_name} answer this pulse.",
        )
        status = 403
    context = {
        "pulse_round": round_,
        "job": round_.job,
        "r": pulse_round_view(user=request.user, round_=round_),
        "nav": "jobs",
    }
    return render(request, "partnership/pulses/round.html", context, status=status)


@login_required
@require_GET
def pulse_person(request: AuthedRequest, pk: int) -> HttpResponse:
    """The scores a person received, over every job (themselves and admins only)."""
    person = pulse_person_get(user=request.user, pk=pk)
    rows = pulse_scores_for_person(person)[::-1]
    page = page_get(rows, request.GET.get("page"))
    context = {
        "person": person,
        "page": page,
        # Each row's job linked only where this reader may open its pulse page.
        "rows": pulse_rows_linked(user=request.user, rows=page.object_list),
        "nav": "jobs",
    }
    return render(request, "partnership/pulses/person.html", context)
