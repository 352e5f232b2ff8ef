"""Pipeline views (placeholder)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404("Not built yet.")


candidate_add = _todo
candidate_detail = _todo
candidate_edit = _todo
candidate_resume = _todo
application_detail = _todo
application_submit = _todo
submission_decide = _todo
submission_question = _todo
question_answer = _todo
application_move = _todo
application_reject = _todo
application_withdraw = _todo
application_reopen = _todo
