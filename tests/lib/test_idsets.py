"""`AmongIds`: a set of ids read once, named again in one parameter, on either database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from django.db import OperationalError, connection
from django.db.models import Count, Q

from closeloop.accounts.models import User
from closeloop.jobs.models import Job
from closeloop.lib.idsets import AmongIds


@pytest.fixture
def jobs(world):
    """Three jobs: one coordinated by olga, one by ivy, one by nobody (a NULL column)."""
    Job.objects.filter(pk=world.job.pk).update(coordinator=world.olga)
    Job.objects.filter(pk=world.other_job.pk).update(coordinator=world.ivy)
    third = Job.objects.create(
        title="Designer", recruiter=world.rita, hiring_manager=world.hank, coordinator=None
    )
    return world.job, world.other_job, third


def test_filter_finds_the_rows_whose_column_is_among_the_ids(world, jobs):
    olgas = jobs[0]
    found = Job.objects.filter(AmongIds("coordinator", [world.olga.pk, 10**12]))
    assert list(found) == [olgas]
    people = User.objects.filter(AmongIds("pk", [world.ivy.pk, world.hank.pk]))
    assert set(people) == {world.ivy, world.hank}


def test_exclude_keeps_the_rows_about_no_one_as_exclude_in_does(world, jobs):
    olgas, ivys, nobodys = jobs
    kept = set(Job.objects.exclude(AmongIds("coordinator", [world.olga.pk])))
    assert kept == set(Job.objects.exclude(coordinator__in=[world.olga.pk]))
    assert {ivys, nobodys} <= kept
    assert olgas not in kept


def test_no_ids_is_no_row_and_its_negation_every_row(world, jobs):
    assert not Job.objects.filter(AmongIds("coordinator", [])).exists()
    assert Job.objects.exclude(AmongIds("coordinator", [])).count() == Job.objects.count()


def test_counts_in_an_aggregate_filter_and_inside_q(world, jobs):
    ids = [world.olga.pk, world.ivy.pk]
    counts = Job.objects.aggregate(
        among=Count("pk", filter=Q(AmongIds("coordinator", ids))),
        rest=Count("pk", filter=~Q(AmongIds("coordinator", ids))),
    )
    assert counts == {"among": 2, "rest": Job.objects.count() - 2}


@pytest.fixture
def few_parameters() -> Iterator[None]:
    """SQLite built with its old limit of 999 parameters a statement (builds differ; this
    machine's may allow more), so a statement with a parameter per id would fail."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)


def test_many_ids_are_one_parameter(world, jobs, few_parameters):
    ids = [*range(10**9, 10**9 + 40_000), world.olga.pk]
    found = Job.objects.filter(AmongIds("coordinator", ids)).values_list("pk", flat=True)
    assert list(found) == [jobs[0].pk]
    if connection.vendor == "sqlite":  # the limit is real: one parameter per id fails
        with pytest.raises(OperationalError, match="too many SQL variables"):
            list(Job.objects.filter(coordinator__in=ids))
