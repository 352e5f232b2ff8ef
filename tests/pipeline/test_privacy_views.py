"""Only admins erase, export, keep and read the view record; anyone else is refused (403 when
they see the candidate, 404 when they do not) and nothing changes. Erasing asks first, wants a
reason, and refuses clearly the second time; the export is a zip of everything stored; every
résumé download and export is recorded on the candidate's page, for admins."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from closeloop.activity.models import Activity
from closeloop.lib.timefmt import absolute
from closeloop.pipeline.models import Candidate, CandidateAccess
from closeloop.pipeline.privacy import candidate_erase, candidate_export
from closeloop.pipeline.services import (
    application_reopen,
    application_submit,
    candidate_update,
    candidate_updated,
)

OUTSIDERS = ["rita", "hank", "ivy", "olga"]


@pytest.fixture
def carla(world, settings, tmp_path):
    """Carla, with a résumé on file (in a throwaway upload folder) and a pitch."""
    settings.MEDIA_ROOT = tmp_path
    candidate = world.interviewed.candidate
    candidate_update(
        candidate=candidate,
        by=world.rita,
        data={"full_name": candidate.full_name, "email": candidate.email, "phone": "+1 555 0100"},
        resume=SimpleUploadedFile("carla.pdf", b"%PDF-1.4\nCarla\n%%EOF\n", "application/pdf"),
    )
    application_submit(application=world.interviewed, by=world.rita, pitch="Carla is sharp.")
    return Candidate.objects.get(pk=candidate.pk)


def _state(candidate: Candidate) -> tuple:
    candidate = Candidate.objects.get(pk=candidate.pk)
    return candidate.full_name, candidate.email, candidate.erased_at, candidate.retention_kept_at


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_nobody_but_an_admin_erases_exports_or_keeps(world, carla, login, persona):
    before = _state(carla)
    client = login(getattr(world, persona))
    sees = client.get(f"/candidates/{carla.pk}/").status_code == 200
    refused = 403 if sees else 404
    assert client.get(f"/candidates/{carla.pk}/erase/").status_code == refused
    data = {"reason": "request", "confirm": "on"}
    assert client.post(f"/candidates/{carla.pk}/erase/", data).status_code == refused
    assert client.post(f"/candidates/{carla.pk}/export/").status_code == refused
    assert client.post(f"/candidates/{carla.pk}/keep/", {"reason": "hold"}).status_code == refused
    assert client.get("/candidates/retention/").status_code == 403
    assert _state(carla) == before
    assert not CandidateAccess.objects.filter(kind="export").exists()


def test_an_unknown_candidate_is_404_even_for_an_admin(world, login):
    client = login(world.ada)
    assert client.get("/candidates/999999/erase/").status_code == 404
    assert client.post("/candidates/999999/export/").status_code == 404


def test_the_view_record_is_shown_to_admins_only(world, carla, login):
    rita = login(world.rita)
    assert rita.get(f"/candidates/{carla.pk}/resume/").status_code == 200
    [access] = CandidateAccess.objects.filter(candidate=carla)
    assert (access.by, access.kind) == (world.rita, "resume")
    page = rita.get(f"/candidates/{carla.pk}/").content.decode()
    assert "Who downloaded" not in page
    assert "Erase this candidate" not in page
    admin_page = login(world.ada).get(f"/candidates/{carla.pk}/").content.decode()
    assert "Who downloaded or exported" in admin_page
    assert "Rita Recruiter · downloaded the résumé" in admin_page


def test_the_erase_page_asks_first_and_wants_a_reason_and_a_tick(world, carla, login):
    client = login(world.ada)
    page = client.get(f"/candidates/{carla.pk}/erase/")
    assert page.status_code == 200
    assert "cannot be undone" in page.content.decode()
    # Carla's application is open: the page says it is withdrawn first.
    assert "1 open application will be withdrawn first" in page.content.decode()
    assert _state(carla)[2] is None  # GET changes nothing
    no_reason = client.post(f"/candidates/{carla.pk}/erase/", {"reason": " ", "confirm": "on"})
    assert no_reason.status_code == 400
    no_tick = client.post(f"/candidates/{carla.pk}/erase/", {"reason": "Request by email"})
    assert no_tick.status_code == 400
    assert "Tick the box" in no_tick.content.decode()
    assert _state(carla)[2] is None


def test_erasing_twice_is_refused_clearly(world, carla, login):
    client = login(world.ada)
    data = {"reason": "Request by email", "confirm": "on"}
    assert client.post(f"/candidates/{carla.pk}/erase/", data).status_code == 302
    again = client.post(f"/candidates/{carla.pk}/erase/", data, follow=True)
    assert "already erased" in again.content.decode()
    assert Activity.objects.filter(kind="closeloop.candidate.erased").count() == 1
    with pytest.raises(ValidationError, match="already erased"):
        candidate_erase(candidate=carla, by=world.ada, reason="again")
    page = client.get(f"/candidates/{carla.pk}/").content.decode()
    assert "Erase this candidate" not in page
    assert f"Erased candidate #{carla.pk}" in page
    # Nobody edits what is left.
    assert login(world.rita).get(f"/candidates/{carla.pk}/edit/").status_code == 403


def test_the_export_is_a_zip_of_everything_stored_and_is_recorded(world, carla, login):
    client = login(world.ada)
    response = client.post(f"/candidates/{carla.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"candidate-{carla.pk}.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["data.json", "files/carla.pdf"]
    assert archive.read("files/carla.pdf").startswith(b"%PDF-")
    data = json.loads(archive.read("data.json"))
    assert data["candidate"]["full_name"] == "Carla Candidate"
    assert data["candidate"]["phone"] == "+1 555 0100"
    [application] = data["applications"]
    assert application["job"] == "Backend Engineer"
    assert application["submissions"][0]["pitch"] == "Carla is sharp."
    assert application["stage_history"]
    assert data["interviews"][0]["round"] == "Technical"
    assert any("Carla" in row["summary"] for row in data["activity"])
    assert data["asks"]  # the review ask the submission opened
    [access] = CandidateAccess.objects.filter(candidate=carla)
    assert (access.by, access.kind) == (world.ada, "export")


def test_the_export_holds_only_the_lines_that_name_the_person(world, carla, login):
    """A weekly update lists dozens of candidates; a version's notes speak of the search:
    Carla's export has the lines about her, none about Otto or the search."""
    from closeloop.intake.models import IntakeVersion
    from closeloop.notify.models import Message

    Message.objects.create(
        recipient=world.hank, template="weekly-update", subject="Your week",
        body_text="- Carla Candidate: waiting 3 days\n- Otto Other: rejected in Submitted",
        message_id="export-test@closeloop",
    )  # fmt: skip
    IntakeVersion.objects.create(
        job=world.job, number=9, created_by=world.rita,
        notes="Budget agreed with finance.\nCarla Candidate is the benchmark profile.",
    )  # fmt: skip
    response = login(world.ada).post(f"/candidates/{carla.pk}/export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    [weekly] = [row for row in data["messages"] if row["subject"] == "Your week"]
    assert weekly["lines_naming_them"] == ["- Carla Candidate: waiting 3 days"]
    mentions = data["intake_mentions"]
    [notes] = [row["notes"] for row in mentions if row["version"] == 9]
    assert notes == ["Carla Candidate is the benchmark profile."]
    assert "Otto" not in json.dumps(data) and "finance" not in json.dumps(data)


def test_erasing_scrubs_an_address_written_without_its_domain(world, carla, login):
    """ "contact via carla.candidate" in a note names her as surely as her full address."""
    from closeloop.notify.models import Message

    Candidate.objects.filter(pk=carla.pk).update(email="carla.candidate@cand.example")
    note = Message.objects.create(
        recipient=world.hank, template="notice", subject="Remote days",
        body_text="Wants two remote days; write to carla.candidate about the visa.",
        message_id="erase-local@closeloop",
    )  # fmt: skip
    candidate_erase(candidate=Candidate.objects.get(pk=carla.pk), by=world.ada, reason="request")
    note.refresh_from_db()
    assert "carla.candidate" not in note.body_text
    # An address is a detail beside the name: "[removed]", not the label.
    assert note.body_text == "Wants two remote days; write to [removed] about the visa."


def test_an_erased_candidates_application_offers_nothing_and_refuses_everything(
    world, carla, login
):
    """QA found "Reopen" and "Candidate updated" on an erased candidate's application: the
    anonymous record must never come back to life."""
    login(world.ada).post(
        f"/candidates/{carla.pk}/erase/", {"reason": "Request by email", "confirm": "on"}
    )
    application = world.interviewed
    page = login(world.rita).get(f"/applications/{application.pk}/").content.decode()
    assert "Reopen" not in page and "Candidate updated" not in page
    assert "Candidate waiting on us" not in page
    with pytest.raises(ValidationError, match="erased"):
        application_reopen(application=application, by=world.rita)
    with pytest.raises(ValidationError, match="erased"):
        candidate_updated(application=application, by=world.rita)


def test_the_erase_page_says_comments_go_and_their_name_leaves_every_other(world, carla, login):
    page = login(world.ada).get(f"/candidates/{carla.pk}/erase/").content.decode()
    assert "Comments on them or their applications are deleted" in page
    assert "their name is taken out of every other comment" in page


def test_an_erased_candidates_pages_say_so_with_the_apps_dates(world, carla, login):
    erased = candidate_erase(candidate=carla, by=world.ada, reason="Request by email")
    client = login(world.ada)
    again = client.get(f"/candidates/{carla.pk}/erase/", follow=True).content.decode()
    assert f"already erased on {absolute(erased.erased_at)}" in again
    assert f"erased on {erased.erased_at:%Y-%m-%d}" not in again
    # Even an admin, who edits anyone, is told why: the candidate was erased.
    edit = client.get(f"/candidates/{carla.pk}/edit/")
    assert edit.status_code == 403
    assert f"This candidate was erased on {absolute(erased.erased_at)}" in edit.content.decode()
    assert "recruiting side" not in edit.content.decode()


def test_opening_the_export_address_goes_to_the_candidates_page(world, carla, login):
    """The export is a POST (it is recorded): a typed or bookmarked address is sent to the
    candidate's page, where the button is, not to a blank 405."""
    response = login(world.ada).get(f"/candidates/{carla.pk}/export/", follow=True)
    assert response.redirect_chain == [(f"/candidates/{carla.pk}/#privacy-title", 302)]
    assert "Export their data" in response.content.decode()
    assert "Use the “Export their data” button below" in response.content.decode()
    assert not CandidateAccess.objects.filter(candidate=carla).exists()
    # Anyone else is refused as for the export itself.
    assert login(world.rita).get(f"/candidates/{carla.pk}/export/").status_code == 403


def test_an_erased_candidate_offers_no_export_and_refuses_one_clearly(world, carla, login):
    erased = candidate_erase(candidate=carla, by=world.ada, reason="Request by email")
    client = login(world.ada)
    page = client.get(f"/candidates/{carla.pk}/").content.decode()
    assert "Export their data" not in page
    refused = client.post(f"/candidates/{carla.pk}/export/", follow=True)
    assert refused.redirect_chain == [(f"/candidates/{carla.pk}/", 302)]
    text = refused.content.decode()
    assert f"erased on {absolute(erased.erased_at)}" in text and "nothing to export" in text
    assert not CandidateAccess.objects.filter(candidate=carla, kind="export").exists()
    with pytest.raises(ValidationError, match="nothing to export"):
        candidate_export(candidate=erased, by=world.ada)
    # A typed address is told the same, not pointed at a button that is not there.
    typed = client.get(f"/candidates/{carla.pk}/export/", follow=True).content.decode()
    assert "nothing to export" in typed and "button below" not in typed
