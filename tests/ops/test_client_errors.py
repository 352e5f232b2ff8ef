"""Requests the server cannot take: too large, too many fields, a broken upload, bytes that are
not UTF-8. Each gets a page that says what was wrong, changes nothing, and one log line."""

from __future__ import annotations

import io
import logging

import pytest
from django.urls import reverse

from closeloop.pipeline.models import Candidate

BOUNDARY = "closeloop-test-boundary"


@pytest.fixture
def django_log(caplog):
    """Everything Django logs (its loggers do not propagate to the root, where caplog listens)."""
    logger = logging.getLogger("django")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO)
    yield caplog
    logger.removeHandler(caplog.handler)


def add_url(world) -> str:
    return reverse("pipeline:candidate-add", args=[world.job.pk])


def multipart(*parts: tuple[str, bytes]) -> bytes:
    body = b""
    for name, value in parts:
        body += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        body += value + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


def candidate_fields(name: bytes) -> list[tuple[str, bytes]]:
    return [("full_name", name), ("email", b"nina@cand.example"), ("source", b"referral")]


def one_line(records) -> logging.LogRecord:
    """The single record logged for the request, with no traceback."""
    assert len(records) == 1, [record.getMessage() for record in records]
    [record] = records
    assert record.exc_info is None and record.exc_text is None
    assert "\n" not in record.getMessage()
    return record


def test_a_request_too_large_answers_413_with_the_limit(world, login, settings, django_log):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    client = login(world.rita)
    django_log.clear()
    body = "full_name=" + "x" * (3 * 1024 * 1024)
    response = client.post(add_url(world), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    page = response.content.decode()
    assert "Too large" in page
    assert "Forms are limited to 2 MB" in page
    assert not Candidate.objects.filter(full_name__startswith="xxx").exists()
    record = one_line(django_log.records)
    assert "too large" in record.getMessage().lower()
    assert add_url(world) in record.getMessage()


def test_too_many_fields_says_how_many_are_allowed(world, login, settings, django_log):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    client = login(world.rita)
    django_log.clear()
    body = "&".join(f"f{i}=1" for i in range(30))
    response = client.post(add_url(world), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "more than 20 fields" in response.content.decode()
    record = one_line(django_log.records)
    assert "too many fields" in record.getMessage().lower()


def test_a_broken_multipart_upload_says_the_form_could_not_be_read(world, login, django_log):
    client = login(world.rita)
    django_log.clear()
    response = client.generic(
        "POST",
        add_url(world),
        multipart(*candidate_fields(b"Nina New")),
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "could not be read" in page
    assert "Bad request" not in page
    assert not Candidate.objects.filter(full_name="Nina New").exists()
    record = one_line(django_log.records)
    assert "could not be read" in record.getMessage()


def test_a_form_post_in_latin_1_is_refused_not_stored(world, login, django_log):
    client = login(world.rita)
    django_log.clear()
    body = b"full_name=\xff\xfe\xc3(\x80&email=nina%40cand.example&source=referral"
    response = client.post(add_url(world), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Candidate.objects.filter(email="nina@cand.example").exists()
    one_line(django_log.records)


def test_percent_escapes_that_are_not_utf_8_are_refused(world, login):
    body = "full_name=%FF%FE&email=nina%40cand.example&source=referral"
    response = login(world.rita).post(
        add_url(world), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Candidate.objects.filter(email="nina@cand.example").exists()


def test_a_multipart_field_that_is_not_utf_8_is_refused(world, login):
    response = login(world.rita).generic(
        "POST",
        add_url(world),
        multipart(*candidate_fields(b"\xff\xfe\xc3(\x80")),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Candidate.objects.filter(email="nina@cand.example").exists()


def test_utf_8_names_from_every_script_are_kept(world, login):
    name = "Zoë Åström-Núñez 王芳"
    response = login(world.rita).generic(
        "POST",
        add_url(world),
        multipart(*candidate_fields(name.encode())),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 302
    assert Candidate.objects.get(email="nina@cand.example").full_name == name


def test_a_form_declared_as_latin_1_is_refused_with_the_same_message(world, login, django_log):
    client = login(world.rita)
    django_log.clear()
    body = "full_name=Zoë&email=nina%40cand.example&source=referral"  # the client encodes it
    response = client.post(
        add_url(world), body, content_type="application/x-www-form-urlencoded; charset=latin-1"
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Candidate.objects.filter(email="nina@cand.example").exists()
    one_line(django_log.records)


def test_the_400_handler_explains_a_body_too_large_read_outside_a_form(world, rf, django_log):
    from django.core.exceptions import RequestDataTooBig

    from closeloop.ops.views import bad_request

    request = rf.post("/anything/", data=b"{}", content_type="application/json")
    request.user = world.rita
    response = bad_request(request, RequestDataTooBig("Request body exceeded the limit."))
    assert response.status_code == 413
    assert "Forms are limited to" in response.content.decode()
    one_line(django_log.records)


def test_a_refused_request_is_one_log_line_without_a_traceback(client, world, login):
    """A 403 logs "Forbidden (Permission denied): …" once; the PermissionDenied that answered
    it is not a traceback in the log (found trying the demo: 15 of them in one walk)."""

    handler = logging.getLogger("django.request").parent.handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        # Only admins erase: rita, who sees Carla, is refused with PermissionDenied.
        response = login(world.rita).get(f"/candidates/{world.interviewed.candidate_id}/erase/")
    finally:
        handler.setStream(previous)
    logged = stream.getvalue()
    assert response.status_code == 403
    assert logged.count("\n") == 1 and "Traceback" not in logged
