"""The candidate and application pages stay small however long a candidate's history is.

Timelines show the newest TIMELINE_PAGE events, then "Older events" (?before=<event>); the
candidate's applications and an application's stage history show their latest rows with a
count of the rest. The queries a page runs do not depend on how long the history is.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from closeloop.activity.models import Activity
from closeloop.activity.selectors import TIMELINE_PAGE
from closeloop.pipeline import views
from closeloop.pipeline.models import StageChange


def candidate_url(application, **query) -> str:
    path = reverse("pipeline:candidate-detail", args=[application.candidate_id])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def application_url(application, **query) -> str:
    path = reverse("pipeline:application-detail", args=[application.pk])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def history(application, n, *, team_only=False, prefix="Note"):
    """`n` events on the application, newest first: event i a minute older than event i-1,
    all of them newer than the world's own events (plain ORM)."""
    now = timezone.now()
    return Activity.objects.bulk_create(
        Activity(
            kind="closeloop.note",
            at=now + dt.timedelta(minutes=n - i),
            job_id=application.job_id,
            candidate_id=application.candidate_id,
            application=application,
            summary=f"{prefix} {i:03d}",
            team_only=team_only,
        )
        for i in range(n)
    )


def summaries(response) -> list[str]:
    return [event.summary for event in response.context["timeline"].events]


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", [candidate_url, application_url])
def test_a_long_timeline_shows_its_newest_events_then_older_ones_on_demand(world, login, page):
    history(world.interviewed, TIMELINE_PAGE + 20)
    client = login(world.rita)
    newest = client.get(page(world.interviewed))
    assert summaries(newest) == [f"Note {i:03d}" for i in range(TIMELINE_PAGE)]
    older = newest.context["timeline"].older
    assert f'href="?before={older}#timeline-title"' in newest.content.decode()
    second = client.get(page(world.interviewed, before=older))
    shown = summaries(second)
    assert shown[:20] == [f"Note {i:03d}" for i in range(TIMELINE_PAGE, TIMELINE_PAGE + 20)]
    assert "Note 000" not in shown  # nothing twice
    html = second.content.decode()
    assert "Newest events" in html


@pytest.mark.parametrize("page", [candidate_url, application_url])
def test_a_bad_before_shows_the_newest_events(world, login, page):
    history(world.interviewed, TIMELINE_PAGE + 5)
    client = login(world.rita)
    for before in ["abc", "-1", "99999999999999999999999", "0"]:
        response = client.get(page(world.interviewed, before=before))
        assert response.status_code == 200
        assert summaries(response)[0] == "Note 000"


def test_before_an_event_ivy_may_not_read_reveals_nothing(world, login):
    hidden = history(world.interviewed, 3, team_only=True, prefix="Secret")
    history(world.interviewed, 3, prefix="Open")
    response = login(world.ivy).get(candidate_url(world.interviewed, before=hidden[1].pk))
    assert response.status_code == 200
    shown = summaries(response)
    assert shown[0] == "Open 000"  # the newest page, as if no `before` had been given
    assert not any(summary.startswith("Secret") for summary in shown)


@pytest.mark.parametrize("page", [candidate_url, application_url])
def test_the_page_runs_as_many_queries_for_3_events_as_for_80(world, login, page):
    client = login(world.rita)
    history(world.interviewed, 3)
    client.get(page(world.interviewed))  # warm: per-process caches
    few = queries(client, page(world.interviewed))
    history(world.interviewed, 80, prefix="More")
    assert queries(client, page(world.interviewed)) == few
    older = client.get(page(world.interviewed)).context["timeline"].older
    # Older events cost one query more (where the page starts), however deep.
    assert queries(client, page(world.interviewed, before=older)) == few + 1


def test_the_stage_history_shows_its_latest_moves_and_counts_the_rest(world, login):
    sourced, offer = world.job.stages.get(name="Sourced"), world.job.stages.get(name="Offer")
    now = timezone.now()
    StageChange.objects.bulk_create(
        StageChange(
            application=world.interviewed,
            from_stage=sourced,
            to_stage=offer,
            from_status="active",
            to_status="active",
            at=now + dt.timedelta(minutes=i + 1),
            reason=f"move {i:03d}",
        )
        for i in range(views.STAGE_HISTORY_SHOWN + 10)
    )
    client = login(world.rita)
    response = client.get(application_url(world.interviewed))
    rows = response.context["history"].rows
    assert len(rows) == views.STAGE_HISTORY_SHOWN
    # Oldest first, ending with the newest move; Carla's "added" is older than them all.
    assert rows[-1].reason == f"move {views.STAGE_HISTORY_SHOWN + 9:03d}"
    assert rows[0].reason == "move 010"
    assert "11 earlier moves" in response.content.decode()
    few = queries(client, application_url(world.interviewed))
    StageChange.objects.bulk_create(
        StageChange(application=world.interviewed, to_stage=offer, to_status="active", at=now)
        for _ in range(30)
    )
    assert queries(client, application_url(world.interviewed)) == few


def test_the_candidate_page_shows_the_latest_applications_and_counts_the_rest(
    world, login, monkeypatch
):
    from closeloop.jobs.services import job_create
    from closeloop.pipeline.services import candidate_add

    carla = world.interviewed.candidate
    for title in ["Frontend Engineer", "SRE", "Data Engineer"]:
        job = job_create(
            by=world.rita,
            data={"title": title, "recruiter": world.rita, "hiring_manager": world.hank},
        )
        candidate_add(
            job=job, by=world.rita, data={"full_name": carla.full_name, "email": carla.email}
        )
    client = login(world.rita)
    everything = client.get(candidate_url(world.interviewed))
    assert len(everything.context["applications"].rows) == 4
    monkeypatch.setattr(views, "CANDIDATE_APPLICATIONS_SHOWN", 2)
    response = client.get(candidate_url(world.interviewed))
    shown = response.context["applications"]
    assert [a.job.title for a in shown.rows] == ["Data Engineer", "SRE"]
    assert shown.total == 4
    assert "The 2 latest of 4 applications" in response.content.decode()
