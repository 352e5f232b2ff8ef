"""Panel seats follow every change of a panel, so the permission filters can read them.

`PanelSeat` holds (user, application, job) while the user sits on at least one live (not
cancelled) interview of the application. The rule it replaces is read here from the panels
themselves (`panel_rule`); every way a panel changes must leave the two equal.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.contrib.admin.sites import AdminSite
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from closeloop.interviews.admin import InterviewAdmin
from closeloop.interviews.models import Interview, InterviewStatus, PanelSeat
from closeloop.interviews.services import Slot, interview_cancel, interview_reschedule
from closeloop.notify.models import Message
from closeloop.pipeline.models import Application


def seats() -> set[tuple[int, int, int]]:
    return set(PanelSeat.objects.values_list("user_id", "application_id", "job_id"))


def panel_rule() -> set[tuple[int, int, int]]:
    """What the seats must be: everyone on some live interview's panel, per application."""
    rows = Interview.interviewers.through.objects.exclude(
        interview__status=InterviewStatus.CANCELLED
    ).values_list("user_id", "interview__application_id", "interview__application__job_id")
    return set(rows)


def seated(user, application) -> bool:
    return PanelSeat.objects.filter(user=user, application=application).exists()


def _interview(application, *panel, days=2, status=InterviewStatus.SCHEDULED) -> Interview:
    start = timezone.now() + dt.timedelta(days=days)
    interview = Interview.objects.create(
        application=application,
        round_name="Panel",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        status=status,
    )
    interview.interviewers.add(*panel)
    return interview


def _slot(interview, panel) -> Slot:
    return Slot(starts_at=interview.starts_at, time_zone="UTC", interviewers=list(panel))


def test_booking_seats_the_panel_on_the_application_and_its_job(world, interview, jonas):
    assert seated(world.ivy, world.interviewed)
    assert seated(jonas, world.interviewed)
    assert PanelSeat.objects.get(user=jonas).job_id == world.job.pk
    assert seats() == panel_rule()


def test_taken_off_the_only_interview_the_seat_goes(world, interview, jonas):
    interview_reschedule(interview=interview, by=world.rita, slot=_slot(interview, [world.ivy]))
    assert not seated(jonas, world.interviewed)
    assert seated(world.ivy, world.interviewed)
    assert seats() == panel_rule()


def test_taken_off_one_of_two_interviews_the_seat_stays(world, interview, jonas):
    _interview(world.interviewed, jonas, days=3)
    interview_reschedule(interview=interview, by=world.rita, slot=_slot(interview, [world.ivy]))
    assert seated(jonas, world.interviewed)
    assert seats() == panel_rule()


def test_a_cancelled_interview_unseats_its_panel(world, interview, jonas):
    interview_cancel(interview=interview, by=world.rita, reason="Candidate ill")
    assert not seated(jonas, world.interviewed)
    # ivy still sits on the world's other interview of Carla's.
    assert seated(world.ivy, world.interviewed)
    assert seats() == panel_rule()


def test_a_cancelled_interview_keeps_the_seat_another_live_one_holds(world, interview, jonas):
    _interview(world.interviewed, jonas, days=3)
    interview_cancel(interview=interview, by=world.rita, reason="Candidate ill")
    assert seated(jonas, world.interviewed)
    assert seats() == panel_rule()


def test_interviews_called_off_with_the_application_unseat_their_panel(world, interview, jonas):
    from closeloop.pipeline.services import application_reject

    application_reject(application=world.interviewed, by=world.rita, reason="skills")
    assert not seated(jonas, world.interviewed)
    assert seats() == panel_rule()


def test_a_panel_added_to_a_cancelled_interview_takes_no_seat(world, jonas):
    _interview(world.sourced, jonas, status=InterviewStatus.CANCELLED)
    assert not seated(jonas, world.sourced)
    assert seats() == panel_rule()


def test_the_m2m_api_from_either_side(world, jonas):
    first = _interview(world.interviewed, world.olga)
    second = _interview(world.interviewed, jonas, days=3)
    assert seats() == panel_rule()
    first.interviewers.add(jonas)
    first.interviewers.remove(world.olga)
    assert not seated(world.olga, world.interviewed)
    assert seats() == panel_rule()
    second.interviewers.clear()
    assert seated(jonas, world.interviewed)  # still on the first
    first.interviewers.set([world.olga])
    assert not seated(jonas, world.interviewed)
    assert seats() == panel_rule()
    # From the user's side (`User.interviews`).
    jonas.interviews.add(second, first)
    assert seated(jonas, world.interviewed)
    jonas.interviews.remove(first)
    assert seated(jonas, world.interviewed)
    jonas.interviews.clear()
    assert not seated(jonas, world.interviewed)
    assert seats() == panel_rule()


def test_an_interview_deleted_takes_only_the_seats_nothing_else_holds(world, jonas):
    first = _interview(world.interviewed, jonas, world.olga)
    _interview(world.interviewed, jonas, days=3)
    first.delete()
    assert seated(jonas, world.interviewed)
    assert not seated(world.olga, world.interviewed)
    assert seats() == panel_rule()
    Interview.objects.filter(application=world.interviewed).delete()
    assert not PanelSeat.objects.filter(application=world.interviewed).exists()


def test_an_application_deleted_takes_its_seats(world, jonas):
    _interview(world.sourced, jonas)
    Application.objects.filter(pk=world.sourced.pk).delete()
    assert not seated(jonas, world.sourced)
    assert seats() == panel_rule()


def test_the_admin_moving_an_interview_moves_its_seats(world, jonas):
    interview = _interview(world.interviewed, jonas)
    interview.application = world.other_application
    request = RequestFactory().post("/")
    request.user = world.ada
    InterviewAdmin(Interview, AdminSite()).save_model(request, interview, None, change=True)
    assert not seated(jonas, world.interviewed)
    assert PanelSeat.objects.get(user=jonas).job_id == world.other_job.pk
    assert seats() == panel_rule()


def test_a_candidate_merge_keeps_the_seats(world, jonas):
    from closeloop.pipeline.services import candidate_merge

    _interview(world.other_application, jonas)
    candidate_merge(
        keep=world.interviewed.candidate, duplicate=world.other_application.candidate, by=world.ada
    )
    assert seated(jonas, world.other_application)
    assert seats() == panel_rule()


def test_the_data_migration_fills_the_seats_of_existing_panels(world, jonas):
    _interview(world.interviewed, jonas, world.ivy)
    _interview(world.interviewed, jonas, days=3, status=InterviewStatus.CANCELLED)
    _interview(world.other_application, world.olga, status=InterviewStatus.COMPLETED)
    PanelSeat.objects.all().delete()  # as before the table existed
    migration = importlib.import_module("closeloop.interviews.migrations.0005_panel_seats")
    migration.fill_from_panels(apps, None)
    assert len(seats()) == 3  # ivy and jonas on Carla (each once), olga on Otto
    assert seats() == panel_rule()


@pytest.mark.parametrize("notes", ["", "Probe on-call.\nAnd design."])
def test_a_reschedule_that_changes_nothing_is_refused_and_sends_nothing(
    world, interview, jonas, notes
):
    """Pressing Reschedule with the booking as it is would send everyone a new invitation
    (the browser sends the notes' line ends as CRLF whatever way they were stored)."""
    type(interview).objects.filter(pk=interview.pk).update(notes=notes)
    interview.refresh_from_db()
    same = Slot(
        starts_at=interview.starts_at, time_zone=interview.time_zone,
        interviewers=[world.ivy, jonas], location=interview.location,
        video_url=interview.video_url, notes=notes.replace("\n", "\r\n"),
    )  # fmt: skip
    sent, sequence = Message.objects.count(), interview.sequence
    with pytest.raises(ValidationError, match="The booking is as it was"):
        interview_reschedule(interview=interview, by=world.rita, slot=same)
    interview.refresh_from_db()
    assert (Message.objects.count(), interview.sequence) == (sent, sequence)


def test_taken_off_while_it_moves_one_hears_of_the_time_they_were_invited_for(
    world, interview, jonas
):
    import zoneinfo

    from closeloop.lib.timefmt import absolute

    zone = zoneinfo.ZoneInfo(interview.time_zone)
    invited_at = interview.starts_at
    invited = absolute(invited_at, zone)
    later = interview.starts_at + dt.timedelta(days=1, hours=1)
    moved = Slot(
        starts_at=later, time_zone=interview.time_zone, interviewers=[world.ivy],
        location=interview.location,
    )  # fmt: skip
    interview_reschedule(interview=interview, by=world.rita, slot=moved)
    told = Message.objects.filter(recipient=jonas, template="interview-cancelled").get()
    assert invited in told.body_text
    assert absolute(later, zone) not in told.body_text
    # The calendar file cancels jonas's entry only, as he knew it: ivy stays invited.
    ics = told.attachments[0]["content"].replace("\r\n ", "")
    attendees = [line for line in ics.splitlines() if line.startswith("ATTENDEE")]
    assert len(attendees) == 1 and jonas.email in attendees[0]
    assert "METHOD:CANCEL" in ics
    assert f":{invited_at.astimezone(zone):%Y%m%dT%H%M%S}" in ics
    assert f":{later.astimezone(zone):%Y%m%dT%H%M%S}" not in ics


def test_the_data_migration_drops_the_seats_only_cancelled_interviews_held(world, jonas):
    _interview(world.interviewed, jonas, world.ivy)
    _interview(world.interviewed, world.olga, days=3, status=InterviewStatus.CANCELLED)
    _interview(world.other_application, world.olga, status=InterviewStatus.CANCELLED)
    # As the seats were kept before: any status.
    PanelSeat.objects.create(user=world.olga, application=world.interviewed, job=world.job)
    PanelSeat.objects.create(
        user=world.olga, application=world.other_application, job=world.other_job
    )
    migration = importlib.import_module(
        "closeloop.interviews.migrations.0009_panel_seats_of_live_interviews"
    )
    migration.unseat_cancelled_only(apps, None)
    assert not PanelSeat.objects.filter(user=world.olga).exists()
    assert seated(jonas, world.interviewed) and seated(world.ivy, world.interviewed)
    assert seats() == panel_rule()
