"""The touch-base page and its forms, for every persona (a guessed id answers 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.followups.models import Ask
from closeloop.touchbases.models import ActionItem, TouchbaseSeries, TouchbaseStatus

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
SEES = {"rita": 200, "hank": 200, "ada": 200, "ivy": 404, "olga": 404}


@pytest.mark.parametrize(("persona", "status"), SEES.items())
def test_the_page_is_for_the_hiring_team(world, current, login, persona, status):
    client = login(getattr(world, persona))
    response = client.get(reverse("touchbases:touchbase-detail", args=[current.pk]))
    assert response.status_code == status
    if status == 404:
        assert b"Backend Engineer" not in response.content


def test_a_guessed_id_is_404(world, current, login):
    client = login(world.rita)
    assert (
        client.get(reverse("touchbases:touchbase-detail", args=[current.pk + 99])).status_code
        == 404
    )


def test_the_page_shows_the_agenda_forms_and_history(world, current, login, submitted):
    page = login(world.rita).get(reverse("touchbases:touchbase-detail", args=[current.pk]))
    text = page.content.decode()
    assert "Decisions waiting" in text and "Carla Candidate: waiting for Hank" in text
    # Monday, the meeting is on Thursday: it can be skipped, not yet marked held.
    assert "Add an action item" in text and "Skip this one" in text
    assert "Mark held" not in text and "You can mark it held from" in text
    assert "Thu 26 Nov 14:00" in text


def test_the_escalation_contact_reads_but_does_not_run_it(world, current, client):
    world.job.escalation_contact = world.olga
    world.job.save()
    client.force_login(world.olga)
    text = client.get(reverse("touchbases:touchbase-detail", args=[current.pk])).content.decode()
    assert "Agenda" in text and "Add an action item" not in text and "Mark held" not in text
    response = client.post(reverse("touchbases:touchbase-notes", args=[current.pk]), {"notes": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize(("persona", "status"), [("hank", 302), ("ivy", 404), ("olga", 404)])
def test_saving_notes(world, current, login, persona, status):
    client = login(getattr(world, persona))
    response = client.post(
        reverse("touchbases:touchbase-notes", args=[current.pk]), {"notes": "<b>SRE</b> focus"}
    )
    assert response.status_code == status
    current.refresh_from_db()
    assert current.notes == ("<b>SRE</b> focus" if status == 302 else "")


def test_notes_are_escaped_when_shown(world, current, login):
    current.notes = "<script>alert(1)</script>"
    current.save()
    world.job.escalation_contact = world.olga
    world.job.save()
    text = login(world.olga).get(reverse("touchbases:touchbase-detail", args=[current.pk])).content
    assert b"<script>alert" not in text and b"&lt;script&gt;" in text


def test_a_save_from_a_page_opened_before_the_last_save_erases_nothing(world, current, login):
    """Hank opens the page, Rita saves; Hank's save is refused with Rita's notes shown above
    his text, and his next save (after putting them together) goes through."""
    import re

    from django.test import Client

    def seen_in(html: str) -> str:  # the hidden field has no value before any save
        return re.search(r'name="seen"(?: value="([^"]*)")?', html)[1] or ""

    url = reverse("touchbases:touchbase-notes", args=[current.pk])
    page = reverse("touchbases:touchbase-detail", args=[current.pk])
    hank = login(world.hank)
    seen = seen_in(hank.get(page).text)
    rita = Client()
    rita.force_login(world.rita)
    rita_seen = seen_in(rita.get(page).text)
    assert (
        rita.post(url, {"notes": "Rita: remote days by Thursday", "seen": rita_seen}).status_code
        == 302
    )
    refused = hank.post(url, {"notes": "Hank: review Pia on Monday", "seen": seen})
    assert refused.status_code == 400
    assert "The notes were saved again after you opened this page" in refused.text
    assert "Saved meanwhile:" in refused.text and "Rita: remote days by Thursday" in refused.text
    assert "Hank: review Pia on Monday</textarea>" in refused.text
    current.refresh_from_db()
    assert current.notes == "Rita: remote days by Thursday"
    merged = "Rita: remote days by Thursday\nHank: review Pia on Monday"
    again = seen_in(refused.text)
    assert hank.post(url, {"notes": merged, "seen": again}).status_code == 302
    current.refresh_from_db()
    assert current.notes == merged


def test_too_long_notes_are_refused_with_a_message(world, current, login):
    client = login(world.rita)
    url = reverse("touchbases:touchbase-notes", args=[current.pk])
    response = client.post(url, {"notes": "x" * 20_001})
    assert response.status_code == 400
    assert b"not saved" in response.content
    assert b"Saved meanwhile" not in response.content  # nobody saved since: no conflict
    current.refresh_from_db()
    assert current.notes == ""


def test_get_on_a_form_url_changes_nothing(world, current, login):
    client = login(world.rita)
    assert client.get(reverse("touchbases:touchbase-held", args=[current.pk])).status_code == 405


def test_adding_an_action_item(world, current, login):
    client = login(world.rita)
    url = reverse("touchbases:action-item-add", args=[current.pk])
    data = {"description": "Call the agency", "owner": world.hank.pk, "due_on": "2026-11-27"}
    assert client.post(url, data).status_code == 302
    item = ActionItem.objects.get()
    assert Ask.objects.filter(kind="action_item", subject=f"action:{item.pk}").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"description": "", "owner": "2", "due_on": "2026-11-27"},
        {"description": "x", "owner": "999", "due_on": "2026-11-27"},
        {"description": "x", "owner": "abc", "due_on": "2026-11-27"},
        {"description": "x", "owner": "2", "due_on": "yesterday"},
        {"description": "x", "owner": "2", "due_on": "2020-01-01"},
    ],
)
def test_a_bad_action_item_gets_a_message_and_changes_nothing(world, current, login, data):
    data = {**data, "owner": str(world.hank.pk) if data["owner"] == "2" else data["owner"]}
    response = login(world.rita).post(
        reverse("touchbases:action-item-add", args=[current.pk]), data
    )
    assert response.status_code == 400
    assert b"was not added" in response.content
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("ivy", 404), ("olga", 404)])
def test_others_cannot_add_action_items(world, current, login, persona, status):
    client = login(getattr(world, persona))
    data = {"description": "x", "owner": world.hank.pk, "due_on": "2026-11-27"}
    url = reverse("touchbases:action-item-add", args=[current.pk])
    assert client.post(url, data).status_code == status
    assert not ActionItem.objects.exists()


def test_mark_held_and_skip(world, current, login, clock):
    client = login(world.hank)
    early = client.post(reverse("touchbases:touchbase-held", args=[current.pk]), follow=True)
    assert (
        b"has not happened yet: it can be marked held from 12 hours before it starts."
        in early.content
    )
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=31))
    response = client.post(reverse("touchbases:touchbase-held", args=[current.pk]))
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.status == TouchbaseStatus.HELD
    again = client.post(reverse("touchbases:touchbase-skip", args=[current.pk]), {"reason": "x"})
    assert again.status_code == 400 and b"already held" in again.content


def test_skip_without_a_reason_is_refused(world, current, login):
    client = login(world.rita)
    response = client.post(reverse("touchbases:touchbase-skip", args=[current.pk]), {"reason": ""})
    assert response.status_code == 400
    current.refresh_from_db()
    assert current.status == TouchbaseStatus.PLANNED


@pytest.mark.parametrize(
    ("persona", "status"), [("rita", 302), ("ada", 302), ("ivy", 404), ("olga", 404)]
)
def test_this_weeks_touch_base_link(world, current, login, persona, status):
    response = login(getattr(world, persona)).get(
        reverse("touchbases:job-current", args=[world.job.pk])
    )
    assert response.status_code == status
    if status == 302:
        assert response.url == reverse("touchbases:touchbase-detail", args=[current.pk])


@pytest.mark.parametrize(("persona", "status"), SEES.items())
def test_the_series_downloads_as_a_calendar_file_for_the_hiring_team(
    world, current, login, persona, status
):
    client = login(getattr(world, persona))
    page = client.get(reverse("touchbases:touchbase-detail", args=[current.pk]))
    url = reverse("touchbases:series-ics", args=[world.job.pk])
    assert (url in page.content.decode()) is (status == 200)
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert 'filename="touch-base-backend-engineer.ics"' in response["Content-Disposition"]
        assert "METHOD:PUBLISH" in text and "RRULE:FREQ=WEEKLY" in text
        assert f"UID:{current.series.uid}" in text
        head = client.head(url)
        assert head.status_code == 200 and head["Content-Type"] == response["Content-Type"]


def test_no_calendar_file_without_a_series(world, login):
    response = login(world.rita).get(reverse("touchbases:series-ics", args=[world.job.pk]))
    assert response.status_code == 404


def test_this_weeks_link_without_a_series_goes_back_to_the_job(world, login):
    response = login(world.rita).get(reverse("touchbases:job-current", args=[world.job.pk]))
    assert response.url == reverse("jobs:job-detail", args=[world.job.pk])


@pytest.mark.parametrize(
    ("persona", "status"), [("rita", 302), ("ada", 302), ("hank", 403), ("ivy", 404), ("olga", 404)]
)
def test_setting_up_the_series(world, cadence, login, persona, status):
    response = login(getattr(world, persona)).post(
        reverse("touchbases:series-set-up", args=[world.job.pk])
    )
    assert response.status_code == status
    assert TouchbaseSeries.objects.exists() == (status == 302)


def test_setting_up_without_a_cadence_says_why(world, login):
    response = login(world.rita).post(
        reverse("touchbases:series-set-up", args=[world.job.pk]), follow=True
    )
    assert b"No touch-base cadence is agreed" in response.content
    assert not TouchbaseSeries.objects.exists()


def test_the_page_runs_the_same_number_of_queries_for_one_or_many_candidates(
    world, current, login, submitted
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from closeloop.pipeline.services import application_submit, candidate_add

    client = login(world.rita)
    url = reverse("touchbases:touchbase-detail", args=[current.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for name in ("Ann One", "Bob Two", "Cid Three"):
        added = candidate_add(
            job=world.job, by=world.rita, data={"full_name": name, "email": f"{name[:3]}@x.example"}
        ).application
        application_submit(application=added, by=world.rita, pitch="Strong", must_haves_met=[])
    assert count() == before
