"""The filters of the insights pages, read from the query string so a view can be shared.

A value that is not valid (a date that is not one, a job the reader may not filter by, an
unknown sort) is named in a message and replaced by its default: the page still answers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from closeloop.followups.policies import ask_kind_choices
from closeloop.insights.selectors import Period
from closeloop.lib.forms import DateInput

DEFAULT_DAYS = 90
LONGEST_DAYS = 366
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


class PeriodForm(forms.Form):
    """From and to, whole days in the reader's time zone, both included."""

    start = forms.DateField(label="From", required=False, widget=DateInput())
    end = forms.DateField(label="To", required=False, widget=DateInput())

    def __init__(self, data: Any, *, today: dt.date, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.today = today

    def clean_start(self) -> dt.date | None:
        return _plausible(self.cleaned_data.get("start"))

    def clean_end(self) -> dt.date | None:
        return _plausible(self.cleaned_data.get("end"))

    def clean(self) -> dict[str, Any]:
        # Checked on the days the page would show (a missing end is today, a missing start 90
        # days before the end), so no period, given in full or in part, spans more than a year.
        data = super().clean() or {}
        if {"start", "end"} & set(self.errors):
            return data
        start, end = self._resolved(data)
        if start > end:
            raise forms.ValidationError("“From” is after “To”: showing the last 90 days.")
        if (end - start).days >= LONGEST_DAYS:
            raise forms.ValidationError("A period is at most a year: showing the last 90 days.")
        return data

    def _resolved(self, data: dict[str, Any]) -> tuple[dt.date, dt.date]:
        end = data.get("end") or self.today
        return data.get("start") or end - dt.timedelta(days=DEFAULT_DAYS - 1), end

    def days(self) -> tuple[dt.date, dt.date]:
        """The first and last day asked for, or the last 90 days when they are not valid."""
        self.is_valid()
        troubled = {"start", "end"} & set(self.errors) or self.non_field_errors()
        return self._resolved({} if troubled else self.cleaned_data)

    def period(self, zone: dt.tzinfo) -> Period:
        start, end = self.days()
        return Period(_midnight(start, zone), _midnight(end + dt.timedelta(days=1), zone))

    def problems(self) -> list[str]:
        """What was not understood, in words, for a message above the table."""
        if self.is_valid():
            return []
        found = [str(error) for error in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name != NON_FIELD_ERRORS:
                label = self[name].label
                found += [f"{label}: {error} It was left out." for error in errors]
        return found


def _plausible(day: dt.date | None) -> dt.date | None:
    """A day this side of the years anyone records asks in (far dates would overflow)."""
    if day is not None and not EARLIEST <= day <= LATEST:
        raise forms.ValidationError("Enter a date between 2000 and 2100.")
    return day


def _midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


class PeopleFilterForm(PeriodForm):
    """The period, and the role, jobs, kind of ask and order of the people table."""

    role = forms.ChoiceField(
        label="Role",
        required=False,
        choices=[
            ("", "Everyone"),
            ("recruiter", "Recruiters"),
            ("hiring_manager", "Hiring managers"),
            ("interviewer", "Interviewers"),
            ("admin", "Admins"),
        ],
    )
    # One job by id (kept from a link), or the jobs whose title holds some words: a list of
    # every job to pick from would be most of the page in an organisation of a thousand.
    job: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.HiddenInput
    )
    job_title = forms.CharField(label="Job title contains", required=False, max_length=100)
    kind = forms.ChoiceField(label="Kind of ask", required=False, choices=[])
    sort = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[
            ("name", "Name"),
            ("-median", "Slowest median first"),
            ("median", "Fastest median first"),
            ("within", "Lowest share in time first"),
            ("-within", "Highest share in time first"),
            ("-open", "Most open first"),
            ("-overdue", "Most overdue first"),
        ],
    )

    def __init__(self, data: Any, *, jobs: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["job"].queryset = jobs  # type: ignore[attr-defined]
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            ("", "Every kind"),
            *sorted(ask_kind_choices(), key=lambda choice: choice[1]),
        ]

    def choice(self, name: str) -> Any:
        """A filter's value, or its default when it was not valid."""
        if name in self.errors or not hasattr(self, "cleaned_data"):
            return None
        return self.cleaned_data.get(name)


class CompareFilterForm(PeriodForm):
    """The period, status and team of the jobs side by side."""

    status = forms.ChoiceField(label="Jobs", required=False, choices=[])
    team = forms.ChoiceField(label="Team", required=False, choices=[])

    def __init__(
        self, data: Any, *, statuses: dict[str, str], teams: list[str], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["status"].choices = list(statuses.items())  # type: ignore[attr-defined]
        self.fields["team"].choices = [  # type: ignore[attr-defined]
            ("", "Every team"),
            *((team, team) for team in teams),
        ]

    def choice(self, name: str) -> str:
        """A filter's value, or its default ("") when it was not valid."""
        if name in self.errors or not hasattr(self, "cleaned_data"):
            return ""
        return str(self.cleaned_data.get(name) or "")
