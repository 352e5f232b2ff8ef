"""The interview loop's words name their reader "you" and read as sentences: the panel in
an invitation, the notes and who took part on the debrief page, a reschedule's timeline
line naming whose interview moved."""

from __future__ import annotations

import datetime as dt
import html

from interview_helpers import end, score

from closeloop.activity.models import Activity
from closeloop.interviews.models import Debrief
from closeloop.interviews.services import Decision, Slot, debrief_decide, interview_reschedule
from closeloop.notify.models import Message


def test_the_invitation_names_its_reader_you_among_the_panel(world, interview, jonas):
    ivys = Message.objects.get(template="interview-invitation", recipient=world.ivy)
    assert "Panel: You and Jonas Interviewer" in ivys.body_text
    hanks = Message.objects.get(template="interview-invitation", recipient=world.hank)
    assert f"Panel: {world.ivy.full_name} and Jonas Interviewer" in hanks.body_text


def test_a_reschedule_says_whose_interview_moved(world, interview, jonas):
    interview_reschedule(
        interview=interview,
        by=world.rita,
        slot=Slot(
            starts_at=dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC),
            time_zone="Europe/Berlin",
            interviewers=[world.ivy, jonas],
            location="Room 2",
        ),
    )
    line = Activity.objects.get(kind="closeloop.interview.rescheduled").summary
    assert line == (
        "Rita Recruiter moved Carla Candidate's Technical interview to "
        "Thu 26 Nov 10:00 (Europe/Berlin)"
    )


def test_the_debrief_page_says_your_notes_and_that_you_took_part(
    world, login, clock, interview, jonas
):
    end(clock, interview)
    score(interview, world.ivy, notes="Ivy's words.")
    score(interview, jonas, notes="Jonas's words.")
    debrief = Debrief.objects.get()
    debrief_decide(
        debrief=debrief,
        by=world.hank,
        decision=Decision("advance", "Yes.", attendees=[world.hank, world.ivy]),
    )

    def page(person) -> str:
        got = login(person).get(f"/debriefs/{debrief.pk}/")
        return " ".join(html.unescape(got.content.decode()).split())

    ivys, hanks = page(world.ivy), page(world.hank)
    assert "<h3>Your notes</h3>" in ivys and "<h3>Jonas Interviewer's notes</h3>" in ivys
    assert f"<h3>{world.ivy.full_name}'s notes</h3>" in hanks
    assert f"Took part: you and {world.ivy.full_name}" in hanks
    assert f"Took part: you and {world.hank.full_name}" in ivys


def test_an_invitations_notes_are_headed_notes_and_the_focus_is_what_to_probe(
    world, interview, jonas
):
    """Rita's reschedule notes are logistics ("Bring the laptop; Room 2 has no HDMI"): the
    updated invitation put them under "What to probe:". The round's focus attributes are
    what to probe; the notes are headed as the booking form calls them."""
    interview_reschedule(
        interview=interview,
        by=world.rita,
        slot=Slot(
            starts_at=dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC),
            time_zone="UTC",
            interviewers=[world.ivy, jonas],
            location="Room 2",
            notes="Bring the laptop; Room 2 has no HDMI.",
        ),
    )
    mine = Message.objects.filter(template="interview-invitation", recipient=world.ivy)
    message = mine.order_by("-pk").first()
    text = message.body_text
    assert "changed the Technical interview" in text
    assert "What to probe: Python, System design" in text
    assert "Notes for the interviewers:\nBring the laptop; Room 2 has no HDMI." in text
    assert "What to probe:\nBring" not in text
    assert "<strong>Notes for the interviewers</strong><br>Bring the laptop" in message.body_html
