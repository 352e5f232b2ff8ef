"""Helpers the candidate and application tests share: uploads and a standard pitch."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PITCH = "Ran payments at Acme for four years; moved them to PostgreSQL and carried the pager."


def docx_bytes() -> bytes:
    """The smallest zip the résumé check accepts as a Word document."""
    buffer = io.BytesIO()
    # Fixed timestamps: writestr with a bare name stamps "now", so two calls could differ.
    stamp = (2026, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", stamp), "<Types/>")
        archive.writestr(zipfile.ZipInfo("word/document.xml", stamp), "<w:document/>")
    return buffer.getvalue()


def pdf_upload(name: str = "carla-cv.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_upload(name: str = "carla-cv.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_bytes(), content_type="application/octet-stream")


def fresh(obj):
    """The object re-read from the database."""
    obj.refresh_from_db()
    return obj
