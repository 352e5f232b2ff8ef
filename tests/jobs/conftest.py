"""Helpers for the jobs-pages tests, on top of the shared `world` personas."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def fill_job():
    """Add `n` candidates to a job as its recruiter: `fill_job(job, 30)`."""
    from closeloop.pipeline.services import candidate_add

    def _fill(job, n: int, prefix: str = "Filler"):
        return [
            candidate_add(
                job=job,
                by=job.recruiter,
                data={
                    "full_name": f"{prefix} {i:02d}",
                    "email": f"{prefix.lower()}{i}@fill.example",
                },
            ).application
            for i in range(n)
        ]

    return _fill


@pytest.fixture
def count_queries():
    """How many queries a GET runs: `count_queries(client, url)`."""

    def _count(client, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    return _count


@pytest.fixture
def person(db):
    """Make one more user with roles: `person("ian@example.com", "Ian", is_interviewer=True)`."""
    from closeloop.accounts.models import User

    def _make(email: str, name: str, **roles: bool):
        return User.objects.create_user(email, "not-used-here-1", full_name=name, **roles)

    return _make
