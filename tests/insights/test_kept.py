"""The organisation-wide insights keep their figures a few minutes once counted
(`insights.kept`): the same figures asked again are served without counting, the page says
when they were counted, "Count again now" counts them at once, and the key holds what the
figures depend on (the period, the filters, the jobs shown)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.jobs.models import Job, JobStatus
from closeloop.pipeline.privacy import candidate_erase
from insights.conftest import waited

WAITS = "/insights/waits/"
DAY = dt.timedelta(days=1)
pytestmark = pytest.mark.usefixtures("clock")


def _longest(response) -> list[tuple[str, int]]:
    return [(str(item.application.candidate), item.days) for item in response.context["items"]]


def test_the_waits_are_kept_said_so_and_counted_again_on_request(world, login, clock):
    waited(world.sourced, 9, world.hank)
    client = login(world.ada)
    first = client.get(WAITS)
    assert _longest(first)[0] == ("Sam Sourced", 9)
    html = first.content.decode()
    assert "Counted at" in html and 'datetime="2026-11-23T10:00:00+00:00"' in html
    assert "recount=1" in html

    waited(world.other_application, 12, world.olga)  # a longer wait, after the count
    with CaptureQueriesContext(connection) as kept_queries:
        kept = client.get(WAITS)
    assert _longest(kept) == _longest(first)  # the kept figures: Otto still at 0 days
    with CaptureQueriesContext(connection) as counting_queries:
        again = client.get(WAITS, {"recount": "1"})
    assert _longest(again)[:2] == [("Otto Other", 12), ("Sam Sourced", 9)]
    assert len(kept_queries) < len(counting_queries)  # kept: nothing of the waits re-read

    waited(world.interviewed, 20, world.rita)
    clock.shift(dt.timedelta(minutes=4))
    assert _longest(client.get(WAITS)) == _longest(again)  # still the recount's figures
    clock.shift(dt.timedelta(minutes=2))  # past the five minutes
    assert _longest(client.get(WAITS))[0] == ("Carla Candidate", 20)


def test_the_csv_is_the_figures_the_page_shows(world, login):
    waited(world.sourced, 9, world.hank)
    client = login(world.ada)
    client.get(WAITS)
    waited(world.other_application, 12, world.olga)

    response = client.get(WAITS, {"format": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row[0], row[5]) for row in rows[1:3]] == [
        ("Sam Sourced", "9"),
        ("Carla Candidate", "0"),
    ]


def test_a_viewer_who_may_not_read_them_never_gets_them(world, login):
    waited(world.sourced, 9, world.hank)
    assert login(world.ada).get(WAITS).status_code == 200  # counted and kept

    assert login(world.rita).get(WAITS).status_code == 404
    assert login(world.rita).get(reverse("insights:people")).status_code == 404


def test_nothing_is_kept_when_the_setting_says_zero(world, login, settings):
    settings.INSIGHTS_KEPT_SECONDS = 0
    waited(world.sourced, 9, world.hank)
    client = login(world.ada)
    assert "Counted at" not in client.get(WAITS).content.decode()
    waited(world.other_application, 12, world.olga)

    assert _longest(client.get(WAITS))[0] == ("Otto Other", 12)


def test_jobs_side_by_side_keeps_figures_per_page_of_jobs_and_period(world, login):
    """A viewer who sees fewer jobs gets figures for exactly the jobs on her page, and another
    period is counted, not served from the first."""
    other = Job.objects.create(
        title="Zeta role", status=JobStatus.OPEN, recruiter=world.olga, hiring_manager=world.hank
    )
    url = reverse("insights:jobs")
    ada_rows = login(world.ada).get(url, {"status": "all"}).context["rows"]
    assert other.pk in {row.job.pk for row in ada_rows}

    rita_rows = login(world.rita).get(url, {"status": "all"}).context["rows"]
    assert other.pk not in {row.job.pk for row in rita_rows}
    assert {row.job.pk for row in rita_rows} <= {row.job.pk for row in ada_rows}

    client = login(world.ada)
    later = client.get(url, {"status": "all", "start": "2026-11-01", "end": "2026-11-23"})
    assert later.context["start"] == dt.date(2026, 11, 1)
    assert later.context["counted_at"] is not None


@pytest.mark.parametrize("where", ["here", "in the worker"])
def test_an_erasure_makes_every_kept_figure_stale(world, login, where):
    """The kept waits name Sam: once he is erased the next request counts again, without his
    name, on the page and in its CSV, whichever process erased him (the worker's retention
    keeps its own cache, as each server process does)."""
    waited(world.sourced, 9, world.hank)
    client = login(world.ada)
    assert _longest(client.get(WAITS))[0] == ("Sam Sourced", 9)  # counted and kept

    sam = world.sourced.candidate
    if where == "here":
        erase = client.post(f"/candidates/{sam.pk}/erase/", {"reason": "request", "confirm": "on"})
        assert erase.status_code == 302
    else:
        elsewhere = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                 "LOCATION": "worker"}}  # fmt: skip
        with override_settings(CACHES=elsewhere):
            candidate_erase(candidate=sam, by=world.ada, reason="Retention")

    page = client.get(WAITS)
    assert "Sam Sourced" not in page.content.decode()
    assert "Sam Sourced" not in [name for name, _days in _longest(page)]
    response = client.get(WAITS, {"format": "csv"})
    assert "Sam Sourced" not in b"".join(response.streaming_content).decode()
