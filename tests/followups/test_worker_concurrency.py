"""Three real `closeloop worker` processes over 5,000 due asks on PostgreSQL.

Each ladder rung is reached exactly once, each person hears about it exactly once, and every
message leaves exactly once: the conditional UPDATE on the values read decides who advances
an ask, and SKIP LOCKED decides who composes a person's notices and who sends a delivery.
The data is built against the real clock because the workers do not share the test's
time-machine: every person works around the clock, so "now" is always inside working hours.

See docs/architecture.md#the-worker.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

import workerproc
from closeloop.accounts.models import User
from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask, Notice, Nudge, WorkerHeartbeat
from closeloop.followups.policies import policy_for
from closeloop.followups.services import _schedule
from closeloop.jobs.models import JobStatus, StageKind
from closeloop.jobs.services import job_create
from closeloop.notify.models import Delivery, DeliveryStatus, Message
from closeloop.pipeline.models import Application, Candidate

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # the followups `clock` start
ASKS = 5_000
OWNERS = 10
WORKERS = 3
# On a 24/7 calendar (review_submission: told at opening, reminder at half of 2 days, due,
# escalations +1 and +2 days), an ask opened 30 h ago had its opening notice and owes its
# reminder (-6 h) and nothing after it (due +18 h). Every fifth ask was opened 75 h ago and
# already had its opening notice, reminder and due nudges: it owes the first escalation
# (-3 h), which also reaches the owner's manager; the next (+21 h) waits.
FRESH_AGO, ESCALATING_AGO = dt.timedelta(hours=30), dt.timedelta(hours=75)
ESCALATING_EVERY = 5
ROUND_THE_CLOCK = {
    "time_zone": "UTC",
    "work_days": list(range(7)),
    "work_start": dt.time(0, 0),
    "work_end": dt.time(23, 59, 59, 999999),
    "holiday_country": "",
    "batch_window_minutes": 0,  # owners: every compose round may message them
}
# The two managers batch: one message per hour at most, however many workers compose.
MANAGER_WINDOW = dt.timedelta(minutes=60)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Several workers share the queue only on PostgreSQL (SKIP LOCKED); "
            "run with DATABASE_URL=postgres://… — CI does."
        )


def person(email: str, name: str, **fields: object) -> User:
    return User.objects.create_user(email, "x", full_name=name, **fields)


def build_due_asks() -> dict[int, int]:
    """ASKS open review asks over OWNERS hiring managers; returns {owner id: manager id}."""
    recruiter = person("rita@example.com", "Rita Recruiter", is_recruiter=True)
    directors = [person(f"director{i}@example.com", f"Director {i}") for i in range(2)]
    for i in range(OWNERS):
        person(f"hm{i}@example.com", f"HM {i}", is_hiring_manager=True, manager=directors[i % 2])
    User.objects.update(**ROUND_THE_CLOCK)
    User.objects.filter(pk__in=[d.pk for d in directors]).update(
        batch_window_minutes=MANAGER_WINDOW.total_seconds() // 60
    )
    owners = list(User.objects.filter(is_hiring_manager=True).order_by("pk"))
    jobs = [
        job_create(
            by=recruiter,
            data={
                "title": f"Role {i}",
                "status": JobStatus.OPEN,
                "recruiter": recruiter,
                "hiring_manager": owner,
            },
        )
        for i, owner in enumerate(owners)
    ]
    stages = [job.stages.get(kind=StageKind.SUBMITTED) for job in jobs]
    candidates = Candidate.objects.bulk_create(
        Candidate(full_name=f"Candidate {i}", email=f"c{i}@cand.example") for i in range(ASKS)
    )
    applications = Application.objects.bulk_create(
        Application(candidate=c, job=jobs[i % OWNERS], stage=stages[i % OWNERS])
        for i, c in enumerate(candidates)
    )
    Ask.objects.bulk_create(
        due_ask(i, application, owners[i % OWNERS], recruiter)
        for i, application in enumerate(applications)
    )
    return {owner.pk: owner.manager_id for owner in owners}


def due_ask(i: int, application: Application, owner: User, recruiter: User) -> Ask:
    """An ask as `ask_open` writes it, `done` rungs up its ladder, with the next one due."""
    now = timezone.now()
    escalating = i % ESCALATING_EVERY == 0
    opened_at = now - (ESCALATING_AGO if escalating else FRESH_AGO)
    due_at, steps = _schedule(policy_for("review_submission"), owner, opened_at, False)
    done = 3 if escalating else 1
    at = [dt.datetime.fromisoformat(step["at"]) for step in steps]
    assert at[done] <= now < at[done + 1], "the test's schedule no longer fits the policy"
    return Ask(
        kind="review_submission",
        subject=f"submission:{i}",
        title=f"Review Candidate {i}",
        owner=owner,
        requested_by=recruiter,
        job=application.job,
        application=application,
        opened_at=opened_at,
        due_at=due_at,
        steps_done=done,
        next_nudge_at=at[done],
        policy={"kind": "review_submission", "steps": steps},
    )


def all_work_done(sink: workerproc.RecordingSink) -> bool:
    if Ask.objects.filter(next_nudge_at__lte=timezone.now()).exists():
        return False
    if Notice.objects.filter(message__isnull=True, not_before__lte=timezone.now()).exists():
        return False
    if Delivery.objects.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]).exists():
        return False
    return sink.count() >= Message.objects.count()


@pytest.fixture
def sink():
    sink = workerproc.RecordingSink()
    controller = workerproc.sink_start(sink)
    yield sink, controller.port
    controller.stop()


@pytest.mark.slow
def test_three_workers_reach_each_rung_once_and_send_each_message_once(
    postgresql, transactional_db, sink, tmp_path
):
    sink, port = sink
    managers = build_due_asks()
    env = workerproc.child_environment(
        database_url=workerproc.child_database_url(), data_dir=tmp_path, smtp_port=port
    )
    started = time.monotonic()
    workers = [workerproc.worker_start(env, tmp_path / f"worker{i}.log") for i in range(WORKERS)]
    try:
        workerproc.wait_until(
            lambda: all_work_done(sink),
            timeout=300,  # ~2 min on a shared 2-core box; the bound only catches a hang
            what="every rung reached and every message sent",
            workers=workers,
            every=0.5,
        )
        elapsed = time.monotonic() - started
        codes = workerproc.workers_stop(workers)
    finally:
        workerproc.workers_kill(workers)

    # No worker crashed or even logged an error (an IntegrityError would show here).
    assert codes == [0] * WORKERS
    for worker in workers:
        assert "ERROR" not in worker.log and "Traceback" not in worker.log, worker.log[-3000:]
    assert WorkerHeartbeat.objects.count() == WORKERS

    # Exactly one Nudge per ask: the rung that was due, and none beyond it.
    escalating = ASKS // ESCALATING_EVERY
    assert Nudge.objects.count() == ASKS
    assert Nudge.objects.filter(step=1, kind="reminder", level=0).count() == ASKS - escalating
    assert Nudge.objects.filter(step=3, kind="escalation", level=1).count() == escalating
    assert Ask.objects.filter(steps_done=2, level=0).count() == ASKS - escalating
    assert Ask.objects.filter(steps_done=4, level=1).count() == escalating
    assert not Ask.objects.filter(next_nudge_at__lte=timezone.now()).exists()
    assert not Nudge.objects.exclude(ask__steps_done=F("step") + 1).exists()

    # One Notice per (nudge, recipient): the owner always, the manager at an escalation.
    assert Notice.objects.count() == ASKS + escalating
    owners = Notice.objects.filter(role="owner", recipient=F("nudge__ask__owner"))
    assert owners.count() == ASKS
    escalations = Notice.objects.filter(role="escalation", nudge__kind="escalation")
    assert escalations.count() == escalating
    assert all(
        n.recipient_id == managers[n.nudge.ask.owner_id]
        for n in escalations.select_related("nudge__ask")
    )

    # Every notice went out in exactly one message to its own recipient, or (a manager's)
    # waits for the end of their batching window; no empty messages, one line per ask.
    sent = Notice.objects.filter(message__isnull=False)
    assert not sent.exclude(message__recipient=F("recipient")).exists()
    assert sent.filter(role="owner").count() == ASKS
    for manager in set(managers.values()):
        [first] = Message.objects.filter(recipient=manager)  # one, across three workers
        waiting = Notice.objects.filter(recipient=manager, message__isnull=True)
        assert not waiting.filter(not_before__lt=first.created_at + MANAGER_WINDOW).exists()
    assert not Message.objects.filter(notices__isnull=True).exists()
    for message in Message.objects.prefetch_related("notices__nudge"):
        asks = message.data["asks"]
        assert len(asks) == len(set(asks))
        assert set(asks) == {notice.nudge.ask_id for notice in message.notices.all()}

    # Every delivery left exactly once: one SMTP DATA per Message-ID, one attempt each.
    messages = Message.objects.count()
    assert Delivery.objects.count() == messages
    assert Delivery.objects.filter(status=DeliveryStatus.SENT, attempts=1).count() == messages
    received = sink.by_message_id()
    assert set(received) == set(Message.objects.values_list("message_id", flat=True))
    assert set(received.values()) == {1}

    # Batching: each of the 12 people got a few messages, not one per notice.
    recipients = Message.objects.values("recipient").distinct().count()
    assert recipients == OWNERS + 2
    assert messages < Notice.objects.count() / 10
    print(
        f"\n{WORKERS} workers: {ASKS} due asks → {ASKS} nudges, {Notice.objects.count()} "
        f"notices, {messages} messages to {recipients} people, all sent in {elapsed:.1f} s"
    )


def test_a_worker_skips_an_ask_another_worker_is_advancing_instead_of_waiting_for_it(
    postgresql, transactional_db
):
    """Workers walk the same list of due asks; each takes the ones nobody holds.

    Another worker holds the ask's row lock (mid-advance) until we are done or 10 s pass.
    Had we waited for its lock instead of skipping, we would advance the ask after those
    10 s and write a nudge; skipping returns at once with nothing written, and the ask is
    still due for whoever gets it next.
    """
    build_one_due_ask()
    ask = Ask.objects.get()
    holding, done = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                Ask.objects.select_for_update(no_key=True).get(pk=ask.pk)
                holding.set()
                done.wait(timeout=10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert holding.wait(timeout=10)
        assert asks_advance().handled == 0
    finally:
        done.set()
        thread.join()
    assert not Nudge.objects.exists()
    assert asks_advance().handled == 1
    assert Nudge.objects.get().step == 1  # its halfway reminder: the opening notice went out


def build_one_due_ask() -> None:
    recruiter = person("rita@example.com", "Rita Recruiter", is_recruiter=True)
    owner = person("hm@example.com", "HM", is_hiring_manager=True)
    User.objects.update(**ROUND_THE_CLOCK)
    owner.refresh_from_db()
    job = job_create(
        by=recruiter,
        data={
            "title": "Role",
            "status": JobStatus.OPEN,
            "recruiter": recruiter,
            "hiring_manager": owner,
        },
    )
    candidate = Candidate.objects.create(full_name="Carla Candidate", email="carla@cand.example")
    application = Application.objects.create(
        candidate=candidate, job=job, stage=job.stages.get(kind=StageKind.SUBMITTED)
    )
    due_ask(1, application, owner, recruiter).save()


def test_a_notice_written_while_another_worker_messaged_the_person_waits_out_the_window(
    world, clock
):
    """The batching window holds across workers.

    Worker A messages hank at 10:31 about Carla. Worker B, advancing Sam's ask at the same
    moment, could not yet see A's uncommitted message, so it wrote Sam's notice as ready at
    once. Composing must count hank's window from A's message anyway: one message now,
    Sam's reminder at 12:31 (hank batches over 2 hours), not a second email a second later.
    """
    from closeloop.pipeline.services import application_submit

    application_submit(application=world.interviewed, by=world.rita, pitch="Ran Postgres.")
    clock.move_to(MONDAY_10 + dt.timedelta(minutes=30))
    application_submit(application=world.sourced, by=world.rita, pitch="Strong Python.")
    clock.move_to(MONDAY_10 + dt.timedelta(days=1, minutes=31))
    sam = Ask.objects.filter(kind="review_submission").latest("opened_at")
    Ask.objects.filter(pk=sam.pk).update(next_nudge_at=None)  # B has not got there yet
    # Each ask reaches two rungs in one visit: its opening notice and its halfway reminder.
    assert asks_advance().handled == 2 and notices_compose().handled == 1  # worker A
    Ask.objects.filter(pk=sam.pk).update(next_nudge_at=sam.next_nudge_at)
    assert asks_advance().handled == 2  # worker B …
    Notice.objects.filter(nudge__ask=sam).update(not_before=timezone.now())  # … A unseen

    assert notices_compose().handled == 0
    assert Message.objects.filter(recipient=world.hank).count() == 1
    first = Message.objects.get(recipient=world.hank)
    waiting = Notice.objects.filter(message__isnull=True)
    assert waiting.count() == 2
    assert set(waiting.values_list("nudge__ask", flat=True)) == {sam.pk}
    window_end = first.created_at + dt.timedelta(hours=2)
    assert set(waiting.values_list("not_before", flat=True)) == {window_end}
    clock.move_to(window_end)
    assert notices_compose().handled == 1
    assert Message.objects.filter(recipient=world.hank).count() == 2
