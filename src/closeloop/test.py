"""Settings for the test suite: the real settings, with a throwaway data directory.

DATABASE_URL still applies, so CI runs the same suite on PostgreSQL.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("CLOSELOOP_DATA_DIR", tempfile.mkdtemp(prefix="closeloop-test-"))

from closeloop.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_ENABLED = True  # the locmem backend collects mail in django.core.mail.outbox

# Every test client loads the middleware anew: let WhiteNoise look static files up when asked
# (as under DEBUG) instead of listing all of them for each client.
WHITENOISE_AUTOREFRESH = True
