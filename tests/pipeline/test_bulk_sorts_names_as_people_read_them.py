"""The candidates a bulk action works on are taken (and named in its messages) by name as
people read them, case and accents aside (lib.folding)."""

from __future__ import annotations

from closeloop.pipeline.bulk import bulk_applications_get
from closeloop.pipeline.services import candidate_add

NAMES = ["Zoe Zimmer", "émile Zola", "Åsa Ek", "bob brown"]


def test_the_bulk_selection_reads_names_as_people_read_them(world):
    ids = [
        candidate_add(
            job=world.job, by=world.rita, data={"full_name": name, "email": f"b{n}@c.example"}
        ).application.pk
        for n, name in enumerate(NAMES)
    ]
    chosen = bulk_applications_get(user=world.rita, job=world.job, ids=[str(pk) for pk in ids])
    assert [each.candidate.full_name for each in chosen] == [
        "Åsa Ek",
        "bob brown",
        "émile Zola",
        "Zoe Zimmer",
    ]
