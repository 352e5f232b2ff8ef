"""The server's entry point calls Django from a frame with room (closeloop.lib.frames)."""

from __future__ import annotations

import io
import sys

import pytest
from django.test import override_settings

from closeloop.lib.frames import ROOM_SLOTS, frame_with_room, room


def test_room_is_one_large_frame_that_passes_arguments_results_and_errors_through():
    assert room.__code__.co_nlocals >= ROOM_SLOTS
    assert frame_with_room(10).__code__.co_nlocals == 12  # call, args and ten slots
    assert room(divmod, 7, 2) == (3, 1)
    with pytest.raises(ZeroDivisionError):
        room(divmod, 1, 0)


def test_each_request_runs_inside_the_room_frame():
    from closeloop import wsgi

    seen: list[str] = []

    def handler(environ, start_response):
        frame = sys._getframe(1)
        seen.append(frame.f_code.co_name)
        start_response("204 No Content", [])
        return [b""]

    original = wsgi.django_application
    wsgi.django_application = handler
    try:
        body = wsgi.application({}, lambda status, headers: None)
    finally:
        wsgi.django_application = original
    assert body == [b""]
    assert seen == ["room"]


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_the_served_application_answers_a_request(db):
    from closeloop import wsgi

    statuses: list[str] = []
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": "/healthz", "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
    }  # fmt: skip
    response = wsgi.application(environ, lambda status, headers: statuses.append(status))
    assert b"".join(response)
    assert statuses and statuses[0].startswith("200")
