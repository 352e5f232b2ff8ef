"""A nudge message is a digest: the most urgent asks in full, the rest counted and linked.

Composing it costs the same queries whatever the number of asks it words.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.followups import messages
from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import ActionLink
from closeloop.notify.models import Message

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
# Tuesday 10:30: the halfway reminders of every review submitted on Monday morning are due.
TUESDAY_10_30 = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)


def submit(world, clock, count: int, first: int = 0) -> list[str]:
    """`count` candidates submitted to hank a minute apart; their names, oldest first."""
    from closeloop.pipeline.services import application_submit, candidate_add

    names = []
    for i in range(first, first + count):
        clock.move_to(MONDAY_10 + dt.timedelta(minutes=i))
        name = f"Cand {chr(ord('A') + i)}{chr(ord('a') + i)}"
        data = {"full_name": name, "email": f"c{i}@cand.example"}
        application = candidate_add(job=world.job, by=world.rita, data=data).application
        application_submit(application=application, by=world.rita, pitch="Strong.")
        names.append(name)
    return names


def test_a_long_digest_lists_the_ten_most_urgent_with_their_links_and_counts_the_rest(world, clock):
    names = submit(world, clock, messages.MAX_ITEMS + 2)
    clock.move_to(TUESDAY_10_30)
    asks_advance()
    assert notices_compose().handled == 1
    message = Message.objects.get(recipient=world.hank)
    assert message.subject == "12 things are waiting on you in Closeloop"
    intro = "12 things are waiting on you. Here are the 10 most urgent; the other 2 are in"
    assert intro in message.body_text and intro in message.body_html
    for name in names[:10]:  # submitted first: due first
        assert name in message.body_text
    for name in names[10:]:
        assert name not in message.body_text
    assert "…and 2 more waiting on you: http://127.0.0.1:8000/" in message.body_text
    # Buttons only for what the message shows: four for each of the ten.
    assert ActionLink.objects.filter(recipient=world.hank).count() == 4 * 10
    assert message.body_text.count("/act/") == 4 * 10
    # Every ask waiting is still recorded as told, shown or counted: each reached two rungs
    # by Tuesday (the opening notice and the halfway reminder), both in this one message.
    assert message.notices.values("nudge__ask").distinct().count() == 12
    assert message.notices.count() == 2 * 12


def test_a_short_digest_has_no_count_of_the_rest(world, clock):
    submit(world, clock, 2)
    clock.move_to(TUESDAY_10_30)
    asks_advance()
    notices_compose()
    message = Message.objects.get(recipient=world.hank)
    assert "most urgent" not in message.body_text and "more waiting" not in message.body_text
    assert message.body_text.count("/act/") == 4 * 2


def compose_queries(world, clock, count: int, first: int) -> int:
    submit(world, clock, count, first)
    clock.move_to(TUESDAY_10_30)
    asks_advance()
    with CaptureQueriesContext(connection) as queries:
        assert notices_compose().handled == 1
    return len(queries)


def test_composing_costs_no_query_per_ask(world, clock):
    one = compose_queries(world, clock, 1, first=0)
    Message.objects.all().delete()
    ActionLink.objects.all().delete()
    many = compose_queries(world, clock, 5, first=1)
    assert many == one
