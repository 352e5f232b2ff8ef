"""The bottleneck finder (/insights/waits/): the candidates waiting longest on someone's
move now, across the organisation, for admins, with its CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.pipeline.models import Application
from closeloop.pipeline.services import (
    application_submit,
    candidate_add,
    submission_ask_question,
)
from insights.conftest import NOW, waited

URL = "/insights/waits/"
DAY = dt.timedelta(days=1)
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def waiting(world):
    waited(world.sourced, 9, world.hank)
    waited(world.other_application, 4, world.olga)
    waited(world.interviewed, 2, world.rita)


def test_admins_see_the_longest_waits_first_with_whom_they_wait_on(world, login, waiting):
    response = login(world.ada).get(URL)

    assert response.status_code == 200
    items = response.context["items"]
    assert [(str(i.application.candidate), i.owner, i.days) for i in items][:2] == [
        ("Sam Sourced", world.hank, 9),
        ("Otto Other", world.olga, 4),
    ]
    assert f"/applications/{world.sourced.pk}/" in response.content.decode()


def test_the_waits_name_their_unit_calendar_days_beside_business_days(world, login, waiting):
    """The longest waits count calendar days and the sums business days: each cell says which,
    so '9' beside 'Longest 7.0 d' for the same wait no longer reads as a contradiction."""
    html = login(world.ada).get(URL).content.decode()

    assert "9 calendar days</span>" in html
    assert "(calendar days)" in html and "(business days)" in html
    assert " business days</td>" in html
    assert " d</td>" not in html


@pytest.mark.parametrize("persona", ["rita", "hank", "ivy", "olga"])
def test_no_one_else_finds_the_page(world, login, persona):
    assert login(getattr(world, persona)).get(URL).status_code == 404


def test_a_closed_application_waits_on_no_one(world, login, waiting):
    Application.objects.filter(pk=world.sourced.pk).update(status="withdrawn")

    names = [str(i.application.candidate) for i in login(world.ada).get(URL).context["items"]]

    assert "Sam Sourced" not in names


def test_the_waits_download_as_csv_with_formulas_neutralised(world, login, waiting):
    world.sourced.candidate.full_name = "-2+3 Sam"
    world.sourced.candidate.save()

    response = login(world.ada).get(URL, {"format": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Candidate", "Job", "Waiting on", "Move", "Since", "Days waited"]
    assert rows[1][0] == "'-2+3 Sam" and rows[1][2] == "Hank Manager" and rows[1][5] == "9"


def _csv_rows(client) -> list[list[str]]:
    response = client.get(URL, {"format": "csv"})
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_waits_csv_writes_since_as_iso_8601_with_its_offset(world, login, waiting):
    """A spreadsheet sorts and parses "2026-11-14T10:00:00+00:00"; "Sat 14 Nov 10:00" has no
    year and no zone. One zone for the whole file (UTC): it has no single reader, and text in
    one offset sorts as time does."""
    world.ada.time_zone = "America/New_York"
    world.ada.save()

    rows = _csv_rows(login(world.ada))

    since = {row[0]: row[4] for row in rows[1:]}
    assert since["Sam Sourced"] == "2026-11-14T10:00:00+00:00"
    assert since["Otto Other"] == "2026-11-19T10:00:00+00:00"
    assert dt.datetime.fromisoformat(since["Sam Sourced"]) == NOW - 9 * DAY


def test_the_waits_csv_names_the_asker_of_a_question_in_full_for_any_reader(world, login):
    """A question Hank asked reads "Answer Hank Manager's question" in the file whoever
    downloads it (Hank included): never "your", and named in full like "Waiting on"."""
    submitted = application_submit(application=world.interviewed, by=world.rita, pitch="Fits.")
    submission_ask_question(submission=submitted, by=world.hank, text="Notice period?")
    world.hank.is_admin = True
    world.hank.save()

    for reader in (world.ada, world.hank):
        rows = _csv_rows(login(reader))
        moves = {row[0]: row[3] for row in rows[1:]}
        assert moves["Carla Candidate"] == "Answer Hank Manager's question", reader


def _queries(client) -> int:
    """The queries of counting the page's figures (`recount`: none kept)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, {"recount": "1"}).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_candidates(world, login, waiting):
    client = login(world.ada)
    few = _queries(client)
    for n in range(12):
        data = {"full_name": f"Extra Person{n}", "email": f"extra{n}@cand.example"}
        added = candidate_add(job=world.job, by=world.rita, data=data).application
        waited(added, 20 + n, world.hank)

    # At most as many: the longest waits are now the new candidates', none of whom has an
    # interview ahead, so the panels' prefetch (one query when any row has one) is skipped.
    assert _queries(client) <= few


def test_nudge_now_reminds_the_person_a_wait_is_on_once_a_day(world, login, waiting, clock):
    """Sam waits 9 days on hank's review: ada's "Nudge now" gives hank an extra reminder
    through the engine (a nudge, a notice, then his next message); a second press the same
    day is refused and sends nothing."""
    from closeloop.activity.models import Activity
    from closeloop.followups.engine import notices_compose
    from closeloop.followups.models import Notice, Nudge
    from closeloop.notify.models import Message
    from insights.conftest import ask_row

    ask = ask_row(world.hank, job=world.job, application=world.sourced)
    ask.title = "Review Sam"
    ask.save()
    client = login(world.ada)
    page = client.get(URL).content.decode()
    nudge_url = f"/insights/waits/nudge/{ask.pk}/"
    assert f'action="{nudge_url}"' in page
    assert "Nudge Hank now" in page
    assert "no follow-up to chase" in page  # Otto waits on olga, who owes no ask about him

    sent = client.post(nudge_url, follow=True)
    assert "gets a reminder about “Review Sam”" in sent.content.decode()
    # The Chase column says so at once (the waits are kept a few minutes; this is not).
    assert f'action="{nudge_url}"' not in sent.content.decode()
    assert "Nudged <time" in sent.content.decode()
    nudge = Nudge.objects.get(ask=ask)
    assert Notice.objects.get(nudge=nudge).recipient == world.hank
    assert Activity.objects.filter(kind="closeloop.ask.nudged", actor=world.ada).exists()
    clock.move_to(NOW + dt.timedelta(hours=1))
    notices_compose()
    assert Message.objects.filter(recipient=world.hank).exists()

    again = client.post(nudge_url, follow=True)
    assert "one extra reminder a day" in again.content.decode()
    assert Nudge.objects.filter(ask=ask).count() == 1
    clock.move_to(NOW + dt.timedelta(days=1, hours=2))
    assert f'action="{nudge_url}"' in client.get(URL, {"recount": "1"}).content.decode()
    client.post(nudge_url)
    assert Nudge.objects.filter(ask=ask).count() == 2


def test_who_may_nudge_admins_and_the_jobs_team_never_oneself_and_only_open_asks(
    world, login, waiting
):
    """hank owes a review on Backend Engineer: olga (not on the job) and ivy (an interviewer
    on it, not deciding) may not chase it, nor hank himself; rita, its recruiter, may, from
    the job's funnel page, and comes back there; ada may from the organisation's page."""
    from closeloop.followups.models import AskStatus, Nudge
    from insights.conftest import ask_row

    ask = ask_row(world.hank, job=world.job, application=world.sourced)
    ask.save()
    url = f"/insights/waits/nudge/{ask.pk}/"
    for persona in ("hank", "olga", "ivy"):
        assert login(getattr(world, persona)).post(url).status_code == 404
    assert not Nudge.objects.exists()
    sent = login(world.rita).post(url, {"back": "job"})
    assert sent.status_code == 302
    assert sent["Location"] == f"/insights/jobs/{world.job.pk}/#longest-waits"
    assert Nudge.objects.filter(ask=ask).count() == 1
    assert login(world.ada).get(url).status_code == 405
    type(ask).objects.filter(pk=ask.pk).update(status=AskStatus.DONE)
    assert login(world.ada).post(url).status_code == 404
    assert login(world.ada).post("/insights/waits/nudge/999999/").status_code == 404
    assert Nudge.objects.count() == 1


def test_a_jobs_team_sees_its_longest_waits_with_nudge_buttons_on_others_only(
    world, login, waiting
):
    from insights.conftest import ask_row

    ask = ask_row(world.hank, job=world.job, application=world.sourced)
    ask.title = "Review Sam"
    ask.save()

    as_rita = login(world.rita).get(f"/insights/jobs/{world.job.pk}/").content.decode()
    assert f'action="/insights/waits/nudge/{ask.pk}/"' in as_rita
    assert 'name="back" value="job"' in as_rita
    as_hank = login(world.hank).get(f"/insights/jobs/{world.job.pk}/").content.decode()
    assert "Review Sam (yours)" in as_hank
    assert f'action="/insights/waits/nudge/{ask.pk}/"' not in as_hank
    assert "Otto Other" not in as_hank  # on olga's job


def test_a_held_ask_is_not_chased(world, waiting):
    from django.core.exceptions import ValidationError

    from closeloop.followups.models import Nudge
    from closeloop.followups.services import ask_nudge_now
    from insights.conftest import ask_row

    ask = ask_row(world.hank, job=world.job, application=world.sourced)
    ask.held_at, ask.held_for = NOW, world.rita
    ask.save()
    with pytest.raises(ValidationError, match="on hold: waiting for Rita's answer"):
        ask_nudge_now(ask=ask, by=world.ada)
    assert not Nudge.objects.exists()


def test_the_chase_is_the_follow_up_the_move_names_when_several_are_owed(world, waiting):
    """rita owes an answer to hank's question about Sam and, due sooner, news to Sam: the
    row's move is the answer, so "Nudge now" chases the answer, not the news."""
    from closeloop.insights.selectors import waits_chased
    from closeloop.pipeline.models import Question, Submission
    from closeloop.pipeline.selectors import queue_items, queue_rows, queue_sets
    from insights.conftest import ask_row

    waited(world.sourced, 9, world.rita)
    submission = Submission.objects.create(
        application=world.sourced, submitted_by=world.rita, submitted_at=NOW, pitch="Fit."
    )
    Question.objects.create(submission=submission, asked_by=world.hank, text="Visa?")
    news = ask_row(world.rita, job=world.job, application=world.sourced, kind="update_candidate")
    answer = ask_row(world.rita, job=world.job, application=world.sourced, kind="answer_question")
    news.due_at, answer.due_at = NOW + DAY, NOW + 2 * DAY
    news.save()
    answer.save()
    rows = queue_rows(queue_sets(user=world.rita, now=NOW).i_owe, now=NOW)
    items = [item for item in queue_items(rows, now=NOW) if item.application == world.sourced]
    assert items[0].move == "Answer Hank's question"
    (chase,) = waits_chased(viewer=world.ada, items=items)
    assert chase.ask == answer


def test_after_the_rounds_the_hiring_managers_move_is_the_decision_not_the_booking(world):
    """Interviewing, no interview ahead, the move handed to hank (a debrief opened): he
    decides; the recruiting side, with the move, books the next round."""
    from closeloop.pipeline.selectors import application_next_move

    interviewing = world.job.stages.get(kind="interviewing")
    world.interviewed.interviews.all().delete()
    Application.objects.filter(pk=world.interviewed.pk).update(
        stage=interviewing, next_move_owner=world.hank, next_move_since=NOW
    )
    world.interviewed.refresh_from_db()
    assert application_next_move(application=world.interviewed) == "Decide after the debrief"
    Application.objects.filter(pk=world.interviewed.pk).update(next_move_owner=world.rita)
    world.interviewed.refresh_from_db()
    assert application_next_move(application=world.interviewed) == "Schedule the interviews"
