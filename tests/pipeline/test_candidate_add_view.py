"""The add-candidate page: who may use it, what it creates, duplicates, and résumé checks."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pipeline_helpers import PDF_BYTES, docx_upload, pdf_upload

from closeloop.pipeline.models import Application, Candidate


def url(job) -> str:
    return reverse("pipeline:candidate-add", args=[job.pk])


def form_data(**overrides) -> dict:
    data = {
        "full_name": "Nina New",
        "email": "nina@cand.example",
        "phone": "+44 20 1234 5678",
        "location": "Leeds",
        "links": "https://github.com/nina\nhttps://nina.dev",
        "current_title": "Engineer",
        "current_company": "Initech",
        "expected_compensation": "80000",
        "compensation_currency": "gbp",
        "source": "referral",
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int]:
    return Candidate.objects.count(), Application.objects.count()


def test_rita_sees_the_form_for_her_job(world, login):
    response = login(world.rita).get(url(world.job))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Add a candidate to Backend Engineer" in body
    assert 'enctype="multipart/form-data"' in body
    assert '<label for="id_full_name">' in body


def test_ada_the_admin_may_add_to_any_job(world, login):
    assert login(world.ada).get(url(world.job)).status_code == 200


@pytest.mark.parametrize("persona", ["hank", "ivy"])
def test_people_who_see_the_job_but_do_not_run_it_are_refused(world, login, persona):
    response = login(getattr(world, persona)).get(url(world.job))
    assert response.status_code == 403
    assert "recruiter or coordinator" in response.content.decode()


def test_olga_cannot_see_a_job_she_is_not_on(world, login):
    response = login(world.olga).get(url(world.job))
    assert response.status_code == 404
    assert "Backend Engineer" not in response.content.decode()


def test_a_guessed_job_id_is_not_found(world, login):
    assert login(world.rita).get(reverse("pipeline:candidate-add", args=[99999])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(world, client):
    response = client.get(url(world.job))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_rita_adds_a_candidate_in_the_first_stage(world, login):
    client = login(world.rita)
    response = client.post(url(world.job), form_data())
    nina = Candidate.objects.get(email="nina@cand.example")
    application = nina.applications.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("pipeline:application-detail", args=[application.pk])
    assert application.job == world.job
    assert application.stage.name == "Sourced"
    assert application.next_move_owner == world.rita
    assert nina.compensation_currency == "GBP"
    assert nina.expected_compensation == 80000
    assert nina.link_list == ["https://github.com/nina", "https://nina.dev"]
    assert nina.created_by == world.rita
    page = client.get(response["Location"])
    assert "Added Nina New to Backend Engineer." in page.content.decode()


def test_the_same_form_sent_twice_adds_the_candidate_once(world, login):
    """A retry of the form (same receipt), with no email to match on: one Dora, not two."""
    client = login(world.rita)
    page = client.get(url(world.job)).content.decode()
    token = re.search(r'name="receipt" value="([^"]+)"', page).group(1)
    data = form_data(full_name="Double Dora", email="", receipt=token)
    first = client.post(url(world.job), data)
    before = counts()
    again = client.post(url(world.job), data, follow=True)
    assert counts() == before
    assert again.redirect_chain[0][0] == first["Location"]
    assert "This candidate was added already; here they are." in again.content.decode()


def test_an_email_already_on_file_reuses_that_candidate(world, login):
    otto = world.other_application.candidate  # on ada's job: she sees him, rita does not
    client = login(world.ada)
    before = Candidate.objects.count()
    response = client.post(
        url(world.job),
        form_data(full_name="Otto O.", email="OTTO@cand.example", location="Bristol"),
        follow=True,
    )
    assert Candidate.objects.count() == before
    otto.refresh_from_db()
    assert otto.full_name == "Otto Other"  # what is known is never overwritten
    assert otto.location == "Bristol"  # blanks are filled in
    assert set(otto.applications.values_list("job__title", flat=True)) == {
        "Backend Engineer",
        "Data Analyst",
    }
    body = response.content.decode()
    assert "Matched existing candidate Otto Other by email; added to this job" in body
    assert "keeps the name Otto Other, not “Otto O.” as typed" in body
    assert otto.activities.filter(kind="closeloop.candidate.merged").exists()


def test_a_candidate_already_in_this_job_is_a_clear_error(world, login):
    carla = world.interviewed
    before = counts()
    response = login(world.rita).post(url(world.job), form_data(email="carla@cand.example"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "already in this job&#x27;s pipeline" in body
    assert reverse("pipeline:application-detail", args=[carla.pk]) in body
    assert counts() == before


def test_a_missing_name_is_a_clear_error(world, login):
    before = counts()
    response = login(world.rita).post(url(world.job), form_data(full_name="   "))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert counts() == before


def test_a_link_that_is_not_a_web_address_is_refused(world, login):
    before = counts()
    response = login(world.rita).post(url(world.job), form_data(links="javascript:alert(1)"))
    assert response.status_code == 400
    assert "is not a web address" in response.content.decode()
    assert counts() == before


def test_a_figure_without_a_currency_is_refused(world, login):
    response = login(world.rita).post(url(world.job), form_data(compensation_currency=""))
    assert response.status_code == 400
    assert "Say which currency" in response.content.decode()


@pytest.mark.parametrize("typed", ["pounds", "£", "EU", "E1R", "XYZ", "abc", "XAU"])
def test_a_currency_that_is_not_three_letters_is_refused_not_cut(typed, world, login):
    """As the intake says it: one message, and no maxlength for a browser to cut "pounds"
    to "pou" silently."""
    client = login(world.rita)
    assert 'maxlength="3"' not in client.get(url(world.job)).content.decode()
    before = counts()
    response = client.post(url(world.job), form_data(compensation_currency=typed))
    assert response.status_code == 400
    assert "Use an ISO 4217 currency code such as GBP, EUR or USD." in response.content.decode()
    assert counts() == before


def test_get_never_creates_anything(world, login):
    before = counts()
    login(world.rita).get(url(world.job), form_data())
    assert counts() == before


def test_hank_cannot_add_by_posting_either(world, login):
    before = counts()
    assert login(world.hank).post(url(world.job), form_data()).status_code == 403
    assert counts() == before


def test_a_pdf_resume_is_stored_under_a_random_name(world, login, media_root):
    login(world.rita).post(url(world.job), {**form_data(), "resume": pdf_upload("Nina CV.pdf")})
    nina = Candidate.objects.get(email="nina@cand.example")
    assert nina.resume_filename == "Nina CV.pdf"
    assert nina.resume.name.startswith("resumes/")
    assert "Nina" not in nina.resume.name
    assert nina.resume.name.endswith(".pdf")
    assert (media_root / nina.resume.name).read_bytes() == PDF_BYTES


def test_a_docx_resume_is_accepted(world, login):
    login(world.rita).post(url(world.job), {**form_data(), "resume": docx_upload()})
    assert Candidate.objects.get(email="nina@cand.example").resume.name.endswith(".docx")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("cv.txt", b"hello"), "PDF or a Word (.docx) file"),
        (SimpleUploadedFile("tool.exe", b"MZ\x90\x00"), "PDF or a Word (.docx) file"),
        (SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 really an exe"), "not a valid PDF"),
        (SimpleUploadedFile("cv.docx", b"PK\x03\x04 not a zip"), "not a valid DOCX"),
        (SimpleUploadedFile("cv.pdf", b""), "empty"),
    ],
    ids=["text", "exe", "renamed-exe", "fake-docx", "empty"],
)
def test_a_bad_resume_is_refused_and_nothing_is_created(world, login, upload, message):
    before = counts()
    response = login(world.rita).post(url(world.job), {**form_data(), "resume": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert counts() == before


def test_an_oversized_resume_is_refused(world, login, settings):
    settings.RESUME_MAX_BYTES = 1024 * 1024
    big = pdf_upload(content=PDF_BYTES + b"0" * (1024 * 1024 + 1))
    before = counts()
    response = login(world.rita).post(url(world.job), {**form_data(), "resume": big})
    assert response.status_code == 400
    assert "larger than 1 MB" in response.content.decode()
    assert counts() == before


def test_someone_of_the_same_name_on_the_job_is_shown_and_nothing_is_added(world, login):
    carla = world.interviewed
    before = counts()
    response = login(world.rita).post(
        url(world.job), form_data(full_name="carla  candidate", email="carla2@cand.example")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Carla Candidate is already on this job. Is this the same person?" in body
    assert "carla@cand.example" in body
    assert f"in {carla.stage.name}" in body
    assert reverse("pipeline:application-detail", args=[carla.pk]) in body
    assert 'name="add_anyway"' in body
    assert counts() == before


def test_add_anyway_adds_a_second_person_of_the_same_name(world, login):
    before = counts()
    data = form_data(full_name="Carla Candidate", email="carla2@cand.example", add_anyway="on")
    response = login(world.rita).post(url(world.job), data)
    assert response.status_code == 302
    assert counts() == (before[0] + 1, before[1] + 1)


def test_the_same_name_on_another_job_is_named_beside_the_warning(world, login):
    from closeloop.jobs.models import JobStatus
    from closeloop.jobs.services import job_create
    from closeloop.pipeline.services import candidate_add

    sre = job_create(
        by=world.rita,
        data={
            "title": "SRE",
            "status": JobStatus.OPEN,
            "recruiter": world.rita,
            "hiring_manager": world.hank,
        },
    )
    candidate_add(
        job=sre, by=world.rita, data={"full_name": "Carla Candidate", "email": "c3@cand.example"}
    )
    response = login(world.rita).post(
        url(world.job), form_data(full_name="Carla Candidate", email="c4@cand.example")
    )
    body = response.content.decode()
    assert "Also on file with this name, on other jobs:" in body
    assert "c3@cand.example" in body
    assert "SRE (" in body
