"""A message queued for someone, as the notify tests need one: a plain notice."""

from __future__ import annotations

from closeloop.notify.services import message_queue


def queue_notice(user, subject="Carla waits on you"):
    return message_queue(
        recipient=user,
        template="notice",
        context={
            "recipient": user,
            "subject": subject,
            "body": "Carla has waited 3 days.",
            "action_url": "http://127.0.0.1:8000/applications/1/",
        },
    )
