"""Partnership's figures round halves up (`lib.rounding`), as every other page does: Python's
`round()` and format specs round halves to even, so 1 close decision of 8 read "12%" on the
calibration pages and 1 review in time of 8 "12%" on a mentoring goal, while the insights
pages read 13% for the same share."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from calibration_helpers import rated
from django.urls import reverse
from mentorship_data import active_mentorship, past_ask

import closeloop
from closeloop.partnership.calibration.selectors import Share
from closeloop.partnership.mentorship import selectors as mentorship_selectors
from closeloop.partnership.mentorship import services as mentorship_services
from closeloop.partnership.mentorship.models import GoalFigure
from closeloop.pipeline.models import Closeness

SRC = Path(closeloop.__file__).parent


@pytest.fixture
def world(clock, world):
    return world


@pytest.mark.parametrize(("close", "percent"), [(1, 13), (3, 38), (5, 63), (7, 88), (0, 0)])
def test_a_calibration_share_at_a_half_rounds_up(close, percent):
    assert Share(rated=8, close=close).percent == percent


def test_the_calibration_pages_show_the_half_rounded_up(world, login, settings):
    settings.CALIBRATION_ROUND_SIZE = 0
    rated(world.job, Closeness.CLOSE)
    for _ in range(7):
        rated(world.job, Closeness.FAR_OFF)
    client = login(world.rita)
    page = client.get(reverse("partnership:calibration-round", args=[world.job.pk])).text
    assert "<strong>13%</strong> close or better overall (1 of 8 rated decisions)" in page
    page = client.get(reverse("partnership:calibration-person", args=[world.rita.pk])).text
    assert '<p class="calibration-figure">13% <span' in page
    page = client.get(reverse("jobs:job-detail", args=[world.job.pk])).text
    assert '<p class="calibration-figure">13% <span' in page


def test_a_mentoring_goals_share_at_a_half_rounds_up(world):
    mentorship = active_mentorship(world.rita, world.hank)
    mentorship_services.goal_add(
        mentorship=mentorship, by=world.rita, text="Reviews within 2 days",
        figure=GoalFigure.REVIEWS_IN_TIME,
    )  # fmt: skip
    past_ask(world.hank, "review_submission", days_ago=3, late_days=-1)
    for days in range(4, 11):
        past_ask(world.hank, "review_submission", days_ago=days, late_days=1)
    rows = mentorship_selectors.goals_with_figures(
        mentorship=mentorship, now=dt.datetime.now(dt.UTC)
    )
    assert [row.figure_words for row in rows] == ["13% answered in time (1 of 8, last 30 days)"]


def test_partnership_rounds_no_figure_with_round_or_floatformat():
    """The rest stays so: no builtin `round()` in the part's code, no `floatformat` (or
    `widthratio`, which rounds halves to even) in its templates. A pulse's average (three
    scores out of 5, over 3) never lands on a half, but goes through the same rule."""
    found = []
    for path in sorted((SRC / "partnership").rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(r"(?<![\w.])round\(", line):
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    for path in sorted((SRC / "templates" / "partnership").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(r"\|\s*floatformat|\{%\s*widthratio", line):
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert found == [], "round halves up with closeloop.lib.rounding (filters: rounded, percent)"
