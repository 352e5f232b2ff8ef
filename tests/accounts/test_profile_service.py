"""user_update_profile: who may edit a profile, and the rules it enforces."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.accounts.services import PROFILE_FIELDS, user_update_profile
from closeloop.activity.models import Activity


def profile_of(user, **changes) -> dict:
    data = {name: getattr(user, name) for name in PROFILE_FIELDS}
    data.update(changes)
    return data


def test_olga_cannot_edit_hanks_profile(world):
    with pytest.raises(PermissionDenied):
        user_update_profile(user=world.hank, by=world.olga, data=profile_of(world.hank, title="X"))
    world.hank.refresh_from_db()
    assert world.hank.title == ""


def test_an_admin_edits_someone_elses_profile_and_the_log_says_so(world):
    user_update_profile(user=world.hank, by=world.ada, data=profile_of(world.hank, title="VP"))
    world.hank.refresh_from_db()
    assert world.hank.title == "VP"
    activity = Activity.objects.get(kind="closeloop.user.profile_updated")
    assert activity.actor == world.ada
    assert activity.summary == "Ada Admin updated Hank Manager's profile: title"


def test_a_person_cannot_be_their_own_delegate(world):
    with pytest.raises(ValidationError) as error:
        user_update_profile(
            user=world.hank, by=world.hank, data=profile_of(world.hank, delegate=world.hank)
        )
    assert error.value.message_dict["delegate"] == [
        "You cannot be your own delegate; choose a colleague."
    ]


def test_an_inactive_delegate_is_refused(world):
    world.rita.is_active = False
    world.rita.save()
    with pytest.raises(ValidationError) as error:
        user_update_profile(
            user=world.hank, by=world.hank, data=profile_of(world.hank, delegate=world.rita)
        )
    assert "no longer has an active account" in error.value.message_dict["delegate"][0]


def test_all_errors_come_back_together_and_nothing_changes(world):
    data = profile_of(
        world.hank,
        title="Changed",
        time_zone="Nowhere/Land",
        work_days=[],
        holiday_country="QQ",
    )
    with pytest.raises(ValidationError) as error:
        user_update_profile(user=world.hank, by=world.hank, data=data)
    assert set(error.value.message_dict) == {"time_zone", "work_days", "holiday_country"}
    world.hank.refresh_from_db()
    assert world.hank.title == ""


def test_working_days_are_stored_sorted_and_once(world):
    user_update_profile(
        user=world.hank, by=world.hank, data=profile_of(world.hank, work_days=[4, 0, 4, 2])
    )
    world.hank.refresh_from_db()
    assert world.hank.work_days == [0, 2, 4]


def test_a_working_day_that_ends_before_it_starts_is_refused(world):
    data = profile_of(world.hank, work_start=dt.time(18), work_end=dt.time(9))
    with pytest.raises(ValidationError) as error:
        user_update_profile(user=world.hank, by=world.hank, data=data)
    assert "work_end" in error.value.message_dict


def _region_refusal(user, country: str) -> str:
    data = profile_of(user, holiday_country=country, holiday_subdivision="XX")
    with pytest.raises(ValidationError) as error:
        user_update_profile(user=user, by=user, data=data)
    return error.value.message_dict["holiday_subdivision"][0]


def test_an_unknown_region_is_refused_naming_each_code_with_its_region(world):
    message = _region_refusal(world.hank, "DE")
    assert message.startswith("“XX” is not a region of Germany. Known regions: BB (Brandenburg), ")
    assert "BE (Berlin)" in message
    # Augsburg is a city with a holiday of its own, whose code is its name: it is listed
    # apart from the states, said to be written in full, never as one more "code (name)".
    assert message.endswith("TH (Thüringen); also, written in full: Augsburg.")
    assert "), Augsburg" not in message
    assert "Known regions: ENG (England), NIR (Northern Ireland), SCT (Scotland), WLS (Wales)." in (
        _region_refusal(world.hank, "GB")
    )


def test_a_country_whose_regions_have_no_codes_lists_them_written_in_full(world):
    """Belgium's calendars are its three language communities, named, not coded."""
    message = _region_refusal(world.hank, "BE")
    assert message.endswith("Known regions, written in full: Flemish, French and German.")
    assert "()" not in message
