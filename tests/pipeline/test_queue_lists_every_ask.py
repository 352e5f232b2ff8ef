"""My queue lists every ask exactly once: the person's own, and the others' in their jobs.

An ask sits beside its candidate's row when that row waits on the ask's owner; every other
ask (an action item, "sign the intake", an ask about a candidate listed elsewhere) is in
the list of its own. What the page renders is compared with the data and with the
person's weekly update, which promises to list exactly their queue.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.policies import quiet_kinds
from closeloop.pipeline.services import application_submit
from closeloop.touchbases.weekly import weekly_update_build

QUEUE = reverse("pipeline:queue")
PERSONAS = ("rita", "hank", "ivy", "olga", "ada")
KINDS = (
    "review_submission",
    "inform_candidate",
    "update_candidate",
    "action_item",
    "sign_intake",
    "hold_touchbase",
    "submit_scorecard",
    "decide_after_debrief",
)
APPLICATIONS = ("interviewed", "sourced", "other_application", None)
ASK_ID = re.compile(r'id="ask-(\d+)"')


@pytest.fixture
def world(clock, world):
    """The shared world, built at the frozen Monday morning."""
    return world


def section(html: str, heading_id: str) -> str:
    """The HTML of one queue section ('' when the page leaves it out)."""
    start = html.find(f'id="{heading_id}"')
    if start < 0:
        return ""
    return html[start : html.find("</section>", start)]


def ask_ids(html: str) -> list[int]:
    return [int(pk) for pk in ASK_ID.findall(html)]


def badge(html: str, heading_id: str) -> int:
    """The number on a section's heading (0 when the section is not there)."""
    found = re.search(rf'id="{heading_id}">[^<]*<span class="badge">(\d+)</span>', html)
    return int(found.group(1)) if found else 0


def make_ask(world, n: int, *, kind: str, owner: str, application: str | None, due_hours: int):
    app = getattr(world, application) if application else None
    job = app.job if app else (world.job if n % 2 else world.other_job)
    now = timezone.now()
    return Ask.objects.create(
        kind=kind,
        subject=f"prop:{n}",
        title=f"Ask number {n} ({kind})",
        owner=getattr(world, owner),
        job=job,
        application=app,
        opened_at=now - dt.timedelta(hours=abs(due_hours) + 30),
        due_at=now + dt.timedelta(hours=due_hours),
    )


def owed(person, asks: list[Ask]) -> set[int]:
    """What the person owes by definition: open, theirs, and due if it is a quiet kind."""
    now = timezone.now()
    return {
        a.pk
        for a in asks
        if a.owner_id == person.pk and (a.kind not in quiet_kinds() or a.due_at <= now)
    }


def owed_to(person, asks: list[Ask]) -> set[int]:
    """What others owe on the jobs the person runs (recruiter, coordinator or HM)."""
    now = timezone.now()
    runs = {
        a.job_id
        for a in asks
        if a.job is not None
        and person.pk in (a.job.recruiter_id, a.job.coordinator_id, a.job.hiring_manager_id)
    }
    return {
        a.pk
        for a in asks
        if a.owner_id != person.pk
        and a.job_id in runs
        and (a.kind not in quiet_kinds() or a.due_at <= now)
    }


def queue_page(client, person) -> str:
    client.force_login(person)
    response = client.get(QUEUE)
    assert response.status_code == 200
    return response.content.decode()


def check_queue(client, person, asks: list[Ask]) -> None:
    html = queue_page(client, person)
    mine = ask_ids(section(html, "asks-mine")) + ask_ids(section(html, "on-you"))
    theirs = ask_ids(section(html, "on-others")) + ask_ids(section(html, "asks-theirs"))
    # Exactly once each: a list, not a set, so an ask shown twice fails too.
    assert sorted(mine) == sorted(owed(person, asks)), person
    assert sorted(theirs) == sorted(owed_to(person, asks)), person
    assert badge(html, "asks-mine") == len(mine)
    assert badge(html, "asks-theirs") == len(theirs)
    weekly = weekly_update_build(person=person)
    assert {row.ask.pk for row in weekly.waiting_on_you} == set(mine), person


def test_asks_without_a_candidate_and_two_asks_on_one_candidate_all_show(world, client):
    """The defect: asks were keyed by (application, owner), so these collided."""
    application_submit(application=world.interviewed, by=world.rita, pitch="Strong on Python.")
    asks = [
        make_ask(world, 1, kind="action_item", owner="hank", application=None, due_hours=-5),
        make_ask(world, 2, kind="sign_intake", owner="hank", application=None, due_hours=20),
        make_ask(world, 3, kind="hold_touchbase", owner="hank", application=None, due_hours=-30),
        make_ask(
            world, 4, kind="decide_after_debrief", owner="hank", application="interviewed",
            due_hours=-2,
        ),
    ]  # fmt: skip
    all_open = list(Ask.objects.filter(status=AskStatus.OPEN).select_related("job"))
    html = queue_page(client, world.hank)
    for ask in asks:
        assert html.count(f'id="ask-{ask.pk}"') == 1, ask.title
        assert ask.title in html
    check_queue(client, world.hank, all_open)
    check_queue(client, world.rita, all_open)


def test_a_candidate_moved_into_debrief_waits_on_hank_with_the_ask_that_chases_him(world, client):
    """A hand move into the Debrief stage puts the candidate on Hank's queue with the decide
    ask beside the row (its due time, reminders and escalation), never a row without one."""
    from closeloop.interviews.models import Interview
    from closeloop.pipeline.services import application_move

    ended = timezone.now() - dt.timedelta(hours=2)
    held = Interview.objects.create(
        application=world.sourced,
        round_name="Screen",
        starts_at=ended - dt.timedelta(hours=1),
        ends_at=ended,
        status="completed",
    )
    held.interviewers.add(world.ivy)
    debrief = world.job.stages.get(name="Debrief")
    application_move(application=world.sourced, by=world.rita, to_stage=debrief)
    decide = Ask.objects.get(kind="decide_after_debrief", status=AskStatus.OPEN)
    assert (decide.owner, decide.application_id) == (world.hank, world.sourced.pk)
    on_you = section(queue_page(client, world.hank), "on-you")
    # The row reads as a debrief that opened on its own: the ask, linked to the debrief, due.
    assert "Decide on Sam Sourced after the Screen debrief" in on_you
    assert ask_ids(on_you) == [decide.pk]
    assert 'due <time datetime="2026-11-25T17:00:00+00:00">' in on_you
    all_open = list(Ask.objects.filter(status=AskStatus.OPEN).select_related("job"))
    for name in PERSONAS:
        check_queue(client, getattr(world, name), all_open)


ask_specs = st.lists(
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(KINDS),
            "owner": st.sampled_from(PERSONAS),
            "application": st.sampled_from(APPLICATIONS),
            # Overdue by up to a week, or due within a week.
            "due_hours": st.integers(min_value=-170, max_value=170),
        }
    ),
    max_size=10,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=ask_specs)
def test_every_persons_queue_lists_exactly_what_they_owe_and_what_others_owe(world, client, specs):
    with transaction.atomic():
        for n, spec in enumerate(specs):
            make_ask(world, n, **spec)
        asks = list(Ask.objects.filter(status=AskStatus.OPEN).select_related("job"))
        for name in PERSONAS:
            check_queue(client, getattr(world, name), asks)
        transaction.set_rollback(True)  # the next example starts from the world alone
