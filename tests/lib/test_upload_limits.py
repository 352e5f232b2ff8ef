"""A body larger than any form is refused before it is read; a Word file that unpacks to
something absurd (a zip bomb) is refused with a clear message."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory

from closeloop.lib.client_errors import form_data_problem
from closeloop.lib.files import DOCX_MAX_ENTRIES, validate_resume


class CountingStream(io.BytesIO):
    """A request body that counts what the server read of it."""

    read_bytes = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.read_bytes += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        data = super().readline(size)
        self.read_bytes += len(data)
        return data


def _upload_request(declared: int, stream: CountingStream) -> WSGIRequest:
    environ = RequestFactory()._base_environ(
        REQUEST_METHOD="POST",
        CONTENT_TYPE="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(declared),
        PATH_INFO="/jobs/1/candidates/new/",
    )
    environ["wsgi.input"] = stream
    return WSGIRequest(environ)


def test_a_body_larger_than_any_form_is_refused_unread(settings):
    stream = CountingStream(b"--BoUnDaRy\r\n" + b"x" * 4096)
    request = _upload_request(100 * 1024 * 1024, stream)
    problem = form_data_problem(request)
    assert problem is not None and problem.status == 413
    assert "a résumé to 5 MB" in problem.message
    assert stream.read_bytes == 0


def test_a_form_within_the_limit_is_read(settings):
    body = (
        b"--BoUnDaRy\r\n"
        b'Content-Disposition: form-data; name="full_name"\r\n\r\nAda\r\n--BoUnDaRy--\r\n'
    )
    stream = CountingStream(body)
    request = _upload_request(len(body), stream)
    assert form_data_problem(request) is None
    assert request.POST["full_name"] == "Ada"


def _docx(extra: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in extra.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("cv.docx", buffer.getvalue())


def test_a_word_file_with_absurdly_many_parts_is_refused():
    parts = {f"word/media/p{i}.xml": b"" for i in range(DOCX_MAX_ENTRIES)}
    with pytest.raises(ValidationError, match="parts: refused as unsafe"):
        validate_resume(_docx(parts))


def test_a_word_file_that_unpacks_to_an_absurd_size_is_refused():
    bomb = _docx({"word/media/zeros.bin": b"\0" * (120 * 1024 * 1024)})
    assert bomb.size < 1024 * 1024  # small on the wire
    with pytest.raises(ValidationError, match="unpacks to more than 100 MB"):
        validate_resume(bomb)


def test_an_ordinary_word_file_is_taken():
    assert validate_resume(_docx({"word/styles.xml": b"<w:styles/>"})).endswith("document")
