"""Touch-base pages, action items, and the weekly-update preview and settings.

Views stay thin: selectors decide what a person may see (404 otherwise), services decide
what they may change (403 with a reason, or a message and nothing changed on bad input).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.selectors import person_for
from closeloop.activity.receipts import SentBefore, submit_once
from closeloop.calendars.ics import calendar_text
from closeloop.followups.selectors import covering_words
from closeloop.jobs.selectors import job_get
from closeloop.lib.forms import (
    ISO_DATETIME_LOCAL,
    add_service_errors,
    refusal_message,
    refused_keep,
)
from closeloop.lib.ids import id_parse
from closeloop.lib.text import listed
from closeloop.lib.timefmt import absolute, zone_or_utc, zoned_unless_viewers
from closeloop.notify.views import MESSAGE_FRAME_POLICY
from closeloop.touchbases import services, weekly
from closeloop.touchbases.forms import (
    WEEKLY_KEPT,
    ActionItemEditForm,
    ActionItemForm,
    DropForm,
    MoveForm,
    NotesForm,
    SkipForm,
    WeeklyUpdateForm,
)
from closeloop.touchbases.selectors import (
    HOLD_OPENS_WORDS,
    MOVE_NEEDS_CONFIRMING,
    action_item_add_refusal,
    action_item_can_edit,
    action_item_can_finish,
    action_item_due_day,
    action_item_get,
    action_item_holder,
    action_item_owner_choices,
    action_items_finishable,
    action_items_of,
    agenda_for_page,
    series_for_job,
    touchbase_can_edit,
    touchbase_can_mark_held,
    touchbase_can_move,
    touchbase_can_view,
    touchbase_cover_words,
    touchbase_current,
    touchbase_get,
    touchbase_history,
    touchbase_hm_covers,
    touchbase_hold_opens_at,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from closeloop.touchbases.models import Touchbase

# The Outbox's frame policy, and the preview page (its own origin) may measure the email to
# give the frame the email's height (static/closeloop/frames.js): nothing in it can run,
# as `default-src 'none'` allows no script and the sandbox grants no `allow-scripts`.
PREVIEW_FRAME_POLICY = f"{MESSAGE_FRAME_POLICY} allow-same-origin"


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _page(
    request: AuthedRequest, touchbase: Touchbase, status: int = 200, **forms: Any
) -> HttpResponse:
    job = touchbase.job
    can_edit = touchbase_can_edit(user=request.user, job=job)
    people = action_item_owner_choices(job=job)
    items = action_items_of(touchbase=touchbase)
    # The page reads on the meeting's clock; a reader in another zone is told so once, with
    # the start on their own clock when it differs.
    meeting_zone = zone_or_utc(touchbase.series.time_zone)
    reader_zone = timezone.get_current_timezone_name()
    mine = absolute(touchbase.scheduled_at)
    context = {
        "nav": "jobs",
        "touchbase": touchbase,
        "job": job,
        "series": touchbase.series,
        "meeting_zone": meeting_zone,
        "reader_zone": reader_zone,
        "zone_named": meeting_zone.key != reader_zone,
        "your_start": mine if mine != absolute(touchbase.scheduled_at, meeting_zone) else "",
        # Who covers for the hiring manager, after the two sides' names.
        "cover_words": touchbase_cover_words(
            covers=touchbase_hm_covers(job=job), reader=request.user
        ),
        "agenda": agenda_for_page(touchbase=touchbase, viewer=request.user),
        "items": items,
        "finishable": action_items_finishable(user=request.user, touchbase=touchbase, items=items),
        "history": touchbase_history(series=touchbase.series, exclude=touchbase, limit=8),
        "can_edit": can_edit,
        # Why the form to add an action item is not offered (the job ended), said instead.
        "item_refusal": action_item_add_refusal(job=job),
        "can_mark_held": touchbase_can_mark_held(user=request.user, touchbase=touchbase),
        "hold_opens_at": touchbase_hold_opens_at(touchbase),
        "hold_opens_words": HOLD_OPENS_WORDS,
        "notes_form": forms.get("notes_form")
        or NotesForm(
            initial={"notes": touchbase.notes, "seen": services.touchbase_notes_version(touchbase)}
        ),
        # After a refused save: the notes someone else saved meanwhile, shown above the form.
        "notes_saved": forms.get("notes_saved"),
        "item_form": forms.get("item_form") or ActionItemForm(people=people),
        "skip_form": forms.get("skip_form") or SkipForm(),
        "can_move": touchbase_can_move(user=request.user, touchbase=touchbase, now=timezone.now()),
        "move_form": forms.get("move_form") or _move_form(request, touchbase),
        # The warning a move is waiting to be confirmed on ("Outside the working hours of …").
        "move_warning": forms.get("move_warning", ""),
        "now": timezone.now(),
    }
    return render(request, "touchbases/touchbase_detail.html", context, status=status)


@login_required
@require_safe
def touchbase_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One meeting: its live agenda (or the snapshot once held), notes and action items."""
    return _page(request, touchbase_get(user=request.user, pk=pk))


@login_required
@require_safe
def job_current(request: AuthedRequest, pk: int) -> HttpResponse:
    """This week's touch-base of a job (the link in calendar invitations)."""
    job = job_get(user=request.user, pk=pk)
    if not touchbase_can_view(user=request.user, job=job):
        raise Http404("No such touch-base.")
    series = series_for_job(job=job)
    current = touchbase_current(series=series) if series and series.active else None
    if current is None:
        messages.info(request, "This job has no touch-base coming up.")
        return redirect("jobs:job-detail", pk=job.pk)
    return redirect("touchbases:touchbase-detail", pk=current.pk)


@login_required
@require_safe
def series_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    """The job's weekly series as a calendar file, for people who add it by hand (the
    invitation email carries the same event)."""
    job = job_get(user=request.user, pk=pk)
    if not touchbase_can_view(user=request.user, job=job):
        raise Http404("No such touch-base.")
    series = series_for_job(job=job)
    if series is None or not series.active:
        raise Http404("This job has no touch-base series.")
    text = calendar_text([services.series_event(series)], method="PUBLISH")
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    name = slugify(f"touch-base-{job.title}") or "touch-base"
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def series_set_up(request: AuthedRequest, pk: int) -> HttpResponse:
    """Create or sync the job's series from its agreed cadence and send the invitation."""
    job = job_get(user=request.user, pk=pk)
    if not touchbase_can_view(user=request.user, job=job):
        raise Http404("No such job.")
    before = series_for_job(job=job)
    was = (before.sequence, before.active) if before is not None else None
    try:
        series = services.series_set_up(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("jobs:job-detail", pk=job.pk)
    if was == (series.sequence, True):
        # Nothing changed, so nothing was sent: saying "they have the invitation" would claim
        # a message nobody gets.
        messages.info(
            request, "The touch-base series already follows the agreed cadence: nothing to send."
        )
    else:
        messages.success(
            request,
            f"The touch-base series is set up (version {series.sequence + 1}); "
            f"{job.recruiter.short_name} and {job.hiring_manager.short_name} have the invitation.",
        )
    return redirect("jobs:job-detail", pk=job.pk)


@login_required
@require_POST
def touchbase_notes(request: AuthedRequest, pk: int) -> HttpResponse:
    touchbase = touchbase_get(user=request.user, pk=pk)
    form = NotesForm(request.POST)
    if not form.is_valid():
        messages.error(request, refusal_message(form, "The notes were not saved."))
        return _page(request, touchbase, status=400, notes_form=form)
    try:
        services.touchbase_notes_save(
            touchbase=touchbase,
            by=request.user,
            notes=form.cleaned_data["notes"],
            seen=form.cleaned_data["seen"],
        )
    except ValidationError as error:
        touchbase.refresh_from_db()
        # What the person typed stays; the next save is against the notes now saved, and
        # when someone saved since this page was opened, their notes are shown above it.
        codes = [e.code for e in getattr(error, "error_dict", {}).get("notes", [])]
        saved_since = services.NOTES_SAVED_SINCE in codes
        data = request.POST.copy()
        data["seen"] = services.touchbase_notes_version(touchbase)
        kept = NotesForm(data)
        kept.is_valid()
        add_service_errors(kept, error)
        messages.error(request, refusal_message(kept, "The notes were not saved."))
        saved = touchbase.notes if saved_since else None
        return _page(request, touchbase, status=400, notes_form=kept, notes_saved=saved)
    messages.success(request, "Notes saved.")
    return redirect("touchbases:touchbase-detail", pk=touchbase.pk)


@login_required
@require_POST
def touchbase_held(request: AuthedRequest, pk: int) -> HttpResponse:
    touchbase = touchbase_get(user=request.user, pk=pk)
    try:
        held = services.touchbase_hold(touchbase=touchbase, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        late = held.held_at is not None and held.held_late(held.held_at)
        when = "stood when the meeting ended" if late else "stands now"
        messages.success(request, f"Marked held. The agenda is kept as it {when}.")
    return redirect("touchbases:touchbase-detail", pk=touchbase.pk)


@login_required
@require_POST
def touchbase_skip(request: AuthedRequest, pk: int) -> HttpResponse:
    touchbase = touchbase_get(user=request.user, pk=pk)
    form = SkipForm(request.POST)
    if not form.is_valid():
        messages.error(request, refusal_message(form, "Not marked skipped."))
        return _page(request, touchbase, status=400, skip_form=form)
    try:
        services.touchbase_skip(
            touchbase=touchbase, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        add_service_errors(form, error)
        messages.error(request, refusal_message(form, "Not marked skipped."))
        return _page(request, touchbase, status=400, skip_form=form)
    messages.success(request, "Marked skipped. Open action items carry over to the next one.")
    return redirect("touchbases:touchbase-detail", pk=touchbase.pk)


def _move_form(request: AuthedRequest, touchbase: Touchbase) -> MoveForm:
    """The move form, filled with the meeting's time on the reader's clock."""
    local = timezone.localtime(touchbase.scheduled_at, request.user.zone)
    return MoveForm(
        zone=request.user.zone, initial={"starts_at": local.strftime(ISO_DATETIME_LOCAL)}
    )


@login_required
@require_POST
def touchbase_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move this one meeting (the series unchanged). A time outside someone's working hours
    comes back with the warning and *Move it anyway*; a refused one changes nothing."""
    touchbase = touchbase_get(user=request.user, pk=pk)
    form = MoveForm(request.POST, zone=request.user.zone)
    if not form.is_valid() or "starts" not in form.cleaned_data:
        messages.error(request, refusal_message(form, "The touch-base was not moved."))
        return _page(request, touchbase, status=400, move_form=form)
    try:
        moved = services.touchbase_move(
            touchbase=touchbase,
            by=request.user,
            starts_at=form.cleaned_data["starts"],
            reason=form.cleaned_data["reason"],
            confirmed=form.cleaned_data["confirmed"],
        )
    except ValidationError as error:
        codes = [e.code for e in getattr(error, "error_dict", {}).get("confirmed", [])]
        if MOVE_NEEDS_CONFIRMING in codes:
            # Only a warning: the form comes back as typed, with the box to confirm it.
            warning = _error_text(error)
            messages.warning(request, f"Not moved yet. {warning}")
            return _page(request, touchbase, move_form=form, move_warning=warning)
        add_service_errors(form, error)
        messages.error(request, refusal_message(form, "The touch-base was not moved."))
        return _page(request, touchbase, status=400, move_form=form)
    when = zoned_unless_viewers(moved.scheduled_at, moved.series.time_zone)
    messages.success(
        request,
        f"Moved to {when}. Both calendars get the update and both of you an email saying "
        "who moved it and why; the series goes on as before.",
    )
    return redirect("touchbases:touchbase-detail", pk=touchbase.pk)


@login_required
@require_POST
def action_item_add(request: AuthedRequest, pk: int) -> HttpResponse:
    touchbase = touchbase_get(user=request.user, pk=pk)
    form = ActionItemForm(request.POST, people=action_item_owner_choices(job=touchbase.job))
    if not form.is_valid():
        messages.error(request, refusal_message(form, "The action item was not added."))
        return _page(request, touchbase, status=400, item_form=form)
    try:
        item = submit_once(
            request,
            request.user,
            lambda: services.action_item_add(
                touchbase=touchbase,
                by=request.user,
                description=form.cleaned_data["description"],
                owner=form.owner_user(),
                due_on=form.cleaned_data["due_on"],
            ),
            lambda added: reverse("touchbases:touchbase-detail", args=[touchbase.pk]),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        messages.error(request, refusal_message(form, "The action item was not added."))
        return _page(request, touchbase, status=400, item_form=form)
    if isinstance(item, SentBefore) or item is None:
        messages.info(request, "This action item was added already.")
        return redirect("touchbases:touchbase-detail", pk=touchbase.pk)
    holder = action_item_holder(item=item)
    if holder is None:
        where = "it is in their queue now"
    else:
        # The owner is away: their cover holds it (the follow-up engine gave them its ask).
        whose = "your" if holder.pk == request.user.pk else f"{holder}'s"
        where = f"it is in {whose} queue now, {covering_words(item.owner, request.user)}"
    messages.success(request, f"Action item added for {item.owner}; {where}.")
    return redirect("touchbases:touchbase-detail", pk=touchbase.pk)


@login_required
@require_safe
def action_item_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The item where its owner finishes it (the queue and reminders link here)."""
    return _item_page(request, action_item_get(user=request.user, pk=pk))


def _item_owners(item: Any) -> list[Any]:
    """Whom an item may be given to: the job's team, and its owner still (who may have left
    the team since)."""
    people = action_item_owner_choices(job=item.job)
    return people if item.owner in people else [item.owner, *people]


def _item_page(
    request: AuthedRequest,
    item: Any,
    *,
    edit_form: ActionItemEditForm | None = None,
    status: int = 200,
) -> HttpResponse:
    due_day, agreed_day = action_item_due_day(item=item)
    can_edit = item.is_open and action_item_can_edit(user=request.user, item=item)
    if can_edit and edit_form is None:
        edit_form = ActionItemEditForm(
            people=_item_owners(item),
            initial={"description": item.description, "owner": item.owner_id,
                     "due_on": item.due_on},
        )  # fmt: skip
    context = {
        "nav": "queue",
        "item": item,
        # A date agreed on a day its owner does not work reads as the working day it became.
        "due_day": due_day,
        "agreed_day": agreed_day,
        "can_finish": item.is_open and action_item_can_finish(user=request.user, item=item),
        "can_drop": item.is_open and touchbase_can_edit(user=request.user, job=item.job),
        "drop_form": DropForm(),
        "can_edit": can_edit,
        "edit_form": edit_form,
        "holder": action_item_holder(item=item) if item.is_open else None,
        "sees_touchbase": touchbase_can_view(user=request.user, job=item.job),
        "now": timezone.now(),
    }
    return render(request, "touchbases/action_item_detail.html", context, status=status)


@login_required
@require_POST
def action_item_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change what, who or when (the fields sent; the others stay as they were)."""
    item = action_item_get(user=request.user, pk=pk)
    if not action_item_can_edit(user=request.user, item=item):
        raise PermissionDenied(
            "Only the item's owner and the job's recruiter and hiring manager can change it."
        )
    form = ActionItemEditForm(request.POST, people=_item_owners(item))
    lead = "The action item was not changed."
    if not form.is_valid():
        messages.error(request, refusal_message(form, lead))
        return _item_page(request, item, edit_form=form, status=400)
    try:
        edited = services.action_item_edit(item=item, by=request.user, **form.changes())
    except ValidationError as error:
        add_service_errors(form, error)
        messages.error(request, refusal_message(form, lead))
        return _item_page(request, item, edit_form=form, status=400)
    changed = _item_changes(item, edited, reader=request.user)
    if changed:
        messages.success(request, f"Changed {listed(changed)}.")
    else:
        messages.info(request, "Nothing changed.")
    return redirect("touchbases:action-item", pk=item.pk)


def _item_changes(before: Any, after: Any, *, reader: Any) -> list[str]:
    """What an edit changed, in words ("the due date to Wed 02 Dec"); none for a save that
    changed nothing (the service wrote nothing then)."""
    changed = []
    if after.description != before.description:
        changed.append(f"what needs doing to “{after.description}”")
    if after.owner_id != before.owner_id:
        changed.append(f"the owner to {person_for(after.owner, reader=reader)}")
    if after.due_on != before.due_on:
        changed.append(f"the due date to {after.due_on:%a %d %b}")
    return changed


@login_required
@require_POST
def action_item_done(request: AuthedRequest, pk: int) -> HttpResponse:
    item = action_item_get(user=request.user, pk=pk)
    try:
        services.action_item_done(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"Done: {item.description}")
    return _return_to(request, item)


@login_required
@require_POST
def action_item_drop(request: AuthedRequest, pk: int) -> HttpResponse:
    item = action_item_get(user=request.user, pk=pk)
    # The reason read by its form (no NUL byte, no more than fits); an unusable one goes to
    # the service as none, which checks who may drop first, so a refusal says who may.
    form = DropForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.action_item_drop(item=item, by=request.user, reason=reason)
    except ValidationError as error:
        said = " ".join(str(e) for e in form.errors.get("reason", [])) or _error_text(error)
        messages.error(request, f"The action item was not dropped. {said}")
    else:
        messages.success(request, f"Dropped: {item.description}")
    return _return_to(request, item)


def _pk_or_none(value: str) -> int | None:
    """A primary key typed by the browser, or None."""
    return id_parse(value)


def _return_to(request: AuthedRequest, item: Any) -> HttpResponse:
    # Only a known value is honoured, never a URL from the request (no open redirect);
    # anything else falls back to the item's own page.
    # Only the item's own touch-base is a place to go back to.
    target = _pk_or_none(request.POST.get("back", ""))
    if (
        target is not None
        and target == item.touchbase_id
        and touchbase_can_view(user=request.user, job=item.job)
    ):
        return redirect("touchbases:touchbase-detail", pk=target)
    try:  # whoever held it for someone away read it through the ask they just closed
        action_item_get(user=request.user, pk=item.pk)
    except Http404:
        return redirect("pipeline:queue")
    return redirect("touchbases:action-item", pk=item.pk)


# --- weekly updates ------------------------------------------------------------------------


def _person_param(request: HttpRequest) -> int | None:
    value = request.GET.get("person", "")
    if not value:
        return None
    person_id = _pk_or_none(value)
    if person_id is None:
        raise Http404("No such person.")
    return person_id


@login_required
@require_safe
def weekly_update_preview(request: AuthedRequest) -> HttpResponse:
    """What the person's next weekly update would say right now (the same email HTML)."""
    person = weekly.weekly_update_preview_person(
        user=request.user, person_id=_person_param(request)
    )
    update = weekly.weekly_update_build(person=person)
    schedule = weekly.weekly_update_schedule_for(person=person)
    context = {
        "nav": "profile",
        "person": person,
        "update": update,
        "schedule": schedule,
        "describe": weekly.weekly_update_describe(person=person, schedule=schedule),
        "held_back_by": weekly.weekly_update_held_back_by(person=person, schedule=schedule),
        "people": weekly.weekly_update_people(user=request.user),
    }
    return render(request, "touchbases/weekly_update_preview.html", context)


@login_required
@require_safe
@xframe_options_sameorigin
def weekly_update_preview_html(request: AuthedRequest) -> HttpResponse:
    """The email's HTML for the sandboxed preview frame (same policy as the Outbox)."""
    person = weekly.weekly_update_preview_person(
        user=request.user, person_id=_person_param(request)
    )
    update = weekly.weekly_update_build(person=person)
    html = render_to_string(
        f"emails/{weekly.TEMPLATE}-body.html",
        {"SITE_URL": settings.SITE_URL, **weekly.weekly_update_context(update), "preview": True},
    )
    response = HttpResponse(html)
    response["Content-Security-Policy"] = PREVIEW_FRAME_POLICY
    return response


@login_required
@require_POST
def weekly_update_settings(request: AuthedRequest) -> HttpResponse:
    """Turn one's own weekly update on or off, or move it to another day and time."""
    form = WeeklyUpdateForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label}: {' '.join(str(e) for e in errs)}"
            if name in form.fields
            else " ".join(str(e) for e in errs)
            for name, errs in form.errors.items()
        )
        messages.error(request, f"Your weekly update settings were not saved. {problems}")
        refused_keep(
            request.session, WEEKLY_KEPT, request.POST, WeeklyUpdateForm.base_fields,
            person=request.user.pk,
        )  # fmt: skip
        return redirect("accounts:profile")
    try:
        schedule = weekly.weekly_update_configure(
            person=request.user, by=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        refused_keep(
            request.session, WEEKLY_KEPT, request.POST, WeeklyUpdateForm.base_fields,
            person=request.user.pk,
        )  # fmt: skip
        return redirect("accounts:profile")
    describe = weekly.weekly_update_describe(person=request.user, schedule=schedule)
    messages.success(request, f"Weekly update: {describe}.")
    return redirect("accounts:profile")
