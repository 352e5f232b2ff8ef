"""Interview, briefing, scorecard and debrief pages.

Views stay thin: forms parse, selectors decide who may see what, services write. Every
change is a POST; a refusal (ValidationError, PermissionDenied) shows the page again with
the reason and changes nothing. A guessed id answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.models import User
from closeloop.accounts.selectors import person_for, user_zone
from closeloop.activity.receipts import SentBefore, submit_once
from closeloop.calendars.ics import calendar_text
from closeloop.interviews import services
from closeloop.interviews.calendar import debrief_event, interview_event
from closeloop.interviews.forms import (
    BookForm,
    CancelForm,
    DecideForm,
    InformedForm,
    MeetingForm,
    RescheduleForm,
    ScorecardForm,
    local_value,
)
from closeloop.interviews.models import Debrief, Interview
from closeloop.interviews.selectors import (
    RoundDefaults,
    briefing_scorecards,
    debrief_actions,
    debrief_can_decide,
    debrief_can_inform,
    debrief_can_read,
    debrief_decided_already,
    debrief_decision_known_to,
    debrief_default_attendees,
    debrief_default_participants,
    debrief_default_stage,
    debrief_get,
    debrief_hold_ask,
    debrief_recommendation_tally,
    debrief_sheet,
    debriefs_waiting_page,
    interview_actions,
    interview_can_book,
    interview_default_interviewers,
    interview_focus_attributes,
    interview_get,
    interview_is_on,
    interview_notes_from_round,
    interview_off_time,
    interview_round_defaults,
    interview_round_next,
    interview_rounds_planned,
    interviews_this_week_page,
    scorecard_mine,
    scorecard_submit_opens_note,
)
from closeloop.jobs.selectors import job_get, job_is_on_team
from closeloop.lib.folding import by_name
from closeloop.lib.forms import add_service_errors, refusal_message, refusal_words
from closeloop.lib.seen import SavedSince, SavedValue, seen_kept
from closeloop.lib.timefmt import absolute
from closeloop.pipeline.selectors import (
    application_get,
    application_move_covered_by,
    application_review_blind,
)

# --- helpers ---------------------------------------------------------------------------------


def _refused(request: HttpRequest, form: forms.Form) -> None:
    messages.error(request, refusal_message(form))


def _warn_off_hours(request: HttpRequest, interview: Interview) -> None:
    """Booked, but at a time someone on the panel does not work: said, not refused (a
    candidate in another zone may need it)."""
    said = interview_off_time(interview=interview, reader=request.user)  # type: ignore[arg-type]
    if said:
        words = " ".join(f"{sentence}." for sentence in said)
        messages.warning(request, f"{words} Reschedule if it does not suit them.")


def _try(form: forms.Form, perform: Any) -> Any:
    """Run a service; on a refusal put the reason on the form and return None (a save from
    a page out of date is the caller's to show: `SavedSince` goes on)."""
    try:
        return perform()
    except SavedSince:
        raise
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error) or "You may not do this.")
    return None


def _default_zone(request: HttpRequest) -> str:
    return getattr(request.user, "time_zone", "") or "UTC"


# --- Booking ---------------------------------------------------------------------------------


def _book_initial(request: HttpRequest, form_round: Any, application: Any) -> dict[str, Any]:
    zone = _default_zone(request)
    initial: dict[str, Any] = {"time_zone": zone}
    if form_round is not None:
        initial |= {
            "round": form_round.pk,
            "prefilled_from": form_round.pk,
            "duration_minutes": form_round.duration_minutes,
            "interviewers": interview_default_interviewers(round=form_round),
            "notes": interview_notes_from_round(round=form_round),
        }
    return initial


def _round_defaults_shown(defaults: RoundDefaults) -> dict[str, Any]:
    return {
        "minutes": defaults.duration_minutes,
        "interviewers": sorted(str(pk) for pk in defaults.interviewers),
        "notes": defaults.notes,
    }


@login_required
@require_http_methods(["GET", "POST"])
def interview_book(request: AuthedRequest, pk: int) -> HttpResponse:
    """Book an interview for an application (recruiter, coordinator, HM, admin)."""
    application = application_get(user=request.user, pk=pk)
    job = application.job
    if not interview_can_book(user=request.user, job=job):
        raise PermissionDenied("Only the job's hiring team books interviews.")
    chosen = interview_round_next(application=application, requested=request.GET.get("round"))
    if request.method == "POST":
        form = BookForm(request.POST, job=job, current_zone=_default_zone(request))
        if form.is_valid():
            interview = submit_once(
                request,
                request.user,
                lambda: _try(
                    form,
                    lambda: services.interview_book(
                        application=application,
                        by=request.user,
                        round=form.cleaned_data.get("round"),
                        round_name=form.cleaned_data.get("round_name", ""),
                        slot=form.slot(),
                    ),
                ),
                lambda booked: reverse("interviews:interview-detail", args=[booked.pk]),
            )
            if isinstance(interview, SentBefore):
                messages.info(request, "This interview was booked already; here it is.")
                return redirect(
                    interview.url or reverse("pipeline:application-detail", args=[application.pk])
                )
            if interview is not None:
                messages.success(
                    request,
                    f"Booked the {interview.round_label}; the panel has the invitation.",
                )
                _warn_off_hours(request, interview)
                return redirect("interviews:interview-detail", pk=interview.pk)
        _refused(request, form)
    else:
        form = BookForm(job=job, initial=_book_initial(request, chosen, application))
    context = {
        "application": application,
        "job": job,
        "candidate": application.candidate,
        "form": form,
        "rounds": (rounds := interview_rounds_planned(job=job)),
        # For the page's script: what each round prefills, so picking one in the list
        # brings its own (booking.js; the form applies the same rule when it is sent).
        "round_defaults": {
            str(item.pk): _round_defaults_shown(interview_round_defaults(round=item))
            for item in rounds
        },
        "chosen": chosen,
        "nav": "jobs",
    }
    return render(
        request, "interviews/interview_book.html", context, status=400 if form.errors else 200
    )


# --- The briefing page -----------------------------------------------------------------------


def _reschedule_form(interview: Interview, panel: list[Any]) -> RescheduleForm:
    """The reschedule form as the page shows it, with the fingerprint of what it shows."""
    zone = interview.time_zone
    return RescheduleForm(
        job=interview.application.job,
        initial={
            "starts_at": local_value(interview.starts_at, zone),
            "time_zone": zone,
            "duration_minutes": interview.duration_minutes,
            "interviewers": [p.pk for p in panel],
            "location": interview.location,
            "video_url": interview.video_url,
            "notes": interview.notes,
            "seen": services.interview_edit_seen(interview),
        },
    )


def _briefing(
    request: AuthedRequest,
    interview: Interview,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
    saved_since: list[SavedValue] | None = None,
) -> HttpResponse:
    user = request.user
    application = interview.application
    job = application.job
    attributes = interview_focus_attributes(interview)
    panel = list(interview.interviewers.order_by(*by_name("full_name"), "pk"))
    actions = interview_actions(interview=interview, user=user)
    mine = scorecard_mine(user=user, interview=interview) if actions.on_panel else None
    bound = bound or {}
    context = {
        "interview": interview,
        "application": application,
        "job": job,
        "candidate": application.candidate,
        "attributes": attributes,
        "panel": panel,
        "off_time": interview_off_time(interview=interview, reader=user),
        "on_panel": actions.on_panel,
        "mine": mine,
        "scorecard_form": bound.get("scorecard")
        or ScorecardForm(
            attributes=attributes, initial=ScorecardForm.initial_for(mine, attributes)
        ),
        "can_score": actions.score,
        "can_submit": actions.submit,
        "submit_opens": "" if actions.submit else scorecard_submit_opens_note(interview),
        "scorecards": briefing_scorecards(
            user=user, interview=interview, on_panel=actions.on_panel
        ),
        "can_book": actions.book,
        "reschedule_form": bound.get("reschedule") or _reschedule_form(interview, panel),
        "saved_since": saved_since,
        "cancel_form": bound.get("cancel")
        or CancelForm(initial={"seen": services.interview_edit_seen(interview)}),
        "open_form": next(iter(bound), ""),
        "nav": "jobs",
    }
    return render(request, "interviews/interview_detail.html", context, status=status)


@login_required
@require_GET
def job_interviews(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every interview of the job in the next seven days that the user may see, soonest
    first, a page at a time (the job page lists the first few)."""
    job = job_get(user=request.user, pk=pk)
    page = interviews_this_week_page(user=request.user, job=job, value=request.GET.get("page"))
    return render(
        request, "interviews/job_interviews.html", {"job": job, "page": page, "nav": "jobs"}
    )


@login_required
@require_GET
def job_debriefs(request: AuthedRequest, pk: int) -> HttpResponse:
    """The job's debriefs waiting for a decision, waiting longest first, a page at a time
    (the job page lists the first few). The hiring team's: others see none."""
    job = job_get(user=request.user, pk=pk)
    page = debriefs_waiting_page(user=request.user, job=job, value=request.GET.get("page"))
    on_team = job_is_on_team(user=request.user, job=job)
    context = {"job": job, "page": page, "on_team": on_team, "nav": "jobs"}
    return render(request, "interviews/job_debriefs.html", context)


@login_required
@require_GET
def interview_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The briefing: candidate, résumé, what the round probes, and the scorecard form."""
    return _briefing(request, interview_get(user=request.user, pk=pk))


@login_required
@require_POST
def interview_reschedule(request: AuthedRequest, pk: int) -> HttpResponse:
    interview = interview_get(user=request.user, pk=pk)
    if not interview_can_book(user=request.user, job=interview.application.job):
        raise PermissionDenied("Only the job's hiring team reschedules interviews.")
    form = RescheduleForm(
        request.POST, job=interview.application.job, current_zone=interview.time_zone
    )
    if form.is_valid():
        try:
            done = _try(
                form,
                lambda: services.interview_reschedule(
                    interview=interview,
                    by=request.user,
                    slot=form.slot(),
                    reason=form.cleaned_data.get("reason", ""),
                    seen=form.cleaned_data["seen"],
                ),
            )
        except SavedSince as stale:
            return _reschedule_kept(request, pk, form, stale)
        if done is not None:
            messages.success(request, "Interview updated; the panel has the new invitation.")
            _warn_off_hours(request, done)
            return redirect("interviews:interview-detail", pk=interview.pk)
    _refused(request, form)
    return _briefing(request, interview, bound={"reschedule": form}, status=400)


def _reschedule_kept(
    request: AuthedRequest, pk: int, form: RescheduleForm, stale: SavedSince
) -> HttpResponse:
    """The page as it is now after a change from a page out of date, what was typed kept
    (docs/architecture.md#where-rules-live)."""
    interview = interview_get(user=request.user, pk=pk)
    panel = list(interview.interviewers.order_by(*by_name("full_name"), "pk"))
    data, rows = seen_kept(
        form,
        stale,
        now=_reschedule_form(interview, panel),
        seen=services.interview_edit_seen(interview),
        typed=form.seen_values(),
    )
    kept = RescheduleForm(data, job=interview.application.job, current_zone=interview.time_zone)
    kept.is_valid()
    add_service_errors(kept, stale)
    messages.error(request, refusal_words(stale))
    return _briefing(request, interview, bound={"reschedule": kept}, status=400, saved_since=rows)


@login_required
@require_POST
def interview_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    interview = interview_get(user=request.user, pk=pk)
    if not interview_can_book(user=request.user, job=interview.application.job):
        raise PermissionDenied("Only the job's hiring team cancels interviews.")
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            done = _try(
                form,
                lambda: services.interview_cancel(
                    interview=interview,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    seen=form.cleaned_data["seen"],
                ),
            )
        except SavedSince as stale:
            return _cancel_kept(request, pk, stale)
        if done is not None:
            messages.success(request, "Interview cancelled; the panel's calendars are updated.")
            return redirect("pipeline:application-detail", pk=interview.application_id)
    _refused(request, form)
    return _briefing(request, interview, bound={"cancel": form}, status=400)


def _cancel_kept(request: AuthedRequest, pk: int, stale: SavedSince) -> HttpResponse:
    """The page as it is now after a cancellation from a page that showed another booking:
    what changed is listed above the cancel form, the reason typed is kept, and cancelling
    again is against the booking now (docs/architecture.md#where-rules-live)."""
    interview = interview_get(user=request.user, pk=pk)
    data = request.POST.copy()
    data["seen"] = services.interview_edit_seen(interview)
    kept = CancelForm(data)
    kept.is_valid()
    messages.error(request, refusal_words(stale))
    rows = list(stale.rows)
    return _briefing(request, interview, bound={"cancel": kept}, status=400, saved_since=rows)


@login_required
@require_POST
def interview_scorecard(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save a draft or submit the scorecard (only the interview's own interviewers)."""
    interview = interview_get(user=request.user, pk=pk)
    if not interview_is_on(user=request.user, interview=interview):
        raise PermissionDenied("Only the interview's own interviewers write its scorecards.")
    form = ScorecardForm(request.POST, attributes=interview_focus_attributes(interview))
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        card = _try(
            form,
            lambda: services.scorecard_save(
                interview=interview, by=request.user, data=form.scorecard_input(), submit=submit
            ),
        )
        if card is not None:
            messages.success(
                request,
                "Scorecard submitted. You can now read the other interviewers' scorecards."
                if submit
                else "Draft saved; only you can see it.",
            )
            return redirect("interviews:interview-detail", pk=interview.pk)
    _refused(request, form)
    return _briefing(request, interview, bound={"scorecard": form}, status=400)


@login_required
@require_safe
def interview_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    """The interview as a calendar file, for people who add it by hand."""
    interview = interview_get(user=request.user, pk=pk)
    text = calendar_text([interview_event(interview)], method="PUBLISH")
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    name = slugify(f"interview-{interview.application.candidate.full_name}") or "interview"
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    response["Cache-Control"] = "no-store"
    return response


# --- Debriefs --------------------------------------------------------------------------------


def _debrief_page(
    request: AuthedRequest,
    debrief: Debrief,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
    saved_since: list[SavedValue] | None = None,
) -> HttpResponse:
    user = request.user
    application = debrief.application
    job = application.job
    bound = bound or {}
    sheet = debrief_sheet(debrief=debrief, user=user)
    attendees = debrief_default_attendees(debrief=debrief, sheet=sheet)
    zone = debrief.time_zone or _default_zone(request)
    actions = debrief_actions(debrief=debrief, user=user)
    context = {
        "debrief": debrief,
        "application": application,
        "job": job,
        "candidate": application.candidate,
        "sheet": sheet,
        # The hiring manager's words stay hidden from whoever still owes a scorecard on the
        # candidate, as the rest of the team's review does (they would give the others' away).
        "review_blind": application_review_blind(user=user, application=application),
        "tally": debrief_recommendation_tally(sheet=sheet),
        "must_haves": job.must_have_list,
        "attendees": list(debrief.attendees.order_by(*by_name("full_name"), "pk")),
        "can_decide": actions.decide,
        "hold_ask": debrief_hold_ask(debrief=debrief),
        # While the hiring manager is away, the delegate holding the decision (as the queue says).
        "covered_by": application_move_covered_by(application=application),
        "can_close": actions.close,
        "can_schedule": actions.schedule,
        "can_inform": actions.inform,
        "decide_form": bound.get("decide")
        or DecideForm(
            debrief=debrief,
            initial={
                "to_stage": debrief_default_stage(debrief=debrief).pk,
                "attendees": debrief_default_participants(debrief=debrief, sheet=sheet, user=user),
            },
        ),
        "meeting_form": bound.get("meeting") or _meeting_form(debrief, zone, attendees),
        "saved_since": saved_since,
        "informed_form": bound.get("informed") or InformedForm(),
        "open_form": next(iter(bound), ""),
        "nav": "jobs",
    }
    return render(request, "interviews/debrief_detail.html", context, status=status)


def _meeting_form(debrief: Debrief, zone: str, attendees: list[int]) -> MeetingForm:
    """The meeting form as the debrief page shows it, with the fingerprint of what it shows."""
    return MeetingForm(
        application=debrief.application,
        initial={
            "meets_at": local_value(debrief.meets_at, zone),
            "time_zone": zone,
            "minutes": debrief.meeting_minutes,
            "location": debrief.location,
            "attendees": attendees,
            "seen": services.debrief_meeting_seen(debrief),
        },
    )


@login_required
@require_GET
def debrief_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Scorecards side by side, missing ones, the must-haves, and the decision."""
    return _debrief_page(request, debrief_get(user=request.user, pk=pk))


@login_required
@require_safe
def debrief_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    """The debrief meeting as a calendar file (for everyone who may open the debrief)."""
    debrief = debrief_get(user=request.user, pk=pk)
    if debrief.meets_at is None:
        raise Http404("No meeting is booked for this debrief.")
    text = calendar_text([debrief_event(debrief)], method="PUBLISH")
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    name = slugify(f"debrief-{debrief.application.candidate.full_name}") or "debrief"
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def debrief_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    debrief = debrief_get(user=request.user, pk=pk)
    said = debrief_decided_already(debrief=debrief)
    if said and debrief_decision_known_to(user=request.user, debrief=debrief):
        # A second tab: say what happened, even to a delegate whose right ended with it.
        messages.error(request, said)
        return redirect("interviews:debrief-detail", pk=debrief.pk)
    if not debrief_can_decide(user=request.user, debrief=debrief):
        raise PermissionDenied("Only the job's hiring manager decides after the debrief.")
    application = debrief.application
    if debrief_actions(debrief=debrief, user=request.user).close:
        return _debrief_close(request, debrief)
    form = DecideForm(request.POST, debrief=debrief)
    if form.is_valid():
        done = _try(
            form,
            lambda: services.debrief_decide(
                debrief=debrief, by=request.user, decision=form.as_decision()
            ),
        )
        if done is not None:
            messages.success(
                request,
                f"Decision recorded: {done.get_decision_display().lower()}. "
                f"{application.job.recruiter} is asked to tell the candidate."
                + _hold_owed_words(done, form.cleaned_data.get("decide_again_on"), request.user),
            )
            return _after_deciding(request, debrief)
    _refused(request, form)
    return _debrief_page(request, debrief, bound={"decide": form}, status=400)


def _hold_owed_words(debrief: Debrief, day: dt.date | None, reader: User) -> str:
    """On hold, when the decision is owed again (the hold's ask), in the reader's zone; a
    `day` given that is not its owner's working day falls due on the next one, and the words
    say so rather than move it silently."""
    ask = debrief_hold_ask(debrief=debrief)
    if ask is None:
        return ""
    owed = absolute(ask.due_at)
    if day is not None and timezone.localtime(ask.due_at, user_zone(ask.owner)).date() != day:
        whom = person_for(ask.owner, reader=reader, short=True)
        return f" {day:%a %d %b} is not a working day for {whom}: the decision is owed by {owed}."
    return f" The decision is owed again by {owed}."


def _after_deciding(request: AuthedRequest, debrief: Debrief) -> HttpResponse:
    """Back to the debrief, or to the queue for a delegate off the team, whose access ended
    with the decision she made for the absent hiring manager."""
    if debrief_can_read(user=request.user, debrief=debrief):
        return redirect("interviews:debrief-detail", pk=debrief.pk)
    return redirect("pipeline:queue")


def _debrief_close(request: AuthedRequest, debrief: Debrief) -> HttpResponse:
    """The application closed while its debrief waited: close the debrief (and the HM's
    ask) with it; there is no decision form to fill."""
    services.debrief_decide(
        debrief=debrief, by=request.user, decision=services.Decision(decision="", rationale="")
    )
    messages.info(
        request,
        "This candidate's application is closed, so there is nothing left to decide: "
        "the debrief is closed with it.",
    )
    return redirect("interviews:debrief-detail", pk=debrief.pk)


@login_required
@require_POST
def debrief_schedule(request: AuthedRequest, pk: int) -> HttpResponse:
    debrief = debrief_get(user=request.user, pk=pk)
    job = debrief.application.job
    if not interview_can_book(user=request.user, job=job):
        raise PermissionDenied("Only the job's hiring team books the debrief.")
    form = MeetingForm(
        request.POST, application=debrief.application, current_zone=debrief.time_zone
    )
    if form.is_valid():
        try:
            done = _try(
                form,
                lambda: services.debrief_schedule(
                    debrief=debrief,
                    by=request.user,
                    meeting=form.meeting(),
                    attendees=list(form.cleaned_data.get("attendees") or []),
                    seen=form.cleaned_data["seen"],
                ),
            )
        except SavedSince as stale:
            return _meeting_kept(request, pk, form, stale)
        if done is not None:
            messages.success(request, "Debrief meeting booked; the attendees have the invitation.")
            return redirect("interviews:debrief-detail", pk=debrief.pk)
    _refused(request, form)
    return _debrief_page(request, debrief, bound={"meeting": form}, status=400)


def _meeting_kept(
    request: AuthedRequest, pk: int, form: MeetingForm, stale: SavedSince
) -> HttpResponse:
    """The debrief page as it is now after a change from a page out of date, what was typed
    kept (docs/architecture.md#where-rules-live)."""
    debrief = debrief_get(user=request.user, pk=pk)
    sheet = debrief_sheet(debrief=debrief, user=request.user)
    attendees = debrief_default_attendees(debrief=debrief, sheet=sheet)
    zone = debrief.time_zone or _default_zone(request)
    data, rows = seen_kept(
        form,
        stale,
        now=_meeting_form(debrief, zone, attendees),
        seen=services.debrief_meeting_seen(debrief),
        typed=form.seen_values(),
    )
    kept = MeetingForm(data, application=debrief.application, current_zone=debrief.time_zone)
    kept.is_valid()
    add_service_errors(kept, stale)
    messages.error(request, refusal_words(stale))
    return _debrief_page(request, debrief, bound={"meeting": kept}, status=400, saved_since=rows)


@login_required
@require_POST
def debrief_informed(request: AuthedRequest, pk: int) -> HttpResponse:
    debrief = debrief_get(user=request.user, pk=pk)
    if not debrief_can_inform(user=request.user, debrief=debrief):
        raise PermissionDenied("Only the job's recruiting side records news to the candidate.")
    form = InformedForm(request.POST)
    if form.is_valid():
        done = _try(
            form,
            lambda: services.debrief_candidate_informed(
                debrief=debrief, by=request.user, note=form.cleaned_data.get("note", "")
            ),
        )
        if done is not None:
            messages.success(request, f"Recorded: {debrief.application.candidate} knows.")
            return redirect("interviews:debrief-detail", pk=debrief.pk)
    _refused(request, form)
    return _debrief_page(request, debrief, bound={"informed": form}, status=400)
