"""A create form acts once however often it is sent: a double click on "Book" books one
interview (the panel gets one invitation), on "Create job" opens one job."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.urls import reverse

from closeloop.activity.models import FormReceipt
from closeloop.interviews.models import Interview
from closeloop.jobs.models import Job, JobStatus
from closeloop.notify.models import Message


def _receipt(html: str) -> str:
    return re.search(r'name="receipt" value="([^"]+)"', html).group(1)


def _booking(world, technical, receipt: str) -> dict:
    starts = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(hour=14, minute=0)
    return {
        "round": technical.pk, "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "time_zone": "UTC",
        "duration_minutes": 60, "interviewers": [world.ivy.pk], "location": "Room 1",
        "receipt": receipt,
    }  # fmt: skip


def test_booking_sent_twice_books_one_interview_and_invites_once(client, world, technical):
    client.force_login(world.rita)
    url = reverse("interviews:interview-book", args=[world.interviewed.pk])
    data = _booking(world, technical, _receipt(client.get(url).content.decode()))
    before, invitations = Interview.objects.count(), Message.objects.count()
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    sent = Message.objects.count() - invitations
    assert sent >= 1
    second = client.post(url, data, follow=True)
    assert Interview.objects.count() == before + 1
    assert Message.objects.count() - invitations == sent  # nobody invited twice
    assert "This interview was booked already; here it is." in second.content.decode()
    assert second.redirect_chain[-1][0] == first.url


def _job_form(world, receipt: str, **extra) -> dict:
    return {
        "title": "Site Reliability Engineer", "team": "Platform", "location": "Berlin",
        "headcount": "1", "status": JobStatus.OPEN, "recruiter": world.rita.pk,
        "hiring_manager": world.hank.pk, "escalation_contact": world.ada.pk,
        "receipt": receipt, **extra,
    }  # fmt: skip


def test_a_job_form_sent_twice_opens_one_job(client, world):
    client.force_login(world.rita)
    url = reverse("jobs:job-create")
    receipt = _receipt(client.get(url).content.decode())
    first = client.post(url, _job_form(world, receipt))
    second = client.post(url, _job_form(world, receipt))
    assert Job.objects.filter(title="Site Reliability Engineer").count() == 1
    assert second.status_code == 302 and second.url == first.url
    assert FormReceipt.objects.get(token=receipt).result_url == first.url


def test_a_refused_form_can_be_sent_again_with_its_token(client, world):
    client.force_login(world.rita)
    url = reverse("jobs:job-create")
    receipt = _receipt(client.get(url).content.decode())
    refused = client.post(url, _job_form(world, receipt, title=""))
    assert refused.status_code == 400
    assert not FormReceipt.objects.filter(token=receipt).exists()
    assert client.post(url, _job_form(world, receipt)).status_code == 302
    assert Job.objects.filter(title="Site Reliability Engineer").count() == 1


def test_the_same_job_opened_again_later_is_opened(client, world):
    """Identical fields count as a resend only within two minutes: later, a second job with
    the same details is deliberate and is opened."""
    client.force_login(world.rita)
    url = reverse("jobs:job-create")
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        client.post(url, _job_form(world, _receipt(client.get(url).content.decode())))
    with time_machine.travel(start + dt.timedelta(minutes=3), tick=False):
        client.post(url, _job_form(world, _receipt(client.get(url).content.decode())))
    assert Job.objects.filter(title="Site Reliability Engineer").count() == 2


def test_back_then_send_again_opens_one_job(client, world):
    """The browser rebuilds the page on Back (it is not cached: candidate data), so the form
    comes with a new token and the fields the person typed: still one job."""
    client.force_login(world.rita)
    url = reverse("jobs:job-create")
    first = client.post(url, _job_form(world, _receipt(client.get(url).content.decode())))
    again = client.post(
        url, _job_form(world, _receipt(client.get(url).content.decode())), follow=True
    )
    assert Job.objects.filter(title="Site Reliability Engineer").count() == 1
    assert again.redirect_chain[-1][0] == first.url
    assert "This job was opened already; here it is." in again.content.decode()


def test_two_different_jobs_in_a_row_are_both_opened(client, world):
    client.force_login(world.rita)
    url = reverse("jobs:job-create")
    for title in ("Site Reliability Engineer", "Platform Engineer"):
        client.post(url, _job_form(world, _receipt(client.get(url).content.decode()), title=title))
    assert (
        Job.objects.filter(title__in=["Site Reliability Engineer", "Platform Engineer"]).count()
        == 2
    )
