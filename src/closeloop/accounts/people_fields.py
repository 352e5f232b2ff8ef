"""A form field for one person: picked from a list in a small organisation, typed (an email
or a name, the matching people offered as one types) in a big one, where a list of everyone
would make the page huge (352 people made a 24 KB select).

Used wherever a form names one person: a job's roles, an agreement's escalation contact, a
profile's delegate. Whether a form types its people is `accounts.selectors.people_typed`.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.lib.forms import IdChoiceField
from closeloop.lib.ids import id_parse

# What a person field accepts besides an id or an email: "Full Name", or the label a list
# shows, "Full Name (email)".
LABEL_EMAIL = re.compile(r"\(([^()]+@[^()]+)\)\s*$")


def people_suggest_url(field: str) -> str:
    """Where a typed field outside a job's roles (`selectors.TYPED_PEOPLE_FIELDS`) reads the
    people it offers as one types."""
    return f"{reverse('accounts:people-suggest')}?field={field}"


class PersonSearchInput(forms.TextInput):
    """A person typed by email or name. As one types, the people who may be chosen are
    offered (a datalist the server fills from `suggest_url`, htmx, which sends what was
    typed under the field's name); without JavaScript an email or a full name works all
    the same."""

    template_name = "people/person_search.html"

    def __init__(self, suggest_url: str) -> None:
        attrs = {"autocomplete": "off", "spellcheck": "false", "placeholder": "Name or email"}
        super().__init__(attrs=attrs)
        self.suggest_url = suggest_url

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["suggest_url"] = self.suggest_url
        return context


class PersonChoiceField(IdChoiceField):
    """A person shown by name and email, so two people called Sam can be told apart: picked
    from a list, or in a big organisation typed (`type_in`)."""

    typed = False
    who = "who may hold this role"  # "No one {who} has the email or name …"

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.email} ({obj.email})"

    def type_in(self, suggest_url: str, *, who: str | None = None) -> None:
        """Typed instead of listed: the field shows an email and reads an email or a name;
        `suggest_url` answers the options offered as one types."""
        self.typed = True
        self.widget = PersonSearchInput(suggest_url)
        if who is not None:
            self.who = who

    def prepare_value(self, value: Any) -> Any:
        if not self.typed:
            return super().prepare_value(value)
        if hasattr(value, "email"):
            return value.email
        if id_parse(value) is not None and self.queryset is not None:
            return self.queryset.filter(pk=value).values_list("email", flat=True).first() or ""
        return value  # what was typed, shown back with its error

    def to_python(self, value: Any) -> Any:
        if not self.typed or value in self.empty_values or id_parse(value) is not None:
            return super().to_python(value)
        return self._typed_person(str(value).strip())

    def _typed_person(self, text: str) -> Any:
        refused = ValidationError(
            f"No one {self.who} has the email or name “{text[:80]}”. Type part of their name "
            "or email to see who may.",
            code="invalid_choice",
        )
        if self.queryset is None or "\x00" in text or len(text) > 254:
            raise refused
        label = LABEL_EMAIL.search(text)
        email = label.group(1).strip() if label else text
        found = list(self.queryset.filter(email__iexact=email)[:2]) or list(
            self.queryset.filter(full_name__iexact=text)[:2]
        )
        if len(found) > 1:
            raise ValidationError(
                f"More than one person is called “{text}”: type the email of the one you mean.",
                code="ambiguous",
            )
        if not found:
            raise refused
        return found[0]
