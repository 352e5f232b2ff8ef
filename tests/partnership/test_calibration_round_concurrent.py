"""Two submissions made at the same moment for the last place in a job's calibration round:
exactly one gets it (the job row is locked while the round is counted).

This test commits (each thread has its own connection) and needs PostgreSQL's row locks;
on SQLite, which runs one writer at a time, it is skipped with the reason.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from closeloop.pipeline.models import Submission
from closeloop.pipeline.services import application_submit, candidate_add


@pytest.mark.django_db(transaction=True)
def test_the_last_place_in_the_round_goes_to_one_submission_on_postgresql(world, settings):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; run with DATABASE_URL=postgres://…")
    settings.CALIBRATION_ROUND_SIZE = 1
    applications = [
        candidate_add(
            job=world.job, by=world.rita, data={"full_name": f"Racer {n}", "email": f"r{n}@x.org"}
        ).application
        for n in range(2)
    ]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def submit(application) -> None:
        try:
            barrier.wait()
            application_submit(application=application, by=world.rita, pitch="Fits.")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    rounds = Submission.objects.filter(application__job=world.job).values_list(
        "in_calibration_round", flat=True
    )
    assert sorted(rounds) == [False, True]
