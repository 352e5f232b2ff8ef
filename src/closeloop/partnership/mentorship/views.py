"""Mentorship pages and the "working with me" card's form.

Thin: selectors decide who reads what (404 otherwise), services what may change; a refused
change comes back to the page with the service's words and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from closeloop.accounts.http import AuthedRequest
from closeloop.accounts.views import profile_render
from closeloop.activity.receipts import SentBefore, submit_once
from closeloop.followups.business_time import people_off_time
from closeloop.lib.forms import add_service_errors, refusal_message, refusal_words
from closeloop.lib.text import listed
from closeloop.partnership.mentorship import selectors, services
from closeloop.partnership.mentorship.busy import busy_words
from closeloop.partnership.mentorship.forms import (
    ActionForm,
    GoalForm,
    NotesForm,
    ProposeForm,
    ScheduleForm,
    WorkingCardForm,
)
from closeloop.partnership.mentorship.models import Mentorship, MentorshipStatus

PAGE_SIZE = 25


def _refused(request: AuthedRequest, lead: str, error: ValidationError | PermissionDenied) -> None:
    messages.error(request, f"{lead} {refusal_words(error)}")


def _form_act(form: Any, action: Callable[[], Any]) -> Any:
    """Run a service for a valid form; a refusal goes on the form (nothing changed) and
    the result is None, so the page comes back with what was typed."""
    try:
        return action()
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied as error:
        form.add_error(None, refusal_words(error))
    return None


def _kept(
    request: AuthedRequest, form: Any, lead: str, page: Callable[[], HttpResponse]
) -> HttpResponse:
    """A refused form: its page again, with what was typed, each problem beside its box."""
    messages.error(request, refusal_message(form, lead))
    response = page()
    response.status_code = 400
    return response


def _act(request: AuthedRequest, lead: str, action: Callable[[], Any]) -> Any:
    """Run a service; a refusal becomes a message (nothing changed) and None."""
    try:
        return action()
    except (ValidationError, PermissionDenied) as error:
        _refused(request, lead, error)
        return None


def _propose_form(request: AuthedRequest, data: Any = None) -> ProposeForm:
    user = request.user
    # Someone not an admin offers themself as the mentor: the mentees leave them out.
    return ProposeForm(
        data,
        people=selectors.people_to_pair(viewer=user),
        mentees=selectors.mentees_to_offer(user=user),
        mentor_fixed=None if user.is_admin else user,
    )


@login_required
@require_safe
def mentorship_list(request: AuthedRequest) -> HttpResponse:
    """My mentorships; for an admin also every pairing and the suggested pairs."""
    return _list_page(request, _propose_form(request))


def _list_page(request: AuthedRequest, form: ProposeForm) -> HttpResponse:
    user, now = request.user, timezone.now()
    page = Paginator(selectors.mentorship_list(viewer=user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {"nav": "mentorship", "page": page, "form": form}
    if user.is_admin:
        everyone = Paginator(selectors.mentorship_list_all(viewer=user), PAGE_SIZE)
        context["all_page"] = everyone.get_page(request.GET.get("all"))
        suggestions = selectors.pairs_suggestions(viewer=user, now=now)
        context["pairs"], context["left_out"] = suggestions.suggested, suggestions.left_out
    return render(request, "partnership/mentorship/mentorship_list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mentorship_propose(request: AuthedRequest) -> HttpResponse:
    if request.method != "POST":
        # The form lives on the list page (everyone may offer to mentor someone; an admin
        # proposes any pair): a typed or bookmarked address goes there, not to a blank 405.
        return redirect(reverse("partnership:mentorship-list") + "#propose-heading")
    form = _propose_form(request, request.POST)
    created = None
    if form.is_valid():
        data = form.cleaned_data
        mentor = data["mentor"] if request.user.is_admin else request.user
        created = _form_act(
            form,
            lambda: services.mentorship_propose(
                mentor=mentor,
                mentee=data["mentee"],
                by=request.user,
                note=data["note"],
                cadence_days=data["cadence_days"],
            ),
        )
    if created is None:
        return _kept(request, form, "Nothing was proposed.", partial(_list_page, request, form))
    messages.success(request, f"Proposed. {created.mentee} has been asked to accept.")
    return redirect("partnership:mentorship-detail", pk=created.pk)


def _detail_page(request: AuthedRequest, mentorship: Mentorship, **forms: Any) -> HttpResponse:
    """The pairing's page; `forms` replace its empty forms (a refused one, as typed)."""
    context = _detail_context(request, mentorship) | forms
    return render(request, "partnership/mentorship/mentorship_detail.html", context)


def _detail_context(request: AuthedRequest, mentorship: Mentorship) -> dict[str, Any]:
    user, now = request.user, timezone.now()
    party = selectors.mentorship_is_party(viewer=user, mentorship=mentorship)
    people = [mentorship.mentor, mentorship.mentee]
    as_mentor = selectors.mentorship_answers_as_mentor(viewer=user, mentorship=mentorship)
    return {
        "nav": "mentorship",
        "mentorship": mentorship,
        "party": party,
        "is_mentee": user.pk == mentorship.mentee_id,
        "goals": selectors.goals_with_figures(mentorship=mentorship, now=now),
        "sessions": selectors.sessions_of(mentorship=mentorship),
        "next_session": services.session_next(mentorship, now),
        "open_actions": selectors.actions_open_of(mentorship=mentorship),
        "prompts": selectors.mentorship_prompts(viewer=user, mentorship=mentorship, now=now)
        if mentorship.is_active
        else [],
        "goal_form": GoalForm(),
        "schedule_form": ScheduleForm(),
        "action_form": ActionForm(people=people),
        "can_end": selectors.mentorship_can_end(viewer=user, mentorship=mentorship),
        "answers_as_mentor": as_mentor,
        "decline_told": _told_words(
            selectors.mentorship_decline_told(mentorship=mentorship, by=user)
        )
        if as_mentor
        else "",
        "now": now,
    }


@login_required
@require_safe
def mentorship_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.mentorship_get(viewer=request.user, pk=pk))


def _answer(request: AuthedRequest, pk: int, accept: bool) -> HttpResponse:
    mentorship = selectors.mentorship_get(viewer=request.user, pk=pk)
    service = services.mentorship_accept if accept else services.mentorship_decline
    done = _act(
        request, "Nothing was changed.", lambda: service(mentorship=mentorship, by=request.user)
    )
    if done is not None:
        messages.success(
            request,
            "Accepted: the first session is in both your calendars."
            if accept
            else _declined_words(done),
        )
    return redirect("partnership:mentorship-detail", pk=mentorship.pk)


def _told_words(told: list[Any]) -> str:
    """ "Hank Manager and Ada Admin are told by email", or "" when nobody is."""
    if not told:
        return ""
    verb = "is" if len(told) == 1 else "are"
    return f"{listed(str(person) for person in told)} {verb} told by email"


def _declined_words(mentorship: Mentorship) -> str:
    told = _told_words(selectors.mentorship_decline_told(mentorship=mentorship))
    if not told:
        return "Declined. Nothing more will be asked of you."
    return f"Declined. Nothing more will be asked of you; {told}."


@login_required
@require_POST
def mentorship_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, accept=True)


@login_required
@require_POST
def mentorship_decline(request: AuthedRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, accept=False)


@login_required
@require_POST
def mentorship_end(request: AuthedRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get(viewer=request.user, pk=pk)
    done = _act(
        request,
        "Nothing was changed.",
        lambda: services.mentorship_end(mentorship=mentorship, by=request.user),
    )
    if done is not None and done.status == MentorshipStatus.DECLINED:
        # The mentee or mentor of a proposal someone else made, from a page that offered
        # Withdraw before: their "no" was recorded as a decline.
        messages.success(request, _declined_words(done))
    elif done is not None:
        # `mentorship` is the row as read before ending: it still says whether it was a
        # proposal.
        if not selectors.mentorship_is_party(viewer=request.user, mentorship=mentorship):
            told = f"{mentorship.mentor} and {mentorship.mentee} are"
        elif request.user.pk == mentorship.mentor_id:
            told = f"{mentorship.mentee} is"
        else:
            told = f"{mentorship.mentor} is"
        done_words = (
            "The proposal is withdrawn"
            if mentorship.is_proposed
            else "The mentorship has ended and the sessions ahead are called off"
        )
        messages.success(request, f"{done_words}; {told} told by email.")
    return redirect("partnership:mentorship-detail", pk=mentorship.pk)


@login_required
@require_POST
def mentorship_goal_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get(viewer=request.user, pk=pk)
    form = GoalForm(request.POST)
    added = form.is_valid() and _form_act(
        form,
        lambda: submit_once(
            request,
            request.user,
            lambda: services.goal_add(
                mentorship=mentorship,
                by=request.user,
                text=form.cleaned_data["text"],
                figure=form.cleaned_data["figure"],
            ),
            lambda goal: reverse("partnership:mentorship-detail", args=[mentorship.pk]),
        ),
    )
    if not added:
        page = partial(_detail_page, request, mentorship, goal_form=form)
        return _kept(request, form, "The goal was not added.", page)
    if not isinstance(added, SentBefore):
        messages.success(request, "Goal added.")
    return redirect("partnership:mentorship-detail", pk=mentorship.pk)


@login_required
@require_POST
def mentorship_goal_reached(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(viewer=request.user, pk=pk)
    done = _act(
        request,
        "Nothing was changed.",
        lambda: services.goal_reached(goal=goal, by=request.user),
    )
    if done is not None:
        messages.success(request, "Goal marked reached.")
    return redirect("partnership:mentorship-detail", pk=goal.mentorship_id)


@login_required
@require_POST
def mentorship_schedule(request: AuthedRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get(viewer=request.user, pk=pk)
    form = ScheduleForm(request.POST)
    starts_at = form.starts_at_in(request.user.zone) if form.is_valid() else None
    if starts_at is None and not form.errors:
        form.add_error("starts_at", "Give a date and a time.")
    session = starts_at and _form_act(
        form,
        lambda: services.session_schedule(
            mentorship=mentorship, by=request.user, starts_at=starts_at
        ),
    )
    if not session:
        page = partial(_detail_page, request, mentorship, schedule_form=form)
        return _kept(request, form, "The session was not moved.", page)
    messages.success(request, "Next session set; both calendars get the new time.")
    people = (mentorship.mentor, mentorship.mentee)
    clashes = " ".join(
        words
        for words in (
            # Why, as an interview's booking says it ("Sun 06 Dec is not a working day for you").
            " ".join(
                f"{off.sentence}."
                for off in people_off_time(
                    people, session.starts_at, session.ends_at, reader=request.user
                )
            ),
            busy_words(people, session.starts_at, session.ends_at, besides=session),
        )
        if words
    )
    if clashes:
        messages.warning(request, f"{clashes} Move it again if it does not suit you both.")
    return redirect("partnership:mentorship-detail", pk=mentorship.pk)


def _session_page(request: AuthedRequest, session: Any, **forms: Any) -> HttpResponse:
    """The session's page; `forms` replace its forms (a refused one, as typed)."""
    mentorship = session.mentorship
    user, now = request.user, timezone.now()
    party = selectors.mentorship_is_party(viewer=user, mentorship=mentorship)
    context = {
        "nav": "mentorship",
        "session": session,
        "mentorship": mentorship,
        "party": party,
        "items": selectors.actions_of(session=session),
        "goals": selectors.goals_with_figures(mentorship=mentorship, now=now),
        "open_actions": selectors.actions_open_of(mentorship=mentorship),
        # The session's agenda: what the mentee's data raises now (None: held or called
        # off, and live prompts would carry evidence from after it).
        "prompts": selectors.session_prompts(viewer=user, session=session, now=now),
        "notes_form": NotesForm(initial={"notes": session.notes}),
        "action_form": ActionForm(people=[mentorship.mentor, mentorship.mentee]),
        "can_mark_held": selectors.session_can_mark_held(
            viewer=user, mentorship=mentorship, session=session, now=now
        ),
        "now": now,
    } | forms
    return render(request, "partnership/mentorship/session_detail.html", context)


@login_required
@require_safe
def mentorship_session(request: AuthedRequest, pk: int) -> HttpResponse:
    return _session_page(request, selectors.session_get(viewer=request.user, pk=pk))


@login_required
@require_POST
def mentorship_session_notes(request: AuthedRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(viewer=request.user, pk=pk)
    form = NotesForm(request.POST)
    done = form.is_valid() and _form_act(
        form,
        lambda: services.session_notes_save(
            session=session, by=request.user, notes=form.cleaned_data["notes"]
        ),
    )
    if not done:
        page = partial(_session_page, request, session, notes_form=form)
        return _kept(request, form, "The notes were not saved.", page)
    messages.success(request, "Notes saved.")
    return redirect("partnership:mentorship-session", pk=session.pk)


@login_required
@require_POST
def mentorship_session_held(request: AuthedRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(viewer=request.user, pk=pk)
    done = _act(
        request,
        "Nothing was changed.",
        lambda: services.session_held(session=session, by=request.user),
    )
    if done is not None:
        messages.success(request, "Marked held; the next session is planned on the cadence.")
    return redirect("partnership:mentorship-session", pk=session.pk)


@login_required
@require_POST
def mentorship_session_action_add(request: AuthedRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(viewer=request.user, pk=pk)
    mentorship = session.mentorship
    form = ActionForm(request.POST, people=[mentorship.mentor, mentorship.mentee])
    item = form.is_valid() and _form_act(
        form,
        lambda: submit_once(
            request,
            request.user,
            lambda: services.action_add(
                session=session,
                by=request.user,
                owner=form.owner_user(),
                description=form.cleaned_data["description"],
                due_on=form.cleaned_data["due_on"],
            ),
            lambda added: reverse("partnership:mentorship-session", args=[session.pk]),
        ),
    )
    if not item:
        page = partial(_session_page, request, session, action_form=form)
        return _kept(request, form, "The action item was not added.", page)
    if not isinstance(item, SentBefore):
        messages.success(request, _action_added_words(request, item, form.cleaned_data["due_on"]))
    return redirect("partnership:mentorship-session", pk=session.pk)


def _day_words(day: dt.date, today: dt.date) -> str:
    return f"{day:%a %d %b}" if day.year == today.year else f"{day:%a %d %b %Y}"


def _action_added_words(request: AuthedRequest, item: Any, asked: dt.date) -> str:
    """What was added, for whom and when it is due: a day the owner does not work (or whose
    working hours are over) moved to their next working day, which is said rather than
    left to be noticed on the page."""
    mine = item.owner_id == request.user.pk
    whose = "your" if mine else "their"
    today = timezone.localdate(timezone.now(), item.owner.zone)
    due = f"due {_day_words(item.due_on, today)}"
    if item.due_on != asked:
        due += f", {whose} first working day after {_day_words(asked, today)}"
    return f"Action item added for {'you' if mine else item.owner}, {due}; it is in {whose} queue."


@login_required
@require_safe
def mentorship_action(request: AuthedRequest, pk: int) -> HttpResponse:
    """An action item where its owner finishes it (the queue and reminders link here)."""
    item = selectors.action_get(viewer=request.user, pk=pk)
    can_finish = selectors.action_can_finish(viewer=request.user, item=item)
    context = {"nav": "mentorship", "item": item, "can_finish": can_finish}
    return render(request, "partnership/mentorship/action_detail.html", context)


@login_required
@require_POST
def mentorship_action_done(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.action_get(viewer=request.user, pk=pk)
    done = _act(
        request, "Nothing was changed.", lambda: services.action_done(item=item, by=request.user)
    )
    if done is not None:
        messages.success(request, "Marked done.")
    return redirect("partnership:mentorship-action", pk=item.pk)


@login_required
@require_POST
def mentorship_card_save(request: AuthedRequest) -> HttpResponse:
    """The profile's "working with me" card (each person writes only their own)."""
    form = WorkingCardForm(request.POST)
    saved = form.is_valid() and _form_act(
        form,
        lambda: services.working_card_save(
            user=request.user, by=request.user, values=form.cleaned_data
        ),
    )
    if not saved:
        # The profile again with the card as typed, each problem beside its box.
        page = partial(profile_render, request, working_card_form=form)
        return _kept(request, form, "Your card was not saved.", page)
    messages.success(request, "Your “working with me” card is saved.")
    return redirect(reverse("accounts:profile") + "#working-with-me")
