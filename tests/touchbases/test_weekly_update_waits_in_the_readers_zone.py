"""A wait shorter than a business hour reads "since …" in the update's reader's own zone.

The worker sends the weekly update with no zone of the reader's active: hank lives in
Berlin, so a review submitted Sunday 23:30 UTC has waited "1 h since Mon 30 Nov 00:30" for him
(as his preview, his queue and the agenda say), never since the server's "Sun 29 Nov 23:30",
beside a due time that is already in his zone.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from closeloop.pipeline.services import application_submit
from closeloop.touchbases.weekly import weekly_update_build


def test_a_short_wait_reads_since_in_the_readers_zone_whatever_zone_is_active(world, clock):
    hank = world.hank
    hank.time_zone = "Europe/Berlin"
    hank.save()
    clock.move_to(dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC))
    application_submit(
        application=world.interviewed, by=world.rita, pitch="Ran Postgres on-call.",
        must_haves_met=["Python"],
    )  # fmt: skip
    clock.move_to(dt.datetime(2026, 11, 30, 0, 45, tzinfo=dt.UTC))  # 01:45 in Berlin
    with timezone.override(dt.UTC):  # the worker's: nobody's zone is active
        update = weekly_update_build(person=hank)
    rows = [row for group in update.waits for row in group.rows]
    review = next(row for row in rows if row.ask.kind == "review_submission")
    assert review.waited == "1 h since Mon 30 Nov 00:30"
