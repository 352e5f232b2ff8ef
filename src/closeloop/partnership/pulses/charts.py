"""The pulse trend as an SVG chart (matplotlib through insights.charts' settings), its
numbers also in a table beside it."""

from __future__ import annotations

from closeloop.insights.charts import INK, figure_svg, new_figure, svg_data_uri
from closeloop.partnership.pulses.models import PulseSide
from closeloop.partnership.pulses.selectors import Trend

COLOURS = ("#1f5fbf", "#b44d12", "#2f7d4f")


def pulse_trend_uri(trend: Trend) -> str:
    """Two small panels (HM on recruiter, recruiter on HM), a line per question; "" when
    fewer than two rounds are revealed (a trend needs two points)."""
    if len(trend.rounds) < 2:
        return ""
    figure = new_figure(5.2, 4.4)
    axes = figure.subplots(2, 1, sharex=True)
    for panel, side in zip(axes, PulseSide.values, strict=True):
        rows = [row for row in trend.rows if row.side == side]
        for colour, row in zip(COLOURS, rows, strict=False):
            values = [float("nan") if s is None else s for s in row.scores]
            panel.plot(
                trend.rounds, values, marker="o", color=colour, label=row.label.split(" (")[0]
            )
        panel.set_ylim(0.5, 5.5)
        panel.set_yticks([1, 2, 3, 4, 5])
        title = (
            "Hiring manager on recruiter"
            if side == PulseSide.HIRING_MANAGER
            else ("Recruiter on hiring manager")
        )
        panel.set_title(title, fontsize=10, color=INK, loc="left")
        panel.legend(fontsize=8, loc="lower left", frameon=False, ncols=3)
        panel.spines[["top", "right"]].set_visible(False)
    axes[-1].set_xticks(trend.rounds, [f"#{n}" for n in trend.rounds])
    axes[-1].set_xlabel("Round", color=INK)
    return svg_data_uri(figure_svg(figure))
