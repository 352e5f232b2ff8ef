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
    assert len(queries) == 3  # the jobs she runs, then its two sets, read for the kind


def test_each_list_shows_its_first_rows_in_clock_order_and_counts_them_all(world):
    """The lists' first rows and counts come from one ranking per set in the database; they
    are the ones a sort of every row by its clock gives, at every length, ties by id."""
    from closeloop.pipeline.models import Application, Candidate
    from closeloop.pipeline.selectors import queue_for

    now = timezone.now() + dt.timedelta(days=30)
    since = now - dt.timedelta(days=20)
    for n, (owner, days) in enumerate(
        [(world.rita, 3), (world.rita, 9), (world.rita, 9), (world.rita, 1), (world.rita, 14),
         (world.hank, 2), (world.hank, 11), (world.hank, 11), (world.hank, 5)]
    ):  # fmt: skip
        candidate = Candidate.objects.create(full_name=f"Ranked {n}", email=f"r{n}@cand.example")
        Application.objects.create(
            candidate=candidate,
            job=world.job,
            stage=world.sourced.stage,
            entered_stage_at=since,
            next_move_owner=owner,
            next_move_since=since + dt.timedelta(days=days),
        )
    sets = queue_sets(user=world.rita, now=now)
    mine = sorted(sets.i_owe.values_list("waited_since", "pk"))
    theirs = sorted(
        (awaits, (ahead if awaits else None) or since_, pk)
        for awaits, ahead, since_, pk in sets.owed_to_me.values_list(
            "awaits_interview", "interview_ahead_at", "waited_since", "pk"
        )
    )
    assert len(mine) >= 5 and len(theirs) >= 4
    for limit in range(1, max(len(mine), len(theirs)) + 2):
        queue = queue_for(user=world.rita, limit=limit, now=now)
        assert [item.application.pk for item in queue.i_owe] == [pk for _, pk in mine][:limit]
        assert [item.application.pk for item in queue.owed_to_me] == [pk for *_, pk in theirs][
            :limit
        ]
        assert (queue.i_owe_total, queue.owed_to_me_total) == (len(mine), len(theirs))
