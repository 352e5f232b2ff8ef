"""Settings for the test suite: the real settings, with a throwaway data directory.

DATABASE_URL still applies, so CI runs the same suite on PostgreSQL.
"""

from __future__ import annotations

import os
import tempfile

# Only when none is given: setdefault would create (and leave behind) a directory each time.
if "CLOSELOOP_DATA_DIR" not in os.environ:
    os.environ["CLOSELOOP_DATA_DIR"] = tempfile.mkdtemp(prefix="closeloop-test-")

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

# PostgreSQL: the suite's own connections commit without waiting for the WAL to reach the disk.
# A commit is visible to every other session at once either way; only a crash of the server
# itself could lose the last few, and no test stops the server (the worker-killing tests
# kill our child processes, which run on closeloop.settings with synchronous commits). Most
# tests commit little, but the ones that need real commits (transactional_db, live_server,
# the demo seeding, each table flush after them) wait on a disk flush per commit otherwise.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()

# SQLite: the test database is a file in the throwaway data directory, not Django's default
# in-memory one. An in-memory database is one connection that pytest-django shares with the
# browser tests' live-server threads, and two threads on one SQLite connection can deadlock:
# one inside SQLite, holding the connection's mutex, calls a Python function registered on
# it (`lib.folding`'s name folding) and waits for the GIL, while the other holds the GIL and
# waits for the mutex (a run of the suite hung there: the search box's suggestions and its
# results page at once). With a file, each thread opens its own connection, as in
# production. (pytest-xdist's workers each get their own file: pytest-django adds a suffix.)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(os.environ["CLOSELOOP_DATA_DIR"], "test.sqlite3")
    }
