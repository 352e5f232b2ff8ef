"""Forms for logging in, resetting passwords and editing one's profile.

Forms only parse input; the rules (valid zones, holidays, out-of-office) live in
accounts/services.py so the API and the admin can reuse them.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import timezone

from closeloop.accounts.calendar_fields import HolidayFields
from closeloop.accounts.models import User
from closeloop.accounts.passwords import reset_token_generator
from closeloop.accounts.people_fields import PersonChoiceField, people_suggest_url
from closeloop.accounts.selectors import (
    WEEKDAYS,
    admins_active,
    deactivated_account,
    people_for,
    people_typed,
    time_zone_choices,
    time_zone_names,
    user_delegate_candidates,
)
from closeloop.accounts.services import PROFILE_FIELDS, user_send_password_reset
from closeloop.accounts.signin import password_login_allowed
from closeloop.lib.forms import DateTimeLocalInput, TimeInput, form_field
from closeloop.lib.text import PlainTextMixin


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, with the email address as the user name.

    The field keeps the name `username`: django-axes counts failures by it.
    """

    username = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account. Check both, "
        "or reset your password.",
        "inactive": "This account has been deactivated; ask your Closeloop admin.",
        "deactivated": "This account has been deactivated; ask your Closeloop admin ({admins}).",
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email"

    def clean_username(self) -> str:
        # Lower-cased before authenticate(): axes then counts "Hank@…" and "hank@…" as one
        # person, so changing the case of the address buys a guesser no extra attempts.
        return self.cleaned_data["username"].lower()

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                self._refuse_deactivated()
            raise

    def _refuse_deactivated(self) -> None:
        """Authentication refuses a deactivated account as it refuses a wrong password;
        with the right password, say why and whom to ask instead (the attempt still counts
        as failed for the login limiter). Never while the limiter has locked the sign-in,
        nor for a password the site would not take anyway (PASSWORD_LOGIN=0)."""
        if getattr(self.request, "axes_locked_out", False):
            return
        user = deactivated_account(
            email=self.cleaned_data.get("username", ""),
            password=self.cleaned_data.get("password", ""),
        )
        if user is None or not password_login_allowed(user):
            return
        admins = people_for(admins_active(), reader=None)
        message = self.error_messages["deactivated" if admins else "inactive"]
        raise forms.ValidationError(message.format(admins=admins), code="inactive")


class EmailPasswordResetForm(PasswordResetForm):
    """Sends the reset email from our template triplet, with a link on SITE_URL."""

    email = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def save(self, *args: Any, token_generator: Any = reset_token_generator, **kwargs: Any) -> None:
        # Django's version builds links from the request's Host header; ours never does.
        for user in self.get_users(self.cleaned_data["email"]):
            user_send_password_reset(user=user, token_generator=token_generator)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the person's own time zone (`zone`), not the server's."""

    widget = DateTimeLocalInput()
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
    zone: dt.tzinfo = dt.UTC

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return value.astimezone(self.zone).replace(tzinfo=None)
        return value

    def to_python(self, value: Any) -> dt.datetime | None:
        # Keep the value naive here: the form makes it aware once it knows the chosen zone.
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None) if timezone.is_aware(value) else value
        result = forms.DateTimeField.to_python(self, value)
        return result.replace(tzinfo=None) if result is not None else None


def make_local_aware(value: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """Attach `zone`, refusing times a clock change skips or repeats."""
    aware = value.replace(tzinfo=zone)
    later = value.replace(tzinfo=zone, fold=1)
    if aware.utcoffset() != later.utcoffset():
        raise forms.ValidationError(
            f"{value:%d %b %Y %H:%M} happens twice or not at all in {zone} because the clocks "
            "change; pick another time."
        )
    return aware


class WorkingCalendarFields(HolidayFields):
    """A person's working calendar (time zone, working days and hours, public holidays) and
    their out-of-office window, typed in their time zone: one definition for the profile and
    the admin's page per person (People, *Calendar*). The rules are the profile service's
    (accounts.services.profile_problems)."""

    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text="Reminders reach you inside your working hours in this zone.",
        error_messages={"invalid_choice": "“%(value)s” is not a known time zone."},
    )
    work_days = forms.TypedMultipleChoiceField(
        label="Working days",
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one working day."},
    )
    work_start = forms.TimeField(
        label="Working day starts",
        widget=TimeInput(),
    )
    work_end = forms.TimeField(
        label="Working day ends",
        widget=TimeInput(),
    )
    out_of_office_from = LocalDateTimeField(label="Away from", required=False)
    out_of_office_until = LocalDateTimeField(label="Back on", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        form_field(self, "time_zone", forms.ChoiceField).choices = time_zone_choices(user.time_zone)
        for name in ("out_of_office_from", "out_of_office_until"):
            form_field(self, name, LocalDateTimeField).zone = user.zone

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        name = data.get("time_zone")
        zone = zoneinfo.ZoneInfo(name) if name in time_zone_names() else self.user.zone
        for field in ("out_of_office_from", "out_of_office_until"):
            if data.get(field) is not None:
                try:
                    data[field] = make_local_aware(data[field], zone)
                except forms.ValidationError as error:
                    self.add_error(field, error)
        self._keep_absence_as_shown(data)
        return data

    def _keep_absence_as_shown(self, data: dict[str, Any]) -> None:
        """A time of the absence left as the page showed it keeps its moment when the time
        zone changes: it is read in the new zone only when retyped (editing one field leaves
        the others as they were)."""
        for name in ("out_of_office_from", "out_of_office_until"):
            stored, typed = getattr(self.user, name), data.get(name)
            if stored is None or typed is None:
                continue
            as_shown = stored.astimezone(self.user.zone).replace(second=0, microsecond=0)
            if typed.replace(tzinfo=None) == as_shown.replace(tzinfo=None):
                data[name] = stored


class ProfileForm(PlainTextMixin, WorkingCalendarFields):
    """The parts of a person's profile they manage themselves."""

    field_order = [
        "holiday_country", "holiday_subdivision", "full_name", "title", "time_zone",
        "work_days", "work_start", "work_end", "out_of_office_from", "out_of_office_until",
        "delegate", "notify_channel", "batch_window_minutes",
    ]  # fmt: skip

    full_name = forms.CharField(label="Full name", max_length=150)
    title = forms.CharField(label="Job title", max_length=150, required=False)
    delegate = PersonChoiceField(
        label="Delegate while away",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody: escalate what waits on me",
        help_text="Takes over what waits on you while you are out of office.",
    )
    notify_channel = forms.ChoiceField(
        label="Send reminders by",
        choices=[("email", "Email"), ("in_app", "Only in Closeloop (your Inbox)")],
    )
    batch_window_minutes = forms.TypedChoiceField(
        label="At most one reminder message every",
        coerce=int,
        choices=[
            (0, "No batching"),
            (30, "30 minutes"),
            (60, "hour"),
            (120, "2 hours"),
            (240, "4 hours"),
            (480, "working day"),
        ],
        help_text="Everything pending for you in that window arrives as one message.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        delegate = form_field(self, "delegate", PersonChoiceField)
        delegate.queryset = user_delegate_candidates(user=user)
        if people_typed():  # a big organisation types the name: a list of everyone is huge
            delegate.type_in(people_suggest_url("delegate"), who="who may stand in for you")
            delegate.help_text = (
                "Takes over what waits on you while you are out of office. Empty: nobody, "
                "what waits on you escalates."
            )

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        """The form's starting values: the profile as it is now."""
        initial = {name: getattr(user, name) for name in PROFILE_FIELDS}
        initial["delegate"] = user.delegate_id
        return initial
