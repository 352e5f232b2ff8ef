"""The activity log is append-only: the timeline and the audit trail cannot be rewritten."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from closeloop.activity.models import Activity
from closeloop.activity.services import activity_record
from closeloop.lib.models import AppendOnlyError


def test_recording_an_activity_implies_its_job_and_candidate(world):
    event = activity_record(
        kind="closeloop.test.noted", actor=world.rita, application=world.sourced, summary="Hi"
    )
    assert (event.job, event.candidate) == (world.job, world.sourced.candidate)
    assert not event.team_only


def test_a_long_summary_is_cut_to_fit(world):
    event = activity_record(kind="closeloop.test.noted", summary="x" * 500)
    assert len(event.summary) == 300


def test_an_activity_cannot_be_changed(world):
    event = activity_record(kind="closeloop.test.noted", actor=world.rita, summary="Original")
    event.summary = "Rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert Activity.objects.get(pk=event.pk).summary == "Original"


def test_an_activity_cannot_be_deleted(world):
    event = activity_record(kind="closeloop.test.noted", actor=world.rita, summary="Stays")
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert Activity.objects.filter(pk=event.pk).exists()


def test_the_admin_can_read_but_never_add_change_or_delete_activities(world):
    event = activity_record(kind="closeloop.test.noted", actor=world.rita, summary="Audit")
    request = RequestFactory().get("/")
    request.user = world.ada  # a superuser
    model_admin = admin.site._registry[Activity]
    assert model_admin.has_view_permission(request, event)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)


def test_the_admin_pages_show_activities_read_only(world, login):
    event = activity_record(kind="closeloop.test.noted", actor=world.rita, summary="Audit row")
    client = login(world.ada)
    assert "Audit row" in client.get("/admin/activity/activity/").content.decode()
    assert client.get(f"/admin/activity/activity/{event.pk}/change/").status_code == 200
    response = client.post(f"/admin/activity/activity/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Activity.objects.filter(pk=event.pk).exists()
