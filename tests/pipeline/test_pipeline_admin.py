"""The Django admin for the pipeline: every page opens, and the stage history stays read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from closeloop.interviews.models import Interview
from closeloop.pipeline.models import Application, Candidate, StageChange, Submission


@pytest.fixture
def admin_client(world, login, submitted):
    return login(world.ada)


@pytest.mark.parametrize("model", [Candidate, Application, Submission, StageChange, Interview])
def test_every_pipeline_model_has_a_working_list_and_detail_page(admin_client, model):
    meta = model._meta
    listing = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert listing.status_code == 200
    obj = model.objects.first()
    detail = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    assert admin_client.get(detail).status_code == 200


def test_stage_changes_cannot_be_added_changed_or_deleted(admin_client, world):
    change = StageChange.objects.first()
    add = admin_client.get(reverse("admin:pipeline_stagechange_add"))
    assert add.status_code == 403
    url = reverse("admin:pipeline_stagechange_change", args=[change.pk])
    admin_client.post(url, {"reason": "rewritten"})
    assert StageChange.objects.get(pk=change.pk).reason == change.reason
    delete = reverse("admin:pipeline_stagechange_delete", args=[change.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403


def test_a_candidate_with_history_is_not_deleted_from_the_admin(admin_client, world):
    carla = world.interviewed.candidate
    delete = reverse("admin:pipeline_candidate_delete", args=[carla.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Candidate.objects.filter(pk=carla.pk).exists()


def test_the_application_page_shows_its_stage_history_inline(admin_client, world):
    url = reverse("admin:pipeline_application_change", args=[world.interviewed.pk])
    body = admin_client.get(url).content.decode()
    assert "Submitted to the HM" in body


def test_people_without_staff_access_cannot_open_the_admin(world, login):
    response = login(world.rita).get(reverse("admin:pipeline_candidate_changelist"))
    assert response.status_code == 302


def test_applications_and_submissions_are_not_added_behind_the_services_back(admin_client):
    assert admin_client.get(reverse("admin:pipeline_application_add")).status_code == 403
    assert admin_client.get(reverse("admin:pipeline_submission_add")).status_code == 403


def test_an_application_stage_cannot_be_rewritten_in_the_admin(admin_client, world):
    url = reverse("admin:pipeline_application_change", args=[world.sourced.pk])
    offer = world.job.stages.get(name="Offer")
    admin_client.post(url, {"stage": offer.pk, "status": "hired"})
    world.sourced.refresh_from_db()
    assert (world.sourced.stage.name, world.sourced.status) == ("Sourced", "active")


def test_the_candidate_admin_offers_no_resume_upload(admin_client, world):
    url = reverse("admin:pipeline_candidate_change", args=[world.interviewed.candidate.pk])
    body = admin_client.get(url).content.decode()
    assert 'type="file"' not in body


def _as_posted(page) -> dict:
    """The change form's data as the browser would send it back unchanged."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    return {
        bound.html_name: bound.value()
        for form in forms
        for bound in form
        if bound.value() is not None
    }


def test_the_privacy_bookkeeping_is_not_set_from_the_admin(admin_client, world):
    """QA set "Erased at" in the admin: the candidate's page said "erased" with every detail
    still there, and the real erasure then refused. Erasure and retention write these
    fields (and record it); the admin shows them read-only."""
    carla = world.interviewed.candidate
    url = reverse("admin:pipeline_candidate_change", args=[carla.pk])
    data = _as_posted(admin_client.get(url))
    data |= {
        "current_title": "Staff Engineer",
        "erased_at_0": "2026-11-01", "erased_at_1": "10:00:00",
        "retention_noticed_at_0": "2026-11-01", "retention_noticed_at_1": "10:00:00",
        "retention_kept_at_0": "2026-11-01", "retention_kept_at_1": "10:00:00",
        "retention_kept_by": str(world.ada.pk), "retention_kept_reason": "typed in the admin",
    }  # fmt: skip
    assert admin_client.post(url, data).status_code == 302
    carla = Candidate.objects.get(pk=carla.pk)
    assert carla.current_title == "Staff Engineer"  # the form was saved
    assert carla.erased_at is None and carla.retention_noticed_at is None
    assert carla.retention_kept_at is None and carla.retention_kept_by is None
    assert carla.retention_kept_reason == ""
    assert admin_client.get(f"/candidates/{carla.pk}/erase/").status_code == 200
