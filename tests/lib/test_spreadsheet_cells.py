"""CSV cells: times for machines (ISO 8601, UTC with its offset), formulas neutralised."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from closeloop.lib.spreadsheet import cell_safe

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def test_an_aware_time_is_written_in_utc_with_its_offset_to_the_second():
    moment = dt.datetime(2026, 11, 26, 11, 23, 45, 123456, tzinfo=BERLIN)
    assert cell_safe(moment) == "2026-11-26T10:23:45+00:00"


def test_times_in_one_offset_sort_as_text_in_the_order_of_time():
    summer = dt.datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN)  # CEST, 00:30 UTC
    winter = dt.datetime(2026, 10, 25, 2, 10, tzinfo=BERLIN).replace(fold=1)  # CET, 01:10 UTC
    cells = [cell_safe(winter), cell_safe(summer)]
    assert sorted(cells) == [cell_safe(summer), cell_safe(winter)]


def test_a_date_is_iso_and_text_and_numbers_stay_as_they_were():
    assert cell_safe(dt.date(2026, 12, 31)) == "2026-12-31"
    assert cell_safe(7) == 7
    assert cell_safe("=1+1") == "'=1+1"
    assert cell_safe(None) == ""
