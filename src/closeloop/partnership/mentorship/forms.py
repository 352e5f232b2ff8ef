"""Mentorship forms: input shape only (the services decide what is allowed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from closeloop.accounts.forms import make_local_aware
from closeloop.accounts.models import User
from closeloop.accounts.people_fields import PersonChoiceField, people_suggest_url
from closeloop.accounts.selectors import people_typed
from closeloop.lib.forms import (
    ISO_DATETIME_LOCAL,
    DateInput,
    DateTimeLocalInput,
    form_field,
)
from closeloop.lib.text import PlainTextMixin
from closeloop.partnership.mentorship.models import NOTES_MAX, TEXT_MAX, GoalFigure

CADENCE_CHOICES = [
    (7, "Every week"),
    (14, "Every 2 weeks"),
    (21, "Every 3 weeks"),
    (28, "Every 4 weeks"),
]


class ProposeForm(PlainTextMixin, forms.Form):
    mentor = PersonChoiceField(label="Mentor", queryset=User.objects.none())
    mentee = PersonChoiceField(label="Mentee", queryset=User.objects.none())
    cadence_days = forms.TypedChoiceField(
        label="Sessions", choices=CADENCE_CHOICES, coerce=int, initial=14
    )
    note = forms.CharField(label="Why this pairing", required=False, max_length=TEXT_MAX)

    def __init__(
        self,
        *args: Any,
        people: Any,
        mentees: Any,
        mentor_fixed: User | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        typed = people_typed()  # a big organisation types the names: lists of everyone are huge
        for name, choices in (("mentor", people), ("mentee", mentees)):
            field = form_field(self, name, PersonChoiceField)
            field.queryset = choices
            if typed and not (name == "mentor" and mentor_fixed is not None):
                who = "you may mentor" if name == "mentee" and mentor_fixed else "active"
                field.type_in(people_suggest_url(name), who=who)
        # The note goes word for word into the emails of the proposal: whoever writes it
        # should know who reads it.
        self.fields["note"].help_text = (
            "The mentee reads this as you write it, in the email asking them to accept."
            if mentor_fixed is not None
            else "The mentee and the mentor read this as you write it, in the emails telling "
            "them of the proposal."
        )
        if mentor_fixed is not None:
            # Someone who is not an admin proposes themself as the mentor; a page out of date
            # (or a forged post) naming someone left out of the mentees is told why.
            self.fields["mentee"].error_messages["invalid_choice"] = (
                "Choose someone else to mentor: not yourself, nor someone you mentor already "
                "or have offered to, nor someone who mentors you or has offered to."
            )
            self.fields["mentor"].initial = mentor_fixed.pk
            self.fields["mentor"].required = False
            self.fields["mentor"].widget = forms.HiddenInput()


class GoalForm(PlainTextMixin, forms.Form):
    text = forms.CharField(label="Goal", max_length=TEXT_MAX)
    figure = forms.ChoiceField(label="Measured by", choices=GoalFigure.choices, required=False)


class ScheduleForm(forms.Form):
    starts_at = forms.CharField(label="Move the next session to", widget=DateTimeLocalInput())

    def starts_at_in(self, zone: dt.tzinfo) -> dt.datetime | None:
        """The typed wall-clock time in the person's own zone, or None if unreadable or if
        the clocks skip or repeat it there (the problem is then put on the field)."""
        try:
            naive = dt.datetime.strptime(self.cleaned_data["starts_at"], ISO_DATETIME_LOCAL)
        except (KeyError, ValueError):
            return None
        try:
            return make_local_aware(naive, zone)
        except forms.ValidationError as error:
            self.add_error("starts_at", error)
            return None


class NotesForm(PlainTextMixin, forms.Form):
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text, seen by the two of you (and admins).",
    )


class ActionForm(PlainTextMixin, forms.Form):
    description = forms.CharField(label="What needs doing", max_length=TEXT_MAX)
    owner = forms.TypedChoiceField(label="Who", coerce=int)
    due_on = forms.DateField(label="Due on", widget=DateInput())

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        form_field(self, "owner", forms.ChoiceField).choices = [
            (person.pk, person.full_name) for person in people
        ]

    def owner_user(self) -> User:
        return self.people[self.cleaned_data["owner"]]


class WorkingCardForm(PlainTextMixin, forms.Form):
    best_times = forms.CharField(
        label="Best times to reach me", required=False, max_length=TEXT_MAX,
        widget=forms.TextInput(attrs={"placeholder": "e.g. mornings; never Fridays after 3"}),
    )  # fmt: skip
    channel = forms.CharField(
        label="Preferred channel", required=False, max_length=TEXT_MAX,
        widget=forms.TextInput(attrs={"placeholder": "e.g. email for decisions, chat else"}),
    )  # fmt: skip
    looks_for = forms.CharField(
        label="What I look for in a candidate", required=False, max_length=TEXT_MAX,
    )  # fmt: skip
    feedback = forms.CharField(
        label="How I like feedback", required=False, max_length=TEXT_MAX,
    )  # fmt: skip
