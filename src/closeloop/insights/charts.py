"""Charts drawn on the server as SVG (matplotlib, no JavaScript), embedded as data: images.

A data: image is its own document, so the styles matplotlib writes inside the SVG apply
under the site's strict Content-Security-Policy (`img-src 'self' data:`), which would refuse
them inline in the page. The output is deterministic (fixed hash salt, no date), so the same
figures draw the same bytes.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display on a server

from matplotlib.figure import Figure

from closeloop.insights.selectors import Week

matplotlib.rcParams["svg.hashsalt"] = "closeloop"
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, selectable
INK, BAR, LINE = "#1f2933", "#9fb3c8", "#b44d12"


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return out.getvalue()


def weekly_trend_svg(weeks: Sequence[Week]) -> str:
    """Asks answered per week (bars) and the share answered in time (line, right axis)."""
    figure = Figure(figsize=(7, 2.8), dpi=100)
    bars = figure.add_subplot()
    labels = [week.starts.strftime("%-d %b") for week in weeks]
    places = range(len(weeks))
    bars.bar(places, [week.answered for week in weeks], color=BAR, label="Answered")
    bars.set_ylabel("Answered", color=INK)
    bars.set_xticks(list(places), labels, rotation=60, ha="right", fontsize=8)
    bars.spines[["top"]].set_visible(False)
    line = bars.twinx()
    shares = [None if week.within_share is None else 100 * week.within_share for week in weeks]
    line.plot(places, [float("nan") if s is None else s for s in shares], color=LINE, marker="o")
    line.set_ylim(0, 105)
    line.set_ylabel("% in time", color=LINE)
    line.spines[["top"]].set_visible(False)
    return _svg(figure)


def svg_data_uri(svg: str) -> str:
    """`svg` as a data: address for an <img src>."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
