"""Sentences for nudge messages: each ask worded for its own subject (see messages.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from closeloop.followups.messages import nudge_sentence as sentence_for

if TYPE_CHECKING:
    from closeloop.followups.messages import NudgeItem

register = template.Library()


@register.simple_tag
def nudge_sentence(item: NudgeItem) -> str:
    """One plain sentence per item; autoescaped by the template engine as usual."""
    return sentence_for(item)
