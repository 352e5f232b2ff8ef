"""Adding a candidate whose email is already on file reuses that record only for someone who
may already see it (an admin, a recruiter of one of its jobs). Anyone else is refused and
learns nothing of it: knowing an address must not open a record one cannot see."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from pipeline_helpers import PDF_BYTES, pdf_upload

from closeloop.accounts.models import User
from closeloop.activity.models import Activity
from closeloop.followups.models import Ask
from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_create
from closeloop.notify.models import Message
from closeloop.pipeline.models import Application, Candidate
from closeloop.pipeline.services import candidate_add

CARLA_DETAILS = {"phone": "+44 20 7946 0018", "expected_compensation": 123_456}


@pytest.fixture
def carla(world) -> Candidate:
    """Carla, on rita's Backend Engineer job, with details only her jobs' teams may read."""
    carla = world.interviewed.candidate
    Candidate.objects.filter(pk=carla.pk).update(**CARLA_DETAILS)
    carla.refresh_from_db()
    return carla


@pytest.fixture
def marcus(world):
    return User.objects.create_user(
        "marcus@example.com", "x", full_name="Marcus Webb", is_recruiter=True
    )


@pytest.fixture
def marcus_job(world, marcus):
    """A job Marcus recruits for; Carla is on none of his jobs."""
    return job_create(
        by=marcus,
        data={
            "title": "Account Executive",
            "status": JobStatus.OPEN,
            "recruiter": marcus,
            "hiring_manager": world.hank,
        },
    )


def written() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Candidate, Application, Activity, Ask, Message)
    )


def add_url(job) -> str:
    return reverse("pipeline:candidate-add", args=[job.pk])


def test_a_recruiter_who_cannot_see_the_record_is_refused_and_nothing_is_written(
    world, carla, marcus, marcus_job
):
    before = written()
    with pytest.raises(ValidationError, match="ask an admin \\(Ada Admin\\)") as refused:
        candidate_add(
            job=marcus_job,
            by=marcus,
            data={"full_name": "C Candidate", "email": "CARLA@cand.example", "phone": "+1 555"},
        )
    assert "Carla" not in " ".join(refused.value.messages)
    assert written() == before
    carla.refresh_from_db()
    assert (carla.phone, carla.full_name) == (CARLA_DETAILS["phone"], "Carla Candidate")
    assert not carla.activities.filter(kind="closeloop.candidate.merged").exists()


def test_the_add_page_refuses_him_and_shows_nothing_of_the_record(
    world, carla, marcus, marcus_job, login
):
    before = written()
    response = login(marcus).post(
        add_url(marcus_job),
        {"full_name": "C Candidate", "email": "carla@CAND.example", "source": "referral"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "already a candidate" in body
    assert "Ada Admin" in body
    # Her pay as any page writes it (a bare "123" also turns up in a random CSRF token).
    for shown in (
        "Carla Candidate",
        CARLA_DETAILS["phone"],
        "123,456",
        "123456",
        "Backend Engineer",
    ):
        assert shown not in body
    assert reverse("pipeline:candidate-detail", args=[carla.pk]) not in body
    assert written() == before
    assert login(marcus).get(reverse("pipeline:candidate-detail", args=[carla.pk])).status_code == (
        404
    )


def test_a_recruiter_who_sees_the_record_reuses_it(world, carla):
    second = job_create(
        by=world.rita,
        data={
            "title": "Platform Lead",
            "status": JobStatus.OPEN,
            "recruiter": world.rita,
            "hiring_manager": world.hank,
        },
    )
    added = candidate_add(
        job=second,
        by=world.rita,
        data={"full_name": "Carla Candidate", "email": "CARLA@cand.example"},
    )
    assert added.merged
    assert added.application.candidate == carla
    assert added.name_typed == ""  # the name on file is the one typed
    assert carla.activities.filter(kind="closeloop.candidate.merged").exists()


def test_an_admin_reuses_any_record_and_is_told_the_name_typed_differs(world, carla, login):
    response = login(world.ada).post(
        add_url(world.other_job),
        {"full_name": "C. Candidate", "email": "carla@cand.example", "source": "referral"},
        follow=True,
    )
    application = carla.applications.get(job=world.other_job)
    assert response.redirect_chain[-1][0] == reverse(
        "pipeline:application-detail", args=[application.pk]
    )
    body = response.content.decode()
    assert "Matched existing candidate Carla Candidate by email" in body
    assert "C. Candidate" in body  # the name typed is said, not dropped silently
    carla.refresh_from_db()
    assert carla.full_name == "Carla Candidate"


def test_the_refusal_names_a_few_admins_and_points_past_them(world, carla, marcus, marcus_job):
    for name in ("Bea Boss", "Cy Chief", "Di Director"):
        first = name.split()[0].lower()
        User.objects.create_user(f"{first}@example.com", "x", full_name=name, is_admin=True)
    with pytest.raises(ValidationError) as refused:
        candidate_add(
            job=marcus_job, by=marcus, data={"full_name": "C", "email": "carla@cand.example"}
        )
    assert "ask an admin (Ada Admin, Bea Boss, Cy Chief or another admin)" in str(refused.value)


def test_a_matched_record_keeps_its_resume_and_the_page_says_so(world, carla, login, media_root):
    """A record's details on file are kept, its résumé too: the one uploaded with the add
    neither replaces it silently nor leaves a file behind; the page says which one stays."""
    carla.resume.save("stored.pdf", ContentFile(PDF_BYTES), save=False)
    carla.resume_filename = "Carla_CV.pdf"
    carla.save(update_fields=["resume", "resume_filename"])
    stored = carla.resume.name
    response = login(world.ada).post(
        add_url(world.other_job),
        {
            "full_name": "Carla Candidate",
            "email": "carla@cand.example",
            "source": "referral",
            "resume": pdf_upload("Newer CV.pdf"),
        },
        follow=True,
    )
    assert carla.applications.filter(job=world.other_job).exists()
    carla.refresh_from_db()
    assert (carla.resume.name, carla.resume_filename) == (stored, "Carla_CV.pdf")
    assert sorted(path.name for path in (media_root / "resumes").iterdir()) == [
        stored.split("/")[-1]
    ]
    body = response.content.decode()
    assert "The résumé on file (“Carla_CV.pdf”) was kept, not the one uploaded" in body


def test_a_recruiter_who_only_interviews_her_is_refused_too(world, carla, marcus, marcus_job):
    """Marcus sits on Carla's interview panel, so he reads her record, but not her expected
    pay: adding her to a job of his own would open it to him. He is refused as a stranger."""
    interview = world.interviewed.interviews.get()
    interview.interviewers.add(marcus)  # a seat on her panel (m2m signal)
    before = written()
    with pytest.raises(ValidationError, match="whose hiring team you are not on"):
        candidate_add(
            job=marcus_job,
            by=marcus,
            data={"full_name": "Carla Candidate", "email": "carla@cand.example"},
        )
    assert written() == before
