"""The options of selects, radio groups and checkbox lists, written in Python
(closeloop.lib.widgets), read exactly as Django's own widget templates write them."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.utils.safestring import mark_safe

DJANGOS_OWN = DjangoTemplates()  # the widget templates Django ships
OURS = TemplatesSetting()  # the project's templates: its overrides first


class Everything(forms.Form):
    zone = forms.ChoiceField(
        choices=[("", "—"), ("Europe/Berlin", "Berlin <DE>"), ("a&b", mark_safe("<b>safe</b>"))]
    )
    grouped = forms.ChoiceField(
        choices=[("Europe", [("1", "One"), ("2", "Two & more")]), ("3", 'Three "quoted"')]
    )
    many = forms.MultipleChoiceField(choices=[(1, "A"), (2, "B"), (3, "C")])
    rating = forms.ChoiceField(
        choices=[(1, "1"), (2, "2 <two>")], widget=forms.RadioSelect(attrs={"class": "seg"})
    )
    people = forms.MultipleChoiceField(
        choices=[(7, "Ivy"), (8, "O'Hara & Co")], widget=forms.CheckboxSelectMultiple
    )
    unwrapped = forms.ChoiceField(
        choices=[("x", "X")], widget=forms.Select(attrs={"disabled": True, "data-x": False})
    )


class OwnOption(forms.Select):
    """A widget with an option template of its own: that template still writes the option."""

    option_template_name = "django/forms/widgets/input.html"


def _normal(html: str) -> str:
    """Whitespace between tags is all that may differ."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"zone": "a&b", "grouped": "2", "many": ["1", "3"], "rating": "2", "people": ["8"]},
        {"zone": "<nope>", "grouped": "", "many": ["9"], "rating": "x", "people": ["7", "8"]},
    ],
    ids=["unbound", "chosen", "invalid"],
)
def test_every_widget_reads_as_djangos_own(data):
    theirs = Everything(data, renderer=DJANGOS_OWN)
    ours = Everything(data, renderer=OURS)
    for name in Everything.base_fields:
        assert _normal(str(ours[name])) == _normal(str(theirs[name])), name


def test_labels_and_values_are_escaped_and_safe_ones_kept():
    html = str(Everything(renderer=OURS)["zone"])
    assert '<option value="Europe/Berlin">Berlin &lt;DE&gt;</option>' in html
    assert '<option value="a&amp;b"><b>safe</b></option>' in html
    assert "<script" not in str(Everything({"people": ["<script>"]}, renderer=OURS)["people"])


def test_an_option_template_of_its_own_is_still_used():
    field = forms.ChoiceField(choices=[("1", "One")], widget=OwnOption)
    ours = forms.Form(renderer=OURS)
    ours.fields["pick"] = field
    theirs = forms.Form(renderer=DJANGOS_OWN)
    theirs.fields["pick"] = field
    assert '<input type="select" name="pick" value="1"' in str(ours["pick"])
    assert _normal(str(ours["pick"])) == _normal(str(theirs["pick"]))


def test_the_project_renders_forms_with_its_own_templates(settings):
    assert settings.FORM_RENDERER == "django.forms.renderers.TemplatesSetting"
