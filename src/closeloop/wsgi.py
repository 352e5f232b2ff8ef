"""WSGI entry point, served by granian (`closeloop serve`)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from closeloop.lib.frames import room

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closeloop.settings")
django_application = get_wsgi_application()


def application(environ, start_response):
    """Django's handler, called from a frame with room: each request's frames share one
    chunk of Python's frame stack instead of mapping and unmapping chunks as its depth
    wavers (closeloop.lib.frames)."""
    return room(django_application, environ, start_response)
