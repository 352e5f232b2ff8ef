"""Forms of the touch-base pages and the weekly-update settings (input shape only; the
services decide what is allowed)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms

from closeloop.accounts.forms import make_local_aware
from closeloop.lib.forms import (
    ISO_DATETIME_LOCAL,
    DateInput,
    DateTimeLocalInput,
    TimeInput,
    form_field,
)
from closeloop.lib.text import PlainTextMixin
from closeloop.touchbases.services import MOVE_REASON_MAX, NOTES_MAX
from closeloop.touchbases.slots import WEEKDAY_NAMES

if TYPE_CHECKING:
    from closeloop.accounts.models import User

WEEKDAY_CHOICES = [(str(index), name) for index, name in enumerate(WEEKDAY_NAMES)]


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Plain text. Both sides of the meeting (and whoever covers for the hiring "
        "manager) can edit them, before and after the meeting.",
    )
    # When the notes this page shows were saved ("" for none yet): a save from a page older
    # than the last save would erase what the other person wrote meanwhile.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class ActionItemForm(PlainTextMixin, forms.Form):
    description = forms.CharField(label="What needs doing", max_length=300)
    owner = forms.TypedChoiceField(label="Who", coerce=int)
    due_on = forms.DateField(label="Due on", widget=DateInput())

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        form_field(self, "owner", forms.ChoiceField).choices = [("", "Choose a person")] + [
            (person.pk, person.full_name) for person in people
        ]

    def owner_user(self) -> User:
        return self.people[self.cleaned_data["owner"]]


class ActionItemEditForm(PlainTextMixin, forms.Form):
    """An item's what, who and when, as its page offers them (filled with what they are). A
    field the request leaves out stays as it was (`changes`); one sent empty is refused, so
    none is optional on the page (none says "(optional)")."""

    description = forms.CharField(
        label="What needs doing",
        max_length=300,
        error_messages={"required": "Say what needs doing."},
    )
    owner = forms.TypedChoiceField(
        label="Who",
        coerce=int,
        error_messages={"required": "Choose someone on this job's hiring team."},
    )
    due_on = forms.DateField(
        label="Due on", widget=DateInput(), error_messages={"required": "Give a due date."}
    )

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        form_field(self, "owner", forms.ChoiceField).choices = [("", "Choose a person")] + [
            (person.pk, person.full_name) for person in people
        ]
        if self.is_bound:
            # Required as sent: a field the request leaves out stays as it was.
            for name, field in self.fields.items():
                field.required = name in self.data

    def changes(self) -> dict[str, Any]:
        """What the request changes, for `action_item_edit` (the fields it sent)."""
        sent = {name: self.cleaned_data[name] for name in self.fields if name in self.data}
        if "owner" in sent:
            sent["owner"] = self.people[sent["owner"]]
        return sent


class SkipForm(forms.Form):
    reason = forms.CharField(
        label="Why was it skipped?",
        max_length=300,
        error_messages={"required": "Say why it was skipped."},
        widget=forms.TextInput(
            attrs={"placeholder": "e.g. Hank travelling; moved to Friday's sync"}
        ),
    )


class MoveForm(PlainTextMixin, forms.Form):
    """A new date and time for one meeting, typed on the reader's clock (the page names the
    meeting's zone when it is another), and why."""

    starts_at = forms.CharField(
        label="New date and time",
        widget=DateTimeLocalInput(),
        error_messages={"required": "Give the new date and time."},
    )
    reason = forms.CharField(
        label="Why",
        required=False,
        max_length=MOVE_REASON_MAX,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Team offsite on Thursday"}),
    )
    # Ticked after the warning that the time is outside someone's working hours.
    confirmed = forms.BooleanField(label="Move it anyway", required=False)

    def __init__(self, *args: Any, zone: dt.tzinfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["starts_at"].help_text = f"In your time zone ({zone})."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        raw = cleaned.get("starts_at")
        if not raw:
            return cleaned
        try:
            naive = dt.datetime.strptime(raw, ISO_DATETIME_LOCAL)
            cleaned["starts"] = make_local_aware(naive, self.zone).astimezone(dt.UTC)
        except (ValueError, OverflowError):
            self.add_error("starts_at", "Enter a valid date and time, e.g. 2026-11-24 14:00.")
        except forms.ValidationError as error:
            self.add_error("starts_at", error)
        return cleaned


class DropForm(forms.Form):
    reason = forms.CharField(
        label="Why drop it?",
        max_length=300,
        error_messages={"required": "Say why it is dropped: the other side reads it."},
        widget=forms.TextInput(attrs={"placeholder": "e.g. The role no longer needs a referral"}),
    )


# A refused weekly-update form, kept for the profile page it goes back to (lib.forms).
WEEKLY_KEPT = "closeloop.weekly_update_refused"


class WeeklyUpdateForm(forms.Form):
    enabled = forms.BooleanField(label="Send me a weekly update", required=False)
    weekday = forms.TypedChoiceField(label="Day", choices=WEEKDAY_CHOICES, coerce=int)
    send_time = forms.TimeField(label="Time (yours)", widget=TimeInput())

    @classmethod
    def initial_for(cls, schedule: Any) -> dict[str, Any]:
        if schedule is None:
            return {"enabled": True, "weekday": "0", "send_time": dt.time(8, 0)}
        return {
            "enabled": schedule.enabled,
            "weekday": str(schedule.weekday),
            "send_time": schedule.send_time,
        }
