"""Planning a mentoring session steers around what already takes either person: their other
mentoring sessions, the interviews they sit on, their touch-bases, their time out of office;
moving one by hand onto such a time is said, not refused.

Times are relative to the shared clock, Monday 23 Nov 2026 10:00 UTC: a session accepted
now is planned on Monday 30 Nov.
"""

from __future__ import annotations

import datetime as dt

import pytest
from mentorship_data import active_mentorship

from closeloop.interviews.models import Interview
from closeloop.partnership.mentorship import services
from closeloop.partnership.mentorship.models import MentoringSession
from closeloop.touchbases.models import TouchbaseSeries

MONDAY_30 = dt.date(2026, 11, 30)


@pytest.fixture
def world(clock, world):
    return world


def _at(hour: int, minute: int = 0, day: dt.date = MONDAY_30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def _session(mentorship) -> MentoringSession:
    return mentorship.sessions.get(cancelled_at=None, held_at=None)


def _overlap(a: MentoringSession, b: MentoringSession) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def test_accepting_a_second_mentee_does_not_double_book_the_mentor(world):
    """Rita mentors from Berlin: Hank's session is Monday 10:00 Berlin. Ivy, in London,
    accepts her offer: 10:00 Berlin (09:00 London) is taken, so 11:00 Berlin, 10:00 hers."""
    world.rita.time_zone = "Europe/Berlin"
    world.rita.save()
    world.ivy.time_zone = "Europe/London"
    world.ivy.save()
    hank = _session(active_mentorship(world.rita, world.hank))
    assert hank.starts_at == _at(9)  # 10:00 Berlin
    ivy = _session(active_mentorship(world.rita, world.ivy))
    assert not _overlap(hank, ivy)
    assert ivy.starts_at == _at(10)  # 11:00 Berlin, 10:00 London


def test_the_mentees_other_mentoring_session_is_avoided_too(world):
    """Olga mentors Hank at 10:00; when Rita's offer is accepted, Hank is the busy one."""
    olga = _session(active_mentorship(world.olga, world.hank))
    assert olga.starts_at == _at(10)
    rita = _session(active_mentorship(world.rita, world.hank))
    assert not _overlap(olga, rita)
    assert rita.starts_at == _at(9)  # the nearest free hour, the earlier of two


def test_the_first_session_avoids_an_interview_the_mentee_sits_on_and_their_touch_base(world):
    interview = Interview.objects.create(
        application=world.interviewed, round_name="Final", starts_at=_at(10), ends_at=_at(11)
    )
    interview.interviewers.add(world.ivy)
    # Ivy's 11:00 is free, but rita and hank meet every Monday at 11:00.
    TouchbaseSeries.objects.create(
        job=world.job, recruiter=world.rita, hiring_manager=world.hank, weekday=0,
        start_time=dt.time(11), minutes=30, time_zone="UTC",
        first_at=_at(11, day=dt.date(2026, 11, 2)), uid="touchbase-test@closeloop",
    )  # fmt: skip
    session = _session(active_mentorship(world.rita, world.ivy))
    assert session.starts_at == _at(9)
    # Nobody else's interview counts: an interview ivy is not on leaves 10:00 to hank.
    session = _session(active_mentorship(world.olga, world.hank))
    assert session.starts_at == _at(10)


def test_a_mentee_out_of_office_that_week_is_met_when_back(world):
    world.ivy.out_of_office_from = _at(0)
    world.ivy.out_of_office_until = _at(0, day=dt.date(2026, 12, 2))  # back on Wednesday
    world.ivy.save()
    session = _session(active_mentorship(world.rita, world.ivy))
    assert session.starts_at == _at(10, day=dt.date(2026, 12, 2))


def test_the_next_session_after_one_held_steers_around_a_clash(world, clock):
    mentorship = active_mentorship(world.rita, world.hank)
    first = _session(mentorship)
    assert first.starts_at == _at(10)
    # Two weeks on at 10:00 Hank is already with Olga, his other mentor.
    other = active_mentorship(world.olga, world.hank)
    services.session_schedule(
        mentorship=other, by=world.olga, starts_at=_at(10, day=dt.date(2026, 12, 14))
    )
    clock.move_to(first.starts_at + dt.timedelta(hours=1))
    services.session_held(session=first, by=world.rita)
    nxt = _session(mentorship)
    assert nxt.starts_at == _at(9, day=dt.date(2026, 12, 14))
    # Without a clash the rhythm keeps its time.
    clock.move_to(nxt.starts_at + dt.timedelta(hours=1))
    services.session_held(session=nxt, by=world.hank)
    assert _session(mentorship).starts_at == _at(9, day=dt.date(2026, 12, 28))


def test_moving_a_session_onto_another_of_the_mentors_says_so(world, login, client):
    hank = _session(active_mentorship(world.rita, world.hank))
    ivy_pairing = active_mentorship(world.rita, world.ivy)
    login(world.ivy)
    response = client.post(
        f"/mentorships/{ivy_pairing.pk}/schedule/",
        {"starts_at": hank.starts_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assert response.status_code == 200
    assert _session(ivy_pairing).starts_at == hank.starts_at  # said, not refused
    text = " ".join(str(message) for message in response.context["messages"])
    assert "Rita Recruiter has another mentoring session then." in text
    assert "Ivy Interviewer has" not in text
