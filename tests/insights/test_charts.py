"""The charts are kept by their data: the same figures are drawn once per process, other
figures draw another chart, and what is drawn does not depend on whether it was kept."""

from __future__ import annotations

import datetime as dt

from closeloop.insights import charts
from closeloop.insights.selectors import Week

MONDAY = dt.date(2026, 11, 2)


def _weeks(*answered: int) -> list[Week]:
    return [Week(MONDAY + dt.timedelta(days=7 * i), n, n // 2) for i, n in enumerate(answered)]


def test_the_same_weeks_are_drawn_once_whatever_holds_them():
    charts._weekly_trend_svg.cache_clear()

    first = charts.weekly_trend_svg(_weeks(3, 0, 5))
    again = charts.weekly_trend_svg(tuple(_weeks(3, 0, 5)))  # equal weeks, new objects

    assert again == first
    assert charts._weekly_trend_svg.cache_info()[:2] == (1, 1)  # (hits, misses)


def test_other_weeks_draw_another_chart():
    first = charts.weekly_trend_svg(_weeks(3, 0, 5))

    assert charts.weekly_trend_svg(_weeks(3, 0, 6)) != first
    assert charts.weekly_trend_svg(_weeks(3, 0)) != first


def test_a_kept_chart_is_the_one_drawing_would_give():
    kept = charts.weekly_trend_svg(_weeks(1, 2, 3))
    charts._weekly_trend_svg.cache_clear()

    assert charts.weekly_trend_svg(_weeks(1, 2, 3)) == kept


def test_the_funnel_is_kept_by_its_labels_and_counts():
    charts._funnel_svg.cache_clear()
    first = charts.funnel_svg(["Sourced", "Submitted"], [4, 2])

    assert charts.funnel_svg(("Sourced", "Submitted"), (4, 2)) == first
    assert charts._funnel_svg.cache_info()[:2] == (1, 1)
    assert charts.funnel_svg(["Sourced", "Submitted"], [4, 1]) != first
    assert charts.funnel_svg(["Sourced", "Screened"], [4, 2]) != first


def test_the_answered_axis_counts_from_zero_in_whole_asks():
    for answered in ((0, 0, 0), (0, 1, 0), (3, 0, 5)):
        figure = charts.weekly_trend_figure(_weeks(*answered))
        bars = figure.axes[0]
        low, high = bars.get_ylim()
        assert low == 0 and high >= max(1, *answered)
        assert all(tick == int(tick) for tick in bars.get_yticks())
    assert charts.weekly_trend_uri(_weeks(0, 0, 0)) == ""
    assert charts.weekly_trend_uri(_weeks(0, 2, 0)).startswith("data:image/svg+xml;base64,")
