"""Erasing a candidate leaves no trace of them: after a realistic life (a résumé, a pitch, a
question, a decision, an interview with its invitation and scorecard, a debrief, touch-base
notes, messages sent through the outbox, an admin-history line, logs), every text column of
every table, every file under the upload folder and every captured log line is searched for
their name, email and phone: 0 hits. The anonymous rows that metrics count stay."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

NAME = "Zebedee Quillfeather"
EMAIL = "zebedee.quillfeather@mail.example"
PHONE = "+44 7700 900417"
NEEDLES = [NAME, EMAIL, PHONE, "447700900417", "Quillfeather"]


def _resume() -> SimpleUploadedFile:
    body = f"%PDF-1.4\n% {NAME} {EMAIL} {PHONE}\n1 0 obj << >> endobj\n%%EOF\n".encode()
    return SimpleUploadedFile("Zebedee Quillfeather CV.pdf", body, "application/pdf")


def _text_columns(model: type[models.Model]) -> list[str]:
    kinds = (models.CharField, models.TextField, models.JSONField, models.FileField)
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]


def database_hits() -> list[str]:
    """Every text, JSON and file column of every table, read whole and searched here."""
    hits = []
    for model in apps.get_models(include_auto_created=True):
        columns = _text_columns(model)
        if not columns:
            continue
        for row in model._base_manager.values_list("pk", *columns):
            for column, value in zip(columns, row[1:], strict=True):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                # An .ics attachment folds its lines at 75 octets: read it unfolded too.
                text = f"{text} {text.replace(chr(92) + 'r' + chr(92) + 'n ', '')}"
                for needle in NEEDLES:
                    if needle.lower() in (text or "").lower():
                        hits.append(f"{model._meta.label}.{column} #{row[0]}: {needle}")
    return hits


def file_hits(root: Path) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            content = path.read_bytes().lower()
            for needle in NEEDLES:
                if needle.lower().encode() in content or needle.lower() in str(path).lower():
                    hits.append(f"{path}: {needle}")
    return hits


@pytest.fixture
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def live_a_life(world, clock):
    """Zebedee goes through the process; everything that happens is stored somewhere."""
    from closeloop.comments import selectors as comments_selectors
    from closeloop.comments import services as comments_services
    from closeloop.followups.engine import asks_advance, notices_compose
    from closeloop.intake.models import IntakeVersion
    from closeloop.interviews.models import Debrief, DebriefOpenedBecause, Interview, Scorecard
    from closeloop.interviews.services.booking import Slot, interview_book
    from closeloop.notify.outbox import deliver_due
    from closeloop.pipeline import services
    from closeloop.touchbases.models import ActionItem, Touchbase, TouchbaseSeries

    added = services.candidate_add(
        job=world.job,
        by=world.rita,
        data={
            "full_name": NAME,
            "email": EMAIL,
            "phone": PHONE,
            "links": "https://profiles.example/quillfeather",
            "current_company": "Quillfeather & Sons",
        },
        resume=_resume(),
    )
    application = added.application
    submission = services.application_submit(
        application=application,
        by=world.rita,
        pitch=f"{NAME} ran payments at scale; reach him on {PHONE} or {EMAIL}.",
    )
    question = services.submission_ask_question(
        submission=submission, by=world.hank, text=f"Is {NAME} open to on-call?"
    )
    services.question_answer(
        question=question, by=world.rita, answer=f"Yes, {NAME} said so on 447700900417."
    )
    services.submission_decide(
        submission=submission,
        by=world.hank,
        decision="advanced",
        note=f"Meet {NAME}.",
        calibration=services.Calibration(4, (), f"{NAME} is exactly what we need."),
    )
    start = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)
    interview = interview_book(
        application=application,
        by=world.rita,
        round=None,
        round_name="Technical",
        slot=Slot(start, "UTC", [world.ivy], notes=f"Probe {NAME}'s design work."),
    )
    # The meeting link a coordinator named after the candidate, and a note in the job's
    # agreement that cites them.
    Interview.objects.filter(pk=interview.pk).update(
        video_url=f"https://meet.example/{NAME.replace(' ', '-')}"
    )
    IntakeVersion.objects.create(
        job=world.job, number=99, title=world.job.title, notes=f"Someone like {NAME}, please."
    )
    Scorecard.objects.create(
        interview=interview,
        interviewer=world.ivy,
        status="submitted",
        recommendation="yes",
        notes=f"<p>{NAME} was strong on Postgres.</p>",
        submitted_at=start + dt.timedelta(hours=2),
    )
    Debrief.objects.create(
        application=application,
        round_name="Technical",
        opened_because=DebriefOpenedBecause.values[0],
        last_interview_ended_at=start + dt.timedelta(hours=1),
        rationale=f"We liked {NAME}.",
    )
    series = TouchbaseSeries.objects.create(
        job=world.job,
        recruiter=world.rita,
        hiring_manager=world.hank,
        weekday=0,
        start_time=dt.time(9),
        first_at=start,
        uid="tb-privacy@closeloop",
    )
    meeting = Touchbase.objects.create(
        series=series,
        job=world.job,
        scheduled_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        notes=f"Chase {NAME}'s references.",
        agenda={"candidates": [{"name": NAME, "application": application.pk}]},
    )
    ActionItem.objects.create(
        touchbase=meeting,
        job=world.job,
        description=f"Call {NAME} back",
        owner=world.rita,
        due_on=start.date(),
        due_at=start,
    )
    LogEntry.objects.create(
        user=world.ada,
        content_type=ContentType.objects.get_for_model(type(added.application.candidate)),
        object_id=str(added.application.candidate.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message=f"Changed {EMAIL}",
    )
    # Comments: on the application and the candidate (about them alone), and on the job
    # (about the search), each naming them; the mention sends hank a message quoting it.
    comment_on = comments_selectors.comment_subject_of
    comments_services.comment_add(
        subject=comment_on(application), by=world.rita, body=f"@hank {NAME} said {PHONE} works."
    )
    comments_services.comment_add(
        subject=comment_on(application.candidate), by=world.rita, body=f"Keep {EMAIL} on file."
    )
    comments_services.comment_add(
        subject=comment_on(world.job), by=world.hank, body=f"More like {NAME}, @rita."
    )
    # Time passes: asks climb their ladders, nudges are composed, the outbox delivers.
    clock.move_to(start + dt.timedelta(days=3))
    asks_advance()
    notices_compose()
    deliver_due(worker="test")
    assert Interview.objects.filter(application=application).exists()
    return application


def test_erasing_leaves_no_trace_in_the_database_the_uploads_or_the_logs(
    world, clock, uploads, login, caplog, django_capture_on_commit_callbacks
):
    from closeloop.activity.models import Activity
    from closeloop.followups.models import Ask, AskStatus
    from closeloop.notify.models import Message
    from closeloop.pipeline.models import Application, Candidate, StageChange

    caplog.set_level(logging.DEBUG)
    application = live_a_life(world, clock)
    candidate = application.candidate
    # The life left traces everywhere the test searches (else 0 hits would prove nothing).
    found = database_hits()
    for table in (
        "pipeline.Candidate",
        "pipeline.Submission",
        "notify.Message",
        "comments.Comment",
    ):
        assert any(hit.startswith(table) for hit in found), table
    assert any(hit.startswith("activity.Activity") for hit in found)
    assert any(hit.startswith("interviews.Scorecard") for hit in found)
    assert any("attachments" in hit for hit in found)  # the interview's .ics
    assert file_hits(uploads)
    counts = (
        Application.objects.count(),
        StageChange.objects.count(),
        Ask.objects.count(),
        Message.objects.count(),
        Activity.objects.count(),
    )
    assert Ask.objects.filter(application=application, status=AskStatus.OPEN).exists()

    client = login(world.ada)
    page = client.get(f"/candidates/{candidate.pk}/erase/")
    assert page.status_code == 200
    assert "cannot be undone" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/candidates/{candidate.pk}/erase/",
            {"reason": f"Erasure request from {NAME} by email", "confirm": "on"},
        )
    assert response.status_code == 302

    assert database_hits() == []
    assert file_hits(uploads) == []
    logged = caplog.text + "".join(record.getMessage() for record in caplog.records)
    assert [needle for needle in NEEDLES if needle.lower() in logged.lower()] == []

    # The anonymous rows stay, so the counts and metrics add up (the open application was
    # withdrawn first, which adds its stage change, events and call-off messages).
    after = (
        Application.objects.count(),
        StageChange.objects.count(),
        Ask.objects.count(),
        Message.objects.count(),
        Activity.objects.count(),
    )
    assert after[0] == counts[0]
    assert all(now >= before for now, before in zip(after, counts, strict=True))
    application.refresh_from_db()
    assert (application.status, application.closed_reason) == ("withdrawn", "erased")
    assert application.stage_changes.order_by("at", "pk").last().reason == "erased"
    candidate = Candidate.objects.get(pk=candidate.pk)
    assert candidate.full_name == f"Erased candidate #{candidate.pk}"
    assert candidate.erased_at is not None
    assert not Ask.objects.filter(application=application, status=AskStatus.OPEN).exists()
    erased = Activity.objects.get(kind="closeloop.candidate.erased")
    assert erased.actor == world.ada
    assert (
        erased.data["reason"] == f"Erasure request from Erased candidate #{candidate.pk} by email"
    )
    # Comments about them are gone; the job's comment stays, without their name.
    from closeloop.comments.models import Comment

    assert list(Comment.objects.values_list("body", flat=True)) == [
        f"More like Erased candidate #{candidate.pk}, @rita."
    ]
    # The candidate's page still opens, anonymous.
    assert client.get(f"/candidates/{candidate.pk}/").status_code == 200


def test_a_merged_duplicates_resume_leaves_no_file_behind(
    world, uploads, django_capture_on_commit_callbacks
):
    """Merging into a record that has its own résumé deletes the duplicate's file (nothing
    would point at it, so erasing the person could never find it)."""
    from closeloop.pipeline.models import Application, Candidate
    from closeloop.pipeline.services import candidate_merge

    def with_resume(name: str, job) -> Candidate:
        candidate = Candidate.objects.create(full_name=name, resume=_resume())
        Application.objects.create(
            candidate=candidate, job=job, stage=job.stages.order_by("position").first()
        )
        return candidate

    keep = with_resume("Zebedee Q.", world.job)
    duplicate = with_resume(NAME, world.other_job)
    assert len(list(uploads.rglob("*.pdf"))) == 2
    with django_capture_on_commit_callbacks(execute=True):
        candidate_merge(keep=keep, duplicate=duplicate, by=world.ada)
    assert [path.name for path in uploads.rglob("*.pdf")] == [Path(keep.resume.name).name]


def test_erasing_one_person_leaves_another_of_the_same_name_alone(world, uploads):
    """Two records, two people, one full name: erasing one leaves the other's events,
    asks, interview notes and comments as they were (shared names are common)."""
    from closeloop.activity.models import Activity
    from closeloop.comments.models import Comment
    from closeloop.followups.models import Ask
    from closeloop.interviews.models import Interview
    from closeloop.pipeline.models import Application, Candidate
    from closeloop.pipeline.privacy import candidate_erase

    def person(job) -> Application:
        candidate = Candidate.objects.create(full_name=NAME)
        return Application.objects.create(
            candidate=candidate, job=job, stage=job.stages.order_by("position").first()
        )

    leaving, staying = person(world.job), person(world.other_job)
    for application in (leaving, staying):
        Activity.objects.create(
            kind="closeloop.application.added", summary=f"Rita added {NAME}",
            job=application.job, candidate=application.candidate, application=application,
        )  # fmt: skip
        Ask.objects.create(
            kind="update_candidate", subject=f"application:{application.pk}",
            title=f"Give {NAME} news", owner=world.rita, job=application.job,
            application=application, due_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        )  # fmt: skip
        Interview.objects.create(
            application=application, round_name="Technical", notes=f"{NAME} prefers mornings",
            starts_at=dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC),
            ends_at=dt.datetime(2026, 12, 1, 11, tzinfo=dt.UTC), time_zone="UTC",
        )  # fmt: skip
        Comment.objects.create(
            author=world.rita, application=application, body=f"{NAME} looks strong"
        )
    candidate_erase(candidate=leaving.candidate, by=world.ada, reason="Asked to be forgotten")
    assert Activity.objects.get(application=staying).summary == f"Rita added {NAME}"
    assert Ask.objects.get(application=staying).title == f"Give {NAME} news"
    assert Interview.objects.get(application=staying).notes == f"{NAME} prefers mornings"
    assert Comment.objects.get(application=staying).body == f"{NAME} looks strong"
    # The one erased is gone from its own rows.
    assert not [a for a in Activity.objects.filter(application=leaving) if NAME in a.summary]
    assert not [a for a in Ask.objects.filter(application=leaving) if NAME in a.title]
