"""A meeting marked held days after it ended keeps the agenda as of its end.

The fixtures' series meets Thu 26 Nov 14:00-14:30 London. Nobody marks it held; on Friday
rita submits Carla to hank; on Tuesday the worker's reminder to mark the meeting held is
overdue, and rita marks it held. The agenda kept is the one of the meeting's end: no
decision waiting on the submission that came after it, and not the meeting's own
"Mark … held or skipped" reminder among the overdue asks. The page says when it was kept.
"""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from closeloop.followups.models import Ask, AskStatus
from closeloop.touchbases.services import touchbase_hold, touchbases_advance

ENDS = dt.datetime(2026, 11, 26, 14, 30, tzinfo=dt.UTC)
FRIDAY = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
TUESDAY = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def _section(agenda, key):
    (section,) = [s for s in agenda["sections"] if s["key"] == key]
    return section


def _late_hold(world, current, clock, request):
    clock.move_to(FRIDAY)
    touchbases_advance()
    request.getfixturevalue("submitted")
    clock.move_to(TUESDAY)
    ask = Ask.objects.get(kind="hold_touchbase")
    assert ask.status == AskStatus.OPEN and ask.due_at <= TUESDAY  # overdue now
    return touchbase_hold(touchbase=current, by=world.rita)


def test_the_agenda_is_kept_as_of_the_meetings_end(world, current, clock, request):
    held = _late_hold(world, current, clock, request)
    assert held.agenda["generated_at"] == ENDS.isoformat()
    assert _section(held.agenda, "decisions")["items"] == []
    assert _section(held.agenda, "new_submissions")["items"] == []
    overdue = str(_section(held.agenda, "overdue")["items"])
    assert "held or skipped" not in overdue


def test_the_page_says_when_the_agenda_was_kept(world, current, clock, request, login):
    clock.move_to(TUESDAY)
    client = login(world.rita)
    url = reverse("touchbases:touchbase-held", args=[current.pk])
    page = client.post(url, follow=True).content.decode()
    assert "The agenda is kept as it stood when the meeting ended." in page
    assert "As it stood when the meeting ended, Thu 26 Nov 14:30" in page
    assert "marked held later, Tue 01 Dec 12:00" in page


def test_marked_held_the_same_evening_it_is_kept_as_it_stands_then(world, current, clock, login):
    # The usual: the meeting ends, its notes are tidied and it is marked held within hours.
    # That is not "later": the page says nothing of it, and the agenda is the one of then.
    clock.move_to(ENDS + dt.timedelta(hours=3))
    url = reverse("touchbases:touchbase-held", args=[current.pk])
    page = login(world.rita).post(url, follow=True).content.decode()
    assert "The agenda is kept as it stands now." in page
    assert "marked held later" not in page
    current.refresh_from_db()
    assert current.agenda["generated_at"] == (ENDS + dt.timedelta(hours=3)).isoformat()


def test_the_kept_agendas_written_times_are_the_meetings_and_named_to_another_zone(
    world, current, clock, login, submitted
):
    # rita works from New York that week; the meeting is London's. What she keeps is read by
    # everyone: its lines' times are the meeting's, and the page says so to her.
    world.rita.time_zone = "America/New_York"
    world.rita.save(update_fields=["time_zone"])
    clock.move_to(ENDS + dt.timedelta(hours=1))
    url = reverse("touchbases:touchbase-held", args=[current.pk])
    page = login(world.rita).post(url, follow=True).content.decode()
    current.refresh_from_db()
    detail = str(_section(current.agenda, "decisions")["items"])
    assert "since Mon 23 Nov 10:00" in detail  # London's clock, not New York's 05:00
    assert "Every time on this page is the meeting's (Europe/London)" in page
    world.hank.time_zone = "Europe/London"  # the meeting's own: nothing to say to him
    world.hank.save(update_fields=["time_zone"])
    hanks = login(world.hank).get(reverse("touchbases:touchbase-detail", args=[current.pk]))
    assert "Every time on this page" not in hanks.content.decode()


def test_every_time_in_a_kept_agenda_is_the_meetings_and_its_zone_is_named_once(
    world, current, clock, login, submitted
):
    # rita reads from New York a meeting of London's, kept when it ended (marked held late):
    # the lines' written times, their sub-lines and the agenda's own moments all read on
    # London's clock, and the zone is named once for the page; none in New York's (05:00, 09:30).
    world.rita.time_zone = "America/New_York"
    world.rita.save(update_fields=["time_zone"])
    clock.move_to(TUESDAY)
    url = reverse("touchbases:touchbase-held", args=[current.pk])
    response = login(world.rita).post(url, follow=True)
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert "Every time on this page is the meeting's (Europe/London)" in page
    assert "marked held by you Tue 01 Dec 12:00" in page
    panel = response.content.decode().split('aria-labelledby="agenda-heading"')[1]
    panel = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", panel.split("</section>")[0]))
    assert "As it stood when the meeting ended, Thu 26 Nov 14:30" in panel
    assert "marked held later, Tue 01 Dec 12:00" in panel
    assert "New submissions count from" in panel
    assert "since Mon 23 Nov 10:00" in panel
    assert "submitted Mon 23 Nov 10:00" in panel
    assert "Europe/London" not in panel  # named once, for the whole page
    assert page.count("(Europe/London)") == 1
    for new_york in ("09:30", "07:00", "05:00"):
        assert new_york not in panel
