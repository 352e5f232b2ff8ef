"""On a phone, the bulk bar's choices show their whole prompt: the reject reason read
"Choose a reasor", cut off, when two selects shared a 390 px line. Screenshots go to
test-results/."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"

# The room a select's chosen option needs: its text in the select's font, its padding and
# the arrow (a glyph and a bit wide), against the room it has.
CUT_OFF = """(select) => {
    const style = getComputedStyle(select);
    const context = document.createElement('canvas').getContext('2d');
    context.font = style.font;
    const text = context.measureText(select.options[select.selectedIndex].text).width;
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const needs = text + padding + parseFloat(style.fontSize) * 1.25;
    return needs > select.clientWidth ? `${Math.round(needs)} > ${select.clientWidth}` : '';
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_bulk_bars_choices_show_their_whole_prompt(world, page_for, live_server, width):
    page = page_for(world.rita, viewport={"width": width, "height": 844})
    page.goto(f"{live_server.url}/jobs/{world.job.pk}/?view=list")
    bar = page.locator("#bulk-form")
    bar.scroll_into_view_if_needed()
    page.wait_for_load_state("load")
    SCREENSHOTS.mkdir(exist_ok=True)
    bar.screenshot(path=SCREENSHOTS / f"bulk-bar-{width}.png")
    for label in ("With the selected", "Stage (move)", "Reason (reject)"):
        assert bar.get_by_label(label).evaluate(CUT_OFF) == "", label
    assert page.evaluate("document.documentElement.scrollWidth") <= width
