"""Figures rounded as a person reads them, halves up, the same on a page and in its CSV."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from closeloop.lib.rounding import percent, percent_text, rounded, rounded_text


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (4.25, 1, 4.3),  # round(4.25, 1) == 4.2: halves to even
        (0.15, 1, 0.2),  # the float is 0.1499999…; it reads 0.15
        (2.675, 2, 2.68),  # round() gives 2.67
        (3.04999, 1, 3.0),
        (4.0, 1, 4.0),
        (100 * (7 / 40), 0, 18.0),  # 17.499999999999996 by arithmetic: a half
    ],
)
def test_halves_round_up(value, places, expected):
    assert rounded(value, places) == expected


def test_pages_and_csvs_read_the_same_digits():
    assert rounded_text(4.25) == "4.3" and rounded_text(4.0) == "4.0" and rounded_text(None) == ""
    assert percent(1 / 8) == 12.5 and percent_text(1 / 8) == "13" and percent_text(None) == ""
    page = Template("{% load closeloop %}{{ days|rounded:1 }} {{ share|percent }}%")
    assert page.render(Context({"days": 4.25, "share": 0.625})) == "4.3 63%"
