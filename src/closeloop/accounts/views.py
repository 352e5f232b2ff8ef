"""Account views (placeholder)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404("Not built yet.")


login = _todo
logout = _todo
password_change = _todo
password_reset = _todo
password_reset_sent = _todo
password_reset_confirm = _todo
password_reset_complete = _todo
profile = _todo
