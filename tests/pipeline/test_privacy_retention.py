"""The retention step: candidates whose every application closed and who had no activity for
CANDIDATE_RETENTION_DAYS are announced to the admins two weeks ahead (one message each,
linking to the retention page), then anonymised; a kept candidate (a legal hold), an open
application or new activity spares them; 0 switches it off; a candidate that raises is held
back while the others are anonymised."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from closeloop.activity.models import Activity
from closeloop.activity.services import activity_record
from closeloop.lib.sweep import Swept
from closeloop.notify.models import Message
from closeloop.pipeline import privacy
from closeloop.pipeline.models import Application, ApplicationStatus, Candidate
from closeloop.pipeline.privacy import candidates_retention
from poison import Poison, sweep_errors

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
NOTICE_AT = MONDAY_10 + 716 * DAY + dt.timedelta(hours=1)  # 730 days less the 14 of notice
ERASE_AT = NOTICE_AT + 14 * DAY
LATER = dt.timedelta(minutes=11)  # a held row waits 10 minutes after its first failure


def closed(world, name: str, status: str = ApplicationStatus.REJECTED) -> Candidate:
    """A candidate on the world's job whose application closed at MONDAY_10."""
    candidate = Candidate.objects.create(full_name=name, email=f"{name.split()[0]}@x.example")
    Application.objects.create(
        candidate=candidate,
        job=world.job,
        stage=world.job.stages.order_by("position").first(),
        status=status,
        closed_at=MONDAY_10,
    )
    return candidate


@pytest.fixture
def gone(world, clock):
    return closed(world, "Rex Rejected"), closed(world, "Wendy Withdrew", "withdrawn")


def retention_messages() -> list[Message]:
    return list(Message.objects.filter(data__has_key="retention"))


def test_admins_hear_two_weeks_ahead_then_the_candidates_are_anonymised(world, clock, gone, login):
    clock.move_to(NOTICE_AT - 2 * DAY)
    assert candidates_retention() == Swept()
    assert retention_messages() == []

    clock.move_to(NOTICE_AT)
    assert candidates_retention() == Swept(handled=2)
    [message] = retention_messages()
    assert message.recipient == world.ada
    assert "2 candidates" in message.subject
    assert "/candidates/retention/" in message.body_text
    assert "Rex" not in message.body_text  # the digest counts; the page names
    assert candidates_retention() == Swept()  # told once
    assert len(retention_messages()) == 1

    page = login(world.ada).get("/candidates/retention/").content.decode()
    assert "Rex Rejected" in page and "Wendy Withdrew" in page
    assert "Carla Candidate" not in page  # her application is still open

    clock.move_to(ERASE_AT - DAY)
    assert candidates_retention() == Swept()
    clock.move_to(ERASE_AT)
    assert candidates_retention() == Swept(handled=2)
    for candidate in gone:
        candidate.refresh_from_db()
        assert candidate.full_name == f"Erased candidate #{candidate.pk}"
        assert candidate.email is None
    erased = Activity.objects.filter(kind="closeloop.candidate.erased")
    assert erased.count() == 2
    assert {row.actor for row in erased} == {None}
    assert Application.objects.filter(candidate__in=gone).count() == 2  # counts still add up
    assert candidates_retention() == Swept()  # nothing left to do
    assert Candidate.objects.filter(erased_at__isnull=True).count() == 3  # the world's own


def test_a_kept_candidate_is_skipped(world, clock, gone, login):
    rex, wendy = gone
    clock.move_to(NOTICE_AT)
    candidates_retention()
    client = login(world.ada)
    refused = client.post(f"/candidates/{rex.pk}/keep/", {"reason": " "}, follow=True)
    assert "Say why" in refused.content.decode()
    response = client.post(f"/candidates/{rex.pk}/keep/", {"reason": "Legal hold: claim 12"})
    assert response.status_code == 302
    listed = client.get("/candidates/retention/").content.decode()
    assert f'href="/candidates/{rex.pk}/"' not in listed
    assert f'href="/candidates/{wendy.pk}/"' in listed
    clock.move_to(ERASE_AT)
    assert candidates_retention() == Swept(handled=1)
    rex.refresh_from_db()
    wendy.refresh_from_db()
    assert rex.full_name == "Rex Rejected"
    assert rex.retention_kept_reason == "Legal hold: claim 12"
    assert rex.retention_kept_by == world.ada
    assert wendy.erased_at is not None
    page = login(world.ada).get(f"/candidates/{rex.pk}/").content.decode()  # a new session
    assert "Legal hold: claim 12" in page


def test_new_activity_after_the_notice_spares_the_candidate_until_a_new_notice(world, clock, gone):
    rex, _wendy = gone
    clock.move_to(NOTICE_AT)
    candidates_retention()
    clock.move_to(NOTICE_AT + DAY)
    activity_record(kind="closeloop.candidate.updated", candidate=rex, summary="Rex called back")
    clock.move_to(ERASE_AT)
    assert candidates_retention() == Swept(handled=1)  # wendy only
    rex.refresh_from_db()
    assert rex.erased_at is None
    # Two years after his call, the admins hear about him again before he goes.
    clock.move_to(NOTICE_AT + DAY + 716 * DAY + dt.timedelta(hours=1))
    assert candidates_retention() == Swept(handled=1)
    assert len(retention_messages()) == 2
    rex.refresh_from_db()
    assert rex.erased_at is None


def test_retention_zero_is_off(world, clock, gone, settings, login):
    settings.CANDIDATE_RETENTION_DAYS = 0
    clock.move_to(ERASE_AT + 365 * DAY)
    assert candidates_retention() == Swept()
    assert retention_messages() == []
    assert Candidate.objects.filter(erased_at__isnull=False).count() == 0
    assert "Retention is off" in login(world.ada).get("/candidates/retention/").content.decode()


def test_the_worker_runs_it_at_most_every_ten_minutes(world, clock, gone, monkeypatch):
    from closeloop.followups.worker import STEPS

    [step] = [step for name, step in STEPS if name == privacy.RETENTION_STEP]
    monkeypatch.setattr(privacy, "_retention_last_run", [-float("inf")])
    clock.move_to(NOTICE_AT)
    assert step() == Swept(handled=2)
    clock.move_to(ERASE_AT)
    assert step() == Swept()  # ran a moment ago (in this process's time): waits its turn
    monkeypatch.setattr(privacy, "_retention_last_run", [-float("inf")])
    assert step() == Swept(handled=2)


def test_a_candidate_that_raises_is_held_while_the_others_are_anonymised(
    world, clock, gone, monkeypatch, caplog
):
    bad, good = gone
    clock.move_to(NOTICE_AT)
    candidates_retention()
    poison = Poison(monkeypatch, privacy, "retention_erase_one", lambda **row: row["pk"] == bad.pk)
    clock.move_to(ERASE_AT)
    with caplog.at_level(logging.ERROR):
        swept = candidates_retention()
    assert swept == Swept(handled=1, failed=1)
    [line] = sweep_errors(caplog)
    assert privacy.RETENTION_STEP in line.getMessage()
    assert f"candidate {bad.pk}" in line.getMessage()
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.erased_at is not None
    assert bad.erased_at is None
    assert candidates_retention() == Swept()  # held: the next loop does not spin on it
    assert poison.calls == 1
    poison.cure()
    clock.move_to(ERASE_AT + LATER)
    assert candidates_retention() == Swept(handled=1)
    bad.refresh_from_db()
    assert bad.erased_at is not None


def test_the_retention_page_is_paged_and_its_queries_do_not_grow(
    world, clock, login, django_assert_max_num_queries
):
    for number in range(55):
        closed(world, f"Gone{number:02d} Person")
    clock.move_to(NOTICE_AT)
    candidates_retention()
    client = login(world.ada)
    with django_assert_max_num_queries(12):
        first = client.get("/candidates/retention/").content.decode()
    assert first.count('name="reason"') == 50
    assert "Page 1 of 2" in first
    second = client.get("/candidates/retention/?page=2").content.decode()
    assert second.count('name="reason"') == 5
