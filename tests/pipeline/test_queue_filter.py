"""My queue filtered to one job: its lists, counts and "see all" pages narrow to that job's
candidates and follow-ups; the filter offers only the jobs the queue lists, and a value it
cannot read shows the whole queue."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from closeloop.followups.models import Ask
from closeloop.interviews.models import Interview
from closeloop.jobs.models import JobStatus, StageKind
from closeloop.jobs.services import job_create
from closeloop.pipeline.services import application_move, candidate_add

QUEUE = reverse("pipeline:queue")


@pytest.fixture
def frontend(world):
    """A second job of rita's, with one candidate waiting on her."""
    job = job_create(
        by=world.rita,
        data={
            "title": "Frontend Engineer",
            "status": JobStatus.OPEN,
            "recruiter": world.rita,
            "hiring_manager": world.hank,
        },
    )
    candidate_add(
        job=job, by=world.rita, data={"full_name": "Fay Frontend", "email": "fay@c.example"}
    )
    return job


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.find("</section>", start)]


def test_the_filter_offers_the_jobs_of_the_queue_and_narrows_every_list(world, login, frontend):
    client = login(world.rita)
    html = client.get(QUEUE).content.decode()
    select = html[
        html.index('<select name="job"') : html.index("</select>", html.index('name="job"'))
    ]
    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]+)</option>', select)
    assert [title for _, title in options] == ["Every job", "Backend Engineer", "Frontend Engineer"]
    assert "Data Analyst" not in html  # ada's job lists nothing of rita's
    everything = section(html, "on-you")
    assert "Fay Frontend" in everything and "Sam Sourced" in everything

    only = client.get(QUEUE, {"job": frontend.pk})
    page = only.content.decode()
    listed = section(page, "on-you")
    assert "Fay Frontend" in listed and "Sam Sourced" not in listed
    assert "1 candidate waits on you" in text(only)
    assert f'<option value="{frontend.pk}" selected>Frontend Engineer</option>' in page

    backend = section(client.get(QUEUE, {"job": world.job.pk}).content.decode(), "on-you")
    assert "Sam Sourced" in backend and "Fay Frontend" not in backend


def test_a_job_the_queue_does_not_list_or_a_hostile_value_shows_the_whole_queue(
    world, login, frontend
):
    client = login(world.rita)
    for value in (world.other_job.pk, "²", "99999999999999999999", "-1", "", "\x00"):
        listed = section(client.get(QUEUE, {"job": value}).content.decode(), "on-you")
        assert "Fay Frontend" in listed and "Sam Sourced" in listed, value


def test_see_all_keeps_the_job(world, login, frontend, settings):
    client = login(world.rita)
    page = client.get(reverse("pipeline:queue-list", args=["waiting-on-you"]), {"job": frontend.pk})
    body = text(page)
    assert "Fay Frontend" in body and "Sam Sourced" not in body
    assert "only follow-ups of Frontend Engineer" in body
    assert f'href="{QUEUE}?job={frontend.pk}"' in page.content.decode()


def test_kind_and_overdue_narrow_the_follow_ups_and_the_candidates_they_are_about(
    world, login, frontend, clock
):
    from closeloop.pipeline.services import application_submit

    application_submit(application=world.sourced, by=world.rita, pitch="Strong fit.")
    client = login(world.hank)
    reviews = client.get(QUEUE, {"kind": "review_submission"})
    listed = section(reviews.content.decode(), "on-you")
    assert "Sam Sourced" in listed and "Review Sam Sourced" in listed
    assert "Only “Review a submitted candidate” follow-ups" in text(reviews)
    # Nothing of Hank's is overdue yet: the lists say so, and the counts are zero.
    overdue = client.get(QUEUE, {"overdue": "on"})
    assert "Sam Sourced" not in section(overdue.content.decode(), "on-you")
    clock.move_to(clock_after_due())
    overdue = client.get(QUEUE, {"overdue": "on", "kind": "review_submission"})
    assert "Sam Sourced" in section(overdue.content.decode(), "on-you")
    # A kind that is not one of the choices is no filter.
    assert "Sam Sourced" in section(
        client.get(QUEUE, {"kind": "no_such_kind", "job": "²"}).content.decode(), "on-you"
    )


def clock_after_due():
    import datetime as dt

    return dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)  # past the 2-day review


def test_by_job_groups_the_queue_with_counts_in_each_heading(world, login, frontend):
    client = login(world.rita)
    queue = client.get(QUEUE).content.decode()
    assert f'href="{reverse("pipeline:queue-by-job")}">Group by job (2)</a>' in queue
    html = client.get(reverse("pipeline:queue-by-job")).content.decode()
    by_job = " ".join(re.sub(r"<[^>]+>", " ", html[html.index("<h1>") :]).split())
    assert by_job.startswith("My queue by job 2")
    groups = html.split('<details class="queue-group"')[1:]
    assert len(groups) == 2
    # The busiest job first, open, its lists rendered in place: Backend's two candidates.
    backend, front = groups
    assert backend.startswith(" open>") and "Backend Engineer" in backend
    assert "2 waiting on you" in backend and "Sam Sourced" in backend
    assert "Fay Frontend" not in backend
    # The other opens on demand (htmx), or without JavaScript, the queue filtered to it.
    group_url = reverse("pipeline:queue-job-group", args=[frontend.pk])
    assert f'hx-get="{group_url}"' in front and "1 waiting on you" in front
    assert f'href="{QUEUE}?job={frontend.pk}"' in front
    assert "Fay Frontend" not in front


def test_a_group_opens_onto_that_jobs_lists_only(world, login, frontend):
    client = login(world.rita)
    group_url = reverse("pipeline:queue-job-group", args=[frontend.pk])
    part = client.get(group_url, headers={"HX-Request": "true"})
    assert part.status_code == 200
    html = part.content.decode()
    assert "<html" not in html  # only the group's body
    assert "Fay Frontend" in section(html, f"job-{frontend.pk}-on-you")
    assert "Sam Sourced" not in html
    # The "see all" links keep the job; without htmx the address opens the filtered queue.
    plain = client.get(group_url, {"overdue": "on"})
    assert plain.status_code == 302
    assert plain.headers["Location"] == f"{QUEUE}?overdue=on&job={frontend.pk}"


def test_a_group_of_a_job_outside_the_queue_is_not_found(world, login, frontend):
    # ada's Data Analyst lists nothing of rita's; guessed ids are no better.
    client = login(world.rita)
    for pk in (world.other_application.job_id, 999_999):
        url = reverse("pipeline:queue-job-group", args=[pk])
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404


def test_by_job_keeps_the_kind_and_overdue_filters(world, login, frontend, clock):
    from closeloop.pipeline.services import application_submit

    application_submit(application=world.sourced, by=world.rita, pitch="Strong fit.")
    client = login(world.rita)
    # Nothing of rita's is overdue at first: no group, and the page says so.
    html = client.get(reverse("pipeline:queue-by-job"), {"overdue": "on"}).content.decode()
    assert "queue-group" not in html.split("</form>", 1)[1]
    assert "Nothing in your queue matches these filters." in html
    # Hank's queue holds both jobs (Fay waits on rita in his Frontend search); only Backend
    # has a submission for him to review, and the filter keeps only its group.
    client = login(world.hank)
    every = client.get(reverse("pipeline:queue-by-job")).content.decode()
    assert every.count('<details class="queue-group"') == 2
    only = client.get(reverse("pipeline:queue-by-job"), {"kind": "review_submission"})
    html = only.content.decode()
    assert html.count('<details class="queue-group"') == 1
    assert "Backend Engineer" in html and "Sam Sourced" in html and "Fay Frontend" not in html
    assert f'href="{QUEUE}?kind=review_submission">Most urgent first</a>' in html
    # Past the review's due time, the group says so in its heading, overdue first.
    clock.move_to(clock_after_due())
    html = client.get(reverse("pipeline:queue-by-job"), {"overdue": "on"}).content.decode()
    assert html.count('<details class="queue-group"') == 1
    assert '<span class="badge bad">1 overdue</span>' in html


def test_filtered_the_queue_links_back_to_everything(world, login, frontend):
    client = login(world.rita)
    filtered = client.get(QUEUE, {"job": frontend.pk}).content.decode()
    assert ">Everything</a>" in filtered
    # "By job" groups the jobs: its link leaves the job filter and counts every group.
    assert f'href="{reverse("pipeline:queue-by-job")}">Group by job (2)</a>' in filtered


def test_the_job_filter_narrows_the_hms_tiles_too(world, login, frontend):
    """hank's submissions to decide and his interviews follow the filter, as the lists do."""
    from closeloop.pipeline.models import Submission

    fay = frontend.applications.get()
    for application in (world.sourced, fay):
        Submission.objects.create(application=application, submitted_by=world.rita, pitch="Fit.")
    client = login(world.hank)
    assert "2 submissions waiting for your decision" in text(client.get(QUEUE))
    narrowed = text(client.get(QUEUE, {"job": frontend.pk}))
    assert "1 submission waiting for your decision" in narrowed


def book(interviewer, application, at) -> None:
    """`interviewer` interviews `application` at `at`; the candidate is in its interview stage."""
    interview = Interview.objects.create(
        application=application,
        round_name="Technical",
        starts_at=at,
        ends_at=at + dt.timedelta(hours=1),
    )
    interview.interviewers.add(interviewer)
    stage = application.job.stages.get(kind=StageKind.INTERVIEWING)
    application_move(application=application, by=application.job.recruiter, to_stage=stage)


def groups(html: str) -> list[str]:
    return html.split('<details class="queue-group"')[1:]


def test_by_job_groups_the_interviews_an_interviewer_holds(world, login, frontend):
    """Ivy's queue said "Group by job (2)" and "candidates wait for your interview", and the
    grouped page "Nothing in your queue right now": her interviews to hold are her queue."""
    tomorrow = timezone.now() + dt.timedelta(days=1)
    Interview.objects.filter(application=world.interviewed).delete()
    book(world.ivy, world.interviewed, tomorrow)
    book(world.ivy, frontend.applications.get(), tomorrow + dt.timedelta(hours=2))
    client = login(world.ivy)
    queue = text(client.get(QUEUE))
    assert "2 candidates wait for your interview" in queue and "Group by job (2)" in queue
    html = client.get(reverse("pipeline:queue-by-job")).content.decode()
    assert "Nothing in your queue" not in html
    backend, front = groups(html)
    assert "Backend Engineer" in backend and "1 waiting for your interview" in backend
    assert "Carla Candidate" in backend  # the open group lists her
    assert "Frontend Engineer" in front and "1 waiting for your interview" in front


def sign_intake(owner, job) -> Ask:
    return Ask.objects.create(
        kind="sign_intake",
        subject=f"test:sign:{job.pk}",
        title=f"Sign the intake for {job.title}",
        owner=owner,
        job=job,
        due_at=timezone.now() + dt.timedelta(days=2),
    )


def test_the_group_by_job_link_counts_the_groups_it_opens(world, login, frontend):
    """Hank's queue said "(3)" and showed 2 groups: a job where only others owe follow-ups
    is in the queue, and so in "By job"; filtered, the link counts the groups kept."""
    design = job_create(
        by=world.rita,
        data={
            "title": "Design Lead",
            "status": JobStatus.OPEN,
            "recruiter": world.rita,
            "hiring_manager": world.hank,
        },
    )
    sign_intake(world.hank, design)
    sign_intake(world.hank, frontend)
    client = login(world.rita)
    by_job = reverse("pipeline:queue-by-job")
    assert f'href="{by_job}">Group by job (3)</a>' in client.get(QUEUE).content.decode()
    every = groups(client.get(by_job).content.decode())
    assert len(every) == 3
    [only_design] = [group for group in every if "Design Lead" in group]
    assert "1 follow-up others owe" in only_design
    # Only intakes to sign: Frontend and Design, where Hank owes one; not Backend.
    filtered = client.get(QUEUE, {"kind": "sign_intake"}).content.decode()
    assert f'href="{by_job}?kind=sign_intake">Group by job (2)</a>' in filtered
    kept = groups(client.get(by_job, {"kind": "sign_intake"}).content.decode())
    assert len(kept) == 2 and not any("Backend Engineer" in group for group in kept)
