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

from closeloop.lib.folding import by_name
from closeloop.lib.forms import IdChoiceField
from closeloop.lib.ids import id_parse

# What a person field accepts besides an id or an email: "Full Name", or the label a list
# shows, "Full Name (email)".
LABEL_EMAIL = re.compile(r"\(([^()]+@[^()]+)\)\s*$")


def person_label(person: Any) -> str:
    """How a person field shows someone: "Full Name (email)", so two people called Sam can
    be told apart (and what `person_typed` reads back)."""
    return f"{person.full_name or person.email} ({person.email})"


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
        return person_label(obj)

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
        return person_typed(self.queryset, str(value).strip(), who=self.who)


def person_typed(people: Any, text: str, *, who: str) -> Any:
    """The one of `people` whose email is `text` (or the email in a listed label "Name
    (email)"), else whose full name is `text`; a clear refusal for no one or for two."""
    refused = ValidationError(
        f"No one {who} has the email or name “{text[:80]}”. Type part of their name or email "
        "to see who may.",
        code="invalid_choice",
    )
    if people is None or "\x00" in text or len(text) > 254:
        raise refused
    email = _email_of_label(text)
    found = list(people.filter(email__iexact=email)[:2]) or list(
        people.filter(full_name__iexact=text)[:2]
    )
    if len(found) > 1:
        raise ValidationError(
            f"More than one person is called “{text}”: type the email of the one you mean.",
            code="ambiguous",
        )
    if not found:
        raise refused
    return found[0]


# Several people typed in one box: "Ivy Chen, sam@example.com".
SEPARATORS = re.compile(r"[,;\n]")


def people_box_read(values: list[str]) -> tuple[str, str, list[str]]:
    """What a box of several people sends for its suggestions (the ticked boxes' ids and the
    typed text), read: what to keep ("ivy@example.com, "), the last person being typed
    ("interv"), and everyone chosen already (ids, emails or names), offered no second time."""
    ticked = [value for value in values if id_parse(value) is not None]
    typed = next((value for value in reversed(values) if id_parse(value) is None), "")
    parts = SEPARATORS.split(typed)
    before = [part.strip() for part in parts[:-1] if part.strip()]
    kept = f"{', '.join(before)}, " if before else ""
    return kept, parts[-1], [*ticked, *(_email_of_label(part) for part in before)]


def _email_of_label(text: str) -> str:
    """ "Name (email)", as a list shows a person: the email; anything else as it is."""
    label = LABEL_EMAIL.search(text)
    return label.group(1).strip() if label else text


class PeopleSearchInput(forms.Widget):
    """Several people: those chosen now as ticked boxes (untick to remove), and a box to add
    more by email or name, separated by commas, the matching people offered as one types
    (the suggestions keep what was typed before the last comma). Both send the field's
    name: ids from the boxes, text from the box."""

    template_name = "people/people_search.html"

    def __init__(self, suggest_url: str, people: Any) -> None:
        attrs = {
            "autocomplete": "off",
            "spellcheck": "false",
            "placeholder": "Add: names or emails, separated by commas",
        }
        super().__init__(attrs=attrs)
        self.suggest_url = suggest_url
        self.people = people  # the field's queryset: who the ids name

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # an unticked box sends nothing: nothing sent is an empty choice

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        values = [str(v) for v in (value or []) if v not in (None, "")]
        ids = [int(v) for v in values if id_parse(v) is not None]
        chosen = (
            list(self.people.filter(pk__in=ids).order_by(*by_name("full_name"), "email"))
            if ids
            else []
        )
        context["widget"].update(
            chosen=[(person.pk, person_label(person)) for person in chosen],
            typed=", ".join(v for v in values if id_parse(v) is None),
            suggest_url=self.suggest_url,
        )  # fmt: skip
        return context


class PeopleTypedMixin:
    """For a field of several people (`forms.ModelMultipleChoiceField`): `type_in` makes it
    read ticked ids and typed emails or names (`PeopleSearchInput`)."""

    typed = False
    who = "who may be chosen here"
    queryset: Any
    widget: Any

    def type_in(self, suggest_url: str, *, who: str | None = None) -> None:
        self.typed = True
        self.widget = PeopleSearchInput(suggest_url, self.queryset)
        if who is not None:
            self.who = who

    def clean(self, value: Any) -> Any:
        if not self.typed:
            return super().clean(value)  # type: ignore[misc]
        values = [str(v) for v in (value or [])]
        ids = [v for v in values if id_parse(v) is not None]
        names = [
            part.strip()
            for v in values
            if id_parse(v) is None
            for part in SEPARATORS.split(v)
            if part.strip()
        ]
        chosen = list(super().clean(ids)) if ids else []  # type: ignore[misc]
        errors = []
        for text in names:
            try:
                chosen.append(person_typed(self.queryset, text, who=self.who))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        if self.required and not chosen:  # type: ignore[attr-defined]
            raise ValidationError(self.error_messages["required"], code="required")  # type: ignore[attr-defined]
        return list(dict.fromkeys(chosen))
