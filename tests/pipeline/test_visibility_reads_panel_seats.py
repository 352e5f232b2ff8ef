"""The visibility filters read the panel seats (a few index lookups on (user, application)
and (user, job)), never the interviews' panels: at 100,000 candidates reading the panels
was a hash join over every interview, several times per queue request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.interviews.models import Interview, PanelSeat
from closeloop.jobs.selectors import job_get, job_list
from closeloop.pipeline.models import Application
from closeloop.pipeline.selectors import application_visible_q, candidate_timeline


def _sql(queryset) -> str:
    with CaptureQueriesContext(connection) as ctx:
        list(queryset)
    return " ".join(query["sql"] for query in ctx.captured_queries)


@pytest.mark.parametrize("who", ["ivy", "hank", "olga"])
def test_the_visibility_filters_never_join_the_panels(world, who):
    user = getattr(world, who)
    panels = Interview.interviewers.through._meta.db_table
    applications = Application.objects.filter(application_visible_q(user)).values("pk")
    for sql in (_sql(applications), _sql(job_list(user=user).values("pk"))):
        assert panels not in sql
        assert PanelSeat._meta.db_table in sql


def test_one_job_and_a_timeline_read_the_seats_too(world):
    panels = Interview.interviewers.through._meta.db_table
    with CaptureQueriesContext(connection) as ctx:
        job_get(user=world.ivy, pk=world.job.pk)
        list(candidate_timeline(user=world.ivy, candidate=world.interviewed.candidate))
    # The job's and the events' visibility filters; the blindness rule (which scorecards
    # she still owes) reads her interviews apart, as it must.
    sql = " ".join(
        query["sql"]
        for query in ctx.captured_queries
        if "jobs_job" in query["sql"].split(" FROM ")[1][:40]
        or "activity_activity" in query["sql"].split(" FROM ")[1][:40]
    )
    assert panels not in sql
    assert PanelSeat._meta.db_table in sql
