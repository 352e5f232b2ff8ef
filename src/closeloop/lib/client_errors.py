"""Requests the server refuses before any view runs: too large, too many fields, a broken
upload, form data that is not UTF-8.

Each is the client's mistake, not ours: the person gets a page that says what was wrong (413
for a body over the limit, 400 otherwise), nothing is saved, and the console gets one line
without a traceback. Django's own handling would print the traceback of its parser and show
a bare "Bad request".
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.log import log_response

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# What Django's multipart parser puts where bytes did not decode (it decodes with "replace").
REPLACEMENT_CHARACTER = "\ufffd"


@dataclass(frozen=True)
class ClientError:
    status: int
    title: str
    message: str  # for the person, on the error page
    log: str  # one line for the console


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def _too_large() -> ClientError:
    limit = _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    resume = _megabytes(settings.RESUME_MAX_BYTES)
    return ClientError(
        413,
        "Too large",
        f"The form sent more data than the server accepts. Forms are limited to {limit} "
        f"(a résumé to {resume}). Nothing was saved: send less text or a smaller file.",
        f"Request too large (over {limit})",
    )


def client_error(exception: BaseException | None) -> ClientError | None:
    """What to tell the person about a request Django could not parse (None: not one of those)."""
    if isinstance(exception, RequestDataTooBig):
        return _too_large()
    if isinstance(exception, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return ClientError(
            400,
            "Too many fields",
            f"The form sent more than {limit} fields, the most the server accepts. "
            "Nothing was saved.",
            f"Request with too many fields (over {limit})",
        )
    if isinstance(exception, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return ClientError(
            400,
            "Too many files",
            f"The form sent more than {limit} files, the most the server accepts. "
            "Nothing was saved.",
            f"Request with too many files (over {limit})",
        )
    if isinstance(exception, MultiPartParserError):
        detail = str(exception).strip().rstrip(":").strip()
        return ClientError(
            400,
            "Upload could not be read",
            "The form data could not be read: it was cut off or malformed"
            f"{f' ({detail})' if detail else ''}. Nothing was saved; please send the form again.",
            f"Upload could not be read ({detail or 'malformed multipart'})",
        )
    return None


NOT_UTF8 = ClientError(
    400,
    "Not UTF-8 text",
    "The form data was not valid UTF-8, so it was refused and nothing was saved. Send the "
    "form from Closeloop's own pages, or encode the data as UTF-8.",
    "Form data not valid UTF-8",
)
URLENCODED = "application/x-www-form-urlencoded"


def _undecodable(request: HttpRequest) -> bool:
    """Whether the form's text did not decode.

    Django decodes a urlencoded body that is not UTF-8 as Latin-1, and replaces bad
    percent-escapes and bad multipart fields with U+FFFD, so without this check bytes like
    FF FE C3 28 80 are stored as "ÿþÃ(\x80".
    """
    if request.content_type == URLENCODED:
        try:
            text = request.body.decode("utf-8")
            parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
        except (UnicodeDecodeError, ValueError):
            return True
        return False
    # Multipart: the parser has already replaced what did not decode (in the declared charset,
    # UTF-8 by default). A person typing U+FFFD themselves is vanishingly rare; a client
    # sending another encoding is not.
    values = [value for _, values in request.POST.lists() for value in values]
    names = [upload.name or "" for _, uploads in request.FILES.lists() for upload in uploads]
    return any(REPLACEMENT_CHARACTER in text for text in [*values, *names])


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def form_data_problem(request: HttpRequest) -> ClientError | None:
    """Parse a POSTed form now, so a client's mistake is answered before any view runs."""
    if request.method != "POST" or request.content_type not in FORM_CONTENT_TYPES:
        return None
    # Django's own limit leaves file uploads out, so a 100 MB "résumé" would be read to disk
    # before the form saw its size: a body declared larger than any form is refused unread.
    if _declared_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return _too_large()
    declared = (request.encoding or "utf-8").lower()
    if request.content_type == URLENCODED and declared != "utf-8":
        return NOT_UTF8  # a urlencoded form is always UTF-8; Django refuses any other charset
    try:
        request.POST, request.FILES  # noqa: B018 (parsing is the point)
    except (
        RequestDataTooBig,
        TooManyFieldsSent,
        TooManyFilesSent,
        MultiPartParserError,
    ) as error:
        return client_error(error)
    return NOT_UTF8 if _undecodable(request) else None


def client_error_response(request: HttpRequest, problem: ClientError) -> HttpResponse:
    """The error page, logged as one line (Django's log_response marks the response, so the
    request handler does not log it a second time)."""
    context = {"status": problem.status, "title": problem.title, "message": problem.message}
    response = render(request, "error.html", context, status=problem.status)
    log_response("%s: %s", problem.log, request.path, response=response, request=request)
    return response
