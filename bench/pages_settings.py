"""Closeloop's own settings for the page benchmark, with one difference: the urlconf.

`bench/pages_urls.py` serves every page of the product plus the benchmark's ceiling view, so
the ceiling runs behind exactly the middleware, sessions and database settings the pages
run behind. The product's urls never contain it. Used by bench/pages.py only (bench/ on
PYTHONPATH, DJANGO_SETTINGS_MODULE=pages_settings).
"""

from closeloop.settings import *  # noqa: F403

ROOT_URLCONF = "pages_urls"
