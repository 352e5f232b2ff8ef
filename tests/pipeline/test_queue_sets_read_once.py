"""My queue reads its two sets once a request; the job filter's sets come from them."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from closeloop.pipeline.selectors import QueueScope, queue_sets, queue_sets_within


def test_a_jobs_sets_taken_from_the_unfiltered_ones_are_those_read_for_the_job(world):
    now = timezone.now() + dt.timedelta(minutes=1)
    assert queue_sets(user=world.rita, now=now).mine_jobs  # Carla and Sam wait on her
    assert queue_sets(user=world.hank, now=now).owed_to_me_jobs  # on Rita, in his job
    for person in (world.rita, world.hank, world.ivy, world.ada):
        unfiltered = queue_sets(user=person, now=now)
        for job in (world.job, world.other_job):
            scope = QueueScope(job_id=job.pk)
            with CaptureQueriesContext(connection) as queries:
                derived = queue_sets_within(
                    user=person, now=now, scope=scope, unfiltered=unfiltered
                )
            assert len(queries) == 0  # taken from the rows read, not read again
            read = queue_sets(user=person, now=now, scope=scope)
            assert derived.mine_jobs == read.mine_jobs
            assert derived.owed_to_me_jobs == read.owed_to_me_jobs
            assert {a.pk for a in derived.i_owe} == {a.pk for a in read.i_owe}
            assert {a.pk for a in derived.owed_to_me} == {a.pk for a in read.owed_to_me}


def test_a_kind_filter_reads_its_sets_again(world):
    now = timezone.now()
    unfiltered = queue_sets(user=world.rita, now=now)
    scope = QueueScope(job_id=world.job.pk, kind="update_candidate")
    with CaptureQueriesContext(connection) as queries:
        queue_sets_within(user=world.rita, now=now, scope=scope, unfiltered=unfiltered)
    assert len(queries) == 2  # its two sets, read for the kind
