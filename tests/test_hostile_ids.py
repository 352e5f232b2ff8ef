"""Ids typed by a browser are read by one rule (`lib.ids.id_parse`): a hostile value in a query
string or a form's id field is "no such thing" or a form error, never a server error, and
changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from closeloop.intake.services import intake_propose
from closeloop.interviews.models import Interview
from closeloop.jobs.models import Job
from closeloop.lib.ids import ID_MAX, id_parse
from closeloop.pipeline.models import Application
from intake.intake_helpers import complete_draft

# Digits `int` rejects, signs, exponents, overflow on either database, padding, injection.
HOSTILE = [
    "²", "٣", "1²", "-1", "0", "1e3", "1.0", " 7", "0x10", "",
    "99999999999999999999", str(ID_MAX + 1), "1' OR '1'='1", "%00", "७",
]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE)
def test_only_an_id_a_column_can_hold_is_read(value):
    expected = int(value) if value.strip().isascii() and value.strip().isdigit() else None
    if expected is not None and not 0 < expected <= ID_MAX:
        expected = None
    assert id_parse(value) == expected


def test_ids_that_are_ids():
    assert id_parse("42") == 42
    assert id_parse(42) == 42
    assert id_parse(str(ID_MAX)) == ID_MAX
    assert id_parse(None) is None


def _query_pages(world) -> list[tuple[str, str]]:
    version = intake_propose(version=complete_draft(world), by=world.rita)
    application = Application.objects.filter(job=world.job).first()
    return [
        (reverse("intake:version", args=[world.job.pk, version.number]), "against"),
        (reverse("intake:summary", args=[world.job.pk]), "version"),
        (reverse("interviews:interview-book", args=[application.pk]), "round"),
        (reverse("notify:outbox"), "to"),
        (reverse("pipeline:application-detail", args=[application.pk]), "before"),
        (reverse("pipeline:candidate-detail", args=[application.candidate_id]), "before"),
        (reverse("jobs:job-detail", args=[world.job.pk]), "page"),
        (reverse("jobs:job-list"), "page"),
        (reverse("pipeline:queue-list", args=["waiting-on-you"]), "page"),
    ]


# The values that broke pages before ids had one rule, and their neighbours.
QUERY_HOSTILE = ["²", "1²", "99999999999999999999", "-1", "0", "%00"]


def test_a_hostile_query_string_id_is_never_a_server_error(world, login):
    client = login(world.ada)
    for path, name in _query_pages(world):
        for value in QUERY_HOSTILE:
            response = client.get(path, {name: value})
            assert response.status_code in (200, 404), (path, name, value)
            # The page itself, not an error page: every one of these exists for ada.
            assert response.status_code == 200 or name in ("version",), (path, name, value)


def _form_posts(world) -> list[tuple[str, str, object]]:
    application = Application.objects.filter(job=world.job, status="active").first()
    return [
        (reverse("jobs:job-edit", args=[world.job.pk]), "interviewers", world.rita),
        (reverse("jobs:job-edit", args=[world.job.pk]), "recruiter", world.rita),
        (reverse("jobs:job-create"), "hiring_manager", world.rita),
        (reverse("interviews:interview-book", args=[application.pk]), "interviewers", world.rita),
        (reverse("pipeline:application-move", args=[application.pk]), "to_stage", world.rita),
        (reverse("accounts:profile"), "delegate", world.hank),
    ]


def _state() -> tuple:
    return (
        list(Job.objects.values_list("pk", "recruiter_id", "hiring_manager_id", "title")),
        list(Application.objects.values_list("pk", "stage_id", "status")),
        Interview.objects.count(),
    )


def test_a_hostile_id_in_a_form_is_a_form_error_and_changes_nothing(world, login):
    before = _state()
    for path, field, person in _form_posts(world):
        client = login(person)
        for value in ("99999999999999999999", "²", "-1", str(ID_MAX + 1)):
            response = client.post(path, {field: [value]})
            # The form again with its errors, as a bad request.
            assert response.status_code == 400, (path, field, value)
            assert b"<form" in response.content, (path, field, value)
            assert _state() == before, (path, field, value)
