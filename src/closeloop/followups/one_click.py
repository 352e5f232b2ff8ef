"""One-click answers from nudges: which ask kinds offer them, and who performs them.

The engine owns the links (token, expiry, spent once: `links.py`), the confirmation page and
the POST flow (`views.act`). The app that owns an ask kind registers, from its
`AppConfig.ready`, the buttons its nudges carry, who may press them, what each one does and
the pages that speak of its subject. The engine never performs a feature's action itself
(docs/architecture.md, "Registries and hooks").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from closeloop.followups.forms import SnoozeForm
from closeloop.followups.links import IssuedLink, links_issue_many
from closeloop.followups.models import LinkAction
from closeloop.followups.services import ask_snooze

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Sequence

    from django import forms

    from closeloop.accounts.models import User
    from closeloop.followups.models import ActionLink, Ask


@dataclass(frozen=True)
class OneClickAction:
    """One button: its stored value, its label, what the confirmation page asks, and the
    handler that does it as the link's recipient (inside the transaction that spends the
    link: a ValidationError or PermissionDenied leaves the link unused and is shown)."""

    action: str
    label: str
    form: type[forms.Form]
    perform: Callable[[ActionLink, dict[str, Any]], None]
    # What the form needs to know about the link's subject (the pipeline's review: the
    # job's must-haves), passed to `form(data, **form_kwargs(link))`.
    form_kwargs: Callable[[ActionLink], dict[str, Any]] | None = None

    def form_for(self, link: ActionLink, data: Any) -> forms.Form:
        return self.form(data, **(self.form_kwargs(link) if self.form_kwargs else {}))


def _no_problem(link: ActionLink) -> str | None:
    return None


def _no_facts(link: ActionLink) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class OneClick:
    """The one-click answers of one ask kind.

    - `may_act(recipient, ask)`: whether the recipient may act on the ask at all; links are
      issued only then, and it is checked again when a link is opened and pressed.
    - `problem(link)`: why the ask can no longer be answered this way ("already answered"),
      or None; checked on opening and again just before acting.
    - `facts(link)`: what the pages show about the subject (e.g. the application).
    - `answered(link)`: what was already decided, for a link that came too late.
    - `templates`: the kind's own confirm, done and refused pages, where the engine's plain
      ones (which name the ask's title) do not say enough.
    - `blind`: its answers are hidden from everyone but their author until a reveal (pulses,
      surveys), so a link come too late shows what was answered only to its recipient:
      signed in as them, or signed out, the token being the proof (as it is for acting).
    """

    kind: str
    actions: tuple[OneClickAction, ...]
    may_act: Callable[[User, Ask], bool]
    problem: Callable[[ActionLink], str | None] = _no_problem
    facts: Callable[[ActionLink], dict[str, Any]] = _no_facts
    answered: Callable[[ActionLink], dict[str, Any]] = _no_facts
    templates: dict[str, str] = field(default_factory=dict)
    blind: bool = False

    def template(self, page: str) -> str:
        return self.templates.get(page, f"followups/link_{page}.html")

    def action_for(self, action: str) -> OneClickAction | None:
        return next((one for one in self.actions if one.action == action), None)


def _snooze(link: ActionLink, data: dict[str, Any]) -> None:
    ask_snooze(ask=link.ask, by=link.recipient, days=1, reason=data["reason"])


# Any kind may offer it: the owner's reminders pause for a business day, the due time stays.
SNOOZE = OneClickAction(LinkAction.SNOOZE.value, LinkAction.SNOOZE.label, SnoozeForm, _snooze)

_REGISTRY: dict[str, OneClick] = {}


def one_click_register(one_click: OneClick) -> OneClick:
    """Register (or replace, when ready() runs twice) the one-click answers of a kind."""
    _REGISTRY[one_click.kind] = one_click
    return one_click


def one_click_for(kind: str) -> OneClick | None:
    return _REGISTRY.get(kind)


def one_click_links(*, ask: Ask, recipient: User, now: dt.datetime) -> list[IssuedLink]:
    """The buttons for one open ask in a message to `recipient`: one per action its kind
    registered, only when the owning app says the recipient may press them (a delegate who
    cannot decide gets none); [] for kinds without one-click answers."""
    return one_click_links_many(asks=[ask], recipient=recipient, now=now).get(ask.pk, [])


def one_click_links_many(
    *, asks: Sequence[Ask], recipient: User, now: dt.datetime
) -> dict[int, list[IssuedLink]]:
    """`one_click_links` for every ask of one message, issued in one INSERT: {ask id: links},
    with no entry for an ask that gets no buttons."""
    offered = []
    for ask in asks:
        one_click = one_click_for(ask.kind)
        if one_click is not None and ask.is_open and one_click.may_act(recipient, ask):
            offered.append((ask, one_click.actions))
    if not offered:
        return {}
    issued = links_issue_many(asks=offered, recipient=recipient, now=now)
    return {ask.pk: links for (ask, _), links in zip(offered, issued, strict=True)}
