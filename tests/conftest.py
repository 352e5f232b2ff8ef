"""The shared test base: the personas (docs/architecture.md#tests) and a small hiring world.

rita (recruiter) runs "Backend Engineer"; hank is its hiring manager; ivy interviews one of
its candidates; olga is an outsider (a hiring manager on another job); ada is the admin.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import timezone

from closeloop.lib.frames import room

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The suite starts dozens of Python processes (pytest-xdist's workers, the benchmarks' child
# processes and granian, the demo and worker commands). Without bytecode caches each compiles
# Django and the rest from source again, about 3 s of CPU per process, so an environment that
# asks for none (PYTHONDONTWRITEBYTECODE=1, common in containers and CI images) is overridden
# for the suite and every process it starts. The __pycache__ folders are gitignored.
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None):
    sys.dont_write_bytecode = False

PASSWORD = "correct-horse-battery"

# Monday 23 Nov 2026 10:00 UTC: an ordinary working week, where engine scenarios start.
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    """Freeze time at MONDAY_10; `clock.move_to(...)` travels. Folders that need the world
    built at that moment override `world` to depend on this fixture."""
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


@dataclass
class World:
    rita: object
    hank: object
    ivy: object
    olga: object
    ada: object
    job: object
    other_job: object
    interviewed: object  # an application ivy interviews on
    sourced: object  # an application in Sourced that ivy does not interview
    other_application: object  # on olga's job


def make_user(email: str, name: str, **roles: bool):
    from closeloop.accounts.models import User

    return User.objects.create_user(email, PASSWORD, full_name=name, **roles)


def add_candidate(job, by, name: str, email: str | None = None):
    from closeloop.pipeline.services import candidate_add

    data = {"full_name": name, "email": email or f"{name.split()[0].lower()}@cand.example"}
    return candidate_add(job=job, by=by, data=data).application


def build_world() -> World:
    """The personas and their jobs, through the services, at the current (maybe frozen) time."""
    from closeloop.interviews.models import Interview
    from closeloop.jobs.models import JobStatus
    from closeloop.jobs.services import job_create

    rita = make_user("rita@example.com", "Rita Recruiter", is_recruiter=True)
    hank = make_user("hank@example.com", "Hank Manager", is_hiring_manager=True)
    ivy = make_user("ivy@example.com", "Ivy Interviewer", is_interviewer=True)
    olga = make_user(
        "olga@example.com", "Olga Outsider", is_hiring_manager=True, is_interviewer=True
    )
    ada = make_user("ada@example.com", "Ada Admin", is_admin=True, is_staff=True, is_superuser=True)
    job = job_create(
        by=rita,
        data={
            "title": "Backend Engineer",
            "team": "Platform",
            "status": JobStatus.OPEN,
            "recruiter": rita,
            "hiring_manager": hank,
            "must_haves": "Python\nPostgreSQL\nOn-call experience",
        },
        interviewers=[ivy],
    )
    other_job = job_create(
        by=ada,
        data={
            "title": "Data Analyst",
            "status": JobStatus.OPEN,
            "recruiter": ada,
            "hiring_manager": olga,
        },
    )
    interviewed = add_candidate(job, rita, "Carla Candidate")
    sourced = add_candidate(job, rita, "Sam Sourced")
    other_application = add_candidate(other_job, ada, "Otto Other")
    start = timezone.now() + dt.timedelta(days=1)
    interview = Interview.objects.create(
        application=interviewed,
        round_name="Technical",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    interview.interviewers.add(ivy)
    return World(
        rita, hank, ivy, olga, ada, job, other_job, interviewed, sourced, other_application
    )


# --- The world built once per module --------------------------------------------------------
#
# Building the world through the services costs more than most tests themselves, so a module
# builds it once, inside a transaction that stays open for the whole module and is rolled back
# at its end; each test runs in a savepoint within it (pytest-django's `db`), so what a test
# writes is gone before the next one, and each test gets its own copy of the Python objects
# (as Django's TestCase.setUpTestData does). Tests that need real commits (`transactional_db`,
# `live_server`) flush the tables, so a module with any of them builds the world per test.


def needs_commits(item: pytest.Item) -> bool:
    """Whether a test runs outside a rolled-back transaction (it flushes tables afterwards)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction_arg = marker.args[0] if marker.args else marker.kwargs.get("transaction")
        if transaction_arg or marker.kwargs.get("reset_sequences"):
            return True
    names = getattr(item, "fixturenames", ())
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & set(names))


def module_items(request: pytest.FixtureRequest) -> list[pytest.Item]:
    return [
        item for item in request.session.items if getattr(item, "module", None) is request.module
    ]


def world_moment(items: list[pytest.Item]) -> str | None:
    """When a module's shared world can be built: "clock" (MONDAY_10) when every test using it
    runs on the clock, "now" when none does, None (build per test) when they disagree or any
    test in the module needs real commits."""
    if any(needs_commits(item) for item in items):
        return None
    on_clock = {"clock" in item.fixturenames for item in items if "world" in item.fixturenames}
    if on_clock == {True}:
        return "clock"
    if on_clock == {False}:
        return "now"
    return None


@pytest.fixture(scope="module")
def world_once(request, django_db_setup, django_db_blocker) -> Iterator[World | None]:
    """The module's world, built at most once, rolled back when the module is done."""
    from django.db import transaction

    moment = world_moment(module_items(request))
    if moment is None:
        yield None
        return
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
    try:
        frozen = time_machine.travel(MONDAY_10, tick=False) if moment == "clock" else nullcontext()
        with django_db_blocker.unblock(), frozen:
            built = build_world()
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(db, world_once) -> World:
    if world_once is None:
        return build_world()
    # A fresh copy per test: a test that changes an object in memory leaves others untouched.
    return copy.deepcopy(world_once)


@pytest.fixture
def login(client):
    """Log a persona in on the test client: `login(world.hank)`."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# --- Browser tests (Playwright against Debian's Chromium) ---------------------------------

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def chromium_path() -> str | None:
    return next((p for p in CHROMIUM_CANDIDATES if os.path.exists(p)), None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options: Debian's Chromium (Playwright cannot download one)."""
    path = chromium_path()
    if path is None:
        pytest.skip(
            "Browser tests need Debian's chromium (apt-get install chromium); CI installs it."
        )
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture
def password() -> str:
    """The password every persona of the shared world logs in with."""
    return PASSWORD


@pytest.fixture(autouse=True)
def _weekly_update_schedules_looked_for_afresh():
    """The weekly-update step looks for people without a schedule at most once a minute per
    process; each test starts as a freshly started worker would (pytest-xdist runs many
    modules in one process, so an earlier module's look must not hide this test's people)."""
    from closeloop.touchbases import weekly

    weekly._last_ensure[0] = float("-inf")


@pytest.fixture(autouse=True)
def _office_closures_known_to_be_none():
    """Business time keeps the office closures it read for a minute per process
    (`followups.closures`). Each test starts in a process that has just read them and found
    none, as the test's database has none: an earlier test's were rolled back with its data,
    and a page's queries are counted as in a running process, where that read is one a
    minute, not one a page. A test that writes a closure other than through its services
    calls `closures_forget()` for business time to see it."""
    import time

    from closeloop.followups import closures

    closures._kept[0] = closures._Kept(time.monotonic(), (), frozenset(), {})
    yield
    closures.closures_forget()


@pytest.fixture(autouse=True)
def _insights_counted_afresh():
    """The organisation's insights keep their figures a few minutes in the cache
    (`insights.kept`); each test starts with none kept (pytest-xdist runs many tests in one
    process, and an earlier test's figures would be served for the same filters)."""
    from django.core.cache import cache

    cache.clear()


# --- Browser tests on one database ----------------------------------------------------------
#
# A browser test adds to the view tests the browser's side of a flow: scripts, layout at 390
# px, focus and keys, what htmx swaps. That side is the same whichever database serves the
# pages, and the server's side of every page and form is run on both databases by the view
# tests and the route fuzz (every route, as each persona). So browser tests run on SQLite,
# the default, and on any other database only those marked `every_database`: where two
# requests race (a double click on a one-click answer), which each database settles its own
# way. On PostgreSQL the others are skipped, saying so.


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        return
    elsewhere = pytest.mark.skip(
        reason="Browser tests run on SQLite: the browser's side is the same on any database "
        "(mark a test every_database when requests race)"
    )
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("every_database"):
            item.add_marker(elsewhere)


# --- Scheduling across pytest-xdist's workers ---------------------------------------------
#
# `--dist loadscope` keeps a module's tests on one worker (its world is built once there) and
# hands out modules largest first by number of tests. A few modules cost far more than their
# number of tests says: they start real processes, a browser or seed the whole demo. Handed
# out last, one of them keeps a worker busy while the other has nothing left to do, so they go
# first, most expensive first (measured with --durations on the 2-core machine); an
# unlisted module only loses its place in the order, never a test. The demo seeded at many
# moments is one unit per moment, so its seedings spread over the workers.

EXPENSIVE_FIRST = (
    "tests/test_fuzz_every_route.py",
    "tests/bench/test_pages.py",
    "tests/ops/test_demo_command.py",
    "tests/notify/test_delivery_fault.py",
    "tests/bench/test_asks_sweep.py",
    "tests/pipeline/test_queue_lists_every_ask.py",
    "tests/ops/test_worker_command.py",
    "tests/demo/test_seed_is_deterministic.py",
    "tests/demo/test_seed.py",
    "tests/partnership/test_demo_partnership.py",
    "tests/browser/",
    "tests/ops/",
)
# Modules whose tests share a module-scoped fixture parametrized by the test id: one work
# unit per parameter (the id in brackets).
SPLIT_BY_PARAMETER = ("tests/demo/test_demo_any_moment.py",)
# Modules whose few tests each take long (the fuzz of every route: forms, query strings,
# paths): one work unit per test, so they run on both workers (each builds the module's
# world once).
SPLIT_BY_TEST = ("tests/test_fuzz_every_route.py",)


def work_unit(nodeid: str) -> str:
    """The scope a test is scheduled with: its module (or class), or module[parameter]."""
    scope, _, name = nodeid.rpartition("::")
    module = nodeid.split("::", 1)[0]
    if module in SPLIT_BY_PARAMETER and name.endswith("]") and "[" in name:
        return f"{module}[{name.split('[', 1)[1]}"
    if module in SPLIT_BY_TEST:
        return nodeid
    return scope


def work_unit_rank(scope: str, tests: int) -> tuple[int, int]:
    """Sort key: the listed expensive modules first in their order, then the most tests."""
    for rank, prefix in enumerate(EXPENSIVE_FIRST):
        if scope.startswith(prefix):
            return rank, -tests
    return len(EXPENSIVE_FIRST), -tests


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") != "loadscope":
        return None
    from collections import OrderedDict

    from xdist.scheduler import LoadScopeScheduling

    class ExpensiveFirstScheduling(LoadScopeScheduling):
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

        def _assign_work_unit(self, node) -> None:
            if not self.ordered:
                self.ordered = True
                units = sorted(
                    self.workqueue.items(), key=lambda unit: work_unit_rank(unit[0], len(unit[1]))
                )
                self.workqueue = OrderedDict(units)
            super()._assign_work_unit(node)

    return ExpensiveFirstScheduling(config, log)


@pytest.fixture(scope="session", autouse=True)
def _stray_sessions_ended(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Before the test database is dropped (PostgreSQL), end any session a test's thread left
    connected to it, and say so: otherwise the drop fails with a warning and the database
    stays on the server. Set up after `django_db_setup`, so torn down before it."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        ended = len(cursor.fetchall())
    if ended:
        print(f"\n{ended} database session(s) a test left open were ended before the drop.")


# --- Room on Python's frame stack --------------------------------------------------------
#
# Each test (setup, call, teardown) runs inside one frame with room (closeloop.lib.frames, as
# the server does for each request): measured on the route fuzz, without it two million page
# faults and a quarter of its CPU time were spent in the kernel.


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool:
    """pytest's own protocol for one test (logstart, setup, call, teardown, logfinish), run
    from a frame with room; pytest's and its plugins' wrappers still wrap it."""
    from _pytest.runner import runtestprotocol

    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    room(runtestprotocol, item, True, nextitem)
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True
