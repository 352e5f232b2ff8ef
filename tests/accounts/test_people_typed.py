"""A big organisation types the one person a form names from everyone (a profile's delegate,
an agreement's escalation contact, an invited person's manager, a mentorship's people)
instead of picking them from a list: the pages stay small whatever the number of people
(`accounts.selectors.PEOPLE_LISTED_MOST`)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from test_profile_view import PROFILE, form_data, snapshot

from closeloop.accounts.models import Invitation, User
from closeloop.accounts.selectors import PEOPLE_LISTED_MOST, PEOPLE_SUGGESTED
from closeloop.partnership.mentorship.models import Mentorship

SUGGEST = reverse("accounts:people-suggest")


def crowd_of(count: int, **flags) -> None:
    """`count` colleagues, and two called Sam Lee."""
    people = [
        User(email=f"p{i}@crowd.example", full_name=f"Crowd Person {i:04d}", **flags)
        for i in range(count)
    ]
    people += [User(email=f"sam{i}@crowd.example", full_name="Sam Lee") for i in (1, 2)]
    User.objects.bulk_create(people)


@pytest.fixture
def crowd(world):
    crowd_of(PEOPLE_LISTED_MOST)
    return world


def test_a_small_organisation_picks_the_delegate_from_a_list(world, login):
    html = login(world.hank).get(PROFILE).content.decode()
    assert '<select name="delegate"' in html
    assert "Rita Recruiter (rita@example.com)" in html


def test_a_big_one_types_the_delegate_and_shows_the_current_one_by_email(crowd, login):
    crowd.hank.delegate = crowd.rita
    crowd.hank.save()
    html = login(crowd.hank).get(PROFILE).content.decode()
    assert '<select name="delegate"' not in html
    assert 'name="delegate" value="rita@example.com"' in html
    assert f'hx-get="{SUGGEST}?field=delegate"' in html
    assert "Crowd Person" not in html


@pytest.mark.parametrize("typed", ["p7@crowd.example", "P7@CROWD.example", "Crowd Person 0007"])
def test_an_email_or_a_name_sets_the_delegate(crowd, login, typed):
    response = login(crowd.hank).post(PROFILE, form_data(delegate=typed))
    assert response.status_code == 302, response.content.decode()[:2000]
    crowd.hank.refresh_from_db()
    assert crowd.hank.delegate.email == "p7@crowd.example"


def test_an_empty_field_means_nobody(crowd, login):
    crowd.hank.delegate = crowd.rita
    crowd.hank.save()
    assert login(crowd.hank).post(PROFILE, form_data(delegate="")).status_code == 302
    crowd.hank.refresh_from_db()
    assert crowd.hank.delegate is None


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("Sam Lee", "More than one person is called “Sam Lee”: type the email"),
        ("nobody@crowd.example", "No one who may stand in for you has the email or name"),
        ("hank@example.com", "No one who may stand in for you"),  # himself
        ("\x00", "No one who may stand in for you"),
        ("x" * 5000, "No one who may stand in for you"),
    ],
)
def test_a_name_that_is_not_one_colleague_is_refused_and_nothing_changes(crowd, login, typed, said):
    before = snapshot(crowd.hank)
    response = login(crowd.hank).post(PROFILE, form_data(delegate=typed, full_name="Changed"))
    assert response.status_code == 400
    assert said in response.content.decode()
    assert snapshot(crowd.hank) == before


def test_an_inactive_colleague_is_refused(crowd, login):
    User.objects.filter(email="p3@crowd.example").update(is_active=False)
    response = login(crowd.hank).post(PROFILE, form_data(delegate="p3@crowd.example"))
    assert response.status_code == 400
    crowd.hank.refresh_from_db()
    assert crowd.hank.delegate is None


def test_the_suggestions_are_active_colleagues_matching_what_was_typed(crowd, login):
    User.objects.filter(email="p11@crowd.example").update(is_active=False)
    client = login(crowd.hank)
    html = client.get(SUGGEST, {"field": "delegate", "delegate": "person 001"}).content.decode()
    assert html.count("<option") == PEOPLE_SUGGESTED - 1  # 0010, 0012–0019: 0011 has left
    assert 'value="p10@crowd.example"' in html and "p11@crowd.example" not in html
    # Never oneself as one's own delegate; oneself as an escalation contact, yes.
    mine = {"delegate": "hank@", "escalation_contact": "hank@"}
    assert "<option" not in client.get(SUGGEST, {"field": "delegate", **mine}).content.decode()
    contact = client.get(SUGGEST, {"field": "escalation_contact", **mine}).content.decode()
    assert 'value="hank@example.com"' in contact


def test_offering_to_mentor_suggests_anyone_but_yourself(crowd, login):
    def suggested(person) -> str:
        words = {"field": "mentee", "mentee": "@example.com"}
        return login(person).get(SUGGEST, words).content.decode()

    mine = suggested(crowd.rita)
    assert 'value="rita@example.com"' not in mine and 'value="hank@example.com"' in mine
    # An admin proposes a pair: she may be its mentee.
    assert 'value="ada@example.com"' in suggested(crowd.ada)


@pytest.mark.parametrize("words", ["", "p", "\x00x", "x" * 300])
def test_too_little_or_unreadable_input_offers_nobody(crowd, login, words):
    response = login(crowd.hank).get(SUGGEST, {"field": "delegate", "delegate": words})
    assert response.status_code == 200
    assert "<option" not in response.content.decode()


def test_the_suggestions_need_a_sign_in_and_a_known_field(crowd, client, login):
    assert client.get(SUGGEST, {"field": "delegate", "delegate": "crowd"}).status_code == 302
    unknown = login(crowd.hank).get(SUGGEST, {"field": "password", "password": "crowd"})
    assert unknown.status_code == 404
    assert login(crowd.hank).post(SUGGEST, {"field": "delegate"}).status_code == 405


def test_the_profile_stays_small_with_a_thousand_colleagues(world, login):
    crowd_of(1200)
    response = login(world.hank).get(PROFILE)
    assert response.status_code == 200
    assert len(response.content) < 100_000  # listed, everyone was about 80 bytes more each


def test_a_big_organisation_types_an_invited_persons_manager(crowd, login):
    client = login(crowd.ada)
    invite = reverse("people:invite")
    html = client.get(invite).content.decode()
    assert '<select name="manager"' not in html
    assert f'hx-get="{SUGGEST}?field=manager"' in html
    data = {"email": "nina@example.com", "full_name": "Nina Newhire", "is_interviewer": "on",
            "time_zone": "Europe/London"}  # fmt: skip
    refused = client.post(invite, {**data, "manager": "Sam Lee"})
    assert refused.status_code == 400
    assert "More than one person is called “Sam Lee”" in refused.content.decode()
    assert not Invitation.objects.exists()
    assert client.post(invite, {**data, "manager": "Crowd Person 0009"}).status_code == 302
    assert Invitation.objects.get().user.manager.email == "p9@crowd.example"


def test_a_big_organisation_types_a_mentorships_people(crowd, login):
    propose = reverse("partnership:mentorship-propose")
    page = login(crowd.ada).get(reverse("partnership:mentorship-list")).content.decode()
    assert '<select name="mentee"' not in page and '<select name="mentor"' not in page
    assert f'hx-get="{SUGGEST}?field=mentee"' in page
    mine = login(crowd.rita).get(reverse("partnership:mentorship-list")).content.decode()
    assert 'type="hidden" name="mentor"' in mine  # she proposes herself: nothing to type
    login(crowd.rita).post(propose, {"mentee": "p4@crowd.example", "cadence_days": "14"})
    assert list(Mentorship.objects.values_list("mentor__email", "mentee__email")) == [
        ("rita@example.com", "p4@crowd.example")
    ]


def test_saving_the_profile_as_the_page_shows_it_keeps_the_typed_delegate(crowd, login):
    """The delegate, shown by email, comes back as it was when another field changes."""
    crowd.hank.delegate = crowd.rita
    crowd.hank.save()
    client = login(crowd.hank)
    assert 'name="delegate" value="rita@example.com"' in client.get(PROFILE).content.decode()
    data = form_data(delegate="rita@example.com", title="Director of Platform")
    assert client.post(PROFILE, data).status_code == 302
    crowd.hank.refresh_from_db()
    assert (crowd.hank.title, crowd.hank.delegate_id) == ("Director of Platform", crowd.rita.pk)
