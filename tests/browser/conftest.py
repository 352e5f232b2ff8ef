"""What every browser test stands on: the shared world committed (the live server reads it
from its own thread), a running clock for the tests that need Monday 10:00, and a signed-in
page per persona.

A file whose tests need the clock says so with `pytest.mark.usefixtures("clock")` in its
`pytestmark`: it is then started before the world and the live server."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from browser_login import sign_in

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    """A running clock that starts on Monday 10:00 (it ticks: the live server needs time)."""
    with time_machine.travel(MONDAY_10, tick=True) as traveller:
        yield traveller


@pytest.fixture
def world(transactional_db, world):
    """The shared world, committed (the live server reads it from its own thread)."""
    return world


@pytest.fixture
def page_for(browser, live_server):
    """A page signed in as a persona (browser context options as keywords), with a session
    made on the server (`browser_login.sign_in`): it has loaded nothing yet. The contexts
    are closed before the live server stops."""
    opened = []

    def _page(user, **options):
        opened.append(browser.new_context(**options))
        page = opened[-1].new_page()
        sign_in(page, live_server.url, user.email)
        return page

    yield _page
    for context in opened:
        context.close()
