"""The demo's pulses: history on every open job, one strained partnership on the agenda,
and an open round on *Senior Backend Engineer* with both invitations in the Outbox."""

from __future__ import annotations

from demo_fixtures import *  # noqa: F403  (the seeded demo: seeded, demo)

from closeloop.followups.models import Ask, AskStatus
from closeloop.jobs.models import Job, JobStatus
from closeloop.notify.models import Message
from closeloop.partnership.pulses.models import PulseRound
from closeloop.touchbases.models import TouchbaseSeries
from closeloop.touchbases.selectors import agenda_build, touchbase_current


def test_every_open_job_has_a_revealed_history(demo):
    for job in Job.objects.filter(status=JobStatus.OPEN):
        revealed = PulseRound.objects.filter(job=job, revealed_at__isnull=False)
        assert revealed.count() >= 3, job.title


def test_the_backend_round_is_open_and_both_invitations_are_in_the_outbox(demo):
    job = Job.objects.get(title="Senior Backend Engineer")
    live = PulseRound.objects.get(job=job, revealed_at__isnull=True)
    assert not live.answers.exists()
    asks = Ask.objects.filter(kind="answer_pulse", status=AskStatus.OPEN, job=job)
    assert {a.owner_id for a in asks} == {job.recruiter_id, job.hiring_manager_id}
    for person in (job.recruiter, job.hiring_manager):
        message = Message.objects.filter(recipient=person, body_text__contains="/act/").filter(
            body_text__icontains="your pulse on working with"
        )
        assert message.exists(), person


def test_the_strained_partnership_is_on_its_next_agenda_and_the_admins_heard(demo):
    job = Job.objects.get(title="Product Designer")
    current = touchbase_current(series=TouchbaseSeries.objects.get(job=job))
    section = next(s for s in agenda_build(touchbase=current)["sections"] if s["key"] == "pulse")
    assert any("Rita" in item["text"] for item in section["items"])
    assert Message.objects.filter(template="pulse-alert", data__job=job.pk).exists()
    calm = Job.objects.exclude(pk=job.pk).filter(status=JobStatus.OPEN)
    assert not PulseRound.objects.filter(job__in=calm).exclude(alerts=[]).exists()
