"""The job page lists the soonest interviews of the next seven days and links the job's
interviews page, which lists them all a page at a time, each person seeing the ones they may."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.interviews.models import Interview, InterviewStatus
from closeloop.interviews.selectors import JOB_PANEL_INTERVIEWS, interviews_this_week
from closeloop.pipeline.models import Application

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def interview(application: Application, starts_at: dt.datetime, *panel, **extra) -> Interview:
    made = Interview.objects.create(
        application=application,
        round_name=extra.pop("round_name", "Technical"),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        **extra,
    )
    made.interviewers.add(*panel)
    return made


@pytest.fixture
def week(world):
    """56 interviews of the job in the next seven days (the world's own with ivy, 30 more
    with ivy, 25 with hank alone), and three that are not in the week: after it, cancelled,
    and over already."""
    for hour in range(1, 31):
        interview(world.sourced, MONDAY_10 + dt.timedelta(hours=hour * 5), world.ivy)
    for hour in range(1, 26):
        interview(world.sourced, MONDAY_10 + dt.timedelta(hours=hour * 5, minutes=30), world.hank)
    interview(world.sourced, MONDAY_10 + dt.timedelta(days=8), world.ivy)
    cancelled = interview(world.sourced, MONDAY_10 + dt.timedelta(hours=2), world.ivy)
    Interview.objects.filter(pk=cancelled.pk).update(status=InterviewStatus.CANCELLED)
    interview(world.sourced, MONDAY_10 - dt.timedelta(hours=3), world.ivy)
    return Interview.objects.filter(
        application__job=world.job,
        status=InterviewStatus.SCHEDULED,
        ends_at__gte=MONDAY_10,
        starts_at__lt=MONDAY_10 + dt.timedelta(days=7),
    ).order_by("starts_at", "pk")


def test_the_panel_holds_the_soonest_ten_and_counts_them_all(world, week):
    shown = interviews_this_week(user=world.rita, job=world.job)
    assert [i.pk for i in shown.rows] == [i.pk for i in week[:JOB_PANEL_INTERVIEWS]]
    assert (shown.total, shown.hidden) == (56, 46)
    mine = interviews_this_week(user=world.ivy, job=world.job)
    assert mine.total == 31  # the world's own and the 30 she sits on
    assert all(world.ivy in i.interviewers.all() for i in mine.rows)


def test_a_week_under_ten_is_counted_without_a_second_query(world, django_assert_num_queries):
    with django_assert_num_queries(2):  # the interviews and their interviewers
        shown = interviews_this_week(user=world.rita, job=world.job)
    assert (shown.total, shown.hidden) == (1, 0)


def test_the_job_page_links_the_rest_and_the_interviews_page_pages_them(world, week, login):
    client = login(world.rita)
    job_page = client.get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    link = reverse("interviews:job-interviews", args=[world.job.pk])
    assert f'href="{link}">All 56 interviews in the next 7 days</a>' in job_page
    assert job_page.count('class="iv-item"') == JOB_PANEL_INTERVIEWS

    first = client.get(link)
    assert first.status_code == 200
    body = first.content.decode()
    assert body.count('class="iv-item"') == 50
    assert "Page 1 of 2" in body and "56 interviews" in body
    second = client.get(link, {"page": 2}).content.decode()
    assert second.count('class="iv-item"') == 6
    last_pk = week.last().pk
    assert reverse("interviews:interview-detail", args=[last_pk]) in second


def test_an_interviewer_sees_only_hers_and_an_outsider_nothing(world, week, client, login):
    link = reverse("interviews:job-interviews", args=[world.job.pk])
    assert client.get(link).status_code == 302  # to the sign-in page
    body = login(world.ivy).get(link).content.decode()
    assert body.count('class="iv-item"') == 31
    for other in week.exclude(interviewers=world.ivy):
        assert reverse("interviews:interview-detail", args=[other.pk]) not in body
    assert login(world.olga).get(link).status_code == 404
    # The hiring manager sees them all; a page that is not a page is the first one.
    assert login(world.hank).get(link, {"page": "x"}).content.decode().count("iv-item") == 50


def test_a_week_without_interviews_says_so(world, login):
    Interview.objects.all().delete()
    body = login(world.rita).get(reverse("interviews:job-interviews", args=[world.job.pk]))
    assert "No interviews in the next 7 days." in body.content.decode()
