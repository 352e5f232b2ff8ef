"""How a delivery leaves the building. Each transport raises TransientError or PermanentError."""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.urls import reverse

from closeloop.lib.sealed import unseal_text
from closeloop.notify.models import Channel, Delivery, DeliveryStatus

if TYPE_CHECKING:
    from django.core.mail.backends.base import BaseEmailBackend


class TransientError(Exception):
    """Worth retrying later: the server was down, busy or slow."""


class PermanentError(Exception):
    """Retrying will not help: the address is refused, the message is rejected."""


# What a sealed secret becomes when no key opens it (a database restored under another
# SECRET_KEY): a link that says it is not valid, never another person's token.
UNUSABLE = "link-no-longer-valid"


def _email(delivery: Delivery) -> EmailMultiAlternatives:
    """The email as it leaves: the only moment the secrets sealed in its body are opened."""
    message = delivery.message
    preferences = f"{settings.SITE_URL}{reverse('accounts:profile')}"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=unseal_text(message.body_text, audience=message.recipient_id, unusable=UNUSABLE),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient.email],
        headers={
            "Message-ID": message.message_id,
            "List-Unsubscribe": f"<{preferences}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    if message.body_html:
        html = unseal_text(message.body_html, audience=message.recipient_id, unusable=UNUSABLE)
        email.attach_alternative(html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["content_type"])
    return email


class Mailer:
    """One connection to the mail server for a batch of deliveries, opened at the first email
    and closed by `close()` at the end of the batch.

    Opening an SMTP session costs more than sending a message over it. A send that fails
    closes the session, so the next delivery of the batch starts on a fresh one and never
    inherits a server's half-finished state; the failure itself is classified for that
    delivery alone.
    """

    def __init__(self) -> None:
        self.connection: BaseEmailBackend | None = None

    def send(self, email: EmailMultiAlternatives) -> None:
        reused = self.connection is not None
        try:
            self._send(email)
        except smtplib.SMTPServerDisconnected:
            if not reused:
                raise
            # The server ended the session while it sat idle between two sends: try once
            # on a fresh one. (A server that took the message and then hung up gets it
            # again under the same Message-ID, as any at-least-once retry would.)
            self._send(email)

    def _send(self, email: EmailMultiAlternatives) -> None:
        try:
            self._connection().send_messages([email])
        except BaseException:
            self.close()
            raise

    def _connection(self) -> BaseEmailBackend:
        if self.connection is None:
            connection = get_connection(fail_silently=False)
            connection.open()  # kept open: send_messages then leaves it open for the next
            self.connection = connection
        return self.connection

    def close(self) -> None:
        """End the session; a server that is already gone is not an error here."""
        connection, self.connection = self.connection, None
        if connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.close()


def send_email(delivery: Delivery, mailer: Mailer | None = None) -> DeliveryStatus:
    """Send over the configured backend (SMTP in production), classifying failures.

    With a `mailer`, over its session (shared by a batch); without, on a session of its own.
    """
    if not settings.EMAIL_ENABLED:
        # No SMTP configured (the demo): the Outbox page is where the message lives, and it
        # says so rather than "sent".
        return DeliveryStatus.KEPT
    own = mailer is None
    mailer = mailer or Mailer()
    try:
        mailer.send(_email(delivery))
    except smtplib.SMTPRecipientsRefused as error:
        raise PermanentError(f"Recipient refused: {error.recipients}") from error
    except smtplib.SMTPResponseException as error:
        kind = PermanentError if 500 <= error.smtp_code < 600 else TransientError
        raise kind(f"SMTP {error.smtp_code}: {error.smtp_error!r}") from error
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        raise TransientError(f"{type(error).__name__}: {error}") from error
    finally:
        if own:
            mailer.close()
    return DeliveryStatus.SENT


def send_in_app(delivery: Delivery, mailer: Mailer | None = None) -> DeliveryStatus:
    """In-app messages are read on the Outbox page; there is nothing to send."""
    return DeliveryStatus.SENT


TRANSPORTS: dict[str, Callable[[Delivery, Mailer | None], DeliveryStatus]] = {
    Channel.EMAIL: send_email,
    Channel.IN_APP: send_in_app,
}


def send(delivery: Delivery, mailer: Mailer | None = None) -> DeliveryStatus:
    """Hand the delivery to its channel; returns what became of it (sent, or kept here).

    `mailer` is the batch's mail session; without one, an email opens a session of its own.
    """
    transport = TRANSPORTS.get(delivery.channel)
    if transport is None:
        raise PermanentError(f"No transport for channel {delivery.channel!r}.")
    return transport(delivery, mailer)
