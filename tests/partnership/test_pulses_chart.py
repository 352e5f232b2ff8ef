"""The pulse trend chart, as a phone shows it: each panel's legend under its lines, never on
them, and text big enough once the image is scaled to a 390 px column."""

from __future__ import annotations

import datetime as dt

from matplotlib.backends.backend_agg import FigureCanvasAgg

from closeloop.partnership.pulses.charts import pulse_trend_figure, pulse_trend_uri
from closeloop.partnership.pulses.models import QUESTIONS, PulseSide
from closeloop.partnership.pulses.selectors import Trend, TrendRow

PHONE_COLUMN = 350  # px: a 390 px screen less the page's margins


def _trend() -> Trend:
    """Three revealed rounds, the lowest score (1) in the first round's corner, where the
    legend sat."""
    scores = {
        PulseSide.HIRING_MANAGER: [[1, 3, 3], [4, 3, 2], [4, 3, 2]],
        PulseSide.RECRUITER: [[1, 3, 1], [3, 3, 2], [3, 2, 3]],
    }
    rows = [
        TrendRow(side, f"{label} (side)", values)
        for side in PulseSide.values
        for label, values in zip(QUESTIONS[side], scores[side], strict=True)
    ]
    start = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    return Trend([1, 2, 3], [start + dt.timedelta(weeks=2 * i) for i in range(3)], rows)


def test_each_legend_sits_under_its_panel_not_on_its_lines():
    figure = pulse_trend_figure(_trend())
    assert figure is not None
    renderer = FigureCanvasAgg(figure).get_renderer()
    for axes in figure.axes:
        legend = axes.get_legend().get_window_extent(renderer)
        plot = axes.get_window_extent(renderer)
        assert legend.y1 <= plot.y0  # wholly below the plotting area
        labels = [text.get_fontsize() for text in axes.get_legend().get_texts()]
        ticks = [label.get_fontsize() for label in axes.get_yticklabels()]
        # Read at 8 points or more once the figure is scaled to a phone's column.
        scale = PHONE_COLUMN / (figure.get_figwidth() * figure.dpi)
        assert min(labels + ticks) * scale >= 8


def test_no_chart_under_two_revealed_rounds():
    one = Trend([1], [dt.datetime(2026, 10, 1, tzinfo=dt.UTC)], [])
    assert pulse_trend_figure(one) is None and pulse_trend_uri(one) == ""
    assert pulse_trend_uri(_trend()).startswith("data:image/svg+xml;base64,")
