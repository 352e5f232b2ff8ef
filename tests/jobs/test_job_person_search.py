"""A big organisation's job form: its people are typed (an email or a name, with the people
who may hold the role offered as one types), not listed, so the form stays small whatever the
number of people (`accounts.selectors.PEOPLE_LISTED_MOST`)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from test_job_form_views import edit_url, job_data

from closeloop.accounts.models import User
from closeloop.accounts.selectors import PEOPLE_LISTED_MOST
from closeloop.jobs.models import Job

SUGGEST = reverse("jobs:people-suggest")


@pytest.fixture
def crowd(world):
    """Enough colleagues (hiring managers, two of them called Sam Lee) that the job form
    types its people instead of listing them."""
    people = [
        User(
            email=f"hm{i}@crowd.example", full_name=f"Crowd Person {i:02d}", is_hiring_manager=True
        )
        for i in range(PEOPLE_LISTED_MOST)
    ]
    people += [
        User(email=f"sam{i}@crowd.example", full_name="Sam Lee", is_hiring_manager=True)
        for i in (1, 2)
    ]
    User.objects.bulk_create(people)
    return world


def test_a_small_organisation_picks_its_people_from_lists(world, login):
    html = login(world.rita).get(edit_url(world.job)).content.decode()
    assert '<select name="hiring_manager"' in html
    assert f'<option value="{world.hank.pk}" selected>' in html


def test_a_big_organisation_types_them_and_the_form_shows_each_holders_email(crowd, login):
    response = login(crowd.rita).get(edit_url(crowd.job))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<select name="hiring_manager"' not in html
    assert 'name="hiring_manager" value="hank@example.com"' in html
    assert 'name="recruiter" value="rita@example.com"' in html
    assert 'list="id_hiring_manager_people"' in html
    assert f'hx-get="{SUGGEST}?role=hiring_manager"' in html
    assert "Crowd Person" not in html  # nobody is listed


@pytest.mark.parametrize(
    "typed", ["hm7@crowd.example", "HM7@Crowd.Example", "Crowd Person 07", "x (hm7@crowd.example)"]
)
def test_an_email_a_name_or_a_listed_label_names_the_person(crowd, login, typed):
    data = job_data(crowd, crowd.job, hiring_manager=typed)
    response = login(crowd.rita).post(edit_url(crowd.job), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get(pk=crowd.job.pk)
    assert job.hiring_manager.email == "hm7@crowd.example"
    assert job.title == crowd.job.title and job.recruiter_id == crowd.rita.pk


def test_an_id_still_names_the_person(crowd, login):
    someone = User.objects.get(email="hm3@crowd.example")
    response = login(crowd.rita).post(
        edit_url(crowd.job), job_data(crowd, crowd.job, hiring_manager=someone.pk)
    )
    assert response.status_code == 302
    assert Job.objects.get(pk=crowd.job.pk).hiring_manager_id == someone.pk


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("Sam Lee", "More than one person is called “Sam Lee”: type the email"),
        ("nobody@crowd.example", "No one who may hold this role has the email or name"),
        ("ivy@example.com", "No one who may hold this role"),  # not a hiring manager
        ("\x00", "No one who may hold this role"),
        ("x" * 5000, "No one who may hold this role"),
    ],
)
def test_a_name_that_is_not_one_person_is_refused_and_nothing_changes(crowd, login, typed, said):
    response = login(crowd.rita).post(
        edit_url(crowd.job), job_data(crowd, crowd.job, hiring_manager=typed, title="Changed")
    )
    assert response.status_code == 400
    assert said in response.content.decode()
    job = Job.objects.get(pk=crowd.job.pk)
    assert (job.title, job.hiring_manager_id) == (crowd.job.title, crowd.hank.pk)


def test_the_people_who_may_hold_the_role_are_offered_as_one_types(crowd, login):
    client = login(crowd.rita)
    html = client.get(SUGGEST, {"role": "hiring_manager", "hiring_manager": "crowd person"}).content
    options = html.decode().count("<option")
    assert options == 10  # the first ten, by name
    assert '<option value="hm0@crowd.example">Crowd Person 00</option>' in html.decode()
    ivy = client.get(SUGGEST, {"role": "hiring_manager", "hiring_manager": "ivy"}).content
    assert b"ivy@example.com" not in ivy  # not a hiring manager
    anyone = client.get(SUGGEST, {"role": "coordinator", "coordinator": "ivy"}).content
    assert b'<option value="ivy@example.com">' in anyone
    assert (
        client.get(SUGGEST, {"role": "hiring_manager", "hiring_manager": "c"}).content.strip()
        == b""
    )


@pytest.mark.parametrize("typed", ["\x00x", "x" * 5000, "' OR 1=1 --", "%"])
def test_what_no_name_or_email_holds_is_offered_nobody(crowd, login, typed):
    response = login(crowd.rita).get(SUGGEST, {"role": "coordinator", "coordinator": typed})
    assert response.status_code == 200
    assert b"<option" not in response.content


def test_only_people_who_open_or_edit_jobs_are_offered_names(crowd, login):
    query = {"role": "hiring_manager", "hiring_manager": "crowd"}
    assert login(crowd.ivy).get(SUGGEST, query).status_code == 403
    assert login(crowd.rita).get(SUGGEST, {**query, "role": "password"}).status_code == 404


def test_the_job_form_stays_under_a_hundred_kilobytes_with_a_thousand_people(world, login):
    # Everyone a hiring manager and an interviewer: every role's people as many as can be.
    User.objects.bulk_create(
        User(
            email=f"p{i}@big.example",
            full_name=f"Big Org Person {i:04d}",
            is_hiring_manager=True,
            is_interviewer=True,
        )
        for i in range(1000)
    )
    html = login(world.rita).get(edit_url(world.job)).content
    assert b"Big Org Person" not in html  # nobody listed: the job's own interviewers only
    assert len(html) < 100_000


@pytest.fixture
def panel(crowd):
    """Interviewers enough to type (two of them called Ian Park); ivy is on the job's panel."""
    User.objects.bulk_create(
        [User(email=f"int{i}@crowd.example", full_name=f"Interviewer {i:02d}", is_interviewer=True)
         for i in range(5)]
        + [User(email=f"ian{i}@crowd.example", full_name="Ian Park", is_interviewer=True)
           for i in (1, 2)]
    )  # fmt: skip
    crowd.job.interviewers.set([crowd.ivy])
    return crowd


def interviewers_of(job) -> set[str]:
    return set(Job.objects.get(pk=job.pk).interviewers.values_list("email", flat=True))


def test_a_big_organisation_ticks_the_panel_it_has_and_types_the_rest(panel, login):
    html = login(panel.rita).get(edit_url(panel.job)).content.decode()
    assert f'name="interviewers" value="{panel.ivy.pk}" checked' in html
    assert "Ivy Interviewer (ivy@example.com)" in html
    assert "Interviewer 01" not in html  # the others are typed, not listed
    assert f'hx-get="{SUGGEST}?role=interviewers"' in html


def test_interviewers_are_added_by_name_or_email_and_removed_by_unticking(panel, login):
    client = login(panel.rita)
    typed = "Interviewer 01, INT2@crowd.example;  Interviewer 01"
    data = job_data(panel, panel.job, interviewers=[panel.ivy.pk, typed])
    assert client.post(edit_url(panel.job), data).status_code == 302
    assert interviewers_of(panel.job) == {
        "ivy@example.com", "int1@crowd.example", "int2@crowd.example"
    }  # fmt: skip
    kept = [User.objects.get(email="int2@crowd.example").pk]  # ivy and int1 unticked
    assert (
        client.post(edit_url(panel.job), job_data(panel, panel.job, interviewers=kept)).status_code
        == 302
    )
    assert interviewers_of(panel.job) == {"int2@crowd.example"}
    assert (
        client.post(edit_url(panel.job), job_data(panel, panel.job, interviewers=[])).status_code
        == 302
    )
    assert interviewers_of(panel.job) == set()


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("Ian Park", "More than one person is called “Ian Park”: type the email"),
        ("Interviewer 01, nobody@crowd.example", "No one who interviews has the email or name"),
        ("hm3@crowd.example", "No one who interviews"),  # a hiring manager, not an interviewer
        ("\x00", "No one who interviews"),
    ],
)
def test_a_typed_interviewer_who_is_not_one_person_is_refused_and_nothing_changes(
    panel, login, typed, said
):
    data = job_data(panel, panel.job, interviewers=[panel.ivy.pk, typed], title="Changed")
    response = login(panel.rita).post(edit_url(panel.job), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert said in html
    assert f'name="interviewers" value="{panel.ivy.pk}" checked' in html  # as sent
    job = Job.objects.get(pk=panel.job.pk)
    assert (job.title, interviewers_of(job)) == (panel.job.title, {"ivy@example.com"})


def test_the_suggestions_for_interviewers_keep_those_typed_before(panel, login):
    query = {"role": "interviewers", "interviewers": "ivy@example.com, interv"}
    html = login(panel.rita).get(SUGGEST, query).content.decode()
    assert html.count("<option") == 5  # the five "Interviewer" (Ivy is typed already)
    assert '<option value="ivy@example.com, int0@crowd.example">Interviewer 00</option>' in html
    alone = login(panel.rita).get(SUGGEST, {**query, "interviewers": "ian"}).content.decode()
    assert '<option value="ian1@crowd.example">Ian Park</option>' in alone
    several = {**query, "interviewers": "ivy@example.com;Ian Park (ian1@crowd.example) ,ian"}
    kept = login(panel.rita).get(SUGGEST, several).content.decode()
    value = "ivy@example.com, Ian Park (ian1@crowd.example), ian2@crowd.example"
    assert f'<option value="{value}">Ian Park</option>' in kept
    assert kept.count("<option") == 1  # not ian1, typed already by the label a list shows
    # The ticked boxes come along (their ids): nobody ticked is offered again.
    int0 = User.objects.get(email="int0@crowd.example")
    ticked = {"role": "interviewers", "interviewers": [str(int0.pk), "interv"]}
    html = login(panel.rita).get(SUGGEST, ticked).content.decode()
    assert "int0@crowd.example" not in html and "int1@crowd.example" in html
