"""Health checks (/healthz, /readyz) and the custom error pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from closeloop.followups.models import WorkerHeartbeat

NOW = dt.datetime(2030, 5, 6, 12, 0, tzinfo=dt.UTC)


def test_healthz_answers_ok_without_a_login(client, db):
    response = client.get(reverse("ops:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_touches_no_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(reverse("ops:healthz"))


def test_readyz_is_unavailable_before_any_worker_has_beaten(client, db):
    response = client.get(reverse("ops:readyz"))
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["worker"] == "no recent heartbeat"
    assert body["worker_heartbeat_age_seconds"] is None


@pytest.mark.parametrize(("age", "status"), [(0, 200), (59, 200), (60, 503), (3600, 503)])
def test_readyz_follows_the_age_of_the_newest_heartbeat(client, db, age, status):
    WorkerHeartbeat.objects.create(name="w:1", pid=1, beat_at=NOW - dt.timedelta(seconds=age))
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("ops:readyz"))
    assert response.status_code == status
    assert response.json()["worker_heartbeat_age_seconds"] == age


def test_readyz_reads_the_newest_of_several_workers(client, db):
    WorkerHeartbeat.objects.create(name="old:1", pid=1, beat_at=NOW - dt.timedelta(hours=3))
    WorkerHeartbeat.objects.create(name="new:2", pid=2, beat_at=NOW - dt.timedelta(seconds=5))
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("ops:readyz"))
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "worker_heartbeat_age_seconds": 5.0,
        "worker": "ok",
        "status": "ok",
    }


def test_readyz_is_unavailable_when_the_database_does_not_answer(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database is down")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get(reverse("ops:readyz"))
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "status": "unavailable"}


def without_csrf(response) -> str:
    """The page with its per-response CSRF token (masked differently each time) blanked."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_guessed_url_gets_the_404_page_in_the_app_layout(world, login):
    response = login(world.hank).get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Not found · Closeloop</title>" in html
    assert "There is nothing here, or you cannot see it." in html
    assert 'aria-label="Main"' in html  # the app's navigation
    assert "My queue" in html


def test_a_404_from_a_view_never_leaks_its_reason(world, login):
    """A job hank is not on answers like a job that does not exist."""
    client = login(world.hank)
    forbidden = client.get(reverse("jobs:job-detail", args=[world.other_job.pk]))
    missing = client.get(reverse("jobs:job-detail", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404
    assert without_csrf(forbidden) == without_csrf(missing)
    html = forbidden.content.decode()
    assert "Data Analyst" not in html
    assert "No such job" not in html
    assert "Traceback" not in html


def test_the_404_page_works_for_visitors_who_are_not_logged_in(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Not found" in html
    assert 'aria-label="Main"' not in html
