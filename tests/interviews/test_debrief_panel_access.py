"""The interview panel attends the debrief: an interviewer of the application opens the
debrief page read-only, through the one blindness rule. They never get the decide, meeting
or "candidate informed" forms, and their POSTs change nothing. People outside the hiring
team and the application's panel (olga; an interviewer of another candidate of the same
job) get 404 on the page and its calendar file, with nothing leaked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar
from interview_helpers import end, score

from closeloop.interviews.models import Debrief, Interview
from closeloop.interviews.selectors import debrief_can_read, debriefs_for_application
from closeloop.interviews.services import Decision, Meeting, debrief_decide, debrief_schedule
from closeloop.notify.models import Message

SECRET = "JONAS-PRIVATE-WORDS"
RATIONALE = "Strong on design; the panel agreed."


@pytest.fixture
def debrief(world, clock, interview, jonas):
    """jonas submitted; the agreed time passed before ivy did, so the debrief opened."""
    from closeloop.interviews.services import debriefs_open_due

    end(clock, interview)
    score(interview, jonas, recommendation="strong_yes", notes=SECRET)
    # ivy's other (round-less) interview of Carla was called off: she owes only this one.
    world.interviewed.interviews.filter(round__isnull=True).update(status="cancelled")
    clock.move_to(interview.ends_at + dt.timedelta(days=14))
    assert debriefs_open_due().handled == 1
    return Debrief.objects.get()


@pytest.fixture
def pia(world):
    """An interviewer of ANOTHER application of the same job (Sam's), not of Carla's."""
    from closeloop.accounts.models import User

    user = User.objects.create_user(
        "pia@example.com", "correct-horse-battery", full_name="Pia Panel", is_interviewer=True
    )
    start = world.interviewed.interviews.first().starts_at
    other = Interview.objects.create(
        application=world.sourced, round_name="Screen", starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )  # fmt: skip
    other.interviewers.add(user)
    return user


def _page(client, debrief) -> tuple[int, str]:
    response = client.get(reverse("interviews:debrief-detail", args=[debrief.pk]))
    return response.status_code, response.content.decode()


def test_ivy_reads_the_debrief_blind_before_submitting_hers(world, login, debrief):
    status, body = _page(login(world.ivy), debrief)
    assert status == 200
    assert SECRET not in body and "iv-strong_yes" not in body
    assert "submitted · hidden" in body and "stay hidden until you submit your own" in body
    assert "Python" in body and "Must-haves" in body and "PostgreSQL" in body


def test_ivy_reads_every_scorecard_once_hers_is_in(world, login, interview, debrief):
    score(interview, world.ivy, recommendation="yes")
    status, body = _page(login(world.ivy), debrief)
    assert status == 200
    assert SECRET in body and "iv-strong_yes" in body and "submitted · hidden" not in body


def test_ivy_never_gets_the_decide_meeting_or_informed_forms(world, login, interview, debrief):
    score(interview, world.ivy)
    client = login(world.ivy)
    _, body = _page(client, debrief)
    for action in ("decide", "meeting", "informed"):
        assert f"/debriefs/{debrief.pk}/{action}/" not in body
    assert "Waiting for Hank Manager to decide." in body
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", RATIONALE))
    _, body = _page(client, debrief)
    assert RATIONALE in body and "Advance" in body
    for action in ("decide", "meeting", "informed"):
        assert f"/debriefs/{debrief.pk}/{action}/" not in body


def test_while_hank_is_away_the_page_names_the_delegate_who_decides(world, login, debrief):
    from closeloop.followups.models import Ask

    # Hank is out of office: the engine handed his decision to olga, his delegate.
    ask = Ask.objects.get(kind="decide_after_debrief", status="open")
    assert ask.owner == world.hank and ask.application == world.interviewed
    Ask.objects.filter(pk=ask.pk).update(owner=world.olga, original_owner=world.hank)
    _, body = _page(login(world.rita), debrief)
    assert "Waiting for Olga Outsider, covering for Hank Manager, to decide." in body


def test_a_blind_panel_member_reads_the_decision_but_not_its_rationale(world, login, debrief):
    """The rationale may quote the cards she may not read yet (the timeline keeps the same
    words, a move's reason, from her): she reads what was decided, and the rest once hers
    is in."""
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", RATIONALE))
    _, body = _page(login(world.ivy), debrief)
    assert "Advance" in body and RATIONALE not in body and SECRET not in body


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("decide", {"decision": "advance", "rationale": "Ivy decides."}),
        ("meeting", {"meets_at": "2026-12-20T10:00", "time_zone": "UTC", "minutes": "30"}),
    ],
)
def test_ivy_posting_the_forms_is_refused_and_changes_nothing(world, login, debrief, action, data):
    response = login(world.ivy).post(f"/debriefs/{debrief.pk}/{action}/", data)
    assert response.status_code == 403
    debrief.refresh_from_db()
    assert debrief.decision == "" and debrief.is_open and debrief.meets_at is None
    assert not Message.objects.filter(template="debrief-invitation").exists()


def test_ivy_deciding_a_decided_debrief_is_refused_as_an_open_one(world, login, debrief):
    """403 whenever she may not decide: "already decided" is said only to those who may."""
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", RATIONALE))
    response = login(world.ivy).post(
        f"/debriefs/{debrief.pk}/decide/", {"decision": "reject", "rationale": "Ivy decides."}
    )
    assert response.status_code == 403
    assert b"decided this debrief already" not in response.content
    debrief.refresh_from_db()
    assert debrief.decision == "advance" and debrief.decided_by == world.hank


def test_ivy_cannot_record_that_the_candidate_was_told(world, login, debrief):
    debrief_decide(debrief=debrief, by=world.hank, decision=Decision("advance", RATIONALE))
    response = login(world.ivy).post(f"/debriefs/{debrief.pk}/informed/", {"note": "Told."})
    assert response.status_code == 403
    debrief.refresh_from_db()
    assert debrief.informed_at is None


@pytest.mark.parametrize("name", ["debrief-detail", "debrief-ics"])
def test_outsiders_get_404_with_nothing_leaked(client, world, debrief, pia, name):
    debrief_schedule(
        debrief=debrief, by=world.rita, attendees=[world.hank],
        meeting=Meeting(meets_at=dt.datetime(2026, 12, 9, 10, tzinfo=dt.UTC), minutes=30,
                        time_zone="UTC"),
    )  # fmt: skip
    for outsider in (world.olga, pia):
        client.force_login(outsider)
        response = client.get(reverse(f"interviews:{name}", args=[debrief.pk]))
        assert response.status_code == 404
        assert "Carla" not in response.content.decode()


def test_the_rule_is_one_selector(world, debrief, pia, jonas):
    readers = {world.rita, world.hank, world.ada, world.ivy, jonas}
    for person in (*readers, world.olga, pia):
        assert debrief_can_read(user=person, debrief=debrief) == (person in readers)


def test_the_application_page_links_the_debrief_for_the_panel_only(world, debrief, pia):
    assert debriefs_for_application(user=world.ivy, application=world.interviewed) == [debrief]
    assert debriefs_for_application(user=pia, application=world.interviewed) == []
    assert debriefs_for_application(user=world.olga, application=world.interviewed) == []


def test_the_panel_downloads_the_debrief_meeting_as_a_calendar_file(world, login, debrief):
    client = login(world.ivy)
    url = reverse("interviews:debrief-ics", args=[debrief.pk])
    assert client.get(url).status_code == 404  # no meeting booked yet
    debrief_schedule(
        debrief=debrief, by=world.rita, attendees=[world.hank, world.ivy],
        meeting=Meeting(meets_at=dt.datetime(2026, 12, 9, 10, tzinfo=dt.UTC), minutes=30,
                        time_zone="UTC"),
    )  # fmt: skip
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store"
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == debrief.uid
    assert "Add to calendar" in _page(client, debrief)[1]


def test_whom_a_late_scorecards_escalation_reached_opens_the_interview(world, login, interview):
    """Olga is off the job's team; the escalation of Ivy's late card named her: its link
    (the interview's page) opens while the ask is open, and not after."""
    from closeloop.followups.models import Ask, AskStatus, Notice, Nudge

    ask = Ask.objects.create(
        kind="submit_scorecard", subject=f"scorecard:{interview.pk}:{world.ivy.pk}",
        title="Scorecard", owner=world.ivy, job=world.job, application=world.interviewed,
        due_at=interview.ends_at,
    )  # fmt: skip
    page = f"/interviews/{interview.pk}/"
    assert login(world.olga).get(page).status_code == 404
    nudge = Nudge.objects.create(
        ask=ask, step=0, kind="escalation", level=1, scheduled_at=ask.due_at
    )
    Notice.objects.create(nudge=nudge, recipient=world.olga, role="escalation")
    assert login(world.olga).get(page).status_code == 200
    Ask.objects.filter(pk=ask.pk).update(status=AskStatus.DONE)
    assert login(world.olga).get(page).status_code == 404


def test_the_debrief_calendar_file_answers_head(world, login, debrief):
    debrief_schedule(
        debrief=debrief, by=world.rita, attendees=[world.hank, world.ivy],
        meeting=Meeting(meets_at=dt.datetime(2026, 12, 9, 10, tzinfo=dt.UTC), minutes=30,
                        time_zone="UTC"),
    )  # fmt: skip
    response = login(world.ivy).head(reverse("interviews:debrief-ics", args=[debrief.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert response.content == b""
