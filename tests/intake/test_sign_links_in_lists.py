"""A list of signature asks links each one to its version's page, read for the whole list."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.followups.models import Ask
from closeloop.followups.selectors import ask_rows, ask_url, asks_owed_by_rows
from closeloop.intake.models import IntakeVersion
from closeloop.jobs.models import Job

DUE = dt.datetime(2026, 11, 24, 17, 0, tzinfo=dt.UTC)


def sign_ask(job: Job, number: int, owner) -> Ask:
    version = IntakeVersion.objects.create(job=job, number=number, title=job.title)
    return Ask.objects.create(
        kind="sign_intake", subject=f"intake:{version.pk}:hiring_manager",
        title=f"Sign {job.title}", owner=owner, job=job, due_at=DUE,
    )  # fmt: skip


def rows(user) -> tuple[int, dict[str, str]]:
    with CaptureQueriesContext(connection) as queries:
        listed = ask_rows(list(asks_owed_by_rows(user=user)), DUE)
    return len(queries), {row.ask.title: row.url for row in listed}


def test_each_signature_links_its_version_and_the_list_reads_them_once(world):
    sign_ask(world.job, 3, world.hank)
    few, links = rows(world.hank)
    assert links["Sign Backend Engineer"] == reverse(
        "intake:version", kwargs={"pk": world.job.pk, "number": 3}
    )
    jobs = [
        Job.objects.create(title=f"Job {n}", hiring_manager=world.hank, recruiter=world.rita)
        for n in range(5)
    ]
    for n, job in enumerate(jobs):
        sign_ask(job, n + 1, world.hank)
    many, links = rows(world.hank)
    for n, job in enumerate(jobs):
        assert links[f"Sign Job {n}"] == reverse(
            "intake:version", kwargs={"pk": job.pk, "number": n + 1}
        )
    assert many == few


def test_a_signature_ask_whose_version_is_gone_links_the_queue_as_one_ask_does(world):
    ask = Ask.objects.create(
        kind="sign_intake", subject="intake:999999:recruiter", title="Sign nothing",
        owner=world.hank, job=world.job, due_at=DUE,
    )  # fmt: skip
    _, links = rows(world.hank)
    assert links["Sign nothing"] == ask_url(ask) == reverse("pipeline:queue")
