"""Résumé downloads: only through the candidate's permissions, always as an attachment."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pipeline_helpers import PDF_BYTES, docx_bytes, docx_upload, pdf_upload

from closeloop.lib.files import DOCX
from closeloop.pipeline.services import candidate_update


def url(candidate) -> str:
    return reverse("pipeline:candidate-resume", args=[candidate.pk])


def give_resume(world, application, upload):
    candidate = application.candidate
    return candidate_update(
        candidate=candidate,
        by=world.rita,
        data={"full_name": candidate.full_name, "email": candidate.email},
        resume=upload,
    )


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_rita_downloads_a_pdf_as_an_attachment(world, login):
    carla = give_resume(world, world.interviewed, pdf_upload("Carla CV.pdf"))
    response = login(world.rita).get(url(carla))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Carla CV.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert body_of(response) == PDF_BYTES


def test_a_docx_is_served_with_the_word_content_type(world, login):
    carla = give_resume(world, world.interviewed, docx_upload())
    response = login(world.rita).get(url(carla))
    assert response["Content-Type"] == DOCX
    assert body_of(response) == docx_bytes()


def test_a_hostile_file_name_is_cleaned_for_the_header(world, login):
    carla = give_resume(world, world.interviewed, pdf_upload("cv.pdf"))
    carla.resume_filename = '../../etc/"passwd".pdf'
    carla.save()
    disposition = login(world.rita).get(url(carla))["Content-Disposition"]
    assert "/" not in disposition
    assert 'filename="passwd.pdf"' in disposition


@pytest.mark.parametrize("persona", ["hank", "ivy", "ada"])
def test_everyone_who_may_see_carla_may_download_her_resume(world, login, persona):
    carla = give_resume(world, world.interviewed, pdf_upload())
    assert login(getattr(world, persona)).get(url(carla)).status_code == 200


def test_olga_gets_not_found(world, login):
    carla = give_resume(world, world.interviewed, pdf_upload())
    response = login(world.olga).get(url(carla))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_ivy_gets_not_found_for_a_candidate_she_does_not_interview(world, login):
    sam = give_resume(world, world.sourced, pdf_upload())
    assert login(world.ivy).get(url(sam)).status_code == 404


def test_a_candidate_without_a_resume_is_not_found(world, login):
    assert login(world.rita).get(url(world.interviewed.candidate)).status_code == 404


def test_a_guessed_id_is_not_found(world, login):
    missing = reverse("pipeline:candidate-resume", args=[99999])
    assert login(world.rita).get(missing).status_code == 404


def test_a_resume_missing_from_disk_is_not_found_rather_than_an_error(world, login, media_root):
    carla = give_resume(world, world.interviewed, pdf_upload())
    (media_root / carla.resume.name).unlink()
    assert login(world.rita).get(url(carla)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(world, client):
    carla = give_resume(world, world.interviewed, pdf_upload())
    response = client.get(url(carla))
    assert response.status_code == 302


def test_post_is_not_allowed(world, login):
    carla = give_resume(world, world.interviewed, pdf_upload())
    assert login(world.rita).post(url(carla)).status_code == 405
