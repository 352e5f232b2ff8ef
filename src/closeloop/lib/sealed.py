"""Secrets sealed inside stored text: a message keeps its links, but not usable ones.

A one-click answer or a password-reset link is a secret that acts as its recipient. The
outbox stores every message before it is sent (and keeps it to be read on the Outbox page),
so a link written into the body in clear would be usable by anyone who reads the table, a
backup or a database dump. Instead the body holds the secret *sealed*: encrypted and
authenticated (AES-256-GCM, a random 96-bit nonce per secret) with a key derived from
SECRET_KEY, as `sealed.<nonce + ciphertext + tag, URL-safe base64>`. The secret is opened
only where its recipient reads it: in the email at the moment it is sent, and on the
recipient's own Outbox page. (AES-GCM rather than Fernet: a message seals forty buttons,
and it costs a fifth of the time.)

Each secret is sealed *for* someone (its recipient's id, authenticated with it) and opens only
for them: a marker copied out of a dump into text that reaches someone else (a candidate's
name, say, that ends up in another person's email) opens to nothing.

Keys follow SECRET_KEY_FALLBACKS, so rotating SECRET_KEY keeps stored messages readable while
the old key is listed. A marker that no key opens (a database restored under another key)
opens to the caller's `unusable` text, never to an error.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import os
import re
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "sealed."
# URL-safe base64 without padding, so a sealed secret can stand wherever the secret stood:
# in a URL path, in HTML, in plain text.
SEALED = re.compile(re.escape(PREFIX) + r"([A-Za-z0-9_-]{40,})")
NONCE_BYTES = 12
# Binds a ciphertext to this use: nothing else sealed with a key from SECRET_KEY opens here.
PURPOSE = b"closeloop.sealed"


def _key(secret_key: str) -> AESGCM:
    # A key of its own, so the seal shares nothing with session signing or reset tokens.
    return AESGCM(hashlib.sha256(PURPOSE + b":" + secret_key.encode()).digest())


@functools.lru_cache(maxsize=4)
def _keys(secret_keys: tuple[str, ...]) -> tuple[AESGCM, ...]:
    return tuple(_key(key) for key in secret_keys)


def _current() -> tuple[AESGCM, ...]:
    """The current key first, then SECRET_KEY_FALLBACKS'."""
    fallbacks: Sequence[str] = getattr(settings, "SECRET_KEY_FALLBACKS", ())
    return _keys((settings.SECRET_KEY, *fallbacks))


def _bound(audience: object) -> bytes:
    return PURPOSE + b":" + str(audience).encode()


def seal(secret: str, *, audience: object) -> str:
    """The secret as a marker that can be stored in text and opened only by this site, for
    `audience` (the id of the person whose messages may carry it)."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = nonce + _current()[0].encrypt(nonce, secret.encode(), _bound(audience))
    return PREFIX + base64.urlsafe_b64encode(sealed).rstrip(b"=").decode()


def _open(body: str, keys: tuple[AESGCM, ...], bound: bytes) -> str | None:
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    for key in keys:
        try:
            return key.decrypt(nonce, sealed, bound).decode()
        except (InvalidTag, UnicodeDecodeError, ValueError):
            continue
    return None


def unseal_text(text: str, *, audience: object, unusable: str) -> str:
    """Every sealed marker in `text` replaced by its secret when it was sealed for
    `audience`, else (or when no key opens it) by `unusable`."""
    if PREFIX not in text:
        return text
    keys, bound = _current(), _bound(audience)

    def opened(match: re.Match[str]) -> str:
        secret = _open(match.group(1), keys, bound)
        return unusable if secret is None else secret

    return SEALED.sub(opened, text)


def sealed_blank(text: str, *, replacement: str) -> str:
    """Every sealed marker in `text` replaced, unopened, by `replacement`."""
    return SEALED.sub(replacement, text) if PREFIX in text else text
