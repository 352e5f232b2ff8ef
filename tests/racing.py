"""Two transactions that race on PostgreSQL, for the concurrency tests (imported by name,
like workerproc): `race(first, second)` runs `first` in a transaction held open a moment and
`second` meanwhile, each on its own connection, and returns what became of each, sorted:
"<name> done", "<name> refused: <message>" or "<name> error: …" (a deadlock or a server
error, which the test then fails on)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection, transaction

Racer = tuple[str, Callable[[], object]]


def race(first: Racer, second: Racer) -> list[str]:
    """Run `first` in a transaction held open a moment, and `second` meanwhile."""
    began = threading.Event()
    done: list[str] = []

    def run(name: str, action: Callable[[], object], hold: bool) -> None:
        try:
            if not hold:
                began.wait(timeout=10)
            with transaction.atomic():
                action()
                if hold:
                    began.set()
                    time.sleep(0.5)  # uncommitted while the other one comes
            done.append(f"{name} done")
        except ValidationError as error:
            done.append(f"{name} refused: {error.messages[0]}")
        except Exception as error:  # a deadlock or a server error: the test fails on it
            done.append(f"{name} error: {error!r}")
        finally:
            began.set()
            connection.close()

    threads = [
        threading.Thread(target=run, args=(*first, True)),
        threading.Thread(target=run, args=(*second, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(done)
