"""The job's candidate list sorts by name case- and accent-blind ("alice", "Åsa Ek" among
the a's, "Émile Zola" among the e's), on SQLite and PostgreSQL alike, in the database: the
page reads its rows already in order."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.lib.folding import Folded, text_fold
from closeloop.pipeline.models import Candidate
from closeloop.pipeline.services import application_reject, candidate_add

NAMES = ["Zoe Zimmer", "alice lowercase", "Åsa Ek", "Émile Zola", "Ünal Øberg-Straße", "Bob Brown"]
IN_ORDER = [
    "alice lowercase",
    "Åsa Ek",
    "Bob Brown",
    "Carla Candidate",
    "Émile Zola",
    "Sam Sourced",
    "Ünal Øberg-Straße",
    "Zoe Zimmer",
]


def listed(client, job, **query) -> list[str]:
    response = client.get(reverse("jobs:job-detail", args=[job.pk]), {"view": "list", **query})
    assert response.status_code == 200
    return re.findall(r'<td data-label="Candidate"><a href="[^"]+">([^<]+)</a>', response.text)


def add_names(world) -> None:
    for number, name in enumerate(NAMES):
        data = {"full_name": name, "email": f"sort{number}@c.example"}
        application = candidate_add(job=world.job, by=world.rita, data=data).application
        if name == "alice lowercase":
            application_reject(application=application, by=world.rita, reason="skills")


def test_sorting_by_name_ignores_case_and_accents(world, login):
    add_names(world)
    client = login(world.rita)
    assert listed(client, world.job, status="all", sort="name") == IN_ORDER
    assert listed(client, world.job, status="all", sort="-name") == IN_ORDER[::-1]


def test_the_database_sorts_the_names(world, login):
    add_names(world)
    client = login(world.rita)
    with CaptureQueriesContext(connection) as queries:
        listed(client, world.job, status="all", sort="name")
    fold = "closeloop_unaccent" if connection.vendor == "postgresql" else "closeloop_fold"
    # (People are sorted by the fold too, by default: only the candidates' is counted here.)
    names = f'{fold}("pipeline_candidate"."full_name")'
    ordered = [q["sql"] for q in queries if "ORDER BY" in q["sql"] and names in q["sql"]]
    assert len(ordered) == 1
    assert "LIMIT" in ordered[0]  # one page of rows read, already in order


def test_the_database_folds_names_as_python_does(world):
    add_names(world)
    folded = Candidate.objects.annotate(key=Folded("full_name")).values_list("full_name", "key")
    assert {name: key for name, key in folded if name in NAMES} == {
        "Zoe Zimmer": "zoe zimmer",
        "alice lowercase": "alice lowercase",
        "Åsa Ek": "asa ek",
        "Émile Zola": "emile zola",
        "Ünal Øberg-Straße": "unal oberg-strasse",
        "Bob Brown": "bob brown",
    }
    assert all(key == text_fold(name) for name, key in folded)
