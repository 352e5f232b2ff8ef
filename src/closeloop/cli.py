"""The `closeloop` command: Django's management commands with Closeloop's settings.

`closeloop demo`, `closeloop serve` and `closeloop worker` are management commands too, so
every Django command (`closeloop migrate`, `closeloop createsuperuser`, …) works the same way.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closeloop.settings")
    if len(argv) > 1 and argv[1] == "demo":
        # Read by the settings before Django starts: the login page lists the demo logins.
        os.environ["CLOSELOOP_DEMO"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
