"""Forms of the engine: snoozing an ask (in the app or from a link) and the service levels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from closeloop.followups.policies import (
    BOUNDS,
    LevelSetting,
    LevelSettings,
    ServiceLevels,
    job_kinds,
    service_levels_in_force,
)
from closeloop.lib.forms import DateInput
from closeloop.lib.seen import SeenField

if TYPE_CHECKING:
    from django.core.exceptions import ValidationError

    from closeloop.followups.policies import LevelInForce


class SnoozeForm(forms.Form):
    reason = forms.CharField(
        label="Why snooze? (your team sees this)",
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "e.g. travelling until tomorrow"}),
        error_messages={
            "required": "Say why you are snoozing, so your team knows what to expect.",
            "max_length": "Keep the reason to %(limit_value)d characters (it has %(show_value)d).",
        },
    )


def amount_input(unit: str, **attrs: Any) -> forms.NumberInput:
    """A number box that lets the browser help (step, min, max); the service still decides."""
    bounds = BOUNDS[unit]
    limits = {"step": f"{bounds.step:g}", "min": f"{bounds.minimum:g}"}
    return forms.NumberInput(attrs={**limits, "max": f"{bounds.maximum:g}", **attrs})


class JobServiceLevelFields:
    """The boxes in which a job (or its intake agreement) sets its own service levels: one
    optional number per kind a job agrees on; empty means the organisation's time.

    Mixed into a form that calls `service_level_fields_add(agreed)` from its __init__ and
    `service_levels_check()` from its clean(); `service_levels_entered()` returns what was
    typed, parsed: the boxes are the edge where these levels come in, so they are checked
    here, by the one rule (`service_level_parse`), and the services trust what they get.
    """

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    _levels_entered: ServiceLevels

    def service_level_fields_add(self, agreed: dict[str, Any], *, note_disabled: bool) -> None:
        for level in service_levels_in_force(kinds=job_kinds()):
            org = level.describe()
            help_text = f"Empty: the organisation's {org}."
            if note_disabled and not level.enabled:
                help_text = "Turned off for the organisation: no asks of this kind are opened."
            self.fields[f"service_level_{level.kind}"] = forms.DecimalField(
                required=False,
                label=f"{level.policy.label} ({level.unit_name})",
                help_text=help_text,
                initial=agreed.get(level.kind),
                widget=amount_input(level.policy.due.unit, placeholder=org),
                error_messages={"invalid": f"Enter a number of {level.unit_name}, or leave empty."},
            )

    def service_level_fields(self) -> list[forms.BoundField]:
        return [self[f"service_level_{kind}"] for kind in job_kinds()]  # type: ignore[index]

    def service_levels_check(self) -> None:
        typed = {
            kind: amount
            for kind in job_kinds()
            if (amount := self.cleaned_data.get(f"service_level_{kind}")) is not None
        }
        self._levels_entered, problems = ServiceLevels.read(typed)
        for kind, problem in problems.items():
            self.add_error(f"service_level_{kind}", problem)  # type: ignore[attr-defined]

    def service_levels_entered(self) -> ServiceLevels:
        """The kinds given a time in these boxes, parsed (the others: the organisation's)."""
        return self._levels_entered


class ServiceLevelsForm(forms.Form):
    """The organisation's service levels: per ask kind, its due time and whether it is on.

    Fields are `<kind>-amount` and `<kind>-enabled`. The page is where these settings come
    in, so the form checks the limits (by the one rule the job form and the intake use) and
    `settings()` hands the service the parsed `LevelSettings`, which it trusts.
    """

    # What the page showed (lib.seen): a save from a page older than a save made since is
    # refused rather than undoing it.
    seen = SeenField()

    def __init__(self, *args: Any, levels: list[LevelInForce], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.levels = levels
        for level in levels:
            due = level.policy.due
            self.fields[f"{level.kind}-amount"] = forms.DecimalField(
                label=f"Due in ({level.unit_name})",
                initial=f"{due.amount:g}",
                widget=amount_input(due.unit),
                error_messages={
                    "required": f"Enter the due time in {level.unit_name}.",
                    "invalid": f"Enter a number of {level.unit_name}, e.g. {due.amount:g}.",
                },
            )
            self.fields[f"{level.kind}-enabled"] = forms.BooleanField(
                label="Chase this: open asks of this kind",
                required=False,
                initial=level.enabled,
            )

    def rows(self) -> list[tuple[LevelInForce, forms.BoundField, forms.BoundField]]:
        return [
            (level, self[f"{level.kind}-amount"], self[f"{level.kind}-enabled"])
            for level in self.levels
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        typed = {
            level.kind: LevelSetting(amount, self.cleaned_data[f"{level.kind}-enabled"])
            for level in self.levels
            if (amount := self.cleaned_data.get(f"{level.kind}-amount")) is not None
        }
        self._settings, problems = LevelSettings.read(typed)
        for kind, problem in problems.items():
            self.add_error(f"{kind}-amount", problem)
        return self.cleaned_data

    def settings(self) -> LevelSettings:
        """What the service takes, parsed: kind → (amount, enabled)."""
        return self._settings

    def seen_values(self) -> dict[str, Any]:
        """The values as the page's fingerprint holds them: each amount as the page writes it."""
        values: dict[str, Any] = {}
        for kind, (amount, enabled) in self._settings.items():
            values[f"{kind}-amount"], values[f"{kind}-enabled"] = f"{amount:g}", enabled
        return values

    def add_service_error(self, error: ValidationError) -> None:
        """The service keys its errors by kind: show each next to that kind's amount."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for kind, errors in error.error_dict.items():
            field = f"{kind}-amount" if f"{kind}-amount" in self.fields else None
            self.add_error(field, errors)


class OfficeClosureForm(forms.Form):
    """An office closure to add: a name and its first and last days (both included). The
    service checks the span and overlaps (`office_closure_add`)."""

    name = forms.CharField(
        label="Name",
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Christmas shutdown"}),
        error_messages={"required": "Name the closure (e.g. Christmas shutdown)."},
    )
    first_day = forms.DateField(
        label="First day closed",
        widget=DateInput(),
        error_messages={"required": "Give the first day the office is closed."},
    )
    last_day = forms.DateField(
        label="Last day closed",
        widget=DateInput(),
        error_messages={
            "required": "Give the last day the office is closed (the same day for one)."
        },
    )
