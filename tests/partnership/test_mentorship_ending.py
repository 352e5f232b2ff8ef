"""Ending a mentorship: the page asks once more before it acts (without JavaScript too),
and each person is told by email that it ended, who ended it, and which sessions are called
off, at their time in the reader's zone, named as the invitation named it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from mentorship_data import active_mentorship

from closeloop.followups.models import Ask, AskStatus
from closeloop.notify.models import Delivery, Message
from closeloop.partnership.mentorship import services
from closeloop.partnership.mentorship.models import MentorshipStatus


@pytest.fixture
def world(clock, world):
    world.rita.time_zone = "Europe/Berlin"
    world.rita.save()
    world.hank.time_zone = "Europe/London"
    world.hank.save()
    return world


def _ended(person):
    return Message.objects.filter(recipient=person, template="mentorship-ended")


def test_the_page_asks_once_more_before_ending_and_says_what_it_does(world, login):
    mentorship = active_mentorship(world.rita, world.hank)
    html = login(world.hank).get(reverse("partnership:mentorship-detail", args=[mentorship.pk]))
    html = html.content.decode()
    end = f'action="{reverse("partnership:mentorship-end", args=[mentorship.pk])}"'
    # The form is inside a closed <details>: one press opens it, the second ends it.
    opened = html.index('<details class="cl-action">\n  <summary>End the mentorship</summary>')
    assert opened < html.index(end) < html.index("</details>", opened)
    confirm = html[html.index(end) : html.index("</details>", opened)]
    assert "Rita Recruiter is told by email that you ended it" in confirm
    assert "called off in both calendars" in confirm and "cannot be undone" in confirm


def test_ending_from_the_page_says_who_is_told(world, login):
    mentorship = active_mentorship(world.rita, world.hank)
    client = login(world.ada)
    response = client.post(reverse("partnership:mentorship-end", args=[mentorship.pk]), follow=True)
    text = " ".join(str(message) for message in response.context["messages"])
    assert "Rita Recruiter and Hank Manager are told by email." in text
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED


def test_the_other_side_hears_who_ended_it_and_when_each_session_was_in_their_zone(world):
    mentorship = active_mentorship(world.rita, world.hank)  # Mon 30 Nov 10:00 Berlin
    services.mentorship_end(mentorship=mentorship, by=world.rita)
    (mail,) = _ended(world.hank)
    assert mail.subject == "Rita Recruiter ended your mentorship"
    assert "Rita Recruiter ended your mentorship." in mail.body_text
    assert "The session on Monday 30 November 2026, 09:00 is called off" in mail.body_text
    assert "method=CANCEL" in mail.attachments[0]["content_type"]
    # Rita ended it: her copy carries her calendar's cancellation, in her own time.
    (mine,) = _ended(world.rita)
    assert mine.subject == "You ended your mentorship with Hank Manager"
    assert "Monday 30 November 2026, 10:00 is called off" in mine.body_text


def test_an_admin_ending_it_is_named_to_both(world):
    mentorship = active_mentorship(world.rita, world.hank)
    services.mentorship_end(mentorship=mentorship, by=world.ada)
    assert _ended(world.rita).get().subject == "Ada Admin ended your mentorship with Hank Manager"
    assert _ended(world.hank).get().subject == "Ada Admin ended your mentorship with Rita Recruiter"
    assert not _ended(world.ada).exists()


def test_a_withdrawn_proposal_is_told_to_the_mentee_only(world):
    mentorship = services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.rita)
    services.mentorship_end(mentorship=mentorship, by=world.rita)
    mail = _ended(world.hank).get()
    assert mail.subject == "Rita Recruiter withdrew the mentorship proposal"
    assert "called off" not in mail.body_text and not mail.attachments
    assert not _ended(world.rita).exists()  # nothing to remove from her calendar


SUNDAY_EVENING = dt.datetime(2026, 11, 29, 20, 0, tzinfo=dt.UTC)
MONDAY_8 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)  # before hank's 09:00 in London


def test_the_call_off_of_a_session_before_his_hours_reaches_him_before_it(world, clock, settings):
    """The email that ends it carries the session's CANCEL: held for his working hours, it
    would arrive an hour after the session began (README, "Respect")."""
    settings.QUIET_HOURS = True
    mentorship = active_mentorship(world.rita, world.hank)
    session = mentorship.sessions.get()
    session.starts_at = MONDAY_8  # the schedule page allows it, with a warning
    session.save(update_fields=["starts_at"])
    clock.move_to(SUNDAY_EVENING)
    services.mentorship_end(mentorship=mentorship, by=world.rita)
    delivery = Delivery.objects.get(message__in=_ended(world.hank))
    assert delivery.next_attempt_at == SUNDAY_EVENING


def _declined(person):
    return Message.objects.filter(recipient=person, template="mentorship-declined")


def test_the_mentee_of_an_admins_proposal_declines_it_rather_than_withdraws_it(world):
    """Ada proposed Rita as Hank's mentor: Hank never proposed it, so his "no" is a decline
    (as if he had pressed Decline), and both Rita and Ada hear it in true words."""
    mentorship = services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.ada)

    services.mentorship_end(mentorship=mentorship, by=world.hank)

    mentorship.refresh_from_db()
    assert (mentorship.status, mentorship.ended_by) == (MentorshipStatus.DECLINED, None)
    assert mentorship.declined_by == world.hank
    assert not Message.objects.filter(template="mentorship-ended").exists()
    said = _declined(world.rita).get()
    assert said.subject == "Hank Manager declined the proposal of a mentorship with you"
    assert "withdrew" not in said.body_text
    assert (
        _declined(world.ada).get().subject
        == "Hank Manager declined your proposal of a mentorship with Rita Recruiter"
    )
    assert not _declined(world.hank).exists()


def test_a_declined_offer_is_told_to_the_mentor_who_made_it(world):
    mentorship = services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.rita)
    services.mentorship_decline(mentorship=mentorship, by=world.hank)
    assert _declined(world.rita).get().subject == "Hank Manager declined your mentorship proposal"
    assert not _declined(world.ada).exists() and not _declined(world.hank).exists()


def test_the_mentees_page_offers_decline_not_withdraw_and_says_who_is_told(world, login):
    mentorship = services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.ada)
    url = reverse("partnership:mentorship-detail", args=[mentorship.pk])
    end = reverse("partnership:mentorship-end", args=[mentorship.pk])
    client = login(world.hank)
    html = client.get(url).content.decode()
    assert "Withdraw" not in html and end not in html
    assert reverse("partnership:mentorship-decline", args=[mentorship.pk]) in html
    assert "Withdraw the proposal" in login(world.ada).get(url).content.decode()

    client = login(world.hank)
    response = client.post(
        reverse("partnership:mentorship-decline", args=[mentorship.pk]), follow=True
    )
    text = " ".join(str(message) for message in response.context["messages"])
    assert "Declined." in text
    assert "Rita Recruiter and Ada Admin are told by email." in text


def test_a_withdraw_sent_by_the_mentee_from_an_older_page_is_told_as_his_decline(world, login):
    mentorship = services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.ada)
    response = login(world.hank).post(
        reverse("partnership:mentorship-end", args=[mentorship.pk]), follow=True
    )
    text = " ".join(str(message) for message in response.context["messages"])
    assert text == (
        "Declined. Nothing more will be asked of you; Rita Recruiter and Ada Admin are told "
        "by email."
    )


def test_the_mentor_of_an_admins_proposal_declines_it_rather_than_withdraws_it(world):
    """Ada proposed Rita as Hank's mentor: Rita never proposed it, so her "no" is a decline
    too, and Hank and Ada each hear it from their own side, not "Rita withdrew"."""
    mentorship = services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.ada)

    services.mentorship_end(mentorship=mentorship, by=world.rita)

    mentorship.refresh_from_db()
    assert (mentorship.status, mentorship.ended_by) == (MentorshipStatus.DECLINED, None)
    assert mentorship.declined_by == world.rita
    assert not Message.objects.filter(template="mentorship-ended").exists()
    said = _declined(world.hank).get()
    assert said.subject == "Rita Recruiter declined the proposal of a mentorship with you"
    assert "withdrew" not in said.body_text
    assert (
        _declined(world.ada).get().subject
        == "Rita Recruiter declined your proposal of a mentorship with Hank Manager"
    )
    assert not _declined(world.rita).exists()
    # Hank is no longer asked to accept; he did not answer, so his ask is cancelled.
    ask = Ask.objects.get(kind="accept_mentorship", owner=world.hank)
    assert ask.status == AskStatus.CANCELLED


def test_the_mentors_page_offers_decline_not_withdraw_and_says_who_is_told(world, login):
    mentorship = services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.ada)
    url = reverse("partnership:mentorship-detail", args=[mentorship.pk])
    end = reverse("partnership:mentorship-end", args=[mentorship.pk])
    decline = reverse("partnership:mentorship-decline", args=[mentorship.pk])
    html = login(world.rita).get(url).content.decode()
    assert "Withdraw" not in html and end not in html
    assert decline in html
    assert "Hank Manager and Ada Admin are told by email" in html

    response = login(world.rita).post(decline, follow=True)
    text = " ".join(str(message) for message in response.context["messages"])
    assert text == (
        "Declined. Nothing more will be asked of you; Hank Manager and Ada Admin are told by email."
    )
    # Hank's page says who declined, and asks him nothing any more.
    html = login(world.hank).get(url).content.decode()
    assert "by Rita Recruiter" in html.split("<dt>Declined</dt>")[1].split("</dd>")[0]
    assert "Will you accept" not in html


def test_the_mentor_who_made_the_offer_still_withdraws_it(world):
    mentorship = services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.rita)
    with pytest.raises(PermissionDenied):
        services.mentorship_decline(mentorship=mentorship, by=world.rita)
    services.mentorship_end(mentorship=mentorship, by=world.rita)
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED
    assert not Message.objects.filter(template="mentorship-declined").exists()
