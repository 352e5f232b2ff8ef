"""The demo's résumés: a one-page PDF for every candidate on a job.

The hiring manager reads the résumé before a decision, an interviewer's briefing page offers
it, and search finds words in it, so every demo candidate has one. Each is a small real PDF
written from the candidate's own details (same candidate, same bytes) and stored like an
upload: under a random name in the résumé storage, with the file name a recruiter would have
uploaded.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from closeloop.pipeline.models import Candidate


def seed(org: Any) -> dict[str, int]:
    candidates = list(
        Candidate.objects.filter(applications__isnull=False, resume="")
        .prefetch_related("applications__job")
        .distinct()
        .order_by("pk")
    )
    for candidate in candidates:
        name = f"{candidate.full_name.replace(' ', '_')}_CV.pdf"
        # save=False: one bulk update below instead of a write per candidate.
        lines = _lines(candidate)
        candidate.resume.save(name, ContentFile(resume_pdf(lines)), save=False)
        candidate.resume_filename = name
        # What extraction reads from these one-page PDFs (tests/demo checks they agree).
        candidate.resume_text = " ".join(" ".join(text for _, text in lines).split())
    fields = ["resume", "resume_filename", "resume_text"]
    Candidate.objects.bulk_update(candidates, fields, batch_size=500)
    return {"resumes": len(candidates)}


def _lines(candidate: Candidate) -> list[tuple[int, str]]:
    """(font size, text) lines: who they are, where they work, what they bring."""
    job = candidate.applications.all()[0].job
    lines = [(18, candidate.full_name)]
    if candidate.current_title:
        at = f" at {candidate.current_company}" if candidate.current_company else ""
        lines.append((12, f"{candidate.current_title}{at}"))
    contact = " · ".join(x for x in (candidate.location, candidate.email or "") if x)
    if contact:
        lines.append((10, contact))
    lines += [(10, link) for link in candidate.link_list]
    lines += [(10, ""), (13, "Experience")]
    for item in job.must_have_list:
        lines.append((10, f"- {item}"))
    lines += [(10, ""), (9, "Résumé written by the Closeloop demo from the candidate's data.")]
    return lines


def _pdf_text(text: str) -> str:
    """A PDF string literal's body: WinAnsi (Latin-1) characters, specials escaped."""
    text = text.replace("·", "-").encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def resume_pdf(lines: list[tuple[int, str]]) -> bytes:
    """A minimal one-page PDF 1.4 (A4, Helvetica) with the given lines, top to bottom."""
    y, ops = 790, ["BT"]
    for size, text in lines:
        y -= size + 6
        ops.append(f"/F1 {size} Tf 1 0 0 1 56 {y} Tm ({_pdf_text(text)}) Tj")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
