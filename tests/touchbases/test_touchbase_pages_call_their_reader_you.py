"""The touch-base pages and the weekly update name their reader "you": rita reads the meeting
she marked held as "marked held by you", the action item she agreed as "by you", her weekly
update's moves "by you" and a candidate at risk "waiting on you"; hank reads her by name."""

from __future__ import annotations

import datetime as dt
import html
import re

from django.template.loader import render_to_string
from django.urls import reverse

from closeloop.followups.models import Ask
from closeloop.followups.services import ask_open
from closeloop.interviews.models import Interview
from closeloop.touchbases.selectors import agenda_build, agenda_for_page, touchbase_current
from closeloop.touchbases.services import (
    action_item_add,
    action_item_done,
    touchbase_hold,
    touchbases_advance,
)
from closeloop.touchbases.weekly import weekly_update_build, weekly_update_context

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)  # the series' first meeting
EXTS = ("txt", "html")


def read(client, url: str) -> str:
    return " ".join(html.unescape(client.get(url).content.decode()).split())


def test_the_meeting_marked_held_says_by_you_to_whoever_marked_it(world, current, clock, login):
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=30))
    touchbase_hold(touchbase=current, by=world.rita)
    url = reverse("touchbases:touchbase-detail", args=[current.pk])
    ritas, hanks = read(login(world.rita), url), read(login(world.hank), url)
    assert "marked held by you" in ritas and "marked held by Rita" not in ritas
    assert "You and Hank Manager ·" in ritas
    assert "marked held by Rita Recruiter" in hanks and "Rita Recruiter and you ·" in hanks


def test_an_action_item_says_by_you_for_the_readers_own_part(world, current, login):
    item = action_item_add(
        touchbase=current,
        by=world.rita,
        description="Share the salary benchmark",
        owner=world.hank,
        due_on=dt.date(2026, 11, 27),
    )
    action_item_done(item=item, by=world.hank)
    url = reverse("touchbases:action-item", args=[item.pk])
    ritas, hanks = read(login(world.rita), url), read(login(world.hank), url)
    assert ", by you</dd>" in ritas and "by Hank Manager</dd>" in ritas
    assert ", by Rita Recruiter</dd>" in hanks and " by you</dd>" in hanks
    assert "by Hank Manager" not in hanks and "by Rita Recruiter" not in ritas


def test_the_weekly_update_says_by_you_and_waiting_on_you(world, submitted, clock):
    def texts(person):
        """The update's text and HTML versions, as words (the HTML's tags taken out)."""
        context = weekly_update_context(weekly_update_build(person=person))
        bodies = [render_to_string(f"emails/weekly-update-body.{ext}", context) for ext in EXTS]
        return [" ".join(html.unescape(re.sub("<[^>]+>", "", body)).split()) for body in bodies]

    for text in texts(world.rita):
        assert "Sourced → Submitted by you" in text and "by Rita Recruiter" not in text
    for text in texts(world.hank):
        assert "Sourced → Submitted by Rita Recruiter" in text
    later = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)  # 9 days on: at risk
    hanks = weekly_update_build(person=world.hank, now=later)
    ritas = weekly_update_build(person=world.rita, now=later)
    assert {row.waiting_on for row in hanks.at_risk} == {"you", "Rita Recruiter"}
    assert {row.waiting_on for row in ritas.at_risk} == {"you", "Hank Manager"}


def test_the_agenda_lists_the_readers_own_overdue_asks_first_as_you(world, current, clock, login):
    """Hank Manager and Rita Recruiter both have overdue asks: each reads their own line as
    "You: 1 overdue", first, and the other's by name."""
    due = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    for owner, subject in ((world.hank, "review:late"), (world.rita, "update:late")):
        ask = ask_open(
            kind="review_submission", subject=subject, title="Review Sam", owner=owner,
            job=world.job, application=world.sourced, opened_at=due - dt.timedelta(days=1),
        )  # fmt: skip
        Ask.objects.filter(pk=ask.pk).update(due_at=due)
    clock.move_to(THURSDAY_14 - dt.timedelta(hours=1))

    def overdue(viewer):
        agenda = agenda_for_page(touchbase=current, viewer=viewer)
        section = next(s for s in agenda["sections"] if s["key"] == "overdue")
        # whose line, and its count
        return [item["text"].split(" (")[0] for item in section["items"]]

    # rita's count takes in her overdue news for the candidates too: every kind counts.
    assert overdue(world.hank) == ["You: 1 overdue", "Rita Recruiter: 3 overdue"]
    assert overdue(world.rita) == ["You: 3 overdue", "Hank Manager: 1 overdue"]
    assert overdue(world.ada) == ["Hank Manager: 1 overdue", "Rita Recruiter: 3 overdue"]
    url = reverse("touchbases:touchbase-detail", args=[current.pk])
    hanks = read(login(world.hank), url)
    assert "You: 1 overdue" in hanks and "Hank Manager: 1 overdue" not in hanks


def _section_for(touchbase, viewer, key):
    agenda = agenda_for_page(touchbase=touchbase, viewer=viewer)
    return next(s for s in agenda["sections"] if s["key"] == key)["items"]


def test_the_agendas_other_lines_name_their_reader_you(world, series, submitted, clock):
    """The new submission reads "submitted by you" to rita, the carried action item "You ·
    due …" to hank, the interview "with you" to whoever is on its panel."""
    first = series.occurrences.get()
    [interview] = _section_for(first, world.ada, "interviews")
    panel = list(Interview.objects.get().interviewers.all())
    assert panel and interview["detail"] == "with " + ", ".join(p.full_name for p in panel)
    mine = agenda_build(touchbase=first)["sections"]
    [interview] = next(s for s in mine if s["key"] == "interviews")["items"]
    assert interview["you"][str(panel[0].pk)]["detail"].startswith("with you")
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=10))
    [new] = _section_for(first, world.rita, "new_submissions")
    assert new["detail"].startswith("submitted by you · ")
    [new] = _section_for(first, world.hank, "new_submissions")
    assert new["detail"].startswith("submitted by Rita Recruiter · ")
    action_item_add(
        touchbase=first, by=world.rita, description="Share the salary bands",
        owner=world.hank, due_on=dt.date(2026, 11, 30),
    )  # fmt: skip
    touchbase_hold(touchbase=first, by=world.rita)
    clock.move_to(THURSDAY_14 + dt.timedelta(hours=1))
    touchbases_advance()
    following = touchbase_current(series=series)
    [carried] = _section_for(following, world.hank, "carried")
    assert carried["detail"] == "You · due Mon 30 Nov"
    [carried] = _section_for(following, world.rita, "carried")
    assert carried["detail"] == "Hank Manager · due Mon 30 Nov"
