"""Secrets sealed inside stored text: a message keeps its links, but not usable ones.

A one-click answer or a password-reset link is a secret that acts as its recipient. The
outbox stores every message before it is sent (and keeps it to be read on the Outbox page),
so a link written into the body in clear would be usable by anyone who reads the table, a
backup or a database dump. Instead the body holds the secret *sealed*: encrypted and
authenticated (Fernet: AES-128-CBC + HMAC-SHA256) with a key derived from SECRET_KEY, as
`sealed.<ciphertext>`. The secret is opened only where its recipient reads it: in the email
at the moment it is sent, and on the recipient's own Outbox page.

Keys follow SECRET_KEY_FALLBACKS, so rotating SECRET_KEY keeps stored messages readable while
the old key is listed. A marker that no key opens (a database restored under another key)
opens to the caller's `unusable` text, never to an error.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "sealed."
# Fernet tokens are URL-safe base64, so a sealed secret can stand wherever the secret stood:
# in a URL path, in HTML, in plain text.
SEALED = re.compile(re.escape(PREFIX) + r"([A-Za-z0-9_-]+=*)")


def _key(secret_key: str) -> bytes:
    # A key of its own, so the seal shares nothing with session signing or reset tokens.
    digest = hashlib.sha256(b"closeloop.sealed:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest)


@functools.lru_cache(maxsize=4)
def _fernet(secret_keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_key(key)) for key in secret_keys])


def _current() -> MultiFernet:
    fallbacks: Sequence[str] = getattr(settings, "SECRET_KEY_FALLBACKS", ())
    return _fernet((settings.SECRET_KEY, *fallbacks))


def seal(secret: str) -> str:
    """The secret as a marker that can be stored in text and opened only by this site."""
    return PREFIX + _current().encrypt(secret.encode()).decode()


def unseal_text(text: str, *, unusable: str) -> str:
    """Every sealed marker in `text` replaced by its secret (or by `unusable` when no key
    opens it)."""
    if PREFIX not in text:
        return text
    fernet = _current()

    def opened(match: re.Match[str]) -> str:
        try:
            return fernet.decrypt(match.group(1).encode()).decode()
        except (InvalidToken, UnicodeDecodeError):
            return unusable

    return SEALED.sub(opened, text)


def sealed_blank(text: str, *, replacement: str) -> str:
    """Every sealed marker in `text` replaced, unopened, by `replacement`."""
    return SEALED.sub(replacement, text) if PREFIX in text else text
