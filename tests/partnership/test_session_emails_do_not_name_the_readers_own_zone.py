"""A mentoring email gives each session in its reader's own zone, so it names no zone: the
README's rule is that a zone is named only when it is not the reader's."""

from __future__ import annotations

from mentorship_data import active_mentorship

from closeloop.notify.models import Message
from closeloop.partnership.mentorship import services


def test_the_invitation_reads_in_the_readers_zone_unnamed(world, clock):
    world.hank.time_zone = "Europe/Berlin"
    world.hank.save()
    active_mentorship(world.rita, world.hank)
    mail = Message.objects.get(template="mentoring-session-invite", recipient=world.hank)
    assert "is on Monday 30 November 2026, 11:00, " in mail.body_text
    assert "Europe/Berlin" not in mail.body_text and "Europe/Berlin" not in mail.body_html


def test_a_called_off_session_reads_in_the_readers_zone_unnamed(world, clock):
    world.hank.time_zone = "Europe/Berlin"
    world.hank.save()
    mentorship = active_mentorship(world.rita, world.hank)
    services.mentorship_end(mentorship=mentorship, by=world.rita)
    mail = Message.objects.get(template="mentorship-ended", recipient=world.hank)
    assert "The session on Monday 30 November 2026, 11:00 is called off" in mail.body_text
    assert "Europe/Berlin" not in mail.body_text
