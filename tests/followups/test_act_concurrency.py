"""Twenty hands on one email at once: a link acts exactly once, whoever races for it.

Each request is real HTTP against the live server, from its own thread with its own cookie
jar: it loads the confirmation page (for its CSRF cookie and token), waits at a barrier,
and then all of them post the confirm form together. PostgreSQL only: SQLite serialises
every writer, so there the race cannot happen and the test would prove nothing.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass

import pytest
import time_machine
from django.db import connection

from closeloop.activity.models import Activity
from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import ActionLink, Ask, AskStatus
from closeloop.notify.models import Message
from closeloop.notify.selectors import message_body_for
from closeloop.pipeline.models import Question, StageChange
from closeloop.pipeline.services import application_submit


def recipient_reads(message):
    """The message's text as its recipient reads it (its sealed links opened)."""
    return message_body_for(message=message, user=message.recipient)[0]


pytestmark = pytest.mark.slow
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
REMINDER_TIME = dt.datetime(2026, 11, 24, 10, 1, tzinfo=dt.UTC)
HANDS = 20
# A decision says how close the profile was, and (the job's first submission: its
# calibration round) why, in a sentence.
FORMS = {
    "Advance": {"closeness": 3, "calibration_note": "Fits.", "note": "Let's meet her"},
    "Pass": {"closeness": 1, "calibration_note": "Not yet.", "reason": "experience", "note": ""},
    "Ask the recruiter a question": {"text": "Notice period?"},
    "Snooze 1 business day": {"reason": "At a conference"},
}


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite serialises writers, so concurrent POSTs cannot race there "
            "(CI runs this with DATABASE_URL=postgres://…)."
        )


@pytest.fixture
def clock():
    """Monday 10:00, ticking: the live server's threads share this clock."""
    with time_machine.travel(MONDAY_10, tick=True) as traveller:
        yield traveller


@pytest.fixture
def world(postgresql, clock, world):
    return world


@pytest.fixture
def links(world, clock, live_server, settings) -> dict[str, str]:
    """hank's reminder email, composed with links to the live server, by button label."""
    settings.SITE_URL = live_server.url
    application_submit(
        application=world.interviewed,
        by=world.rita,
        pitch="Ran Postgres on-call for 3 years.",
        must_haves_met=["Python", "PostgreSQL"],
    )
    clock.move_to(REMINDER_TIME)
    asks_advance()
    notices_compose()
    body = recipient_reads(Message.objects.get(recipient=world.hank))
    return dict(re.findall(r"^  ([^:\n]+): (http://\S+/act/\S+/)$", body, flags=re.M))


@dataclass
class Answer:
    status: int
    body: str

    @property
    def heading(self) -> str:
        found = re.search(r"<h1[^>]*>(.*?)</h1>", self.body, flags=re.S)
        return found.group(1).strip() if found else ""


def confirm_together(posts: list[tuple[str, dict]], origin: str) -> list[Answer]:
    """Each (url, form) from its own thread and cookie jar; all POSTs released at once."""
    barrier = threading.Barrier(len(posts))
    answers: list[Answer | BaseException] = [None] * len(posts)  # type: ignore[list-item]

    def hand(index: int, url: str, form: dict) -> None:
        try:
            answers[index] = post_when_released(url, form, origin, barrier)
        except BaseException as error:  # reported below, with the thread's own traceback
            answers[index] = error
            barrier.abort()

    threads = [threading.Thread(target=hand, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
    return answers  # type: ignore[return-value]


def post_when_released(url: str, form: dict, origin: str, barrier: threading.Barrier) -> Answer:
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = browser.open(url, timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **form}).encode()
    request = urllib.request.Request(url, data=data, headers={"Origin": origin})
    barrier.wait(timeout=60)
    try:
        with browser.open(request, timeout=60) as response:
            return Answer(response.status, response.read().decode())
    except urllib.error.HTTPError as refused:
        return Answer(refused.code, refused.read().decode())


def outcomes(world) -> dict:
    """Everything any of the four buttons could have changed, counted."""
    application = world.interviewed
    ask = Ask.objects.get(kind="review_submission")
    return {
        "stage_changes": StageChange.objects.filter(application=application).count(),
        "questions": Question.objects.filter(submission__application=application).count(),
        "snoozed": int(bool(ask.snooze_reason)),
        "asks_closed": Activity.objects.filter(kind="closeloop.ask.closed").count(),
        "links_used": ActionLink.objects.filter(used_at__isnull=False).count(),
        "messages_to_rita": Message.objects.filter(recipient=world.rita).count(),
    }


def test_twenty_simultaneous_confirms_of_one_link_act_exactly_once(world, links, live_server):
    before = outcomes(world)

    answers = confirm_together([(links["Advance"], FORMS["Advance"])] * HANDS, live_server.url)

    statuses = Counter(answer.status for answer in answers)
    assert 500 not in statuses and statuses == {200: 1, 410: HANDS - 1}, statuses
    done = next(answer for answer in answers if answer.status == 200)
    assert done.heading == "Done, thank you" and "Carla Candidate moves forward" in done.body
    for refusal in (answer for answer in answers if answer.status == 410):
        assert refusal.heading == "Already answered"
        assert "Carla Candidate: advanced</strong> by you" in refusal.body
    after = outcomes(world)
    assert after["stage_changes"] == before["stage_changes"] + 1
    assert after["asks_closed"] == before["asks_closed"] + 1
    assert after["links_used"] == 1
    assert after["messages_to_rita"] == before["messages_to_rita"] + 1, "rita is told once"
    ask = Ask.objects.get(kind="review_submission")
    assert ask.status == AskStatus.DONE and ask.closed_by == world.hank
    world.interviewed.refresh_from_db()
    assert world.interviewed.stage.name == "Scheduling"


def test_all_four_buttons_pressed_at_once_answer_once_without_errors(world, links, live_server):
    before = outcomes(world)
    posts = [(links[label], form) for label, form in FORMS.items()] * (HANDS // len(FORMS))

    answers = confirm_together(posts, live_server.url)

    statuses = Counter(answer.status for answer in answers)
    assert 500 not in statuses and statuses[200] == 1, statuses
    assert set(statuses) <= {200, 409, 410}, statuses
    for refusal in (answer for answer in answers if answer.status != 200):
        assert refusal.heading in {
            "Already answered",
            "A question was asked from this email",
            "Snoozed from this email",
        }
    after = outcomes(world)
    changed = sum(after[key] - before[key] for key in ("stage_changes", "questions", "snoozed"))
    assert changed == 1, after
    assert after["links_used"] == 1
    assert ActionLink.objects.filter(used_at__isnull=True, revoked_at__isnull=True).count() == 0
