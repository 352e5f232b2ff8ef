"""The demo's interviews agree with what the pages around them say: each lasts as long as its
round of the agreed plan and is held by people the plan names for that round; one in an
office is in the office's time zone; every candidate with an interview has a résumé (a small
real file the upload check accepts), so the interviewer's briefing page offers it.

Seeded once for the module and rolled back afterwards, like test_seed.py.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.demo.data import OFFICE_ZONES
from closeloop.demo.seed import demo_seed
from closeloop.interviews.models import Interview, InterviewStatus
from closeloop.lib.documents import document_text
from closeloop.lib.files import PDF, validate_resume
from closeloop.pipeline.models import Candidate


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        counts = demo_seed()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def interviews() -> list[Interview]:
    return list(
        Interview.objects.select_related("round", "application__job")
        .prefetch_related("interviewers", "round__interviewers")
        .exclude(status=InterviewStatus.CANCELLED)
    )


def test_every_interview_lasts_as_long_as_its_round_and_is_held_by_the_rounds_people(demo):
    rows = interviews()
    assert len(rows) > 50
    for interview in rows:
        assert interview.round is not None, interview.round_name
        minutes = (interview.ends_at - interview.starts_at).total_seconds() / 60
        assert minutes == interview.round.duration_minutes, interview.round_name
        panel = set(interview.interviewers.all())
        assert panel and panel <= set(interview.round.interviewers.all()), interview.round_name


def test_an_office_interview_is_in_the_offices_time_zone(demo):
    in_office = [i for i in interviews() if i.location.endswith(" office")]
    assert any(i.location == "Berlin office" for i in in_office)
    for interview in in_office:
        job = interview.application.job
        assert interview.location == f"{job.location} office"
        assert interview.time_zone == OFFICE_ZONES[job.location], interview.location


def test_every_candidate_on_a_job_has_a_resume_the_upload_check_accepts(demo):
    candidates = Candidate.objects.filter(applications__isnull=False).distinct()
    interviewed = candidates.filter(applications__interviews__isnull=False).distinct()
    assert interviewed.count() > 20 and candidates.count() > interviewed.count()
    for candidate in candidates:
        assert candidate.resume, candidate.full_name
        with candidate.resume.open("rb") as handle:
            content = handle.read()
        upload = SimpleUploadedFile(candidate.resume_filename, content)
        assert validate_resume(upload) == PDF
        assert candidate.full_name.encode() in content
        assert candidate.resume_filename.endswith(".pdf")


def test_the_resume_words_kept_for_search_are_what_the_pdf_says(demo):
    candidates = Candidate.objects.exclude(resume="").order_by("pk")[:5]
    for candidate in candidates:
        with candidate.resume.open("rb") as handle:
            read = document_text(handle, candidate.resume_filename)
        # The PDF's own words, as an upload would have stored them ("·" is "-" in the PDF).
        assert (
            read.replace("-", "").split()
            == candidate.resume_text.replace("-", "").replace("·", "").split()
        ), candidate.full_name


def test_ivys_briefing_page_offers_the_resume_and_it_downloads(demo, client):
    ivy = User.objects.get(email="ivy@example.com")
    upcoming = (
        Interview.objects.filter(
            interviewers=ivy, status=InterviewStatus.SCHEDULED, starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    client.force_login(ivy)
    page = client.get(reverse("interviews:interview-detail", args=[upcoming.pk]))
    assert "Download the résumé" in page.content.decode()
    candidate = upcoming.application.candidate
    download = client.get(reverse("pipeline:candidate-resume", args=[candidate.pk]))
    assert download.status_code == 200 and download["Content-Type"] == PDF
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
