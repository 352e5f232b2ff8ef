"""A résumé keeps only a clean base name of the uploaded file, and the page says which."""

from __future__ import annotations

import io

import pytest
from django.core.files import File
from django.urls import reverse
from pipeline_helpers import PDF_BYTES

from closeloop.lib.files import upload_base_name
from closeloop.pipeline.models import Candidate
from closeloop.pipeline.services import candidate_update

BOUNDARY = "resume-boundary"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\x.pdf", "x.pdf"),
        ("C:\\Users\\nina\\CV 2026.pdf", "CV 2026.pdf"),
        ("/etc/passwd/../cv.docx", "cv.docx"),
        ("..", "resume"),
        ("cv\x00\x07.pdf", "cv.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("n" * 300 + ".pdf", "n" * 196 + ".pdf"),
    ],
)
def test_only_a_clean_base_name_is_kept(given, kept):
    assert upload_base_name(given, fallback="resume") == kept


def test_a_resume_given_with_a_path_keeps_only_its_base_name(world, media_root):
    carla = world.interviewed.candidate
    upload = File(io.BytesIO(PDF_BYTES), name="../../x.pdf")
    candidate_update(
        candidate=carla,
        by=world.rita,
        data={"full_name": carla.full_name, "email": carla.email},
        resume=upload,
    )
    carla.refresh_from_db()
    assert carla.resume_filename == "x.pdf"
    assert carla.resume.name.startswith("resumes/") and ".." not in carla.resume.name


def multipart_with_resume(filename: str) -> bytes:
    fields = {"full_name": "Nina New", "email": "nina@cand.example", "source": "referral"}
    body = b""
    for name, value in fields.items():
        body += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        body += value.encode() + b"\r\n"
    body += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="resume"; filename="{filename}"'
        "\r\nContent-Type: application/pdf\r\n\r\n"
    ).encode()
    return body + PDF_BYTES + f"\r\n--{BOUNDARY}--\r\n".encode()


def test_the_page_says_which_name_the_resume_was_kept_under(world, login, media_root):
    response = login(world.rita).post(
        reverse("pipeline:candidate-add", args=[world.job.pk]),
        multipart_with_resume("../../x.pdf"),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        follow=True,
    )
    assert Candidate.objects.get(email="nina@cand.example").resume_filename == "x.pdf"
    assert "Résumé kept as “x.pdf”." in response.content.decode()


def test_editing_with_a_new_resume_says_its_name_too(world, login, media_root):
    from pipeline_helpers import pdf_upload

    carla = world.interviewed.candidate
    response = login(world.rita).post(
        reverse("pipeline:candidate-edit", args=[carla.pk]),
        {
            "full_name": carla.full_name,
            "email": carla.email or "",
            "source": "referral",
            "resume": pdf_upload("Carla CV.pdf"),
        },
        follow=True,
    )
    assert "Résumé kept as “Carla CV.pdf”." in response.content.decode()


def test_replacing_a_resume_says_it_was_replaced(world, login, media_root):
    """Carla has a résumé: a new one on Edit details replaces it, and the page says so
    ("kept as" read as though the old one stayed)."""
    from pipeline_helpers import pdf_upload

    carla = world.interviewed.candidate
    candidate_update(
        candidate=carla,
        by=world.rita,
        data={"full_name": carla.full_name, "email": carla.email},
        resume=File(io.BytesIO(PDF_BYTES), name="old.pdf"),
    )
    response = login(world.rita).post(
        reverse("pipeline:candidate-edit", args=[carla.pk]),
        {
            "full_name": carla.full_name,
            "email": carla.email or "",
            "source": "referral",
            "resume": pdf_upload("cv.pdf"),
        },
        follow=True,
    )
    said = response.content.decode()
    assert "Résumé replaced: now “cv.pdf”." in said and "kept as" not in said
