"""Job views (placeholder)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404("Not built yet.")


job_list = _todo
job_create = _todo
job_detail = _todo
job_edit = _todo
job_stages = _todo
stage_edit = _todo
stage_move = _todo
stage_remove = _todo
