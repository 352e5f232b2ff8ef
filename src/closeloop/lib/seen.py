"""Saves from a page that is out of date: refused, so they never undo what was saved since.

See docs/architecture.md#where-rules-live ("Edits check what the page showed").

A page that edits a row carries a *fingerprint* of the values its form edits, as they were
when the page was rendered (`seen_stamp`), in the hidden field `seen` (`SeenField`). It holds
one short hash per value, by name, so the check can say which values changed, and a save that
writes only some of them is checked on those alone.

The service that saves re-reads the row under a lock and calls `seen_check` with the values it
is about to overwrite, as they are now. When one differs from what the page showed it raises
`SavedSince` (code SAVED_SINCE): each value, its label and what it is now; nothing is saved.
The view shows the form again, bound (`seen_kept`): what the person typed is kept, a value saved
since that they had left as their page showed it takes the value now (so saving again does not
undo it either), the values saved since are listed above the form (`_saved_since.html`), and
the fingerprint is the one of now.

No fingerprint (a script, a client posting without the page) checks nothing: the forms always
send one. One that cannot be read (cut short, edited by hand) is out of date.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import QueryDict

from closeloop.lib.text import listed
from closeloop.lib.timefmt import absolute

SEEN_FIELD = "seen"
SAVED_SINCE = "saved_since"  # the code of the refusal
SEEN_MAX_LENGTH = 4000  # a page's fingerprint is far shorter; a longer value is not one
_DIGEST_BYTES = 6  # 8 characters a value; a change goes unnoticed once in 2**48
# A name is a form field's: a hyphen too ("review-amount", one of a page's repeated rows).
_PART = re.compile(r"([a-z_][a-z0-9_-]{0,63}):([A-Za-z0-9_-]{8})")


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value)
    return (1, json.dumps(value, sort_keys=True, default=str))


def _plain(value: Any) -> Any:
    """The value as JSON can hold it, the same whichever side it comes from: a stored row or a
    form's cleaned data (a row is its id; a set or query set has no order; text is compared
    without its line endings' style or the spaces at its ends; empty text and None agree)."""
    if value is None:
        return ""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (QuerySet, set, frozenset)):
        return sorted((_plain(each) for each in value), key=_sort_key)
    if isinstance(value, (list, tuple)):
        return [_plain(each) for each in value]
    if isinstance(value, Mapping):
        return {str(key): _plain(each) for key, each in value.items()}
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _digest(value: Any) -> str:
    text = json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.blake2b(text.encode(), digest_size=_DIGEST_BYTES).digest()
    return base64.urlsafe_b64encode(digest).decode()


def seen_stamp(values: Mapping[str, Any]) -> str:
    """The fingerprint of `values` (name → value, as the page shows it), for its `seen` field."""
    return ",".join(f"{name}:{_digest(value)}" for name, value in values.items())


def _read(seen: str) -> dict[str, str] | None:
    """name → digest, or None when `seen` is no fingerprint."""
    read = {}
    for part in seen.split(","):
        match = _PART.fullmatch(part)
        if match is None:
            return None
        read[match[1]] = match[2]
    return read


def seen_untouched(seen: str | None, name: str, value: Any) -> bool:
    """Whether `value` (what a form sent for `name`) is what the page showed."""
    read = _read(seen) if seen else None
    return read is not None and read.get(name) == _digest(value)


@dataclass(frozen=True)
class SavedValue:
    """One value saved since the page was opened: its label and what it is now."""

    name: str
    label: str
    text: str
    # With a form below: True when it holds what the person typed (they changed this value
    # too), False when it now holds the saved value. None: no form holds it.
    typed_kept: bool | None = None


class SavedSince(ValidationError):
    """A save refused because its page was out of date (code SAVED_SINCE); nothing changed.
    `changed`: the names of the values saved since; `rows`: each with its words now (none
    when the page's fingerprint could not be read)."""

    def __init__(self, message: str, *, changed: Sequence[str], rows: Sequence[SavedValue]) -> None:
        super().__init__(message, code=SAVED_SINCE)
        self.changed = tuple(changed)
        self.rows = tuple(rows)


SAVED_NOTHING = "Nothing was saved; here is the page as it is now, with what you typed kept."


def seen_check(
    *,
    seen: str | None,
    values: Mapping[str, Any],
    what: str,
    labels: Mapping[str, str],
    shown: Callable[[str], Any] | None = None,
    outcome: str = SAVED_NOTHING,
) -> None:
    """Refuse with `SavedSince` when any of `values` (the row's, read now under its lock)
    differs from what the page showed (`seen`, its fingerprint; None or "" checks nothing).

    `what` names the row in the message ("this job"); `labels` name the values in lower case
    ("pay up to"); `shown(name)` gives a changed value as people read it when its stored form
    would not do (a time in its zone, a weekday's name); `outcome` ends the message."""
    if not seen:
        return
    read = _read(seen)
    if read is None:
        raise SavedSince(
            f"This page could not say what {what} held when you opened it, so saving it could "
            f"undo someone's changes. {outcome}",
            changed=list(values),
            rows=(),
        )
    changed = [name for name, value in values.items() if read.get(name) != _digest(value)]
    if not changed:
        return
    words = shown or values.__getitem__
    rows = [
        SavedValue(name, labels.get(name, name.replace("_", " ")), value_text(words(name)))
        for name in changed
    ]
    changes = listed(row.label for row in rows)
    raise SavedSince(
        f"Someone saved changes to {what} since you opened the page: {changes}. {outcome}",
        changed=changed,
        rows=rows,
    )


def value_text(value: Any) -> str:
    """A stored value as a person reads it ("—" for nothing)."""
    if value is None or value == "" or (isinstance(value, (list, tuple, set)) and not value):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dt.datetime):
        return absolute(value)
    if isinstance(value, dt.date):
        return f"{value:%a %d %b %Y}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, (QuerySet, set, frozenset)):
        return ", ".join(sorted(value_text(each) for each in value)) or "—"
    if isinstance(value, (list, tuple)):
        return "\n".join(value_text(each) for each in value)
    return str(value)


# --- Forms and views ---------------------------------------------------------------------------


class SeenField(forms.CharField):
    """The hidden field that carries the page's fingerprint. It never refuses a form: a value
    that is no fingerprint reaches the service's check, which calls the page out of date.
    Cleaned, it is the fingerprint, or None when the form sent none."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def clean(self, value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return None
        # Cut to a length no fingerprint reaches, NUL bytes out: read as no fingerprint.
        return value.strip()[: SEEN_MAX_LENGTH + 1].replace("\x00", "")


class SeenForm(forms.Form):
    """The fingerprint alone, for a page whose other input is no single form (a formset, a
    button)."""

    seen = SeenField()

    def posted(self) -> str | None:
        return self.cleaned_data.get("seen") if self.is_valid() else None


def _put(data: QueryDict, key: str, now: forms.BoundField) -> None:
    """Put the value `now` shows into `data` as a browser would send it."""
    field, value = now.field, now.value()
    if isinstance(field.widget, forms.CheckboxInput):
        if field.widget.check_test(value):
            data[key] = "on"
        else:
            data.pop(key, None)
        return
    if isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        data.setlist(key, [str(each) for each in value or []])
        return
    text = field.widget.format_value(value)
    if isinstance(text, list):  # a select's one choice
        text = text[0] if text else ""
    data[key] = "" if text is None else str(text)


def seen_kept(
    form: forms.BaseForm,
    error: SavedSince,
    *,
    now: forms.BaseForm,
    seen: str,
    typed: Mapping[str, Any] | None = None,
) -> tuple[QueryDict, list[SavedValue]]:
    """What to bind `form` with again after `error`, and the rows to show above it.

    The data is what the person sent, where each value saved since that they left as their
    page showed it becomes the value now (read from `now`, the unbound form as the page
    renders it now), with `seen` (the fingerprint of now) in its `SeenField`. `typed`: the
    form's values in the shape the fingerprint holds them, when they are not its cleaned
    data."""
    if not isinstance(form.data, QueryDict):
        raise TypeError("seen_kept rebinds a form bound to a request's data")
    data = form.data.copy()
    cleaned = getattr(form, "cleaned_data", {})
    posted = cleaned.get(SEEN_FIELD)
    values = typed if typed is not None else cleaned
    rows = []
    for row in error.rows:
        name = row.name
        renewed = (
            name in form.fields
            and name in now.fields
            and name in values
            and seen_untouched(posted, name, values[name])
        )
        if renewed:
            _put(data, form.add_prefix(name), now[name])
        rows.append(replace(row, typed_kept=not renewed))
    data[form.add_prefix(SEEN_FIELD)] = seen
    return data, rows
