"""@mentions in a comment's plain text: finding them, naming the people, showing them.

A person's handle is their email address, written after "@": in full (`@rita@example.com`)
or, when no one else shares it, its part before the "@" (`@rita`). People have no user
names (they sign in with their address), and the local part is what colleagues already
type. An "@" inside a word (an address written out, "bob@example.com") is not a mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Q
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from closeloop.accounts.models import User

# "@" at the start or after a character that cannot end an address, then an address or its
# local part. A trailing dot ends a sentence ("thanks @rita."), so it is not kept.
MENTION_RE = re.compile(
    r"(?<![\w.@+-])@([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)(?<!\.)"
)
# More than this many people in one comment is a broadcast, not a mention.
MENTIONS_MAX = 20


def mention_handles(text: str) -> list[str]:
    """The handles mentioned in `text`, lower-cased, each once, in order."""
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(text or ""):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def _handle_matches(handle: str, email: str) -> bool:
    email = email.lower()
    return email == handle if "@" in handle else email.split("@", 1)[0] == handle


def mention_candidates(handles: Iterable[str]) -> dict[str, list[User]]:
    """Everyone each handle could name (one query for all the handles)."""
    handles = list(handles)
    if not handles:
        return {}
    query = Q()
    for handle in handles:
        query |= Q(email__iexact=handle) if "@" in handle else Q(email__istartswith=f"{handle}@")
    people = list(User.objects.filter(query).order_by("pk"))
    return {
        handle: [person for person in people if _handle_matches(handle, person.email)]
        for handle in handles
    }


def mention_html(text: str, people: Iterable[User]) -> SafeString:
    """`text` escaped, line breaks kept, and each mention of one of `people` highlighted
    with their name; anything else that looks like a mention stays plain text."""
    people = list(people)
    pieces: list[str] = []
    last = 0
    for match in MENTION_RE.finditer(text):
        handle = match.group(1).lower()
        person = next((p for p in people if _handle_matches(handle, p.email)), None)
        if person is None:
            continue
        pieces.append(conditional_escape(text[last : match.start()]))
        pieces.append(
            format_html(
                '<strong class="cl-mention" title="{}">@{}</strong>', person.full_name, match[1]
            )
        )
        last = match.end()
    pieces.append(conditional_escape(text[last:]))
    joined = "".join(str(piece) for piece in pieces).replace("\r\n", "\n")
    return mark_safe(joined.replace("\n", "<br>"))  # noqa: S308  (every piece escaped above)
