"""How a delivery leaves the building. Each transport raises TransientError or PermanentError."""

from __future__ import annotations

import smtplib
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.urls import reverse

from closeloop.notify.models import Channel, Delivery, DeliveryStatus


class TransientError(Exception):
    """Worth retrying later: the server was down, busy or slow."""


class PermanentError(Exception):
    """Retrying will not help: the address is refused, the message is rejected."""


def _email(delivery: Delivery) -> EmailMultiAlternatives:
    message = delivery.message
    preferences = f"{settings.SITE_URL}{reverse('accounts:profile')}"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient.email],
        headers={
            "Message-ID": message.message_id,
            "List-Unsubscribe": f"<{preferences}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["content_type"])
    return email


def send_email(delivery: Delivery) -> DeliveryStatus:
    """Send over the configured backend (SMTP in production), classifying failures."""
    if not settings.EMAIL_ENABLED:
        # No SMTP configured (the demo): the Outbox page is where the message lives, and it
        # says so rather than "sent".
        return DeliveryStatus.KEPT
    try:
        get_connection(fail_silently=False).send_messages([_email(delivery)])
    except smtplib.SMTPRecipientsRefused as error:
        raise PermanentError(f"Recipient refused: {error.recipients}") from error
    except smtplib.SMTPResponseException as error:
        kind = PermanentError if 500 <= error.smtp_code < 600 else TransientError
        raise kind(f"SMTP {error.smtp_code}: {error.smtp_error!r}") from error
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        raise TransientError(f"{type(error).__name__}: {error}") from error
    return DeliveryStatus.SENT


def send_in_app(delivery: Delivery) -> DeliveryStatus:
    """In-app messages are read on the Outbox page; there is nothing to send."""
    return DeliveryStatus.SENT


TRANSPORTS: dict[str, Callable[[Delivery], DeliveryStatus]] = {
    Channel.EMAIL: send_email,
    Channel.IN_APP: send_in_app,
}


def send(delivery: Delivery) -> DeliveryStatus:
    """Hand the delivery to its channel; returns what became of it (sent, or kept here)."""
    transport = TRANSPORTS.get(delivery.channel)
    if transport is None:
        raise PermanentError(f"No transport for channel {delivery.channel!r}.")
    return transport(delivery)
