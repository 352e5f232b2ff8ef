"""An admin's mentorship proposal as each person meets it: the proposed mentor hears of it at
once (not first when it is over), the mentee's queue says what he owes, the lists give each
status its own date, and the proposal's address answers a GET with its form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from mentorship_data import active_mentorship

from closeloop.followups.models import Ask
from closeloop.notify.models import Message
from closeloop.partnership.mentorship import services


@pytest.fixture
def world(clock, world):
    return world


def _proposed(person):
    return Message.objects.filter(recipient=person, template="mentorship-proposed")


def test_the_mentor_an_admin_proposed_is_told_at_once_and_that_she_may_decline(world):
    mentorship = services.mentorship_propose(
        mentor=world.rita, mentee=world.hank, by=world.ada, note="Reviews in time"
    )
    mail = _proposed(world.rita).get()
    assert mail.subject == "Ada Admin proposes you as Hank Manager's mentor"
    assert "Reviews in time" in mail.body_text
    assert "decline here: " in mail.body_text
    assert reverse("partnership:mentorship-detail", args=[mentorship.pk]) in mail.body_text
    # Hank's own email is unchanged: he answers it.
    hank = _proposed(world.hank).get()
    assert hank.subject == "Ada Admin proposes Rita Recruiter as your mentor"
    assert "Accept or decline here" in hank.body_text


def test_a_mentor_who_offers_herself_gets_no_email_of_her_own_offer(world):
    services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.rita)
    assert not _proposed(world.rita).exists()
    assert _proposed(world.hank).count() == 1


def test_the_mentees_queue_says_what_he_owes_and_to_whom(world):
    services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.ada)
    services.mentorship_propose(mentor=world.olga, mentee=world.hank, by=world.olga)
    titles = set(Ask.objects.filter(kind="accept_mentorship").values_list("title", flat=True))
    assert titles == {
        "Answer Ada's proposal: Rita Recruiter as your mentor",
        "Answer Olga's offer to mentor you",
    }


def test_the_list_gives_each_status_its_own_date_and_reads_plainly(world, clock, login):
    declined = services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.ada)
    clock.move_to(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC))
    services.mentorship_decline(mentorship=declined, by=world.hank)
    active_mentorship(world.hank, world.ivy)
    html = login(world.hank).get(reverse("partnership:mentorship-list")).content.decode()
    assert "since 23 Nov" not in html and "declined 23 Nov" not in html
    assert "Declined" in html.split("Rita Recruiter as your mentor")[1].split("</li>")[0]
    assert "25 Nov" in html.split("Rita Recruiter as your mentor")[1].split("</li>")[0]
    assert "Your mentorship of Ivy Interviewer" in html
    assert "mentoring you" not in html and "You mentoring" not in html
    page = reverse("partnership:mentorship-detail", args=[declined.pk])
    html = login(world.hank).get(page).content.decode()
    assert "<h1>Rita Recruiter as your mentor" in html
    declined_line = html.split("<dt>Declined</dt>")[1].split("</dd>")[0]
    assert "by you" in declined_line and "Hank Manager" not in declined_line


def test_a_get_of_the_proposal_address_goes_to_its_form(world, login):
    for person in (world.ada, world.ivy):
        response = login(person).get(reverse("partnership:mentorship-propose"))
        assert response.status_code == 302
        assert response["Location"] == reverse("partnership:mentorship-list") + "#propose-heading"
    html = login(world.ada).get(reverse("partnership:mentorship-list")).content.decode()
    assert 'id="propose-heading"' in html
    assert "The mentee and the mentor read this as you write it" in html
    html = login(world.ivy).get(reverse("partnership:mentorship-list")).content.decode()
    assert "The mentee reads this as you write it" in html


def test_a_withdrawn_proposal_says_it_stays_on_its_page(world):
    mentorship = services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.ada)
    services.mentorship_end(mentorship=mentorship, by=world.ada)
    mail = Message.objects.get(recipient=world.hank, template="mentorship-ended")
    assert "The proposal stays on its page" in mail.body_text
