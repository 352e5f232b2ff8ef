"""Editing a candidate: recruiting side only; address clashes explain themselves and can merge."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pipeline_helpers import docx_upload, fresh, pdf_upload

from closeloop.activity.models import Activity
from closeloop.pipeline.models import Candidate
from closeloop.pipeline.services import candidate_add


def url(candidate) -> str:
    return reverse("pipeline:candidate-edit", args=[candidate.pk])


def form_data(candidate, **overrides) -> dict:
    data = {
        "full_name": candidate.full_name,
        "email": candidate.email or "",
        "phone": candidate.phone,
        "location": candidate.location,
        "links": candidate.links,
        "current_title": candidate.current_title,
        "current_company": candidate.current_company,
        "expected_compensation": candidate.expected_compensation or "",
        "compensation_currency": candidate.compensation_currency,
        "source": candidate.source,
    }
    data.update(overrides)
    return data


def test_rita_sees_the_form_filled_in(world, login):
    carla = world.interviewed.candidate
    response = login(world.rita).get(url(carla))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Carla Candidate"' in body
    assert 'value="carla@cand.example"' in body


def test_ada_may_edit_anyone(world, login):
    assert login(world.ada).get(url(world.interviewed.candidate)).status_code == 200


@pytest.mark.parametrize("persona", ["hank", "ivy"])
def test_people_who_see_the_candidate_but_do_not_recruit_are_refused(world, login, persona):
    carla = world.interviewed.candidate
    client = login(getattr(world, persona))
    assert client.get(url(carla)).status_code == 403
    assert client.post(url(carla), form_data(carla, full_name="Changed")).status_code == 403
    assert fresh(carla).full_name == "Carla Candidate"


def test_olga_and_guessed_ids_get_not_found(world, login):
    carla = world.interviewed.candidate
    assert login(world.olga).get(url(carla)).status_code == 404
    missing = reverse("pipeline:candidate-edit", args=[99999])
    assert login(world.rita).get(missing).status_code == 404


def test_rita_saves_changes_and_the_timeline_says_what_changed(world, login):
    carla = world.interviewed.candidate
    response = login(world.rita).post(
        url(carla), form_data(carla, location="Berlin", current_company="Globex")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("pipeline:candidate-detail", args=[carla.pk])
    carla.refresh_from_db()
    assert (carla.location, carla.current_company) == ("Berlin", "Globex")
    event = Activity.objects.get(kind="closeloop.candidate.updated", candidate=carla)
    assert "current company" in event.summary
    assert "location" in event.summary


def test_get_changes_nothing(world, login):
    carla = world.interviewed.candidate
    before = Activity.objects.count()
    login(world.rita).get(url(carla), form_data(carla, full_name="Changed"))
    assert fresh(carla).full_name == "Carla Candidate"
    assert Activity.objects.count() == before


def test_bad_input_shows_a_message_and_changes_nothing(world, login):
    carla = world.interviewed.candidate
    response = login(world.rita).post(url(carla), form_data(carla, email="not-an-address"))
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert fresh(carla).email == "carla@cand.example"


def second_job_duplicate(world):
    """Carla entered again, without her address, on another of rita's jobs."""
    from closeloop.jobs.models import JobStatus
    from closeloop.jobs.services import job_create

    sre = job_create(
        by=world.rita,
        data={
            "title": "SRE",
            "status": JobStatus.OPEN,
            "recruiter": world.rita,
            "hiring_manager": world.hank,
        },
    )
    data = {"full_name": "Carla C.", "phone": "+1 555 0100"}
    return candidate_add(job=sre, by=world.rita, data=data).application


def test_an_address_of_another_visible_candidate_offers_a_merge(world, login):
    carla = world.interviewed.candidate
    dupe = second_job_duplicate(world).candidate
    response = login(world.rita).post(url(dupe), form_data(dupe, email="carla@cand.example"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Carla Candidate already has this address." in body
    assert "Merge this record into Carla Candidate" in body
    assert f'name="into" value="{carla.pk}"' in body
    assert fresh(dupe).email is None


def test_two_records_on_the_same_job_are_offered_a_merge_saying_which_entry_stays(world, login):
    sam = world.sourced.candidate
    response = login(world.rita).post(url(sam), form_data(sam, email="carla@cand.example"))
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "Both are on Backend Engineer: the entry in Sourced (Carla Candidate’s) stays, and the "
        "other one, in Sourced, is removed"
    ) in body
    assert 'name="into"' in body
    assert fresh(sam).email == "sam@cand.example"


def test_two_records_each_with_a_submission_on_the_job_are_not_offered_a_merge(world, login):
    from closeloop.pipeline.models import Submission

    for application in (world.sourced, world.interviewed):
        Submission.objects.create(application=application, pitch="Strong.", submitted_by=world.rita)
    sam = world.sourced.candidate
    body = login(world.rita).post(url(sam), form_data(sam, email="carla@cand.example"))
    html = body.content.decode()
    assert "Both records have their own history on Backend Engineer" in html
    assert 'name="into"' not in html


def test_an_address_of_a_candidate_rita_cannot_see_names_nobody(world, login):
    sam = world.sourced.candidate
    response = login(world.rita).post(url(sam), form_data(sam, email="otto@cand.example"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Another candidate already has this address" in body
    assert "Otto" not in body
    assert 'name="into"' not in body


def test_a_second_entry_on_the_same_job_merges_into_the_first(world, login):
    # Carla was entered a second time, without an email, on the job she is already on.
    dupe = candidate_add(
        job=world.job, by=world.rita, data={"full_name": "Carla C.", "phone": "+1 555 0100"}
    ).application.candidate
    carla = world.interviewed.candidate
    carla_application = world.interviewed
    response = login(world.rita).post(
        url(dupe), {"into": carla.pk, "same_person": "on"}, follow=True
    )
    assert "Merged the duplicate into Carla Candidate" in response.content.decode()
    assert not Candidate.objects.filter(pk=dupe.pk).exists()
    assert fresh(carla_application).candidate_id == carla.pk
    assert fresh(carla).phone == "+1 555 0100"


def test_merging_moves_applications_and_history(world, login):
    dupe_application = second_job_duplicate(world)
    dupe = dupe_application.candidate
    carla = world.interviewed.candidate
    response = login(world.rita).post(url(dupe), {"into": carla.pk, "same_person": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("pipeline:candidate-detail", args=[carla.pk])
    assert not Candidate.objects.filter(pk=dupe.pk).exists()
    assert fresh(dupe_application).candidate_id == carla.pk
    assert fresh(carla).phone == "+1 555 0100"
    assert carla.activities.filter(kind="closeloop.candidate.merged").exists()


def test_merging_into_a_record_rita_cannot_edit_is_refused(world, login):
    sam = world.sourced.candidate
    otto = world.other_application.candidate
    response = login(world.rita).post(url(sam), {"into": otto.pk, "same_person": "on"})
    assert response.status_code == 404
    assert Candidate.objects.filter(pk=sam.pk).exists()


def test_a_new_resume_replaces_the_old_one(
    world, login, media_root, django_capture_on_commit_callbacks
):
    carla = world.interviewed.candidate
    client = login(world.rita)
    client.post(url(carla), {**form_data(carla), "resume": pdf_upload("first.pdf")})
    old_name = fresh(carla).resume.name
    assert (media_root / old_name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(carla), {**form_data(carla), "resume": docx_upload("second.docx")})
    carla.refresh_from_db()
    assert carla.resume_filename == "second.docx"
    assert carla.resume.name != old_name
    assert not (media_root / old_name).exists()


def test_a_bad_resume_is_refused_on_edit(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    carla = world.interviewed.candidate
    upload = SimpleUploadedFile("cv.pdf", b"<html>not a pdf</html>")
    response = login(world.rita).post(url(carla), {**form_data(carla), "resume": upload})
    assert response.status_code == 400
    assert "not a valid PDF" in response.content.decode()
    assert not fresh(carla).resume


def test_the_merge_offer_tells_the_two_records_apart(world, login):
    dupe = second_job_duplicate(world).candidate
    response = login(world.rita).post(url(dupe), form_data(dupe, email="carla@cand.example"))
    body = response.content.decode()
    assert "This record</strong>: Carla C." in body
    assert "no email" in body
    assert "Carla Candidate’s record</strong>: Carla Candidate" in body
    assert "carla@cand.example" in body
    assert "SRE (" in body and "Backend Engineer (" in body
    assert 'name="same_person"' in body


def test_merging_without_confirming_merges_nothing_and_asks_again(world, login):
    dupe = second_job_duplicate(world).candidate
    carla = world.interviewed.candidate
    response = login(world.rita).post(url(dupe), {"into": carla.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tick the box to confirm the two records are one person." in body
    assert "Merge this record into Carla Candidate" in body
    assert Candidate.objects.filter(pk=dupe.pk).exists()


@pytest.mark.parametrize("into", ["²", "99999999999999999999", "12.0", "-3", ""])
def test_an_unusable_record_to_merge_into_is_asked_again_and_merges_nothing(world, login, into):
    dupe = second_job_duplicate(world).candidate
    response = login(world.rita).post(url(dupe), {"into": into, "same_person": "on"}, follow=True)
    assert response.status_code == 200
    assert "Choose which record to merge into." in response.content.decode()
    assert Candidate.objects.filter(pk=dupe.pk).exists()
