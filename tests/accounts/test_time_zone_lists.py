"""The time-zone lists offer the IANA database's own names (Area/City, and UTC), never the
deprecated aliases ("US/Eastern", "GB", "Etc/GMT+5", "Europe/Kiev"); a zone already stored
under an alias stays accepted and shown."""

from __future__ import annotations

import re

import pytest

from closeloop.accounts.selectors import time_zone_choices, time_zone_options

ALIASES = ("US/Eastern", "GB", "Etc/GMT+5", "Europe/Kiev", "Asia/Calcutta", "EST5EDT", "Zulu")
AREA_CITY = re.compile(
    r"(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Z][\w+-]*(/[A-Z][\w+-]*)?"
)


def offered(choices) -> list[str]:
    return [value for value, _ in choices]


def test_the_flat_list_offers_only_canonical_area_city_zones_and_utc():
    names = offered(time_zone_options())
    assert "Europe/Berlin" in names and "America/New_York" in names and "UTC" in names
    assert "Europe/Kyiv" in names and "Asia/Kolkata" in names
    for alias in ALIASES:
        assert alias not in names
    assert all(name == "UTC" or AREA_CITY.fullmatch(name) for name in names)


def test_the_profile_list_offers_the_same_zones_grouped_by_area():
    grouped = [value for _, zones in time_zone_choices() for value, _ in zones]
    assert sorted(grouped) == sorted(offered(time_zone_options()))


def test_a_zone_stored_under_an_alias_is_still_offered_so_the_form_keeps_it():
    assert "US/Eastern" in offered(time_zone_options(current="US/Eastern"))
    assert "US/Eastern" in [v for _, zones in time_zone_choices("US/Eastern") for v, _ in zones]
    assert "Not/AZone" not in offered(time_zone_options(current="Not/AZone"))


@pytest.mark.django_db
def test_rescheduling_an_interview_booked_under_an_alias_keeps_its_zone(clock, world):
    from closeloop.interviews.forms import RescheduleForm

    form = RescheduleForm(job=world.job, current_zone="US/Eastern")
    assert "US/Eastern" in offered(form.fields["time_zone"].choices)
    assert "US/Pacific" not in offered(form.fields["time_zone"].choices)
