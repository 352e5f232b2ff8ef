"""Who attends a debrief: the people who can open it, i.e. the job's hiring team and the
application's panel (the interviewers attend, read-only). Nobody else is invited to, or finds
in their calendar, a page that answers 404. Also: a meeting time the calendar cannot hold is
refused with a clear message."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from closeloop.calendars.sources import events_for
from closeloop.interviews.models import Interview
from closeloop.interviews.selectors import debrief_attendee_choices
from closeloop.interviews.services import Meeting, debrief_schedule
from closeloop.notify.models import Message

MEETING = {"meets_at": "2026-11-30T10:00", "time_zone": "UTC", "minutes": "30"}
NOVEMBER = (dt.datetime(2026, 11, 1, tzinfo=dt.UTC), dt.datetime(2027, 1, 1, tzinfo=dt.UTC))


@pytest.fixture
def sam_interviewer(world):
    """Someone on the panel of ANOTHER application of the same job (Sam's), not Carla's."""
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


def _meeting():
    return Meeting(meets_at=dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC), minutes=30,
                   time_zone="UTC")  # fmt: skip


def test_the_attendee_choices_are_the_hiring_team_and_the_panel(
    world, interview, jonas, sam_interviewer
):
    world.job.escalation_contact = world.olga
    world.job.save()
    choices = set(debrief_attendee_choices(application=world.interviewed))
    assert choices == {world.rita, world.hank, world.olga, world.ivy, jonas}
    assert sam_interviewer not in choices


def test_someone_whose_only_interview_was_cancelled_is_not_on_the_panel(world, interview, jonas):
    from closeloop.interviews.services import interview_cancel

    interview_cancel(interview=interview, by=world.rita, reason="Candidate asked to move it")
    assert jonas not in set(debrief_attendee_choices(application=world.interviewed))


def test_the_page_offers_the_panel_but_no_outsider_as_attendees(
    world, login, debrief, jonas, sam_interviewer
):
    body = login(world.rita).get(f"/debriefs/{debrief.pk}/").content.decode()
    for person in (world.hank, world.ivy, jonas):
        assert f'name="attendees" value="{person.pk}"' in body
    for person in (world.olga, sam_interviewer):
        assert f'name="attendees" value="{person.pk}"' not in body


def test_the_meeting_form_invites_the_rounds_interviewers_by_default(world, login, debrief, jonas):
    body = login(world.rita).get(f"/debriefs/{debrief.pk}/").content.decode()
    meeting = body[body.index('action="/debriefs/') :]
    meeting = meeting[meeting.index("/meeting/") :]
    for person in (world.hank, world.rita, world.ivy, jonas):
        assert re.search(rf'value="{person.pk}"[^>]*checked', meeting)


@pytest.mark.parametrize("outsider", ["olga", "sam_interviewer"])
def test_inviting_someone_who_cannot_open_it_is_refused_and_changes_nothing(
    world, login, debrief, sam_interviewer, outsider
):
    person = getattr(world, outsider, None) or sam_interviewer
    client = login(world.rita)
    data = {**MEETING, "attendees": [world.hank.pk, person.pk]}
    response = client.post(f"/debriefs/{debrief.pk}/meeting/", data)
    assert response.status_code == 400
    debrief.refresh_from_db()
    assert debrief.meets_at is None
    assert not Message.objects.filter(template="debrief-invitation").exists()


def test_the_service_refuses_an_attendee_who_cannot_open_the_debrief(world, debrief):
    with pytest.raises(ValidationError, match="hiring team and the candidate's interviewers"):
        debrief_schedule(debrief=debrief, by=world.rita, meeting=_meeting(),
                         attendees=[world.hank, world.olga])  # fmt: skip


def test_the_panel_gets_the_invitation_with_the_ics_and_the_meeting_in_their_feed(
    world, debrief, jonas
):
    debrief_schedule(debrief=debrief, by=world.rita, meeting=_meeting(),
                     attendees=[world.hank, world.ivy, jonas])  # fmt: skip
    invitations = Message.objects.filter(template="debrief-invitation")
    assert set(invitations.values_list("recipient", flat=True)) == {
        world.hank.pk, world.rita.pk, world.ivy.pk, jonas.pk,
    }  # fmt: skip
    mine = invitations.get(recipient=world.ivy)
    [ics] = mine.attachments
    assert "METHOD:REQUEST" in ics["content"] and debrief.uid in ics["content"]
    assert f"mailto:{world.ivy.email}".upper() in ics["content"].upper()
    for person in (world.ivy, jonas, world.hank):
        assert debrief.uid in {event.uid for event in events_for(person, *NOVEMBER)}
    assert debrief.uid not in {event.uid for event in events_for(world.olga, *NOVEMBER)}


def test_an_attendee_who_cannot_open_it_gets_neither_mail_nor_event(world, debrief):
    from closeloop.interviews.notices import debrief_invitation_send

    debrief_schedule(debrief=debrief, by=world.rita, meeting=_meeting(), attendees=[world.hank])
    # An attendee row nobody could choose today (olga, an outsider): no mail, no event.
    debrief.refresh_from_db()
    debrief.attendees.add(world.olga)
    Message.objects.filter(template="debrief-invitation").delete()
    debrief_invitation_send(debrief=debrief, by=world.rita)
    invited = set(
        Message.objects.filter(template="debrief-invitation").values_list("recipient", flat=True)
    )
    assert invited == {world.hank.pk, world.rita.pk}
    assert debrief.uid not in {event.uid for event in events_for(world.olga, *NOVEMBER)}
    assert debrief.uid in {event.uid for event in events_for(world.hank, *NOVEMBER)}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"meets_at": "9999-12-31T23:59", "time_zone": "America/New_York"}, "Enter a valid date"),
        ({"meets_at": "9999-12-31T23:50"}, "at most two years ahead"),
        ({"meets_at": "1999-01-01T10:00"}, "from the year 2000 on"),
        ({"meets_at": "soon"}, "Enter a valid date"),
    ],
)
def test_a_meeting_time_the_calendar_cannot_hold_is_refused(world, login, debrief, data, message):
    client = login(world.rita)
    response = client.post(f"/debriefs/{debrief.pk}/meeting/", {**MEETING, **data})
    assert response.status_code == 400 and message in response.content.decode()
    debrief.refresh_from_db()
    assert debrief.meets_at is None
    assert client.get(f"/debriefs/{debrief.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("starts_at", "zone", "message"),
    [
        ("9999-12-31T23:59", "America/New_York", "Enter a valid date"),
        ("9999-12-31T23:00", "UTC", "at most two years ahead"),
    ],
)
def test_a_reschedule_to_the_end_of_the_calendar_is_refused(
    world, login, interview, starts_at, zone, message
):
    data = {"starts_at": starts_at, "time_zone": zone, "duration_minutes": "60",
            "interviewers": [world.ivy.pk], "location": "Room"}  # fmt: skip
    response = login(world.rita).post(f"/interviews/{interview.pk}/reschedule/", data)
    assert response.status_code == 400 and message in response.content.decode()
    before = interview.starts_at
    interview.refresh_from_db()
    assert interview.starts_at == before and interview.sequence == 0
