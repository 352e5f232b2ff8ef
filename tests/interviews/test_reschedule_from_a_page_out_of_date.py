"""Rescheduling from a tab opened before someone else moved the interview
(`interviews:interview-reschedule`): refused, the interview stays where it was moved, and
nobody gets another invitation (closeloop.lib.seen)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from closeloop.notify.models import Message
from page_forms import changed, page_form


def test_a_stale_tab_does_not_move_the_interview_back_nor_invite_anyone(world, interview, login):
    """A moves the interview to Tuesday; B, opened before, changes only the video link: B is
    refused, the interview stays on Tuesday, the panel gets no second invitation, and B's
    form now holds Tuesday beside the link B typed."""
    page = reverse("interviews:interview-detail", args=[interview.pk])
    action = reverse("interviews:interview-reschedule", args=[interview.pk])
    rita = login(world.rita)
    hank = Client()
    hank.force_login(world.hank)
    tab_a = page_form(rita.get(page).text, action)
    tab_b = page_form(hank.get(page).text, action)
    assert tab_b["starts_at"] == ["2026-11-23T14:00"]
    moved = rita.post(action, changed(tab_a, starts_at="2026-11-24T09:00"))
    assert moved.status_code == 302
    sent = Message.objects.count()
    interview.refresh_from_db()
    sequence = interview.sequence

    refused = hank.post(action, changed(tab_b, video_url="https://meet.example/carla"))

    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Someone saved changes to this interview since you opened the page: start." in text
    assert "Nothing was changed and nobody was sent anything" in text
    assert text.count("Someone saved changes") == 1  # said once
    interview.refresh_from_db()
    assert interview.starts_at == dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    assert (interview.video_url, interview.sequence) == ("", sequence)
    assert Message.objects.count() == sent
    again = page_form(text, action)
    assert again["starts_at"] == ["2026-11-24T09:00"]
    assert again["video_url"] == ["https://meet.example/carla"]

    assert hank.post(action, again).status_code == 302
    interview.refresh_from_db()
    assert interview.starts_at == dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    assert interview.video_url == "https://meet.example/carla"


def test_a_panel_changed_since_is_named_and_kept(world, interview, jonas, login):
    page = reverse("interviews:interview-detail", args=[interview.pk])
    action = reverse("interviews:interview-reschedule", args=[interview.pk])
    client = login(world.rita)
    tab_a = page_form(client.get(page).text, action)
    tab_b = page_form(client.get(page).text, action)
    assert client.post(action, changed(tab_a, interviewers=[str(world.ivy.pk)])).status_code == 302

    refused = client.post(action, changed(tab_b, notes="Ask about on-call."))

    assert refused.status_code == 400
    assert "since you opened the page: panel." in refused.content.decode()
    assert set(interview.interviewers.all()) == {world.ivy}


def test_a_stale_tab_does_not_cancel_an_interview_moved_since(world, interview, login):
    """A moves the interview to Tuesday; B, whose page still shows Monday, cancels it: B is
    refused (B decided on Monday's interview), nothing is sent, the page lists the new start
    above the cancel form with B's reason kept, and cancelling from it goes through."""
    from closeloop.interviews.models import InterviewStatus

    page = reverse("interviews:interview-detail", args=[interview.pk])
    move = reverse("interviews:interview-reschedule", args=[interview.pk])
    cancel = reverse("interviews:interview-cancel", args=[interview.pk])
    rita = login(world.rita)
    hank = Client()
    hank.force_login(world.hank)
    tab_a = page_form(rita.get(page).text, move)
    tab_b = page_form(hank.get(page).text, cancel)
    assert rita.post(move, changed(tab_a, starts_at="2026-11-24T09:00")).status_code == 302
    sent = Message.objects.count()

    refused = hank.post(cancel, changed(tab_b, reason="The candidate cannot make Monday."))

    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Someone saved changes to this interview since you opened the page: start." in text
    assert "Nothing was cancelled and nobody was sent anything" in text
    assert "Saved since you opened the page:" in text
    assert text.count("Someone saved changes") == 1  # said once
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.SCHEDULED
    assert Message.objects.count() == sent
    again = page_form(text, cancel)
    assert again["reason"] == ["The candidate cannot make Monday."]
    assert again["seen"] != tab_b["seen"]

    assert hank.post(cancel, again).status_code == 302
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED


def test_a_cancellation_from_an_up_to_date_page_goes_through(world, interview, login):
    from closeloop.interviews.models import InterviewStatus

    page = reverse("interviews:interview-detail", args=[interview.pk])
    cancel = reverse("interviews:interview-cancel", args=[interview.pk])
    client = login(world.rita)
    fields = page_form(client.get(page).text, cancel)
    assert client.post(cancel, changed(fields, reason="Role paused.")).status_code == 302
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED
