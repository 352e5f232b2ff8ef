"""The profile page: a person edits their name and working calendar, and sees roles and manager."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse

from closeloop.activity.models import Activity
from closeloop.interviews.models import Interview

PROFILE = reverse("accounts:profile")


def form_data(**changes) -> dict:
    data = {
        "full_name": "Hank Manager",
        "title": "Head of Platform",
        "time_zone": "Europe/Berlin",
        "work_days": ["0", "1", "2", "3"],
        "work_start": "08:30",
        "work_end": "16:30",
        "holiday_country": "DE",
        "holiday_subdivision": "BY",
        "out_of_office_from": "",
        "out_of_office_until": "",
        "delegate": "",
        "notify_channel": "email",
        "batch_window_minutes": "120",
    }
    data.update(changes)
    return data


def snapshot(user) -> dict:
    user.refresh_from_db()
    fields = ("full_name", "title", "time_zone", "work_days", "work_start", "work_end")
    more = ("holiday_country", "holiday_subdivision", "out_of_office_from", "delegate_id")
    return {name: getattr(user, name) for name in fields + more}


def test_the_profile_needs_a_login(client, db):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_hank_sees_his_roles_his_manager_and_his_calendar(world, login):
    world.hank.manager = world.ada
    world.hank.save()
    response = login(world.hank).get(PROFILE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hiring manager" in html
    assert "Ada Admin" in html
    assert "receives your escalations" in html
    assert 'value="hank@example.com"' not in html  # the email is shown, not editable
    assert "hank@example.com" in html
    for label in ("Time zone", "Working days", "Working day starts", "Public holidays of"):
        assert label in html
    assert 'name="work_days" value="0"' in html


def test_hank_saves_his_calendar(world, login):
    client = login(world.hank)
    response = client.post(PROFILE, form_data())
    assert response.status_code == 302
    assert response.url == PROFILE
    world.hank.refresh_from_db()
    assert world.hank.title == "Head of Platform"
    assert world.hank.time_zone == "Europe/Berlin"
    assert world.hank.work_days == [0, 1, 2, 3]
    assert world.hank.work_start == dt.time(8, 30)
    assert world.hank.work_end == dt.time(16, 30)
    assert (world.hank.holiday_country, world.hank.holiday_subdivision) == ("DE", "BY")
    assert "Your profile is saved." in client.get(PROFILE).content.decode()


def test_saving_records_what_changed_in_the_activity_log(world, login):
    login(world.hank).post(PROFILE, form_data())
    activity = Activity.objects.get(kind="closeloop.user.profile_updated")
    assert activity.actor == world.hank
    assert activity.job is None
    assert activity.candidate is None
    assert "time zone" in activity.summary
    assert "working hours" in activity.summary
    assert activity.data["user"] == world.hank.pk


def test_saving_an_unchanged_profile_records_nothing(world, login):
    client = login(world.hank)
    client.post(PROFILE, form_data())
    client.post(PROFILE, form_data())
    assert Activity.objects.filter(kind="closeloop.user.profile_updated").count() == 1


def test_the_out_of_office_window_is_read_in_the_persons_time_zone(world, login):
    data = form_data(
        time_zone="America/New_York",
        out_of_office_from="2027-07-01T09:00",
        out_of_office_until="2027-07-08T09:00",
        delegate=str(world.rita.pk),
    )
    login(world.hank).post(PROFILE, data)
    world.hank.refresh_from_db()
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert world.hank.out_of_office_from == dt.datetime(2027, 7, 1, 9, tzinfo=new_york)
    assert world.hank.out_of_office_until == dt.datetime(2027, 7, 8, 9, tzinfo=new_york)
    assert world.hank.delegate == world.rita


def test_a_new_zone_leaves_the_absence_shown_at_the_same_moment(world, login):
    """Hank moves to New York and leaves his absence as the page showed it (in Berlin
    time): it stays the same moment, not the same hours in New York."""
    away = (dt.datetime(2027, 7, 1, 7, tzinfo=dt.UTC), dt.datetime(2027, 7, 8, 7, tzinfo=dt.UTC))
    world.hank.time_zone = "Europe/Berlin"
    world.hank.out_of_office_from, world.hank.out_of_office_until = away
    world.hank.delegate = world.rita
    world.hank.save()
    client = login(world.hank)
    html = client.get(PROFILE).content.decode()
    kept = {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("out_of_office_from", "out_of_office_until")
    }
    assert kept["out_of_office_from"] == "2027-07-01T09:00"
    data = form_data(time_zone="America/New_York", delegate=str(world.rita.pk), **kept)
    assert client.post(PROFILE, data).status_code == 302
    world.hank.refresh_from_db()
    assert world.hank.time_zone == "America/New_York"
    assert (world.hank.out_of_office_from, world.hank.out_of_office_until) == away


def test_the_form_shows_the_out_of_office_window_in_the_persons_time_zone(world, login):
    world.hank.time_zone = "Asia/Tokyo"
    world.hank.out_of_office_from = dt.datetime(2030, 7, 1, 0, tzinfo=dt.UTC)
    world.hank.out_of_office_until = dt.datetime(2030, 7, 2, 0, tzinfo=dt.UTC)
    world.hank.save()
    html = login(world.hank).get(PROFILE).content.decode()
    assert 'value="2030-07-01T09:00"' in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "is not a known time zone"),
        ({"work_days": []}, "Choose at least one working day."),
        ({"work_start": "17:00", "work_end": "09:00"}, "The working day must end after it starts."),
        ({"work_start": "not a time"}, "Enter a valid time."),
        ({"holiday_country": "XX"}, "is not a country with a public-holiday calendar"),
        ({"holiday_subdivision": "ZZZ"}, "“ZZZ” is not a region of Germany"),
        ({"holiday_country": "", "holiday_subdivision": "BY"}, "Choose the country first."),
        (
            {"out_of_office_from": "2030-07-08T09:00", "out_of_office_until": "2030-07-01T09:00"},
            "The return must come after the start of the absence.",
        ),
        (
            {"out_of_office_from": "2030-07-08T09:00", "out_of_office_until": ""},
            "Give both the start of the absence and the return.",
        ),
        (
            # 02:30 on the last Sunday of March does not exist in Berlin.
            {"out_of_office_from": "2030-03-31T02:30", "out_of_office_until": "2030-04-02T09:00"},
            "because the clocks change",
        ),
        (
            {"out_of_office_from": "2020-07-01T09:00", "out_of_office_until": "2020-07-08T09:00"},
            "That absence is over already",
        ),
        (
            {"out_of_office_from": "2027-07-01T09:00", "out_of_office_until": "9999-12-30T09:00"},
            "Give a return within two years.",
        ),
        ({"full_name": ""}, "This field is required."),
    ],
)
def test_bad_input_shows_a_clear_message_and_changes_nothing(world, login, changes, message):
    before = snapshot(world.hank)
    response = login(world.hank).post(PROFILE, form_data(**changes))
    assert response.status_code == 400  # the form again, with the reason
    assert message in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert snapshot(world.hank) == before
    assert not Activity.objects.filter(kind="closeloop.user.profile_updated").exists()


def test_an_absence_over_since_stays_as_it_was_when_something_else_is_saved(world, login):
    """Hank was away in 2020: saving his new title keeps the record, not a refusal."""
    world.hank.out_of_office_from = dt.datetime(2020, 7, 1, 9, tzinfo=dt.UTC)
    world.hank.out_of_office_until = dt.datetime(2020, 7, 8, 9, tzinfo=dt.UTC)
    world.hank.save()
    client = login(world.hank)
    html = client.get(PROFILE).content.decode()
    kept = {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("out_of_office_from", "out_of_office_until")
    }
    response = client.post(PROFILE, form_data(title="Head of Platform", **kept))
    assert response.status_code == 302
    world.hank.refresh_from_db()
    assert world.hank.title == "Head of Platform"


def test_hank_cannot_make_himself_his_own_delegate(world, login):
    before = snapshot(world.hank)
    response = login(world.hank).post(PROFILE, form_data(delegate=str(world.hank.pk)))
    assert response.status_code == 400  # the form again, with the reason
    assert "Select a valid choice" in response.content.decode()
    assert snapshot(world.hank) == before


def test_two_people_away_together_cannot_cover_each_other(world, login):
    """Rita is away the same week with Hank as her delegate: Hank choosing her while he is
    away would leave both uncovered, so it is refused; someone who is in is accepted."""
    world.rita.out_of_office_from = dt.datetime(2027, 7, 5, 9, tzinfo=dt.UTC)
    world.rita.out_of_office_until = dt.datetime(2027, 7, 12, 9, tzinfo=dt.UTC)
    world.rita.delegate = world.hank
    world.rita.save()
    before = snapshot(world.hank)
    away = {"out_of_office_from": "2027-07-01T09:00", "out_of_office_until": "2027-07-08T09:00"}
    client = login(world.hank)
    response = client.post(PROFILE, form_data(delegate=str(world.rita.pk), **away))
    assert response.status_code == 400
    assert "is away then too, with you as their delegate" in response.content.decode()
    assert snapshot(world.hank) == before
    response = client.post(PROFILE, form_data(delegate=str(world.ivy.pk), **away))
    assert response.status_code == 302


def test_a_guessed_delegate_id_is_refused(world, login):
    response = login(world.hank).post(PROFILE, form_data(delegate="999999"))
    assert response.status_code == 400  # the form again, with the reason
    assert "Select a valid choice" in response.content.decode()


def test_a_lower_case_region_is_saved_as_the_calendar_spells_it(world, login):
    login(world.hank).post(PROFILE, form_data(holiday_country="GB", holiday_subdivision="eng"))
    world.hank.refresh_from_db()
    assert (world.hank.holiday_country, world.hank.holiday_subdivision) == ("GB", "ENG")


def test_hank_cannot_change_his_own_roles_or_manager(world, login):
    data = form_data(is_admin="on", manager=str(world.rita.pk), email="evil@example.com")
    login(world.hank).post(PROFILE, data)
    world.hank.refresh_from_db()
    assert not world.hank.is_admin
    assert world.hank.manager is None
    assert world.hank.email == "hank@example.com"


def test_the_page_says_when_hank_is_out_of_office(world, login):
    now = dt.datetime.now(dt.UTC)
    world.hank.out_of_office_from = now - dt.timedelta(days=1)
    world.hank.out_of_office_until = now + dt.timedelta(days=2)
    world.hank.delegate = world.rita
    world.hank.save()
    html = login(world.hank).get(PROFILE).content.decode()
    assert "Out of office" in html
    assert "Rita Recruiter covers for you" in html


def test_opening_the_profile_changes_nothing(world, login):
    before = snapshot(world.hank)
    login(world.hank).get(PROFILE)
    assert snapshot(world.hank) == before
    assert not Activity.objects.filter(kind="closeloop.user.profile_updated").exists()


def test_the_profile_refuses_other_methods(world, login):
    assert login(world.hank).put(PROFILE).status_code == 405


def test_reminder_preferences_are_saved(world, login):
    response = login(world.hank).post(
        PROFILE, form_data(notify_channel="in_app", batch_window_minutes="30")
    )
    assert response.status_code == 302
    world.hank.refresh_from_db()
    assert (world.hank.notify_channel, world.hank.batch_window_minutes) == ("in_app", 30)


def test_an_unknown_reminder_channel_is_refused(world, login):
    response = login(world.hank).post(PROFILE, form_data(notify_channel="carrier-pigeon"))
    assert response.status_code == 400  # the form again, with the reason
    assert "Select a valid choice" in response.content.decode()
    world.hank.refresh_from_db()
    assert world.hank.notify_channel == "email"


def test_saving_an_absence_names_the_interviews_he_sits_on_meanwhile(world, login, time_machine):
    """Hank sits on a panel during the week he will be away (and on one after it): saving
    the absence names the first, in his own time zone, and says what to do about it."""
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
    for name, start in (
        ("Portfolio review", dt.datetime(2026, 11, 30, 12, 30, tzinfo=dt.UTC)),
        ("Later round", dt.datetime(2026, 12, 10, 12, 30, tzinfo=dt.UTC)),
    ):
        interview = Interview.objects.create(
            application=world.interviewed, round_name=name, starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
        )  # fmt: skip
        interview.interviewers.add(world.hank)
    client = login(world.hank)
    data = form_data(
        out_of_office_from="2026-11-27T00:00",
        out_of_office_until="2026-12-05T00:00",
        delegate=str(world.olga.pk),
    )
    page = client.get(client.post(PROFILE, data).url).content.decode()
    assert (
        "You are on the panel of 1 interview while away: Portfolio review with Carla "
        "Candidate, Mon 30 Nov 13:30 — ask Rita to rebook it or find a stand-in."
    ) in page
    assert "Later round" not in page
    # Saved without an absence: nothing to say.
    page = client.get(client.post(PROFILE, form_data()).url).content.decode()
    assert "on the panel of" not in page


def test_an_absence_whose_delegate_is_away_too_says_who_covers(world, login, time_machine):
    """Hank names Olga, herself away until the next Monday, to cover Tue–Thu: saving says
    so and who covers meanwhile (her own delegate, Ivy); his status names who covers then,
    not a delegate who is away herself."""
    from closeloop.accounts.models import User

    time_machine.move_to(dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC), tick=False)
    User.objects.filter(pk=world.olga.pk).update(
        out_of_office_from=dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC),
        out_of_office_until=dt.datetime(2026, 12, 14, 8, 0, tzinfo=dt.UTC),
        delegate=world.ivy,
    )
    client = login(world.hank)
    data = form_data(
        out_of_office_from="2026-12-08T09:00",
        out_of_office_until="2026-12-10T17:00",
        delegate=str(world.olga.pk),
    )
    page = client.get(client.post(PROFILE, data).url).content.decode()
    assert (
        "Olga Outsider, your delegate, is out of office from Mon 07 Dec 09:00 to Mon 14 Dec "
        "09:00, all of your absence: Ivy Interviewer covers for you then."
    ) in page
    status = re.sub(r"<[^>]+>", "", page.split("<dt>Status</dt>", 1)[1].split("</dd>", 1)[0])
    expected = (
        "Away soon from Tue 08 Dec 09:00 to Thu 10 Dec 17:00; Ivy Interviewer covers for you "
        "(Olga Outsider, your delegate, is away then)."
    )
    assert " ".join(status.split()) == expected
    # With a delegate who is there, the status names her alone.
    User.objects.filter(pk=world.olga.pk).update(out_of_office_from=None, out_of_office_until=None)
    page = client.get(PROFILE).content.decode()
    status = re.sub(r"<[^>]+>", "", page.split("<dt>Status</dt>", 1)[1].split("</dd>", 1)[0])
    assert " ".join(status.split()).endswith("; Olga Outsider covers for you.")


@pytest.mark.parametrize(
    ("country", "region"),
    [("CH", "Stadt Zurich"), ("BR", "São Paulo Capital"), ("NZ", "South Canterbury")],
)
def test_a_region_the_calendar_writes_in_full_can_be_saved(world, login, country, region):
    # The calendar's regions written in full are longer than its codes ("ENG", "BY").
    zone = {"CH": "Europe/Zurich", "BR": "America/Sao_Paulo", "NZ": "Pacific/Auckland"}[country]
    data = form_data(time_zone=zone, holiday_country=country, holiday_subdivision=region)
    response = login(world.hank).post(PROFILE, data)
    assert response.status_code == 302
    world.hank.refresh_from_db()
    assert (world.hank.holiday_country, world.hank.holiday_subdivision) == (country, region)
