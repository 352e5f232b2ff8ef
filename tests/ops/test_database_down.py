"""While the database does not answer, pages say so with 503 and Retry-After, not a 500."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# A real process whose database is a PostgreSQL port where nothing listens.
PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
client.cookies["sessionid"] = "a" * 32  # a signed-in browser: its session is read first
found = {}
def note(key, response):
    found[key] = [response.status_code, response.get("Retry-After"),
                  "unavailable for a moment" in response.content.decode()]
for path in ("/", "/jobs/", "/readyz"):
    note(path, client.get(path))
anonymous = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
note("/healthz", anonymous.get("/healthz"))  # a probe sends no cookie
note("login", anonymous.post("/accounts/login/", {"username": "a@b.example", "password": "x" * 12}))
print(json.dumps(found))
"""


def test_pages_answer_503_while_the_database_is_down(tmp_path):
    kept = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_ALLOW")}
    env = {
        **kept,
        "DJANGO_SETTINGS_MODULE": "closeloop.settings",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/closeloop",
        "CLOSELOOP_DATA_DIR": str(tmp_path),
        "LOG_LEVEL": "CRITICAL",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    for key in ("/", "/jobs/", "login"):
        assert found[key] == [503, "30", True], (key, found[key])
    assert found["/readyz"][0] == 503  # its own JSON answer
    assert found["/healthz"][0] == 200  # the process itself is up
