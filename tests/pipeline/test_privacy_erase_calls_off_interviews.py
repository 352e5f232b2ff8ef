"""Erasing a candidate with an interview still booked calls it off, as any withdrawal does,
and the cancellation keeps its calendar file: without it the event would stay in the
interviewers' calendars, under the erased person's name. The file keeps what calendars need
to take the event out and nothing of the person."""

from __future__ import annotations

from closeloop.interviews.models import Interview
from closeloop.notify.models import Message
from closeloop.pipeline.models import Candidate
from closeloop.pipeline.privacy import candidate_erase


def _unfolded(text: str) -> str:
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def test_the_cancellation_an_erasure_sends_keeps_its_calendar_without_the_name(world):
    interview = Interview.objects.get(application=world.interviewed)
    Interview.objects.filter(pk=interview.pk).update(
        notes="Carla Candidate prefers mornings", video_url="https://meet.example/carla"
    )
    carla = world.interviewed.candidate

    candidate_erase(candidate=carla, by=world.ada, reason="Asked to be forgotten")

    [cancelled] = Message.objects.filter(recipient=world.ivy, template="interview-cancelled")
    [calendar] = cancelled.attachments
    assert calendar["content_type"] == "text/calendar; method=CANCEL"
    content = _unfolded(calendar["content"])
    assert "METHOD:CANCEL" in content
    assert f"UID:{interview.uid}" in content
    assert "SEQUENCE:" in content and "STATUS:CANCELLED" in content
    assert f"SUMMARY:Interview: Erased candidate #{carla.pk} · Technical" in content
    for gone in ["Carla", "mornings", "meet.example"]:
        assert gone not in content
    assert "Carla" not in cancelled.body_text
    assert Candidate.objects.get(pk=carla.pk).erased_at is not None
