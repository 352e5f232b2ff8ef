"""The notes say when they were last saved and by whom ("by you" to the one who did).

It is Mon 23 Nov 10:00 UTC; the fixtures' meeting is London's (UTC in November).
"""

from __future__ import annotations

import re

from django.urls import reverse

from closeloop.touchbases.models import Touchbase


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_save_records_who_saved_and_the_page_names_them(world, current, login):
    url = reverse("touchbases:touchbase-notes", args=[current.pk])
    assert login(world.hank).post(url, {"notes": "Bring the benchmark", "seen": ""}).status_code
    saved = Touchbase.objects.get(pk=current.pk)
    assert saved.notes_updated_by_id == world.hank.pk
    page = reverse("touchbases:touchbase-detail", args=[current.pk])
    assert "Last saved Mon 23 Nov 10:00 by Hank Manager" in _text(login(world.rita).get(page))
    assert "Last saved Mon 23 Nov 10:00 by you" in _text(login(world.hank).get(page))
