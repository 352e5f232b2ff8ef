"""The touch-base panel on the job page and the panel on the profile page."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def _job_page(client, job) -> str:
    return client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()


def test_the_recruiter_sees_the_next_meeting_and_the_sync_button(world, current, login):
    text = _job_page(login(world.rita), world.job)
    assert "Open the next touch-base" in text and "Next touch-base: " in text
    assert reverse("touchbases:touchbase-detail", args=[current.pk]) in text
    assert "Thursdays 14:00 (Europe/London)" in text
    assert "Sync with the agreed cadence" in text


def test_the_hm_sees_the_meeting_but_no_sync_button(world, current, login):
    text = _job_page(login(world.hank), world.job)
    assert "Open the next touch-base" in text and "Sync with the agreed cadence" not in text


def test_an_interviewer_sees_no_panel(world, current, login):
    text = _job_page(login(world.ivy), world.job)
    assert 'id="tb-heading"' not in text


def test_a_job_with_a_cadence_but_no_series_offers_set_up(world, cadence, login):
    text = _job_page(login(world.rita), world.job)
    assert "Set up the touch-base series" in text


def test_a_job_without_a_cadence_says_where_it_comes_from(world, login):
    text = _job_page(login(world.rita), world.job)
    assert "No touch-base cadence is agreed" in text and "Set up the touch-base" not in text


def test_the_profile_panel_lists_series_and_weekly_update_settings(world, current, login):
    text = login(world.hank).get(reverse("accounts:profile")).content.decode()
    assert "Touch-bases and weekly update" in text
    assert "Backend Engineer" in text and "Mondays at 08:00" in text
    assert reverse("touchbases:weekly-update-preview") in text
    assert "preview anyone" not in text


def test_an_admin_gets_the_preview_anyone_link(world, login):
    text = login(world.ada).get(reverse("accounts:profile")).content.decode()
    assert "preview anyone" in text


def test_an_interviewer_has_no_weekly_update_form(world, login):
    text = login(world.ivy).get(reverse("accounts:profile")).content.decode()
    assert "Save weekly update" not in text


def test_the_job_panel_runs_a_fixed_number_of_queries(world, series, client, clock):
    """History is capped: a series with eight past meetings costs what one with one does."""
    import datetime as dt

    from closeloop.touchbases.services import touchbases_advance

    def measure(weeks: int) -> int:
        for week in range(weeks):
            clock.move_to(series.first_at + dt.timedelta(days=7 * week, hours=1))
            touchbases_advance()
        client.force_login(world.rita)  # sessions expire over the weeks travelled
        with CaptureQueriesContext(connection) as queries:
            assert "tb-heading" in _job_page(client, world.job)
        return len(queries)

    assert measure(1) == measure(8)
