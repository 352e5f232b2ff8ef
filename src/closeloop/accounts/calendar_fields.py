"""The public-holiday fields of a person's working calendar, as the profile and the invitation
forms offer them (one definition: the choices, the wording and the refusals)."""

from __future__ import annotations

from typing import Any

from django import forms

from closeloop.accounts.models import User
from closeloop.accounts.selectors import holiday_country_choices
from closeloop.lib.forms import form_field


class HolidayFields(forms.Form):
    """`holiday_country` (a country with a calendar, or none) and `holiday_subdivision` (a
    region code, suggested from the `holiday-regions` list the page carries). The profile's
    rules check the pair (accounts.services.profile_problems)."""

    holiday_country = forms.ChoiceField(
        label="Public holidays of",
        required=False,
        help_text="Due times skip these days.",
        error_messages={
            "invalid_choice": "“%(value)s” is not a country with a public-holiday calendar; "
            "choose one from the list."
        },
    )
    holiday_subdivision = forms.CharField(
        label="Region",
        max_length=User._meta.get_field("holiday_subdivision").max_length,
        required=False,
        widget=forms.TextInput(attrs={"list": "holiday-regions", "autocomplete": "off"}),
        help_text="Optional region code for regional holidays, e.g. ENG, SCT, BY, CA.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "holiday_country", forms.ChoiceField).choices = [
            ("", "None"),
            *holiday_country_choices(),
        ]
