"""Mentorship's page slots: the "working with me" card on the profile (edited there) and the
cards of the people one hires with, on the job and intake pages."""

from __future__ import annotations

from typing import Any

from django import template

from closeloop.partnership.mentorship.forms import WorkingCardForm
from closeloop.partnership.mentorship.selectors import (
    mentorship_named_for,
    working_card_for,
    working_cards_for_job,
)

register = template.Library()


@register.inclusion_tag("partnership/mentorship/_card_form.html", takes_context=True)
def working_card_profile_panel(context: dict[str, Any], profile_user: Any) -> dict[str, Any]:
    """The person's own card and its form (only on their own profile)."""
    user = context["user"]
    if profile_user.pk != user.pk:
        return {"visible": False}
    card = working_card_for(user=user)
    # A refused save comes back bound (mentorship_card_save): what was typed, and why not.
    form = context.get("working_card_form")
    if form is None:
        fields = WorkingCardForm.base_fields if card else {}
        form = WorkingCardForm(initial={name: getattr(card, name) for name in fields})
    return {
        "visible": True,
        "form": form,
        "card": card,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("partnership/mentorship/_job_cards.html", takes_context=True)
def working_cards_job_panel(context: dict[str, Any], job: Any) -> dict[str, Any]:
    """How the job's recruiter and hiring manager like to work, for the people on the page
    (the page itself fetched the job with the jobs' permission check)."""
    return {"cards": working_cards_for_job(viewer=context["user"], job=job)}


@register.filter(name="mentorship_for")
def mentorship_for_filter(mentorship: Any, reader: Any) -> str:
    """`{{ mentorship|mentorship_for:user }}`: "Your mentorship of Hank Manager", "Olga
    Outsider as your mentor" or "Olga Outsider mentoring Hank Manager"."""
    return mentorship_named_for(mentorship=mentorship, reader=reader)
