"""Résumé uploads: PDF or DOCX only, size-limited, checked by content, stored under random names."""

from __future__ import annotations

import re
import secrets
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {".pdf": PDF, ".docx": DOCX}


def resume_upload_path(instance: object, filename: str) -> str:
    """A random storage name: the uploader's file name never reaches the file system."""
    suffix = PurePath(filename).suffix.lower()
    return f"resumes/{secrets.token_hex(16)}{suffix if suffix in CONTENT_TYPES else ''}"


def _looks_like_pdf(upload: UploadedFile) -> bool:
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    return head.startswith(b"%PDF-")


# A real résumé in Word holds a few dozen parts and unpacks to a few MB at most; an archive
# far beyond that is a zip bomb aimed at whatever unpacks it later (previews, text search).
DOCX_MAX_ENTRIES = 1000
DOCX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024


def _looks_like_docx(upload: UploadedFile) -> bool:
    # A DOCX is a zip holding word/document.xml; a renamed zip or .doc is refused.
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    if len(entries) > DOCX_MAX_ENTRIES:
        raise ValidationError(f"This Word file holds {len(entries):,} parts: refused as unsafe.")
    if sum(entry.file_size for entry in entries) > DOCX_MAX_UNPACKED_BYTES:
        limit = DOCX_MAX_UNPACKED_BYTES // (1024 * 1024)
        raise ValidationError(f"This Word file unpacks to more than {limit} MB: refused as unsafe.")
    names = {entry.filename for entry in entries}
    return "word/document.xml" in names and "[Content_Types].xml" in names


def validate_resume(upload: UploadedFile) -> str:
    """Check a résumé upload; return its content type or raise a ValidationError that says why."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in CONTENT_TYPES:
        raise ValidationError("Upload the résumé as a PDF or a Word (.docx) file.")
    if upload.size is not None and upload.size > settings.RESUME_MAX_BYTES:
        limit_mb = settings.RESUME_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"The résumé is larger than {limit_mb} MB.")
    if upload.size == 0:
        raise ValidationError("The résumé file is empty.")
    checker = _looks_like_pdf if suffix == ".pdf" else _looks_like_docx
    if not checker(upload):
        raise ValidationError(f"This file is not a valid {suffix[1:].upper()} document.")
    return CONTENT_TYPES[suffix]


# The longest file name kept for display (Candidate.resume_filename holds 200 characters).
UPLOAD_NAME_MAX = 200


def upload_base_name(name: str | None, fallback: str, limit: int = UPLOAD_NAME_MAX) -> str:
    """The file name a person sees for an upload: the last part of any path (either slash),
    printable characters only, no leading dots, at most `limit` characters with its suffix.

    Browsers send a base name and Django strips paths from multipart uploads, but a file
    handed to a service by other code can still carry "../../x.pdf".
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(". ")
    if not base:
        return fallback
    if len(base) > limit:
        suffix = PurePath(base).suffix[:16]
        base = base[: limit - len(suffix)] + suffix
    return base


def safe_download_name(name: str, fallback: str) -> str:
    """A download name without path parts or quotes, for Content-Disposition."""
    cleaned = "".join(ch for ch in PurePath(name).name if ch.isprintable() and ch not in '"\\/')
    return cleaned or fallback
