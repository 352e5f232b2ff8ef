"""Logging filters: tokens that act as someone must never reach a log line.

See docs/architecture.md#security-and-permissions.
"""

from __future__ import annotations

import logging
import re

# One-click links (/act/<token>/), personal calendar feeds (/calendar/feed/<token>.ics),
# invitations (/welcome/<token>/) and password resets (/accounts/password/reset/<uid>/<token>/):
# a path that is refused (a weak password answers 400) is logged while its token still works.
TOKEN_IN_PATH = re.compile(
    r"(/act/|/calendar/feed/|/welcome/|/accounts/password/reset/[^/\s\"']+/)"
    r"(?!new/|revoke/)[^/\s\"'.]+"
)


def _redact(value: object) -> object:
    return TOKEN_IN_PATH.sub(r"\1[redacted]", value) if isinstance(value, str) else value


class RedactTokens(logging.Filter):
    """Rewrite /act/<token>/ to /act/[redacted]/ in messages and their arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redact(arg) for key, arg in record.args.items()}
        request = getattr(record, "request", None)
        if request is not None and TOKEN_IN_PATH.search(getattr(request, "path", "")):
            record.request = None  # the request object would print the path again
        # A refused request (403, 404) is the client's doing: one line, not a traceback of
        # the PermissionDenied or Http404 that answered it. Server errors keep theirs.
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
