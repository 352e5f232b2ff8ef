"""The options of a select, a radio group or a checkbox list written in Python.

Django renders every `<option>` of a select through `select_option.html` and `attrs.html`,
and every radio button or checkbox through three templates: an include each, with a context
pushed for each. The time zone picker's 420 options cost the profile page about 40 ms that
way, most of the page, and a checkbox per person (a job's interviewers) grows with the
organisation. `select_options` and `input_options` write the same markup (the same
attributes, escaped the same way) in a loop. This is a template library (registered in
settings.TEMPLATES as `widgets`) that the project's overrides of
`django/forms/widgets/select.html` and `multiple_input.html` load; the form renderer reads
the project's templates (`TemplatesSetting`). An option with a template of its own (a widget
that sets `option_template_name`) is still rendered by that template.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

DEFAULT_OPTION = "django/forms/widgets/select_option.html"
DEFAULT_INPUT_OPTIONS = {
    "django/forms/widgets/radio_option.html",
    "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/input_option.html",
}


def _attrs(attrs: dict[str, Any]) -> str:
    """What `django/forms/widgets/attrs.html` writes: ` name="value"`, a bare ` name` for
    True, nothing for False. Escaped as autoescape does: a value marked safe stays as it is."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option_html(option: dict[str, Any]) -> str:
    if option.get("template_name", DEFAULT_OPTION) != DEFAULT_OPTION:
        return get_template(option["template_name"]).render({"widget": option})
    return (
        f'<option value="{conditional_escape(option["value"])}"'
        f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
    )


def _grouped(
    widget: dict[str, Any], option_html: Callable[[dict[str, Any]], str], group: tuple[str, str]
) -> list[str]:
    """Each option's markup, and around each named group of options the group's opening
    (`group[0]`, with `{}` for its escaped name) and closing."""
    parts: list[str] = []
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(group[0].format(conditional_escape(group_name)))
        parts.extend(option_html(option) for option in options)
        if group_name:
            parts.append(group[1])
    return parts


@register.simple_tag
def select_options(widget: dict[str, Any]) -> SafeString:
    """The `<option>`s (and `<optgroup>`s) of a select widget's context."""
    parts = _grouped(widget, _option_html, ('<optgroup label="{}">', "</optgroup>"))
    return mark_safe("\n".join(parts))  # noqa: S308  (every value and label escaped above)


def _input_option_html(option: dict[str, Any]) -> str:
    """What `input_option.html` writes: the input, wrapped in its label."""
    if option.get("template_name") not in DEFAULT_INPUT_OPTIONS:
        return get_template(option["template_name"]).render({"widget": option})
    value = option["value"]
    html = (
        f'<input type="{conditional_escape(option["type"])}" '
        f'name="{conditional_escape(option["name"])}"'
        + ("" if value is None else f' value="{conditional_escape(value)}"')
        + f"{_attrs(option['attrs'])}>"
    )
    if not option["wrap_label"]:
        return html
    option_id = option["attrs"].get("id")
    label = f'<label for="{conditional_escape(option_id)}">' if option_id else "<label>"
    return f"{label}{html} {conditional_escape(option['label'])}</label>"


def _input_div(option: dict[str, Any]) -> str:
    return f"<div>\n    {_input_option_html(option)}</div>"


@register.simple_tag
def input_options(widget: dict[str, Any]) -> SafeString:
    """The radio buttons or checkboxes of a radio group or checkbox list, each in its div."""
    parts = _grouped(widget, _input_div, ("<div><label>{}</label>", "</div>"))
    return mark_safe("".join(parts))  # noqa: S308  (every value and label escaped above)
