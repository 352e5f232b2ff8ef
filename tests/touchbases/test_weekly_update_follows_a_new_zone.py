"""A new time zone on the profile moves the weekly update at once, to its slot there.

hank's update is Mondays 08:00; he moves from Berlin to New York on his profile page: the
next one is Monday 08:00 New York (13:00 UTC), and the profile says so, without pressing
"Save weekly update" again. Back to Berlin, it is 08:00 Berlin again.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.accounts.services import PROFILE_FIELDS, user_update_profile
from closeloop.touchbases.models import WeeklyUpdateSchedule
from closeloop.touchbases.weekly import weekly_update_configure

MONDAY_8_BERLIN = dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)
MONDAY_8_NEW_YORK = dt.datetime(2026, 11, 30, 13, 0, tzinfo=dt.UTC)


def _move(person, zone: str) -> None:
    data = {name: getattr(person, name) for name in PROFILE_FIELDS}
    user_update_profile(user=person, by=person, data={**data, "time_zone": zone})


def _next_run(person) -> dt.datetime | None:
    return WeeklyUpdateSchedule.objects.get(person=person).next_run_at


def test_a_new_zone_moves_the_next_update_to_its_slot_there(world, login):
    hank = world.hank
    hank.time_zone = "Europe/Berlin"
    hank.save()
    weekly_update_configure(person=hank, by=hank, enabled=True, weekday=0, send_time=dt.time(8, 0))
    assert _next_run(hank) == MONDAY_8_BERLIN
    _move(hank, "America/New_York")
    assert _next_run(hank) == MONDAY_8_NEW_YORK
    text = login(hank).get(reverse("accounts:profile")).content.decode()
    assert "Mon 30 Nov 08:00" in text and "Mon 30 Nov 02:00" not in text
    _move(hank, "Europe/Berlin")
    assert _next_run(hank) == MONDAY_8_BERLIN


def test_other_calendar_changes_leave_it_where_it_is(world):
    hank = world.hank
    weekly_update_configure(person=hank, by=hank, enabled=True, weekday=0, send_time=dt.time(8, 0))
    before = _next_run(hank)
    data = {name: getattr(hank, name) for name in PROFILE_FIELDS}
    user_update_profile(user=hank, by=hank, data={**data, "work_start": dt.time(7, 0)})
    assert _next_run(hank) == before


def _admin_form(client, url, **changes):
    """The person's admin change form as the page fills it, with `changes` (as
    tests/accounts/test_user_admin.py fills it)."""
    form = client.get(url).context["adminform"].form
    skipped = ("password", "groups", "user_permissions", "date_joined", "last_login")
    skipped += ("is_staff", "sees_all_jobs", "is_admin")
    data = {k: v for k, v in form.initial.items() if v is not None and k not in skipped}
    data.update(work_days="[0, 1, 2, 3, 4]", work_start="09:00", work_end="17:00")
    return {**data, **changes}


def test_a_zone_changed_in_the_admin_moves_it_too(world, login):
    hank = world.hank
    hank.time_zone = "Europe/Berlin"
    hank.save()
    weekly_update_configure(person=hank, by=hank, enabled=True, weekday=0, send_time=dt.time(8, 0))
    client = login(world.ada)
    url = reverse("admin:accounts_user_change", args=[hank.pk])
    data = _admin_form(client, url, time_zone="America/New_York")
    assert client.post(url, data).status_code == 302
    assert _next_run(hank) == MONDAY_8_NEW_YORK
