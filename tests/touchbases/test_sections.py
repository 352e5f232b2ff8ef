"""touchbases.sections: apps above touch-bases add sections to agendas and weekly updates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string

from closeloop.touchbases import sections
from closeloop.touchbases.sections import (
    AgendaSource,
    WeeklyLine,
    WeeklySource,
    agenda_item,
    agenda_source_register,
    weekly_source_register,
)
from closeloop.touchbases.selectors import agenda_build, agenda_for_page
from closeloop.touchbases.weekly import weekly_update_build, weekly_update_context

NEXT_MONDAY = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def registered():
    """A test source in each registry, taken out again afterwards."""
    seen = []

    def agenda(touchbase, since, now):
        seen.append((touchbase.pk, since, now))
        return [agenda_item(f"About {touchbase.job.title}", detail="from a test", flag="bad")]

    def weekly(person, jobs, start, end):
        return [WeeklyLine(f"{person.short_name}: {len(jobs)} job(s)", url="http://x/y")]

    agenda_source = AgendaSource("test_extra", "A section from above", "Nothing.", agenda)
    weekly_source = WeeklySource("test_extra", "A weekly section from above", weekly)
    agenda_source_register(agenda_source)
    agenda_source_register(AgendaSource("test_extra", "Twice", "", agenda))  # ignored
    weekly_source_register(weekly_source)
    yield seen
    sections.AGENDA_SOURCES.remove(agenda_source)
    sections.WEEKLY_SOURCES.remove(weekly_source)


def test_a_registered_section_comes_before_the_carried_items_once(world, current, registered):
    agenda = agenda_build(touchbase=current)
    keys = [s["key"] for s in agenda["sections"]]
    assert keys.count("test_extra") == 1
    assert keys.index("test_extra") == keys.index("carried") - 1
    extra = agenda["sections"][keys.index("test_extra")]
    assert extra["title"] == "A section from above"
    assert extra["items"][0]["text"] == f"About {current.job.title}"
    assert extra["items"][0]["flag"] == "bad"
    assert registered[0][0] == current.pk and registered[0][1] < registered[0][2]


def test_without_the_source_the_section_is_gone(world, current):
    keys = [s["key"] for s in agenda_build(touchbase=current)["sections"]]
    assert "test_extra" not in keys


def test_a_weekly_source_adds_its_lines_to_the_update(world, submitted, clock, registered):
    clock.move_to(NEXT_MONDAY)
    update = weekly_update_build(person=world.hank)
    extra = [section for section in update.extra if section.key == "test_extra"]
    assert len(extra) == 1
    assert extra[0].lines == [WeeklyLine("Hank: 1 job(s)", url="http://x/y")]
    context = weekly_update_context(update)
    text = render_to_string("emails/weekly-update-body.txt", context)
    assert "A WEEKLY SECTION FROM ABOVE\n- Hank: 1 job(s)\n  http://x/y" in text
    html = render_to_string("emails/weekly-update-body.html", context)
    assert '<a href="http://x/y" style="color:#1f5fbf;">Hank: 1 job(s)</a>' in html


def test_a_section_some_readers_may_not_see_is_left_out_for_them_held_or_not(world, current):
    def build(touchbase, since, now):
        return [agenda_item("Figures for admins only")]

    source = AgendaSource("test_admins", "Admins only", "", build, can_see=lambda u, j: u.is_admin)
    agenda_source_register(source)
    try:
        keys = lambda agenda: [s["key"] for s in agenda["sections"]]  # noqa: E731
        assert "test_admins" in keys(agenda_for_page(touchbase=current, viewer=world.ada))
        assert "test_admins" not in keys(agenda_for_page(touchbase=current, viewer=world.hank))
        # A held meeting keeps its snapshot whole; the page still leaves the section out.
        current.status = "held"
        current.agenda = agenda_build(touchbase=current)
        assert "test_admins" not in keys(agenda_for_page(touchbase=current, viewer=world.hank))
        assert "test_admins" in keys(agenda_for_page(touchbase=current, viewer=world.ada))
    finally:
        sections.AGENDA_SOURCES.remove(source)


def test_a_failing_section_says_so_and_the_agenda_still_builds(world, current):
    def build(touchbase, since, now):
        raise RuntimeError("broken")

    source = AgendaSource("test_broken", "Broken", "", build)
    agenda_source_register(source)
    try:
        agenda = agenda_build(touchbase=current)
        broken = next(s for s in agenda["sections"] if s["key"] == "test_broken")
        assert broken["items"][0]["text"] == "This section could not be built just now."
        assert any(s["key"] == "carried" for s in agenda["sections"])
    finally:
        sections.AGENDA_SOURCES.remove(source)
