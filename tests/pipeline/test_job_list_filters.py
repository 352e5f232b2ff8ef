"""The job's candidate list filters by whose move it is, time in stage (business days),
source, interviewer and tag, in the address: sorting and paging keep them, a value the list
cannot use is dropped with a notice (never an error), and the page runs as many queries with
every filter on for 1 row as for 30."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.pipeline.models import Application, Candidate, Source
from closeloop.pipeline.services import application_move, application_submit, candidate_add
from closeloop.pipeline.tags import candidate_tag_add

# A Friday, then the Monday after it (MONDAY_10 is Monday 23 Nov 2026 10:00 UTC).
FRIDAY_10 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
AWAY_FROM, BACK_ON = FRIDAY_10, dt.datetime(2026, 12, 11, 0, 0, tzinfo=dt.UTC)


def listed(client, job, **query) -> list[str]:
    response = client.get(reverse("jobs:job-detail", args=[job.pk]), {"view": "list", **query})
    assert response.status_code == 200
    return re.findall(r'<td data-label="Candidate"><a href="[^"]+">([^<]+)</a>', response.text)


def add(world, name: str, **data):
    return candidate_add(
        job=world.job,
        by=world.rita,
        data={"full_name": name, "email": f"{name.split()[0].lower()}@c.example", **data},
    ).application


def stage(world, name: str):
    return world.job.stages.get(name=name)


@pytest.fixture
def mixed(world, clock):
    """Carla interviewing (ivy's move: her interview comes), Hana submitted (hank's move),
    Hugo hired (nobody's), Rhea a referral tagged "python", Sam sourced (rita's)."""
    application_move(
        application=world.interviewed, by=world.rita, to_stage=stage(world, "Interviewing")
    )
    hana = add(world, "Hana Submitted")
    application_submit(application=hana, by=world.rita, pitch="Strong.")
    hugo = add(world, "Hugo Hired")
    application_move(application=hugo, by=world.rita, to_stage=stage(world, "Hired"))
    rhea = add(world, "Rhea Referral", source=Source.REFERRAL)
    candidate_tag_add(candidate=rhea.candidate, by=world.rita, name="Python")
    return world


def test_whose_move_filters_by_side_and_by_person(mixed, login):
    client = login(mixed.rita)
    assert listed(client, mixed.job, move="me", sort="name") == ["Rhea Referral", "Sam Sourced"]
    assert listed(client, mixed.job, move="recruiter", sort="name") == [
        "Rhea Referral",
        "Sam Sourced",
    ]
    assert listed(client, mixed.job, move="hiring_manager") == ["Hana Submitted"]
    assert listed(client, mixed.job, move="interviewers") == ["Carla Candidate"]
    assert listed(client, mixed.job, move="nobody") == ["Hugo Hired"]
    assert listed(client, mixed.job, move=mixed.ivy.pk) == ["Carla Candidate"]


def test_me_is_hanks_own_moves_when_hank_looks(mixed, login):
    assert listed(login(mixed.hank), mixed.job, move="me") == ["Hana Submitted"]


def test_source_interviewer_and_tag_filter_the_rows(mixed, login):
    client = login(mixed.rita)
    assert listed(client, mixed.job, source="referral") == ["Rhea Referral"]
    assert listed(client, mixed.job, interviewer=mixed.ivy.pk) == ["Carla Candidate"]
    tag = mixed.job.applications.get(candidate__full_name="Rhea Referral").candidate.tag_links.get()
    assert listed(client, mixed.job, tag=tag.tag_id) == ["Rhea Referral"]


def test_filters_combine_with_stage_and_status(mixed, login):
    client = login(mixed.rita)
    sourced = stage(mixed, "Sourced").pk
    assert listed(client, mixed.job, stage=sourced, source="referral") == ["Rhea Referral"]
    assert listed(client, mixed.job, stage=sourced, move="hiring_manager") == []


def test_waiting_counts_business_days_in_the_viewers_calendar(world, login, clock):
    """Entered on Friday and looked at on Tuesday: four calendar days, two business days."""
    clock.move_to(FRIDAY_10)
    add(world, "Fred Friday")
    clock.move_to(FRIDAY_10 + dt.timedelta(days=4, hours=1))  # Tuesday 11:00
    client = login(world.rita)
    assert "Fred Friday" in listed(client, world.job, waiting=1)
    assert "Fred Friday" in listed(client, world.job, waiting=2)
    assert "Fred Friday" not in listed(client, world.job, waiting=3)
    # The world's candidates entered on Monday 10:00: one business day and an hour ago.
    assert set(listed(client, world.job, waiting=1)) == {
        "Carla Candidate",
        "Sam Sourced",
        "Fred Friday",
    }


def test_sort_headers_pages_and_the_stage_filter_keep_the_filters(mixed, login):
    client = login(mixed.rita)
    html = client.get(
        reverse("jobs:job-detail", args=[mixed.job.pk]),
        {"view": "list", "move": "recruiter", "source": "referral"},
    ).text
    headers = re.findall(r'<th scope="col"[^>]*><a href="([^"]+)"', html)
    assert headers and all(
        "move=recruiter" in link and "source=referral" in link for link in headers
    )
    assert 'value="referral" selected' in html


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"waiting": "abc"}, "is not a number of business days"),
        ({"waiting": "0"}, "is not a number of business days"),
        ({"waiting": "99999999999999999999"}, "is not a number of business days"),
        ({"move": "somebody"}, "is not someone this job"),
        ({"move": "99999999"}, "is not someone this job"),
        ({"source": "carrier-pigeon"}, "is not a source"),
        ({"interviewer": "x"}, "is not an interviewer on this job"),
        ({"tag": "\x00"}, "is not a tag of this job"),
    ],
)
def test_a_value_the_list_cannot_use_is_dropped_with_a_notice(world, login, clock, query, said):
    client = login(world.rita)
    response = client.get(
        reverse("jobs:job-detail", args=[world.job.pk]), {"view": "list", **query}
    )
    assert response.status_code == 200
    assert said in response.text
    assert set(listed(client, world.job, **query)) == {"Carla Candidate", "Sam Sourced"}


def test_another_jobs_interviewer_or_tag_is_no_filter(world, login, clock):
    other_tag = candidate_tag_add(
        candidate=world.other_application.candidate, by=world.ada, name="elsewhere"
    )
    client = login(world.rita)
    for query in ({"tag": other_tag.pk}, {"interviewer": world.olga.pk}):
        assert set(listed(client, world.job, **query)) == {"Carla Candidate", "Sam Sourced"}


def test_ivy_is_offered_only_herself_as_interviewer_and_sees_only_her_candidate(
    world, login, clock
):
    client = login(world.ivy)
    html = client.get(reverse("jobs:job-detail", args=[world.job.pk]), {"view": "list"}).text
    select = html[
        html.index('name="interviewer"') : html.index("</select>", html.index('name="interviewer"'))
    ]
    assert re.findall(r"<option[^>]*>([^<]+)</option>", select) == [
        "Any interviewer",
        "Ivy Interviewer",
    ]
    assert listed(client, world.job, interviewer=world.ivy.pk) == ["Carla Candidate"]


def _crowd(world, n: int) -> None:
    """`n` referrals tagged "python", with a panel seat for ivy each (plain ORM)."""
    from closeloop.interviews.models import PanelSeat
    from closeloop.pipeline.models import CandidateTag, Tag

    tag, _ = Tag.objects.get_or_create(name="python")
    sourced = stage(world, "Sourced")
    for i in range(n):
        candidate = Candidate.objects.create(full_name=f"Crowd {i:02d}", source=Source.REFERRAL)
        application = Application.objects.create(
            candidate=candidate,
            job=world.job,
            stage=sourced,
            entered_stage_at=FRIDAY_10 - dt.timedelta(days=10),
            next_move_owner=world.rita,
        )
        CandidateTag.objects.create(candidate=candidate, tag=tag)
        PanelSeat.objects.create(user=world.ivy, application=application, job=world.job)


def _queries(client, job, tag_pk, ivy_pk) -> int:
    query = {"view": "list", "move": "me", "waiting": 3, "source": "referral"}
    query |= {"interviewer": ivy_pk, "tag": tag_pk}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("jobs:job-detail", args=[job.pk]), query)
    assert response.status_code == 200
    return len(captured)


def test_every_filter_on_runs_as_many_queries_for_1_row_as_for_30(world, login, clock):
    from closeloop.pipeline.models import Tag

    client = login(world.rita)
    _crowd(world, 1)
    tag = Tag.objects.get(name="python")
    one = _queries(client, world.job, tag.pk, world.ivy.pk)
    assert len(listed(client, world.job, move="me", tag=tag.pk, interviewer=world.ivy.pk)) == 1
    _crowd(world, 29)
    thirty = _queries(client, world.job, tag.pk, world.ivy.pk)
    assert len(listed(client, world.job, move="me", tag=tag.pk, interviewer=world.ivy.pk)) == 30
    assert one == thirty


def _move_options(client, job) -> list[str]:
    html = client.get(reverse("jobs:job-detail", args=[job.pk]), {"view": "list"}).text
    start = html.index('name="move"')
    return re.findall(
        r"<option[^>]*>([^<]+)</option>", html[start : html.index("</select>", start)]
    )


def test_whose_move_follows_cover_for_someone_out_of_office(world, login, clock):
    """With Hank away and Olga covering, the job page says the pipeline waits on Olga: the
    filter offers her (saying whom she covers for) and finds the moves she holds."""
    world.hank.out_of_office_from = AWAY_FROM
    world.hank.out_of_office_until = BACK_ON
    world.hank.delegate = world.olga
    world.hank.save()
    application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    client = login(world.rita)
    assert "Olga Outsider, covering for Hank Manager" in _move_options(client, world.job)
    assert listed(client, world.job, move=world.olga.pk) == ["Sam Sourced"]
    response = client.get(
        reverse("jobs:job-detail", args=[world.job.pk]), {"view": "list", "move": world.olga.pk}
    )
    assert "is not someone this job" not in response.text
    # As on the job page, the move is Olga's while she covers, not Hank's.
    assert listed(client, world.job, move=world.hank.pk) == []
    assert "Olga Outsider, covering for you" in _move_options(login(world.hank), world.job)
