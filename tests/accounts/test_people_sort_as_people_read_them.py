"""Lists of people sort by name as people read them, case and accents aside: "Åsa" among
the a's, "émile" before "Zoe", "alice" before "Bob" (lib.folding), on SQLite and PostgreSQL
alike: the People page, the pickers that name no order (User's default), and Python sorts."""

from __future__ import annotations

import re

from django.urls import reverse

from closeloop.accounts.models import User
from closeloop.accounts.people_selectors import manager_choices
from closeloop.lib.folding import Folded, name_key, text_fold

NAMES = ["Zoe Zimmer", "émile Zola", "Åsa Ek", "alice lowercase", "Øyvind Berg", "Bob Brown"]
IN_ORDER = ["alice lowercase", "Åsa Ek", "Bob Brown", "émile Zola", "Øyvind Berg", "Zoe Zimmer"]


def people(names=NAMES) -> None:
    for number, name in enumerate(names):
        User.objects.create_user(f"sort{number}@example.com", None, full_name=name)


def only_ours(names) -> list[str]:
    return [name for name in names if name in NAMES]


def test_the_people_page_lists_names_as_people_read_them(world, login):
    people()
    response = login(world.ada).get(reverse("people:list"))
    assert response.status_code == 200
    listed = re.findall(r"<td><strong>([^<]+)</strong>", response.text)
    assert only_ours(listed) == IN_ORDER


def test_pickers_of_people_and_the_default_order_read_names_that_way(world):
    people()
    assert only_ours(str(person) for person in manager_choices()) == IN_ORDER
    assert only_ours(str(person) for person in User.objects.all()) == IN_ORDER


def test_the_database_and_python_fold_names_alike(world):
    people()
    folded = dict(User.objects.annotate(key=Folded("full_name")).values_list("full_name", "key"))
    assert all(folded[name] == text_fold(name) for name in NAMES)
    assert sorted(NAMES, key=name_key) == IN_ORDER
