"""When the hiring manager is away, the recruiter is told who really has the candidate.

With a delegate, the confirmation and the pages name the delegate and whom they cover for;
with none, they say the manager is away until when, and to whom the review escalated.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pipeline_helpers import PITCH

from closeloop.followups.engine import asks_advance
from closeloop.followups.models import Ask
from closeloop.followups.selectors import ask_rows, asks_owed_by_rows
from closeloop.jobs.models import Job

AWAY_FROM = dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.UTC)
BACK_ON = dt.datetime(2026, 12, 11, 0, 0, tzinfo=dt.UTC)  # a Friday


@pytest.fixture
def hank_away(world, clock):
    world.hank.out_of_office_from, world.hank.out_of_office_until = AWAY_FROM, BACK_ON
    world.hank.save()
    return world.hank


def submit(client, application):
    return client.post(
        reverse("pipeline:application-submit", args=[application.pk]),
        {"pitch": PITCH, "must_haves_met": ["Python"]},
        follow=True,
    )


def page(client, application) -> str:
    return client.get(
        reverse("pipeline:application-detail", args=[application.pk])
    ).content.decode()


def test_the_confirmation_names_the_delegate_and_whom_they_cover_for(world, login, hank_away):
    hank_away.delegate = world.olga
    hank_away.save()
    client = login(world.rita)
    html = submit(client, world.sourced).content.decode()
    assert (
        "Submitted Sam Sourced to Olga Outsider, covering for Hank Manager "
        "(out of office until Fri 11 Dec); it is their move now." in html
    )
    assert "Olga Outsider</strong>, covering for Hank Manager (out of office until Fri 11 Dec)" in (
        page(client, world.sourced)
    )
    # The board and the list view name who the candidate waits on now, as the queue does.
    for view in ("", "?view=list"):
        board = client.get(reverse("jobs:job-detail", args=[world.job.pk]) + view)
        assert 'Olga Outsider’s move</span> <span class="muted">(covering for Hank Manager)' in (
            board.content.decode()
        ), view
    olga_queue = login(world.olga).get(reverse("pipeline:queue")).content.decode()
    assert "ou are covering for Hank Manager (out of office until Fri 11 Dec)" in olga_queue


def test_with_no_delegate_the_pages_say_the_manager_is_away_and_who_was_told(
    world, login, hank_away
):
    world.job.escalation_contact = world.ada
    world.job.save()
    client = login(world.rita)
    html = submit(client, world.sourced).content.decode()
    assert (
        "Submitted Sam Sourced to Hank Manager, who is out of office until Fri 11 Dec and has "
        "no delegate: escalated to Ada Admin." in html
    )
    asks_advance()  # the worker sends the escalation at once
    assert Ask.objects.get(kind="review_submission").level == 1
    note = "Hank Manager is out of office until Fri 11 Dec; escalated to Ada Admin"
    assert note in page(client, world.sourced)
    assert note in client.get(reverse("pipeline:queue")).content.decode()


def test_a_manager_at_work_is_named_as_before(world, login, clock):
    html = submit(login(world.rita), world.sourced).content.decode()
    assert "Submitted Sam Sourced to Hank Manager; it is their move now." in html
    assert "out of office" not in html


def test_the_escalated_asks_of_someone_away_name_their_people_in_a_fixed_number_of_queries(
    world, hank_away
):
    """Every row of an away owner's escalated asks says whom it escalated to: the people are
    read once for the list (one query per row and person before: 400 for 200 asks)."""
    world.job.escalation_contact = world.ada
    world.job.save()
    hank_away.manager = world.olga
    hank_away.save()

    def escalated(job: Job, n: int) -> None:
        Ask.objects.create(
            kind="review_submission", subject=f"application:{900 + n}", title=f"Review {n}",
            owner=hank_away, job=job, level=1, due_at=AWAY_FROM, opened_at=AWAY_FROM,
        )  # fmt: skip

    def rows() -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            listed = ask_rows(list(asks_owed_by_rows(user=hank_away)), AWAY_FROM)
        return len(queries), [row.away for row in listed]

    escalated(world.job, 0)
    few, notes = rows()
    away = "Hank Manager is out of office until Fri 11 Dec; escalated to"
    assert notes == [f"{away} Ada Admin"]
    # More jobs: three with ivy as their escalation contact, two with none (hank's manager).
    for n in range(1, 6):
        job = Job.objects.create(
            title=f"Job {n}", hiring_manager=world.rita, recruiter=world.rita,
            escalation_contact=world.ivy if n <= 3 else None,
        )  # fmt: skip
        escalated(job, n)
    many, notes = rows()
    assert sorted(notes) == sorted(
        [f"{away} Ada Admin"] + [f"{away} Ivy Interviewer"] * 3 + [f"{away} Olga Outsider"] * 2
    )
    assert many == few


def test_to_himself_the_absent_owner_is_you_and_his_own_zone_goes_unnamed(world, login, clock):
    """Back at 18:00 his time: hank's own queue says "You are out of office until Fri 11 Dec
    18:00" beside what he still owes; rita's names him and his zone, which may not be hers."""
    hank = world.hank
    hank.time_zone = "Europe/Berlin"
    hank.out_of_office_from = AWAY_FROM
    hank.out_of_office_until = dt.datetime(2026, 12, 11, 17, 0, tzinfo=dt.UTC)
    hank.save()
    Ask.objects.create(
        kind="review_submission", subject="application:901", title="Review Sam",
        owner=hank, job=world.job, due_at=AWAY_FROM, opened_at=AWAY_FROM,
    )  # fmt: skip
    [mine] = ask_rows(list(asks_owed_by_rows(user=hank)), reader=hank)
    assert mine.away == "You are out of office until Fri 11 Dec 18:00"
    [theirs] = ask_rows(list(asks_owed_by_rows(user=hank)), reader=world.rita)
    assert theirs.away == (
        "Hank Manager is out of office until Fri 11 Dec 18:00 Europe/Berlin time"
    )
    html = login(hank).get(reverse("pipeline:queue")).content.decode()
    assert "You are out of office until Fri 11 Dec 18:00<" in html
    assert "Hank Manager is out of office" not in html


def badge(html: str) -> str:
    box = html.split('id="submission-title"')[1]
    return box.split('<span class="badge warn">')[1].split("<")[0]


def test_the_submission_waits_on_the_delegate_as_whose_move_says(world, login, hank_away):
    hank_away.delegate = world.olga
    hank_away.save()
    submit(login(world.rita), world.sourced)
    olgas = page(login(world.olga), world.sourced)
    assert "<strong>Yours</strong>, covering for Hank Manager" in olgas
    assert badge(olgas) == "Waiting for you"
    assert badge(page(login(world.rita), world.sourced)) == (
        "Waiting for Olga Outsider, covering for Hank Manager"
    )
    hanks = page(login(world.hank), world.sourced)
    assert "Olga Outsider</strong>, covering for you" in hanks
    assert badge(hanks) == "Waiting for Olga Outsider, covering for you"


def test_without_cover_the_submission_waits_for_the_hm(world, login, clock):
    submit(login(world.rita), world.sourced)
    assert badge(page(login(world.rita), world.sourced)) == "Waiting for the HM"
