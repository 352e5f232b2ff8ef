"""A cancelled interview no longer lets its panel see the candidate.

Nina is on no hiring team and on no job's interviewer list: she sees Carla only because
she sits on Carla's Technical interview. Once it is cancelled and she sits on no other live
interview of Carla's, every page answers her as it answers a stranger (olga): the candidate,
the application, the résumé, the briefing, the job, search and My queue. A scorecard she
submitted before the cancellation stays in the record, for the hiring team to read.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from interview_helpers import book, score

from closeloop.interviews.models import Interview, InterviewStatus, PanelSeat
from closeloop.interviews.services import interview_cancel
from closeloop.pipeline.services import candidate_update

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
MONDAY_14 = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def nina(world):
    from closeloop.accounts.models import User

    return User.objects.create_user(
        "nina@example.com", "correct-horse-battery", full_name="Nina Panel", is_interviewer=True
    )


@pytest.fixture
def carla(world):
    """Carla with a résumé on file; the world's unbooked interview of hers (ivy's) is gone,
    so only the interviews booked here put anyone on her panel."""
    Interview.objects.filter(application=world.interviewed).delete()
    candidate = world.interviewed.candidate
    return candidate_update(
        candidate=candidate,
        by=world.rita,
        data={"full_name": candidate.full_name, "email": candidate.email},
        resume=SimpleUploadedFile("carla.pdf", PDF, content_type="application/pdf"),
    )


@pytest.fixture
def booked(world, technical, carla, nina):
    """rita books Carla's Technical interview for Monday 14:00 with nina alone."""
    return book(world, technical, [nina], MONDAY_14)


def pages(world, interview) -> dict[str, str]:
    application = world.interviewed
    return {
        "candidate": reverse("pipeline:candidate-detail", args=[application.candidate_id]),
        "application": reverse("pipeline:application-detail", args=[application.pk]),
        "résumé": reverse("pipeline:candidate-resume", args=[application.candidate_id]),
        "briefing": reverse("interviews:interview-detail", args=[interview.pk]),
        "job": reverse("jobs:job-detail", args=[world.job.pk]),
    }


def answers(client, world, interview) -> dict[str, int]:
    return {name: client.get(url).status_code for name, url in pages(world, interview).items()}


def listed(client, world) -> dict[str, bool]:
    """Whether Carla (or her job) shows in search, My queue and the jobs list."""
    name = world.interviewed.candidate.full_name
    search = client.get(reverse("pipeline:search"), {"q": "Carla"}).content.decode()
    queue = client.get(reverse("pipeline:queue")).content.decode()
    jobs = client.get(reverse("jobs:job-list")).content.decode()
    return {"search": name in search, "queue": name in queue, "jobs": world.job.title in jobs}


STRANGER = {"candidate": 404, "application": 404, "résumé": 404, "briefing": 404, "job": 404}


def test_before_the_cancellation_nina_sees_carla_everywhere(client, world, booked, nina):
    client.force_login(nina)
    assert set(answers(client, world, booked).values()) == {200}
    assert listed(client, world) == {"search": True, "queue": True, "jobs": True}


def test_after_it_nina_is_answered_as_a_stranger(client, world, booked, nina):
    interview_cancel(interview=booked, by=world.rita, reason="Candidate ill")
    assert not PanelSeat.objects.filter(user=nina).exists()
    client.force_login(nina)
    assert answers(client, world, booked) == STRANGER
    assert listed(client, world) == {"search": False, "queue": False, "jobs": False}
    # Exactly as olga, who never interviewed Carla.
    client.force_login(world.olga)
    assert answers(client, world, booked) == STRANGER


def test_another_live_interview_keeps_her_on_the_panel(client, world, technical, booked, nina):
    book(world, technical, [nina], MONDAY_14 + dt.timedelta(days=2))
    interview_cancel(interview=booked, by=world.rita, reason="Moved to Wednesday")
    client.force_login(nina)
    # The cancelled one's briefing too: she still interviews Carla.
    assert set(answers(client, world, booked).values()) == {200}


def test_the_hiring_team_and_the_job_s_interviewers_keep_their_own_right(
    client, world, technical, carla, jonas
):
    """jonas is on the job's interviewer list: its page stays his; Carla goes with the
    interview. rita runs the job: she reads everything still."""
    interview = book(world, technical, [jonas], MONDAY_14)
    interview_cancel(interview=interview, by=world.rita, reason="Candidate ill")
    client.force_login(jonas)
    seen = answers(client, world, interview)
    assert seen == {**STRANGER, "job": 200}
    client.force_login(world.rita)
    assert set(answers(client, world, interview).values()) == {200}


def test_a_scorecard_submitted_before_the_cancellation_stays_for_the_team(
    client, clock, world, booked, nina
):
    clock.move_to(booked.starts_at + dt.timedelta(minutes=50))
    score(booked, nina, notes="Sharp on indexes.")
    interview_cancel(interview=booked, by=world.rita, reason="Recorded against the wrong round")
    client.force_login(nina)
    assert answers(client, world, booked) == STRANGER
    client.force_login(world.hank)
    application = client.get(pages(world, booked)["application"]).content.decode()
    panel = application.split('id="interviews"')[1].split("</section>")[0]
    assert "Nina Panel:" in panel and "Scorecard in" in panel
    briefing = client.get(pages(world, booked)["briefing"]).content.decode()
    assert "Sharp on indexes." in briefing


def test_a_cancelled_interview_booked_again_by_the_admin_seats_its_panel_again(world, booked, nina):
    """The admin is the one place a cancelled interview can come back: it re-syncs."""
    from django.contrib.admin.sites import AdminSite
    from django.test import RequestFactory

    from closeloop.interviews.admin import InterviewAdmin

    interview_cancel(interview=booked, by=world.rita, reason="Candidate ill")
    assert not PanelSeat.objects.filter(user=nina).exists()
    booked.status = InterviewStatus.SCHEDULED
    request = RequestFactory().post("/")
    request.user = world.ada
    InterviewAdmin(Interview, AdminSite()).save_model(request, booked, None, change=True)
    assert PanelSeat.objects.filter(user=nina, application=world.interviewed).exists()


def test_the_cancellation_sends_no_link_she_can_no_longer_open(world, booked, nina):
    from closeloop.notify.models import Message

    interview_cancel(interview=booked, by=world.rita, reason="Candidate ill")
    link = reverse("pipeline:application-detail", args=[world.interviewed.pk])
    told = {
        message.recipient_id: message
        for message in Message.objects.filter(template="interview-cancelled")
    }
    assert link not in told[nina.pk].body_text and link not in told[nina.pk].body_html
    assert "Open in Closeloop" not in told[nina.pk].body_html
    assert link in told[world.hank.pk].body_text and link in told[world.hank.pk].body_html
