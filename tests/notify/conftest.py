"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import email
import socket
from email.message import Message as EmailMessage

import pytest
from aiosmtpd.controller import Controller


class Sink:
    """aiosmtpd handler: stores each received message; can refuse the next N with a code."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.refuse: list[str] = []
        self.unknown_recipients: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.unknown_recipients:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook name
        if self.refuse:
            return self.refuse.pop(0)
        self.received.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    """Route Django's email to a live local SMTP server for the test."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_ENABLED = True
    yield sink
    controller.stop()


@pytest.fixture(autouse=True)
def _quiet_hours_off(settings):
    """The outbox's own tests send what they queue, whatever the hour they run at: holding
    a message for its recipient's working hours is tested on its own
    (test_messages_wait_for_working_hours switches quiet hours back on)."""
    settings.QUIET_HOURS = False
