"""Forms of people management: they parse; the rules are in `accounts.people`."""

from __future__ import annotations

from typing import Any

from django import forms

from closeloop.accounts.calendar_fields import HolidayFields
from closeloop.accounts.forms import WorkingCalendarFields
from closeloop.accounts.models import User
from closeloop.accounts.people import INVITATION_CALENDAR
from closeloop.accounts.people_fields import PersonChoiceField, people_suggest_url
from closeloop.accounts.people_selectors import ROLE_CHOICES, STATUS_CHOICES, manager_choices
from closeloop.accounts.selectors import (
    holiday_subdivisions,
    people_typed,
    time_zone_choices,
)
from closeloop.accounts.services import CALENDAR_PAGE_FIELDS, user_calendar_seen
from closeloop.lib.forms import FilterNoticesMixin, form_field
from closeloop.lib.seen import SeenField
from closeloop.lib.text import PlainTextMixin

ROLE_HELP = {
    "is_admin": "Manages people and settings; sees everything.",
    "is_recruiter": "Runs jobs and candidates.",
    "is_hiring_manager": "Owns jobs and decides on candidates.",
    "is_interviewer": "Interviews and writes scorecards.",
}


class RoleFlagsForm(forms.Form):
    """The role flags, at least one of them."""

    is_admin = forms.BooleanField(label="Admin", required=False, help_text=ROLE_HELP["is_admin"])
    is_recruiter = forms.BooleanField(
        label="Recruiter", required=False, help_text=ROLE_HELP["is_recruiter"]
    )
    is_hiring_manager = forms.BooleanField(
        label="Hiring manager", required=False, help_text=ROLE_HELP["is_hiring_manager"]
    )
    is_interviewer = forms.BooleanField(
        label="Interviewer", required=False, help_text=ROLE_HELP["is_interviewer"]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ROLE_HELP):
            raise forms.ValidationError("Choose at least one role.")
        return data

    def role_fields(self) -> list[forms.BoundField]:
        """The role checkboxes, shown together as one group."""
        return [self[name] for name in ROLE_HELP]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in ROLE_HELP]


class InvitationForm(PlainTextMixin, HolidayFields, RoleFlagsForm):
    """Who to invite, as what; manager optional; the calendar due times are counted in (time
    zone and public holidays), starting as the inviting admin's own (`by`)."""

    email = forms.EmailField(label="Email", max_length=254)
    full_name = forms.CharField(label="Full name", max_length=150)
    manager = PersonChoiceField(
        label="Manager",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody",
        help_text="Receives this person's escalations.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        initial="UTC",
        error_messages={"invalid_choice": "“%(value)s” is not a known time zone."},
    )

    def __init__(self, *args: Any, by: User, **kwargs: Any) -> None:
        # Colleagues mostly work where the admin does: the admin's own calendar is the
        # starting point, so nobody starts without public holidays unless the admin has none.
        kwargs["initial"] = {
            "time_zone": by.time_zone,
            "holiday_country": by.holiday_country,
            "holiday_subdivision": by.holiday_subdivision,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        manager = form_field(self, "manager", PersonChoiceField)
        manager.queryset = manager_choices()
        if people_typed():  # a big organisation types the name: a list of everyone is huge
            manager.type_in(people_suggest_url("manager"), who="active")
        form_field(self, "time_zone", forms.ChoiceField).choices = time_zone_choices(by.time_zone)
        # The regions offered as one types: the admin's country's, the likeliest one.
        self.subdivisions = holiday_subdivisions(by.holiday_country)
        # The email and name first, then the roles, then the rest.
        order = ["email", "full_name", *ROLE_HELP, "manager", *INVITATION_CALENDAR]
        self.order_fields(order)


class RolesForm(RoleFlagsForm):
    """A person's roles, and whether a recruiter sees every job."""

    sees_all_jobs = forms.BooleanField(
        label="Sees every job",
        required=False,
        help_text=(
            "Recruiters only: they see every job and candidate, not only their own. Admins see "
            "every job already; for anyone else it is refused."
        ),
    )
    # What the page showed (lib.seen): a save from a page older than a save made since is
    # refused rather than undoing it.
    seen = SeenField()


# The people page's filters: what each says when its value is unusable, and what it falls
# back to (as the job list's, pipeline.forms.FILTER_FALLBACKS). One bad value drops that
# filter only, with a notice; never an error.
PEOPLE_FILTER_FALLBACKS = {
    "q": "is longer than 100 characters, more than a name or email holds; showing everyone",
    "q_text": "holds characters no name or email has; showing everyone",
    "role": "is not a role; showing every role",
    "status": "is not a status; showing anyone",
}


class PeopleFilterForm(FilterNoticesMixin, PlainTextMixin, forms.Form):
    """The people page's filters; a value that is not usable is left out, with a notice."""

    q = forms.CharField(label="Name or email", max_length=100, required=False)
    role = forms.ChoiceField(
        label="Role", choices=[("", "Any role"), *ROLE_CHOICES], required=False
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Anyone"), *STATUS_CHOICES], required=False
    )

    fallbacks = PEOPLE_FILTER_FALLBACKS


class PersonCalendarForm(PlainTextMixin, WorkingCalendarFields):
    """An admin's page for one person's working calendar and out of office: the profile's
    own fields (`WorkingCalendarFields`), worded for someone else's."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["time_zone"].help_text = (
            "Their due times are counted, and their reminders sent, inside their working "
            "hours in this zone."
        )

    seen = SeenField()

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        shown = {name: getattr(user, name) for name in CALENDAR_PAGE_FIELDS}
        return {**shown, "seen": user_calendar_seen(user)}
