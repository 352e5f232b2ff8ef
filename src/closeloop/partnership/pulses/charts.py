"""The pulse trend as an SVG chart (matplotlib through insights.charts' settings), its
numbers also in a table beside it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from closeloop.insights.charts import INK, figure_svg, new_figure, svg_data_uri
from closeloop.partnership.pulses.models import PulseSide
from closeloop.partnership.pulses.selectors import Trend

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COLOURS = ("#1f5fbf", "#b44d12", "#2f7d4f")
FONT = 11  # points, at the figure's size: read at about 8 on a 390 px phone


def pulse_trend_figure(trend: Trend) -> Figure | None:
    """Two panels (HM on recruiter, recruiter on HM), a line per question, each panel's
    legend under it, not over the lines (where it hid the lowest points); None when fewer
    than two rounds are revealed (a trend needs two points). Narrow and tall, with text at
    11 points: the image is scaled to the column, and on a 390 px phone a wide figure
    shrank its labels below reading size."""
    if len(trend.rounds) < 2:
        return None
    figure = new_figure(4.2, 6.6)
    axes = figure.subplots(2, 1, gridspec_kw={"hspace": 0.8})
    for panel, side in zip(axes, PulseSide.values, strict=True):
        rows = [row for row in trend.rows if row.side == side]
        for colour, row in zip(COLOURS, rows, strict=False):
            values = [float("nan") if s is None else s for s in row.scores]
            panel.plot(
                trend.rounds, values, marker="o", color=colour, label=row.label.split(" (")[0]
            )
        panel.set_ylim(0.5, 5.5)
        panel.set_yticks([1, 2, 3, 4, 5])
        panel.tick_params(labelsize=FONT)
        panel.set_xticks(trend.rounds, [f"#{n}" for n in trend.rounds])
        title = (
            "Hiring manager on recruiter"
            if side == PulseSide.HIRING_MANAGER
            else "Recruiter on hiring manager"
        )
        panel.set_title(title, fontsize=FONT, color=INK, loc="left")
        # Under the panel, below its round labels: never on a line.
        panel.legend(
            fontsize=FONT,
            loc="upper left",
            bbox_to_anchor=(-0.02, -0.14),
            frameon=False,
            ncols=2,
            handlelength=1.5,
            columnspacing=1.0,
        )
        panel.spines[["top", "right"]].set_visible(False)
    return figure


def pulse_trend_uri(trend: Trend) -> str:
    """The trend chart as a data: address for an <img>; "" when there is no chart."""
    figure = pulse_trend_figure(trend)
    return svg_data_uri(figure_svg(figure)) if figure is not None else ""
