"""Every interview and debrief view, for each persona: who may read, who may act, and
guessed ids answer 404 with nothing leaked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from interview_helpers import end

from closeloop.interviews.models import Interview

READ_INTERVIEW = {"rita": 200, "hank": 200, "ivy": 200, "olga": 404, "ada": 200}
BOOK = {"rita": 200, "hank": 200, "ivy": 403, "olga": 404, "ada": 200}
READ_DEBRIEF = {"rita": 200, "hank": 200, "ivy": 200, "olga": 404, "ada": 200}


@pytest.mark.parametrize(("persona", "status"), BOOK.items())
def test_who_may_open_the_booking_page(client, world, technical, persona, status):
    client.force_login(getattr(world, persona))
    response = client.get(reverse("interviews:interview-book", args=[world.interviewed.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Technical" in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), READ_INTERVIEW.items())
def test_who_may_read_the_briefing(client, world, interview, persona, status):
    client.force_login(getattr(world, persona))
    response = client.get(reverse("interviews:interview-detail", args=[interview.pk]))
    assert response.status_code == status
    if status == 404:
        assert "Carla" not in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), READ_DEBRIEF.items())
def test_who_may_read_the_debrief(client, world, debrief, persona, status):
    client.force_login(getattr(world, persona))
    response = client.get(reverse("interviews:debrief-detail", args=[debrief.pk]))
    assert response.status_code == status
    if status == 404:
        assert "Carla" not in response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["interview-detail", "interview-ics", "debrief-detail", "debrief-ics"],
)
def test_guessed_ids_answer_404(client, world, name):
    client.force_login(world.ada)
    assert client.get(reverse(f"interviews:{name}", args=[987654])).status_code == 404


def test_the_sourced_candidate_is_not_bookable_by_ivy_nor_visible(client, world, technical):
    client.force_login(world.ivy)
    url = reverse("interviews:interview-book", args=[world.sourced.pk])
    assert client.get(url).status_code == 404


# ivy sees Carla (she interviews her) but may not book: 403; olga cannot see her at all: 404.
@pytest.mark.parametrize(("persona", "status"), [("ivy", 403), ("olga", 404)])
def test_only_the_hiring_team_books_and_nothing_changes_otherwise(
    client, world, technical, persona, status
):
    client.force_login(getattr(world, persona))
    before = Interview.objects.count()
    response = client.post(
        reverse("interviews:interview-book", args=[world.interviewed.pk]),
        {"round": technical.pk, "starts_at": "2026-11-25T14:00", "time_zone": "UTC",
         "interviewers": [world.ivy.pk], "location": "Room 1"},
    )  # fmt: skip
    assert response.status_code == status
    assert Interview.objects.count() == before


@pytest.mark.parametrize(("persona", "status"), [("ivy", 403), ("olga", 404), ("rita", 403)])
def test_only_the_hiring_manager_decides(client, world, debrief, persona, status):
    client.force_login(getattr(world, persona))
    response = client.post(
        reverse("interviews:debrief-decide", args=[debrief.pk]),
        {"decision": "hold", "rationale": "Wait."},
    )
    assert response.status_code == status
    debrief.refresh_from_db()
    assert debrief.decision == ""


@pytest.mark.parametrize(
    ("persona", "status"), [("rita", 403), ("hank", 403), ("olga", 404), ("ada", 403)]
)
def test_only_the_panel_writes_scorecards(client, world, interview, persona, status, clock):
    end(clock, interview)
    client.force_login(getattr(world, persona))
    response = client.post(
        reverse("interviews:interview-scorecard", args=[interview.pk]),
        {"recommendation": "yes", "action": "submit"},
    )
    assert response.status_code == status
    assert not interview.scorecards.exists()


@pytest.mark.parametrize(("persona", "status"), [("ivy", 403), ("olga", 404)])
def test_only_the_hiring_team_reschedules_or_cancels(client, world, interview, persona, status):
    client.force_login(getattr(world, persona))
    for name in ("interview-reschedule", "interview-cancel"):
        response = client.post(reverse(f"interviews:{name}", args=[interview.pk]), {"reason": "x"})
        assert response.status_code == status, name
    interview.refresh_from_db()
    assert interview.is_scheduled and interview.sequence == 0


def test_hank_books_through_the_form_with_the_round_defaults(client, world, technical, jonas):
    client.force_login(world.hank)
    url = reverse("interviews:interview-book", args=[world.interviewed.pk])
    page = client.get(url).content.decode()
    assert "Probe: Python, System design." in page  # notes prefilled from the round
    response = client.post(
        url,
        {"round": technical.pk, "starts_at": "2026-11-25T14:00", "time_zone": "Europe/Berlin",
         "interviewers": [world.ivy.pk, jonas.pk], "video_url": "https://meet.example/x"},
    )  # fmt: skip
    interview = Interview.objects.get(round=technical)
    assert response.status_code == 302
    assert interview.starts_at == dt.datetime(2026, 11, 25, 13, 0, tzinfo=dt.UTC)
    assert interview.ends_at - interview.starts_at == dt.timedelta(minutes=60)
    assert interview.booked_by == world.hank


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"starts_at": "2026-11-20T14:00"}, "Pick a start time in the future"),
        ({"starts_at": "tomorrow"}, "Enter a valid date and time"),
        # The ends of the calendar overflow once a zone or a length is added: refused, no 500.
        ({"starts_at": "9999-12-31T23:59", "time_zone": "America/New_York"}, "Enter a valid date"),
        ({"starts_at": "9999-12-31T23:00"}, "at most two years ahead"),
        ({"starts_at": "9999-12-31T20:00", "time_zone": "Pacific/Kiritimati"}, "two years"),
        ({"starts_at": "0001-01-01T00:00", "time_zone": "Asia/Tokyo"}, "Enter a valid date"),
        ({"starts_at": "1999-12-31T23:00"}, "from the year 2000 on"),
        ({"starts_at": "2029-01-01T10:00"}, "at most two years ahead"),
        # Skipped when the clocks go forward: it would be booked as another time.
        ({"starts_at": "2027-03-28T02:30", "time_zone": "Europe/Berlin"}, "does not exist on"),
        ({"interviewers": []}, "Choose at least one interviewer"),
        ({"location": "", "video_url": ""}, "Give a location or a video link"),
        ({"video_url": "javascript:alert(1)", "location": ""}, "starting with https://"),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice"),
        ({"duration_minutes": "9999"}, "less than or equal to 480"),
    ],
)
def test_bad_booking_input_gets_a_clear_message_and_books_nothing(
    client, world, technical, data, message
):
    client.force_login(world.rita)
    form = {"round": technical.pk, "starts_at": "2026-11-25T14:00", "time_zone": "UTC",
            "interviewers": [world.ivy.pk], "location": "Room 1", **data}  # fmt: skip
    response = client.post(reverse("interviews:interview-book", args=[world.interviewed.pk]), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Interview.objects.filter(round=technical).exists()


def test_a_round_of_another_job_is_refused(client, world, technical):
    from closeloop.jobs.models import InterviewRound

    foreign = InterviewRound.objects.create(job=world.other_job, position=0, name="Case study")
    client.force_login(world.ada)
    response = client.post(
        reverse("interviews:interview-book", args=[world.interviewed.pk]),
        {"round": foreign.pk, "starts_at": "2026-11-25T14:00", "time_zone": "UTC",
         "interviewers": [world.ivy.pk], "location": "Room 1"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not Interview.objects.filter(round=foreign).exists()


def test_deciding_without_a_rationale_changes_nothing(client, world, debrief):
    client.force_login(world.hank)
    response = client.post(
        reverse("interviews:debrief-decide", args=[debrief.pk]), {"decision": "advance"}
    )
    assert response.status_code == 400
    assert "Write the rationale" in response.content.decode()
    debrief.refresh_from_db()
    assert debrief.decision == "" and debrief.is_open


def test_rejecting_needs_a_reason(client, world, debrief):
    client.force_login(world.hank)
    response = client.post(
        reverse("interviews:debrief-decide", args=[debrief.pk]),
        {"decision": "reject", "rationale": "Not strong enough."},
    )
    assert response.status_code == 400 and "Choose the reason" in response.content.decode()
    world.interviewed.refresh_from_db()
    assert world.interviewed.is_active


def test_the_briefing_links_the_resume_and_shows_what_to_probe(client, world, interview):
    client.force_login(world.ivy)
    page = client.get(reverse("interviews:interview-detail", args=[interview.pk])).content.decode()
    assert "What this round probes" in page and "System design" in page
    assert "Your scorecard" in page
    assert "No résumé on file" in page  # Carla has none in the shared world
    assert "Download the résumé" not in page


def test_the_briefing_says_when_the_candidate_is_no_longer_in_play(client, world, interview):
    from closeloop.pipeline.models import Application

    Application.objects.filter(pk=world.interviewed.pk).update(status="rejected")
    client.force_login(world.ivy)
    page = client.get(reverse("interviews:interview-detail", args=[interview.pk])).content.decode()
    assert '<span class="badge">Rejected</span>' in page


# Carla's page and her job's page, once a debrief is open: who sees them, who is told Not found.
PAGE_STATUS = {
    "rita": (200, 200),
    "hank": (200, 200),
    "ivy": (200, 200),
    "ada": (200, 200),
    "olga": (404, 404),
}


def test_pages_render_for_every_persona_that_may_see_them(client, world, debrief):
    for persona, statuses in PAGE_STATUS.items():
        client.force_login(getattr(world, persona))
        urls = (
            reverse("pipeline:application-detail", args=[world.interviewed.pk]),
            reverse("jobs:job-detail", args=[world.job.pk]),
        )
        for url, status in zip(urls, statuses, strict=True):
            assert client.get(url).status_code == status, (persona, url)


def test_a_booking_outside_someones_working_hours_is_made_and_says_so(client, world, technical):
    """Saturday 23:30 in Berlin: booked (a candidate far away may need it), with a warning
    naming who does not work then; a weekday afternoon warns nobody."""
    world.ivy.time_zone = "Europe/Berlin"
    world.ivy.save()
    client.force_login(world.rita)
    before = Interview.objects.count()
    url = reverse("interviews:interview-book", args=[world.interviewed.pk])
    late = client.post(
        url,
        {"round": technical.pk, "starts_at": "2026-11-28T23:30", "time_zone": "Europe/Berlin",
         "interviewers": [world.ivy.pk], "location": "Room 1"},
        follow=True,
    )  # fmt: skip
    body = late.content.decode()
    assert Interview.objects.count() == before + 1
    assert "Sat 28 Nov is not a working day for Ivy Interviewer." in body
    calm = client.post(
        reverse("interviews:interview-book", args=[world.sourced.pk]),
        {"round": technical.pk, "starts_at": "2026-11-25T14:00", "time_zone": "Europe/Berlin",
         "interviewers": [world.ivy.pk], "location": "Room 1"},
        follow=True,
    )  # fmt: skip
    assert Interview.objects.count() == before + 2
    assert "not a working day" not in calm.content.decode()
    assert "Reschedule if it does not suit them" not in calm.content.decode()


def test_a_booking_while_a_panelist_is_out_of_office_says_so(client, world, technical):
    import datetime as dt

    world.ivy.out_of_office_from = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    world.ivy.out_of_office_until = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    world.ivy.save()
    client.force_login(world.rita)
    booked = client.post(
        reverse("interviews:interview-book", args=[world.interviewed.pk]),
        {"round": technical.pk, "starts_at": "2026-11-25T14:00", "time_zone": "UTC",
         "interviewers": [world.ivy.pk], "location": "Room 1"},
        follow=True,
    )  # fmt: skip
    assert "Ivy Interviewer is out of office then." in booked.content.decode()
