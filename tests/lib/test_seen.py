"""closeloop.lib.seen: the fingerprint a page carries of what it showed, and its check."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.http import QueryDict

from closeloop.lib.seen import (
    SAVED_SINCE,
    SavedSince,
    SeenField,
    seen_check,
    seen_kept,
    seen_stamp,
    seen_untouched,
)

LABELS = {"title": "title", "headcount": "headcount", "remote": "remote work"}


def check(seen, **values):
    seen_check(seen=seen, values=values, what="this job", labels=LABELS)


def test_the_same_values_pass_and_a_changed_one_is_named_with_its_value_now():
    seen = seen_stamp({"title": "Data Engineer", "headcount": 1, "remote": False})
    check(seen, title="Data Engineer", headcount=1, remote=False)
    with pytest.raises(SavedSince) as refused:
        check(seen, title="Senior Data Engineer", headcount=1, remote=True)
    error = refused.value
    assert error.code == SAVED_SINCE
    assert error.changed == ("title", "remote")
    assert [(row.label, row.text) for row in error.rows] == [
        ("title", "Senior Data Engineer"),
        ("remote work", "yes"),
    ]
    assert error.messages == [
        "Someone saved changes to this job since you opened the page: title and remote work. "
        "Nothing was saved; here is the page as it is now, with what you typed kept."
    ]


def test_only_the_values_checked_count_so_a_partial_save_is_checked_on_its_own():
    seen = seen_stamp({"title": "A", "headcount": 1})
    check(seen, headcount=1)  # the title changed since, but this save does not write it


def test_no_fingerprint_checks_nothing():
    check(None, title="anything")
    check("", title="anything")


@pytest.mark.parametrize(
    "hostile", ["garbage", "title:short", "title:AAAAAAAA,,", "x" * 5000, "' OR 1=1 --"]
)
def test_a_fingerprint_that_cannot_be_read_is_out_of_date(hostile):
    with pytest.raises(SavedSince, match="could not say what this job held"):
        check(hostile, title="A")


def test_a_value_the_page_did_not_show_is_out_of_date():
    with pytest.raises(SavedSince):
        check(seen_stamp({"title": "A"}), title="A", headcount=1)


def test_stored_and_typed_shapes_of_one_value_agree():
    """What a form sends for a value the page showed matches what the row holds."""
    moment = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    berlin = moment.astimezone(dt.timezone(dt.timedelta(hours=1)))
    stored = {"must": "Python\nGo", "email": None, "people": {3, 10}, "at": moment}
    seen = seen_stamp(stored)
    assert seen_untouched(seen, "must", "Python\r\nGo\r\n")
    assert seen_untouched(seen, "email", "")
    assert not seen_untouched(seen, "people", [10, 3])  # a list keeps its order...
    assert seen_untouched(seen, "people", {10, 3})  # ...a set has none
    assert seen_untouched(seen, "at", berlin)
    assert not seen_untouched(seen, "must", "Python")
    assert not seen_untouched("garbage", "must", "Python\nGo")


class ItemForm(forms.Form):
    title = forms.CharField()
    headcount = forms.IntegerField()
    remote = forms.BooleanField(required=False)
    seen = SeenField()


def test_kept_data_takes_the_values_saved_since_that_were_left_alone_and_keeps_the_typed():
    shown = {"title": "A", "headcount": 1, "remote": False}
    seen = seen_stamp(shown)
    posted = QueryDict(mutable=True)
    posted.update({"title": "Mine", "headcount": "1", "seen": seen})
    form = ItemForm(posted)
    assert form.is_valid()
    with pytest.raises(SavedSince) as refused:
        check(seen, title="B", headcount=3, remote=True)
    now_values = {"title": "B", "headcount": 3, "remote": True}
    now = ItemForm(initial={**now_values, "seen": seen_stamp(now_values)})

    data, rows = seen_kept(form, refused.value, now=now, seen=seen_stamp(now_values))

    assert data["title"] == "Mine"  # typed over a value saved since: kept, flagged
    assert data["headcount"] == "3" and data["remote"] == "on"  # left alone: the value now
    assert data["seen"] == seen_stamp(now_values)
    assert {row.name: row.typed_kept for row in rows} == {
        "title": True,
        "headcount": False,
        "remote": False,
    }


def test_the_field_never_refuses_a_form():
    field = SeenField()
    assert field.clean("") is None and field.clean(None) is None
    assert field.clean("x" * 9000) == "x" * 4001
    assert field.clean("a\x00b") == "ab"
