"""Charts drawn on the server as SVG (matplotlib, no JavaScript), embedded as data: images.

A data: image is its own document, so the styles matplotlib writes inside the SVG apply
under the site's strict Content-Security-Policy (`img-src 'self' data:`), which would refuse
them inline in the page. The output is deterministic (fixed hash salt, no date), so the same
figures draw the same bytes.

A chart is a pure function of its numbers and labels, and matplotlib takes 15-40 ms to draw
one, most of a record or funnel page's time: the last charts drawn are kept, keyed by their
data, so a page viewed again with the same figures (a reload, another filter that leaves the
chart alone) draws nothing. New figures are a new key: a kept chart is never stale.

matplotlib itself is imported when the first chart of a process is drawn (`new_figure`), not
when the URLconf loads this module: importing it costs about half a second of CPU, which
every process paid at start-up (each server worker, the worker command, `closeloop demo`)
whether it ever drew a chart or not.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from closeloop.insights.selectors import Week

if TYPE_CHECKING:
    from matplotlib.figure import Figure

INK, BAR, LINE = "#1f2933", "#9fb3c8", "#b44d12"
MAX_LABELS = 7
CHARTS_KEPT = 256  # per chart kind and process: a few MB of SVG text at most


@cache
def _figure_class() -> type[Figure]:
    """matplotlib's Figure, matplotlib imported and set up once per process."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.use("Agg")  # no display on a server
    matplotlib.rcParams["svg.hashsalt"] = "closeloop"
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, selectable
    # Labels are people's free text (stage names): "$" is a dollar sign, never mathtext,
    # which would refuse an unpaired one.
    matplotlib.rcParams["text.parse_math"] = False
    return Figure


def new_figure(width: float, height: float) -> Figure:
    """An empty figure of `width` x `height` inches at 100 dpi, in the site's chart settings."""
    return _figure_class()(figsize=(width, height), dpi=100)


def figure_svg(figure: Figure) -> str:
    """The figure as SVG text, cropped to what is drawn, with no date (same figures, same
    bytes)."""
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return out.getvalue()


def weekly_trend_svg(weeks: Sequence[Week]) -> str:
    """Asks answered per week (bars) and the share answered in time (line, right axis)."""
    return _weekly_trend_svg(tuple(weeks))


@lru_cache(maxsize=CHARTS_KEPT)
def _weekly_trend_svg(weeks: tuple[Week, ...]) -> str:
    return figure_svg(weekly_trend_figure(weeks))


def weekly_trend_figure(weeks: Sequence[Week]) -> Figure:
    """The figure of `weekly_trend_svg` (undrawn)."""
    # Small and square-ish: the image is scaled to the column, and on a phone a wide figure
    # would shrink its text below reading size.
    figure = new_figure(5.2, 3.2)
    bars = figure.add_subplot()
    places = range(len(weeks))
    bars.bar(places, [week.answered for week in weeks], color=BAR, label="Answered")
    bars.set_ylabel("Answered", color=INK)
    # Counts: from 0, in whole asks, about five ticks (matplotlib centred an all-zero axis
    # on 0 and ticked it from -0.04 to 0.04).
    most = max([1, *(week.answered for week in weeks)])
    step = -(-most // 5)
    ticks = range(0, most + step, step)
    bars.set_yticks(ticks)
    bars.set_ylim(0, ticks[-1] * 1.05)
    every = max(1, -(-len(weeks) // MAX_LABELS))  # at most MAX_LABELS week labels
    shown = list(places)[::every]
    labels = [weeks[i].starts.strftime("%-d %b") for i in shown]
    bars.set_xticks(shown, labels, rotation=45, ha="right", fontsize=10)
    bars.spines[["top"]].set_visible(False)
    line = bars.twinx()
    shares = [None if week.within_share is None else 100 * week.within_share for week in weeks]
    line.plot(places, [float("nan") if s is None else s for s in shares], color=LINE, marker="o")
    line.set_ylim(0, 105)
    line.set_ylabel("% in time", color=LINE)
    line.spines[["top"]].set_visible(False)
    return figure


def weekly_trend_uri(weeks: Sequence[Week]) -> str:
    """The week-by-week chart as a data: address; "" when nothing was answered in these
    weeks (the page says so in words: an empty chart tells nothing)."""
    if not any(week.answered for week in weeks):
        return ""
    return svg_data_uri(weekly_trend_svg(weeks))


def svg_data_uri(svg: str) -> str:
    """`svg` as a data: address for an <img src>."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def funnel_svg(labels: Sequence[str], reached: Sequence[int]) -> str:
    """How many candidates reached each stage: horizontal bars, first stage on top."""
    return _funnel_svg(tuple(labels), tuple(reached))


@lru_cache(maxsize=CHARTS_KEPT)
def _funnel_svg(labels: tuple[str, ...], reached: tuple[int, ...]) -> str:
    height = 0.9 + 0.42 * max(1, len(labels))
    figure = new_figure(5.2, height)
    bars = figure.add_subplot()
    places = list(range(len(labels)))[::-1]  # the first stage at the top
    bars.barh(places, reached, color=BAR)
    bars.set_yticks(places, list(labels), fontsize=10)
    for place, value in zip(places, reached, strict=True):
        bars.annotate(str(value), (value, place), xytext=(3, 0), textcoords="offset points",
                      va="center", fontsize=9, color=INK)  # fmt: skip
    bars.set_xlabel("Candidates who reached the stage", color=INK)
    bars.spines[["top", "right"]].set_visible(False)
    return figure_svg(figure)
