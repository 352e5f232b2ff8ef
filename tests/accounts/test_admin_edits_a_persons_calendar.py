"""An admin edits someone else's working calendar and out of office from the People page
(/people/<pk>/calendar/): the profile's own fields and rules, saved through the profile's
service, so the open asks the person owes are re-timed (and the admin reads so, as the profile
page says it); every field not edited stays as it was; a refusal saves nothing; the person is
told by a message who changed what."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from closeloop.accounts.models import User
from closeloop.activity.models import Activity
from closeloop.followups.models import Ask
from closeloop.notify.models import Message
from closeloop.pipeline.services import application_submit

UTC = dt.UTC


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def url(person) -> str:
    return reverse("people:calendar", args=[person.pk])


def shown(person) -> dict:
    """The page's form as it comes, for hank's calendar as stored."""
    return {
        "time_zone": person.time_zone,
        "work_days": [str(day) for day in person.work_days],
        "work_start": person.work_start.strftime("%H:%M"),
        "work_end": person.work_end.strftime("%H:%M"),
        "holiday_country": person.holiday_country,
        "holiday_subdivision": person.holiday_subdivision,
        "out_of_office_from": "",
        "out_of_office_until": "",
    }


def everything(person) -> dict:
    person = User.objects.get(pk=person.pk)
    names = ("full_name", "title", "time_zone", "work_days", "work_start", "work_end",
             "holiday_country", "holiday_subdivision", "out_of_office_from",
             "out_of_office_until", "delegate_id", "notify_channel", "batch_window_minutes",
             "manager_id", "is_hiring_manager")  # fmt: skip
    return {name: getattr(person, name) for name in names}


@pytest.fixture
def hank(world):
    User.objects.filter(pk=world.hank.pk).update(
        title="Head of Platform", delegate=world.olga, notify_channel="email",
        batch_window_minutes=240, holiday_country="GB", holiday_subdivision="ENG",
    )  # fmt: skip
    return User.objects.get(pk=world.hank.pk)


def test_the_page_shows_the_calendar_as_stored(world, clock, login, hank):
    page = login(world.ada).get(url(hank))
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert "Working calendar of Hank Manager" in html
    assert 'name="time_zone"' in html and 'name="work_days"' in html
    assert 'name="out_of_office_from"' in html
    # Only the calendar: nothing else of the profile is offered here.
    for other in ("full_name", "title", "delegate", "notify_channel", "batch_window_minutes"):
        assert f'name="{other}"' not in html
    assert 'value="ENG"' in html


def test_the_people_list_links_to_it(world, clock, login, hank):
    html = login(world.ada).get(reverse("people:list")).content.decode()
    assert f'href="{url(hank)}"' in html


def test_one_field_changed_leaves_every_other_as_it_was(world, clock, login, hank):
    before = everything(hank)
    data = {**shown(hank), "time_zone": "Europe/Berlin"}
    response = login(world.ada).post(url(hank), data)
    assert response.status_code == 302
    after = everything(hank)
    assert after["time_zone"] == "Europe/Berlin"
    assert {**after, "time_zone": before["time_zone"]} == before
    activity = Activity.objects.filter(kind="closeloop.user.profile_updated").latest("pk")
    assert activity.actor_id == world.ada.pk and "time zone" in activity.summary


def test_a_new_zone_leaves_the_absence_at_the_same_moment(world, clock, login, hank):
    User.objects.filter(pk=hank.pk).update(
        out_of_office_from=at(30, 9), out_of_office_until=at(30, 17)
    )
    hank.refresh_from_db()
    data = {**shown(hank), "out_of_office_from": "2026-11-30T09:00",
            "out_of_office_until": "2026-11-30T17:00", "time_zone": "America/New_York"}  # fmt: skip
    assert login(world.ada).post(url(hank), data).status_code == 302
    hank.refresh_from_db()
    assert hank.time_zone == "America/New_York"
    assert (hank.out_of_office_from, hank.out_of_office_until) == (at(30, 9), at(30, 17))


def test_an_absence_is_typed_in_the_persons_zone(world, clock, login, hank):
    User.objects.filter(pk=hank.pk).update(time_zone="Europe/Berlin")
    hank.refresh_from_db()
    data = {**shown(hank), "out_of_office_from": "2026-11-30T09:00",
            "out_of_office_until": "2026-12-04T17:00"}  # fmt: skip
    assert login(world.ada).post(url(hank), data).status_code == 302
    hank.refresh_from_db()
    assert hank.out_of_office_from == at(30, 8)
    assert hank.out_of_office_until == dt.datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    assert hank.delegate_id == world.olga.pk


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"work_start": "18:00", "work_end": "09:00"}, "The working day must end after it starts."),
        ({"time_zone": "Mars/Olympus"}, "is not a known time zone"),
        ({"work_days": []}, "Choose at least one working day."),
        ({"holiday_subdivision": "XX"}, "is not a region of"),
        ({"out_of_office_from": "2026-11-30T09:00"}, "Give both the start of the absence"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(world, clock, login, hank, change, problem):
    before = everything(hank)
    data = {**shown(hank), "title": "Hacked", "time_zone": "Europe/Berlin", **change}
    response = login(world.ada).post(url(hank), data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Nothing was saved." in html and problem in html
    assert everything(hank) == before
    assert not Message.objects.filter(template="calendar-changed").exists()


def test_a_delegate_who_left_is_named_in_words_for_the_admin(world, clock, login, hank):
    User.objects.filter(pk=world.olga.pk).update(is_active=False)
    data = {**shown(hank), "time_zone": "Europe/Berlin"}
    response = login(world.ada).post(url(hank), data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Hank Manager's delegate, Olga Outsider, no longer has an active account" in html
    assert User.objects.get(pk=hank.pk).time_zone == "UTC"


def test_an_absence_while_the_delegate_is_away_covering_for_them_is_refused(
    world, clock, login, hank
):
    User.objects.filter(pk=world.olga.pk).update(
        delegate=hank, out_of_office_from=at(30, 9), out_of_office_until=at(30, 17)
    )
    data = {**shown(hank), "out_of_office_from": "2026-11-30T10:00",
            "out_of_office_until": "2026-11-30T12:00"}  # fmt: skip
    response = login(world.ada).post(url(hank), data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Olga Outsider, Hank Manager's delegate, is away then too" in html
    assert User.objects.get(pk=hank.pk).out_of_office_from is None


def test_the_open_asks_are_re_timed_and_the_admin_reads_so(world, clock, login, hank):
    User.objects.filter(pk=hank.pk).update(holiday_country="", holiday_subdivision="")
    hank.refresh_from_db()
    application_submit(
        application=world.interviewed, by=world.rita, pitch="Ran Postgres on-call.",
        must_haves_met=["Python", "PostgreSQL"],
    )  # fmt: skip
    clock.move_to(at(23, 12))
    data = {**shown(hank), "time_zone": "America/New_York", "work_start": "10:00",
            "work_end": "18:00", "holiday_country": "US", "holiday_subdivision": "NY"}  # fmt: skip
    response = login(world.ada).post(url(hank), data, follow=True)
    assert Ask.objects.get(kind="review_submission").due_at == at(24, 21)
    html = unescape(response.content.decode())
    assert "Hank Manager’s working calendar is saved." in html
    assert "1 open follow-up Hank Manager owes was re-timed to Hank's new calendar" in html


def test_the_person_is_told_who_changed_what(world, clock, login, hank):
    data = {**shown(hank), "time_zone": "Europe/Berlin", "work_start": "08:00"}
    login(world.ada).post(url(hank), data)
    message = Message.objects.get(template="calendar-changed", recipient=hank)
    assert message.subject == "Ada Admin changed your working calendar"
    assert "Ada Admin changed your working calendar in Closeloop" in message.body_text
    assert "Time zone: Europe/Berlin (was UTC)" in message.body_text
    assert "Working hours: 08:00–17:00 (was 09:00–17:00)" in message.body_text
    assert "Working days" not in message.body_text
    assert reverse("accounts:profile") in message.body_text


def test_nobody_is_told_when_nothing_changed_or_of_their_own_change(world, clock, login, hank):
    assert login(world.ada).post(url(hank), shown(hank)).status_code == 302
    assert not Message.objects.filter(template="calendar-changed").exists()
    own = {**shown(hank), "full_name": "Hank Manager", "title": "", "delegate": "",
           "notify_channel": "email", "batch_window_minutes": "120",
           "time_zone": "Europe/Berlin"}  # fmt: skip
    assert login(hank).post(reverse("accounts:profile"), own).status_code == 302
    assert User.objects.get(pk=hank.pk).time_zone == "Europe/Berlin"
    assert not Message.objects.filter(template="calendar-changed").exists()


@pytest.mark.parametrize("persona", ["rita", "hank", "ivy", "olga"])
def test_non_admins_get_404_and_nothing_changes(world, clock, login, persona):
    target = world.ivy if persona != "ivy" else world.rita
    client = login(getattr(world, persona))
    assert client.get(url(target)).status_code == 404
    data = {**shown(target), "time_zone": "Europe/Berlin"}
    assert client.post(url(target), data).status_code == 404
    assert User.objects.get(pk=target.pk).time_zone == target.time_zone


def test_a_page_opened_before_the_person_changed_their_calendar_saves_nothing(
    world, clock, login, hank
):
    """Ada opens hank's calendar; hank then moves to London on his profile; Ada's save of
    the page she opened would put Berlin back: refused, the page shown again as it is now
    with what she changed kept, and saved on her next try."""
    client = login(world.ada)
    page = unescape(client.get(url(hank)).content.decode())
    seen = re.search(r'name="seen" value="([^"]*)"', page).group(1)
    assert hank.time_zone != "Europe/London"
    User.objects.filter(pk=hank.pk).update(time_zone="Europe/London")
    data = {**shown(hank), "work_days": ["5"], "seen": seen}  # the zone as the page showed it
    refused = client.post(url(hank), data)
    assert refused.status_code == 400
    html = unescape(refused.content.decode())
    assert "since you opened the page: time zone" in html
    assert User.objects.get(pk=hank.pk).work_days != [5]  # nothing saved
    assert 'value="Europe/London" selected' in html  # the page as it is now
    again = re.search(r'name="seen" value="([^"]*)"', html).group(1)
    kept = {**data, "time_zone": "Europe/London", "seen": again}
    assert client.post(url(hank), kept).status_code == 302
    saved = User.objects.get(pk=hank.pk)
    assert (saved.time_zone, saved.work_days) == ("Europe/London", [5])
