"""Form helpers shared by the apps' views."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.lib.ids import id_parse

# The only shapes `<input type="date|time|datetime-local">` accept, whatever the page's
# language: a British "26/02/2027" in a date box is shown empty, and saving clears the date.
ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"

FieldT = TypeVar("FieldT", bound=forms.Field)


class DateInput(forms.DateInput):
    """A browser date picker that shows the stored date (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class TimeInput(forms.TimeInput):
    """A browser time picker that shows the stored time (HH:MM)."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_TIME)


class DateTimeLocalInput(forms.DateTimeInput):
    """A browser date-and-time picker (no zone: the form says which zone it is in)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATETIME_LOCAL)


class IdChoiceField(forms.ModelChoiceField):
    """A choice of one row by id: anything but an id a column can hold is "not one of the
    available choices" (Django's own field lets a 20-digit id overflow SQLite: a 500)."""

    def to_python(self, value: Any) -> Any:
        if (
            value not in self.empty_values
            and self.to_field_name is None
            and id_parse(value) is None
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several rows by id, with `IdChoiceField`'s rule for each."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)) and self.to_field_name is None:
            for each in value:
                if id_parse(each) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": each},
                    )
        return super().clean(value)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's own copy of field `name`, as the kind it is declared with.

    For `__init__` code that sets a field's choices, queryset or zone per request: the
    kind lets the type checker see those attributes, and a renamed field fails loudly.
    """
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind}")
    return field


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one,
    above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def refusal_words(error: ValidationError | PermissionDenied) -> str:
    """What a service's refusal says, as one sentence or several (a PermissionDenied
    without words says the usual)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You cannot do that here."


def refusal_message(form: forms.Form, lead: str = "Nothing was changed.") -> str:
    """The message at the top of the page when a form is refused.

    Each problem is said once: a visible field's problem only beside its field (the message
    points there), a problem that belongs to no visible field only here, because the form
    that caused it may no longer be offered once the page is out of date.
    """
    parts = [lead, *(str(problem) for problem in form.non_field_errors())]
    for field in form:
        if field.errors and field.is_hidden:
            parts += [str(problem) for problem in field.errors]
    if any(field.errors and not field.is_hidden for field in form):
        parts.append("Correct what is marked below.")
    return " ".join(parts)


def refused_keep(session: Any, key: str, data: Any, fields: Iterable[str], **scope: Any) -> None:
    """Keep what a refused form held for the page its person is sent back to (a form that
    lives on another page than the one it posts to): `fields` of `data`, and `scope` (which
    job, say) that the page checks before using them. In the session, not the address: what
    people type about candidates stays out of addresses and logs."""
    values = {name: str(data.get(name, ""))[:2000] for name in fields}
    session[key] = {"scope": scope, "values": values}


def refused_kept(session: Any, key: str, **scope: Any) -> dict[str, str]:
    """What `refused_keep` kept under `key` for this `scope`, read once ({} when nothing)."""
    kept = session.pop(key, None)
    if not isinstance(kept, dict) or kept.get("scope") != scope:
        return {}
    values = kept.get("values")
    return {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}


NOTICE_TYPED_MOST = 40  # characters of an unusable filter value a notice repeats


class FilterNoticesMixin:
    """A list's filter form whose unusable values are left out, each named in a notice
    ("“xyz” is not a role; showing every role"), never an error. `fallbacks`: what each
    field's notice says, by field name; a text field `q` refused for control characters
    (lib.text.PlainTextMixin) rather than for its length says `fallbacks["q_text"]`."""

    fallbacks: dict[str, str] = {}

    def value(self, name: str) -> str:
        """The filter's value when it is a usable one, else "" (no filter)."""
        form: Any = self
        form.is_valid()
        return str(form.cleaned_data.get(name) or "")

    def notices(self) -> list[str]:
        """A sentence for each value that could not be used (the list shows without it)."""
        form: Any = self
        form.is_valid()
        said = []
        for name in form.fields:
            if name not in form.errors:
                continue
            typed = " ".join(str(form.data.get(name, "")).split())
            if len(typed) > NOTICE_TYPED_MOST:
                typed = typed[:NOTICE_TYPED_MOST].rstrip() + "…"
            why = name
            if name == "q" and not form.has_error("q", "max_length"):
                why = "q_text"
            said.append(f"“{typed}” {self.fallbacks[why]}.")
        return said
