"""Sentences for nudge messages: what waits, for how long, framed around the candidate."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def nudge_sentence(item: object) -> str:
    """One plain sentence per item; autoescaped by the template engine as usual."""
    ask = item.ask
    who = item.candidate or "The candidate"
    timing = f"overdue since {item.due}" if item.overdue else f"due {item.due}"
    if item.role == "owner":
        sentence = f"{ask.title}: {who} has been waiting {item.waited} ({timing})."
        if ask.is_snoozed():
            sentence += f" You snoozed this: “{ask.snooze_reason}”."
        return sentence
    role = "the escalation contact" if item.role == "escalation" else "an admin"
    return (
        f"{ask.title} ({ask.owner.full_name}): {who} has been waiting {item.waited} ({timing})."
        f" You are receiving this as {role}; a word with {ask.owner.short_name} may unblock it."
    )
