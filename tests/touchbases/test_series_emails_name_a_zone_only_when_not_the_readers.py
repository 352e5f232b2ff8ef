"""The series invitation names the meeting's zone only to whoever lives in another one.

The job meets Thursdays 14:00 Berlin time; hank lives in Berlin, rita in London. Hank's
email reads "Thursdays 14:00", rita's "Thursdays 14:00 (Europe/Berlin)" with her own
clock beside it.
"""

from __future__ import annotations

from closeloop.notify.models import Message
from closeloop.touchbases.services import series_sync


def _mail(person):
    return Message.objects.get(recipient=person, template="touchbase-invite")


def test_the_zone_is_named_to_the_other_zones_reader_only(world, cadence):
    world.hank.time_zone = "Europe/Berlin"
    world.hank.save()
    cadence.touchbase_time_zone = "Europe/Berlin"
    cadence.save()
    series_sync(job=cadence, by=world.rita)
    hanks, ritas = _mail(world.hank), _mail(world.rita)
    assert hanks.subject == "Weekly touch-base on Backend Engineer: Thursdays 14:00"
    assert "meet every Thursday at 14:00 for 30 minutes" in hanks.body_text
    assert "Europe/Berlin" not in hanks.body_text and "Europe/Berlin" not in hanks.body_html
    assert ritas.subject == "Weekly touch-base on Backend Engineer: Thursdays 14:00 (Europe/Berlin)"
    assert "every Thursday at 14:00 (Europe/Berlin) — for you, 13:00" in ritas.body_text
    assert "every Thursday at 14:00 (Europe/Berlin)</strong>" in ritas.body_html
