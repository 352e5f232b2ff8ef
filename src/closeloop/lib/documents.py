"""Plain text out of a résumé (PDF or DOCX), so that search finds a candidate by what their
résumé says.

Uploads reach here only after `lib.files.validate_resume` (type checked by content, size and
zip-bomb limits). Extraction is best effort and bounded: the first pages only, the text cut
to a fixed length, and a file a library cannot read gives "" (the upload itself still
stands; only its words are not searchable).
"""

from __future__ import annotations

import logging
from pathlib import PurePath
from typing import IO

import docx
import pypdf

logger = logging.getLogger(__name__)

# A résumé is a few pages; a 300-page PDF is read no further than this.
MAX_PAGES = 20
# Kept for search: about 15,000 words, far more than any résumé holds.
MAX_CHARS = 100_000


def document_text(stream: IO[bytes], name: str) -> str:
    """The words of a PDF or DOCX, spaces normalised, at most MAX_CHARS ("" if unreadable)."""
    suffix = PurePath(name or "").suffix.lower()
    reader = {".pdf": _pdf_text, ".docx": _docx_text}.get(suffix)
    if reader is None:
        return ""
    try:
        stream.seek(0)
        text = reader(stream)
    except Exception:  # a damaged or hostile file: keep the upload, skip its words
        logger.warning("Could not read the text of a %s résumé", suffix[1:], exc_info=True)
        return ""
    finally:
        stream.seek(0)
    return " ".join(text.split())[:MAX_CHARS]


def _pdf_text(stream: IO[bytes]) -> str:
    reader = pypdf.PdfReader(stream)
    if reader.is_encrypted and not reader.decrypt(""):
        return ""  # needs a password: nothing to read
    parts: list[str] = []
    size = 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_CHARS:
            break
    return "\n".join(parts)


def _docx_text(stream: IO[bytes]) -> str:
    document = docx.Document(stream)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
