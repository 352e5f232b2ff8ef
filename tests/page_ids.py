"""Every id on a page is its own: a repeated id is invalid HTML, sends a click on a label
to the wrong field, and has screen readers announce the wrong one.

Imported by name (pytest puts tests/ on the path).
"""

from __future__ import annotations

import re
from collections import Counter

# An id attribute (not data-id, aria-…id): preceded by whitespace inside a tag.
_ID = re.compile(r"""<[^>]*?\sid=["']([^"']+)["']""")


def ids_repeated(html: str) -> list[str]:
    """The ids that occur more than once in `html` (a tag with several ids counts once)."""
    counted = Counter(match.group(1) for match in _ID.finditer(html))
    return sorted(name for name, count in counted.items() if count > 1)
