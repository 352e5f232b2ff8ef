"""The job page (`jobs:job-detail`): the board, the sortable list, and who sees which cards."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from closeloop.activity.models import Activity
from closeloop.jobs.models import Job
from closeloop.pipeline.models import Application, StageChange
from closeloop.pipeline.services import application_move, application_reject, application_submit


def url(job, **query) -> str:
    base = reverse("jobs:job-detail", kwargs={"pk": job.pk})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def cards(response) -> dict[str, list[str]]:
    """Stage name -> candidate names on the board."""
    return {
        column.stage.name: [card.candidate.full_name for card in column.cards]
        for column in response.context["board"].columns
    }


def row_names(response) -> list[str]:
    return [row.candidate.full_name for row in response.context["rows"]]


# --- access --------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get(url(world.job))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_rita_sees_the_whole_board_and_the_links_to_run_it(world, login):
    response = login(world.rita).get(url(world.job))
    assert response.status_code == 200
    assert cards(response)["Sourced"] == ["Carla Candidate", "Sam Sourced"]
    html = response.content.decode()
    assert reverse("pipeline:candidate-add", kwargs={"job_pk": world.job.pk}) in html
    assert reverse("jobs:job-edit", kwargs={"pk": world.job.pk}) in html
    assert reverse("jobs:job-stages", kwargs={"pk": world.job.pk}) in html


def test_hank_sees_every_card_but_not_the_recruiters_links(world, login):
    response = login(world.hank).get(url(world.job))
    assert cards(response)["Sourced"] == ["Carla Candidate", "Sam Sourced"]
    html = response.content.decode()
    assert reverse("pipeline:candidate-add", kwargs={"job_pk": world.job.pk}) not in html
    assert reverse("jobs:job-edit", kwargs={"pk": world.job.pk}) not in html


def test_ivy_sees_only_the_card_she_interviews(world, login):
    client = login(world.ivy)
    response = client.get(url(world.job))
    assert cards(response)["Sourced"] == ["Carla Candidate"]
    assert b"Sam Sourced" not in response.content
    assert [row.count for row in response.context["waiting_on"]] == [1]
    listing = client.get(url(world.job, view="list"))
    assert row_names(listing) == ["Carla Candidate"]
    assert b"Sam Sourced" not in listing.content


def test_ivy_does_not_see_a_closed_candidate_she_does_not_interview(world, login):
    application_reject(application=world.sourced, by=world.rita, reason="skills", note="No SQL")
    response = login(world.ivy).get(url(world.job))
    assert response.context["closed"] == []
    assert b"No SQL" not in response.content


@pytest.mark.parametrize("view", ["board", "list"])
def test_olga_gets_a_404_that_leaks_nothing(world, login, view):
    response = login(world.olga).get(url(world.job, view=view))
    assert response.status_code == 404
    assert b"Backend Engineer" not in response.content
    assert b"Carla" not in response.content


def test_a_guessed_job_id_is_a_404(world, login):
    missing = Job.objects.order_by("-pk").first().pk + 100
    response = login(world.ada).get(reverse("jobs:job-detail", kwargs={"pk": missing}))
    assert response.status_code == 404


def test_ada_sees_any_job_and_can_run_it(world, login):
    response = login(world.ada).get(url(world.job))
    assert cards(response)["Sourced"] == ["Carla Candidate", "Sam Sourced"]
    assert response.context["can_manage"] is True


# --- the board -----------------------------------------------------------------------------


def test_the_job_header_shows_status_team_people_and_must_haves(world, login):
    html = login(world.hank).get(url(world.job)).content.decode()
    for text in ["Backend Engineer", "Open", "Platform", "Rita Recruiter", "Ivy Interviewer"]:
        assert text in html
    assert "<li>PostgreSQL</li>" in html and "<li>On-call experience</li>" in html


def test_every_stage_is_a_column_with_its_count(world, login):
    application_move(
        application=world.sourced, by=world.rita, to_stage=world.job.stages.get(name="Offer")
    )
    response = login(world.rita).get(url(world.job))
    columns = response.context["board"].columns
    assert [(c.stage.name, c.count) for c in columns] == [
        ("Sourced", 1),
        ("Submitted", 0),
        ("Scheduling", 0),
        ("Interviewing", 0),
        ("Debrief", 0),
        ("Offer", 1),
        ("Hired", 0),
    ]
    html = response.content.decode()
    assert 'aria-label="1 candidate"' in html and 'aria-label="0 candidates"' in html


def test_a_card_links_to_the_application_and_says_whose_move_it_is(world, login):
    world.interviewed.candidate.current_company = "Acme"
    world.interviewed.candidate.current_title = "Senior Engineer"
    world.interviewed.candidate.save()
    detail = reverse("pipeline:application-detail", kwargs={"pk": world.interviewed.pk})
    html = login(world.hank).get(url(world.job)).content.decode()
    assert f'href="{detail}"' in html
    assert "Senior Engineer at Acme" in html
    assert "Rita Recruiter’s move" in html
    assert "Your move" not in html
    assert "Your move" in login(world.rita).get(url(world.job)).content.decode()


def test_a_card_is_flagged_stale_after_seven_days_in_a_stage(world, login):
    client = login(world.rita)
    with time_machine.travel(timezone.now() + dt.timedelta(days=6, hours=23)):
        fresh = client.get(url(world.job))
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, hours=1)):
        stale = client.get(url(world.job))
    assert b"is-stale" not in fresh.content
    assert b">Stale<" not in fresh.content
    assert stale.content.count(b'class="card is-stale"') == 2
    assert b"7 days in stage" in stale.content


def test_a_moved_card_starts_its_stage_clock_again(world, login):
    with time_machine.travel(timezone.now() + dt.timedelta(days=10)):
        application_move(
            application=world.sourced, by=world.rita, to_stage=world.job.stages.get(name="Offer")
        )
        response = login(world.rita).get(url(world.job))
    assert response.content.count(b'class="card is-stale"') == 1


def test_a_pending_submission_is_badged_on_its_card(world, login):
    application_submit(application=world.sourced, by=world.rita, pitch="Strong Python")
    response = login(world.hank).get(url(world.job))
    assert cards(response)["Submitted"] == ["Sam Sourced"]
    assert response.content.count(b"Submission pending") == 1
    assert "Your move" in response.content.decode()


def test_closed_applications_sit_in_a_collapsed_section_with_their_reason(world, login):
    application_reject(
        application=world.sourced, by=world.hank, reason="skills", note="No PostgreSQL"
    )
    response = login(world.rita).get(url(world.job))
    assert cards(response)["Sourced"] == ["Carla Candidate"]
    html = response.content.decode()
    assert '<details class="panel closed-apps">' in html
    assert "Closed: 1 rejected or withdrawn" in html
    assert "Missing a must-have skill" in html and "No PostgreSQL" in html


def test_the_summary_counts_who_the_pipeline_waits_on(world, login):
    application_submit(application=world.sourced, by=world.rita, pitch="Strong Python")
    response = login(world.rita).get(url(world.job))
    rows = [(row.name, row.role, row.count) for row in response.context["waiting_on"]]
    assert rows == [("Rita Recruiter", "recruiter", 1), ("Hank Manager", "hiring manager", 1)]
    html = response.content.decode()
    assert "Who the pipeline waits on" in html and "(hiring manager)" in html


def test_an_empty_pipeline_invites_the_recruiter_to_add_a_candidate(world, login):
    response = login(world.ada).get(url(world.other_job))
    assert b"Otto Other" in response.content
    application_reject(application=world.other_application, by=world.ada, reason="skills")
    response = login(world.ada).get(url(world.other_job))
    # Not "the first": the closed one is counted and linked.
    assert b"No active candidates: 1 was closed" in response.content
    assert b"Add a candidate</a>" in response.content


# --- the list ------------------------------------------------------------------------------


def _spread(world):
    """Carla in Sourced for 5 days, Dan submitted 1 day ago, Sam moved to Offer just now."""
    from closeloop.pipeline.services import candidate_add

    now = timezone.now()
    with time_machine.travel(now - dt.timedelta(days=3), tick=False):
        dan = candidate_add(
            job=world.job, by=world.rita, data={"full_name": "Dan Dev", "email": "dan@cand.example"}
        ).application
    Application.objects.filter(pk=world.interviewed.pk).update(
        entered_stage_at=now - dt.timedelta(days=5)
    )
    with time_machine.travel(now - dt.timedelta(days=1), tick=False):
        application_submit(application=dan, by=world.rita, pitch="Solid")
    application_move(
        application=world.sourced, by=world.rita, to_stage=world.job.stages.get(name="Offer")
    )
    return dan


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("waiting", ["Carla Candidate", "Dan Dev", "Sam Sourced"]),
        ("-waiting", ["Sam Sourced", "Dan Dev", "Carla Candidate"]),
        ("name", ["Carla Candidate", "Dan Dev", "Sam Sourced"]),
        ("-name", ["Sam Sourced", "Dan Dev", "Carla Candidate"]),
        ("stage", ["Carla Candidate", "Dan Dev", "Sam Sourced"]),
        ("-stage", ["Sam Sourced", "Dan Dev", "Carla Candidate"]),
        ("owner", ["Dan Dev", "Carla Candidate", "Sam Sourced"]),
        ("bogus", ["Carla Candidate", "Dan Dev", "Sam Sourced"]),
    ],
)
def test_the_list_sorts_by_its_columns(world, login, sort, expected):
    _spread(world)
    response = login(world.rita).get(url(world.job, view="list", sort=sort))
    assert response.context["view"] == "list"
    assert row_names(response) == expected


def test_the_sorted_column_says_so_and_its_link_reverses_the_order(world, login):
    response = login(world.rita).get(url(world.job, view="list", sort="name"))
    headers = response.context["headers"]
    assert headers["name"].aria_sort == "ascending"
    assert headers["name"].url.endswith("?view=list&sort=-name")
    assert headers["stage"].aria_sort == ""
    assert headers["stage"].url.endswith("?view=list&sort=stage")
    html = response.content.decode()
    assert html.count("aria-sort=") == 1
    assert '<th scope="col" aria-sort="ascending">' in html


def test_longest_waiting_first_is_a_descending_time_in_stage(world, login):
    response = login(world.rita).get(url(world.job, view="list"))
    headers = response.context["headers"]
    assert headers["waiting"].aria_sort == "descending"
    assert headers["waiting"].url.endswith("sort=-waiting")
    reverse_order = login(world.rita).get(url(world.job, view="list", sort="-waiting"))
    assert reverse_order.context["headers"]["waiting"].aria_sort == "ascending"


def test_the_list_flags_stale_rows_and_pending_submissions(world, login):
    application_submit(application=world.sourced, by=world.rita, pitch="Strong Python")
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        response = login(world.rita).get(url(world.job, view="list"))
    html = response.content.decode()
    assert html.count('<tr class="is-stale">') == 2
    assert html.count("Submission pending") == 1


def test_the_board_and_list_toggle_mark_the_current_view(world, login):
    client = login(world.rita)
    board = client.get(url(world.job)).content.decode()
    listing = client.get(url(world.job, view="list")).content.decode()
    assert 'aria-current="page">Board<' in board
    assert 'aria-current="page">List<' in listing


# --- queries and method safety -------------------------------------------------------------


@pytest.mark.parametrize("view", ["board", "list"])
def test_the_page_runs_as_many_queries_for_one_candidate_as_for_thirty(
    world, login, fill_job, count_queries, view
):
    from closeloop.jobs.services import job_create

    job = job_create(
        by=world.rita,
        data={"title": "Big Search", "recruiter": world.rita, "hiring_manager": world.hank},
        interviewers=[world.ivy],
    )
    first = fill_job(job, 1)[0]
    application_submit(application=first, by=world.rita, pitch="One")
    client = login(world.rita)
    one = count_queries(client, url(job, view=view))
    more = fill_job(job, 29, prefix="More")
    for application in more[:10]:
        application_submit(application=application, by=world.rita, pitch="More")
    application_reject(application=more[-1], by=world.rita, reason="skills")
    assert count_queries(client, url(job, view=view)) == one


def test_viewing_the_job_changes_nothing(world, login):
    before = (Activity.objects.count(), StageChange.objects.count(), Application.objects.count())
    client = login(world.rita)
    client.get(url(world.job))
    client.get(url(world.job, view="list", sort="-name"))
    after = (Activity.objects.count(), StageChange.objects.count(), Application.objects.count())
    assert after == before


def test_the_job_page_answers_only_get(world, login):
    assert login(world.rita).post(url(world.job)).status_code == 405
