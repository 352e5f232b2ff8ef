"""The longest waits are kept a few minutes for every admin (`insights.kept`), but each reader
reads them worded for themselves: the hiring manager whose question the recruiter owes an
answer to reads "Answer your question", never "Answer Hank's question"."""

from __future__ import annotations

import pytest

from closeloop.accounts.models import User
from closeloop.pipeline.services import application_submit, submission_ask_question
from insights.conftest import waited

URL = "/insights/waits/"
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def question(world):
    """rita owes hank the answer to his question about Sam; hank is an admin too."""
    User.objects.filter(pk=world.hank.pk).update(is_admin=True)
    world.hank.refresh_from_db()
    submission = application_submit(application=world.sourced, by=world.rita, pitch="Fit.")
    submission_ask_question(submission=submission, by=world.hank, text="Visa?")
    waited(world.sourced, 9, world.rita)


def _sam(response):
    rows = response.context["rows"]
    (row,) = [row for row in rows if str(row.item.application.candidate) == "Sam Sourced"]
    return row


def test_a_kept_move_is_worded_for_each_reader(world, login, question):
    as_ada = login(world.ada).get(URL)  # counted now, and kept for the next reader
    as_hank = login(world.hank).get(URL)

    assert as_hank.context["counted_at"] == as_ada.context["counted_at"]  # the kept figures
    assert _sam(as_ada).item.move == "Answer Hank's question"
    assert _sam(as_hank).item.move == "Answer your question"
    html = as_hank.content.decode()
    assert "Answer your question about Sam Sourced" in html  # the follow-up to chase
    assert "Answer Hank's question" not in html


def test_the_person_waited_on_is_you_to_themselves(world, login, question):
    login(world.ada).get(URL)
    User.objects.filter(pk=world.rita.pk).update(is_admin=True)

    html = login(world.rita).get(URL).content.decode()

    assert '<td data-label="Waiting on">You</td>' in html


def test_a_jobs_funnel_words_the_move_for_its_reader(world, login, question):
    html = login(world.hank).get(f"/insights/jobs/{world.job.pk}/").content.decode()

    assert "Answer your question" in html
    assert "Answer Hank's question" not in html
