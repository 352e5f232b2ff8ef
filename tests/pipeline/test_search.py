"""Search: candidates by name, email, company, title and résumé words, jobs by title and team,
each word a prefix; only what the searcher may see; any query answers, never an error."""

from __future__ import annotations

import io
import re

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from closeloop.demo.resumes import resume_pdf
from closeloop.pipeline.models import Application, Candidate
from closeloop.pipeline.privacy import candidate_erase
from closeloop.pipeline.search import search_candidates, search_words
from closeloop.pipeline.services import candidate_update

SEARCH = reverse("pipeline:search")


@pytest.fixture
def world(world):
    """Carla works at Acme as a platform engineer; her résumé mentions Kubernetes."""
    Candidate.objects.filter(pk=world.interviewed.candidate_id).update(
        current_company="Acme Robotics",
        current_title="Platform Engineer",
        resume_text="Ran Kubernetes clusters and the on-call rotation at Acme.",
    )
    return world


def found(user, query: str) -> list[str]:
    return [c.full_name for c in search_candidates(user=user, words=search_words(query))]


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize(
    "query",
    ["carla", "Carla Cand", "car can", "carla@cand", "acme", "platform eng", "kubernetes", "KUBER"],
)
def test_a_candidate_is_found_by_each_thing_a_recruiter_remembers(world, query):
    assert found(world.rita, query) == ["Carla Candidate"]


@pytest.mark.parametrize(
    ("name", "typed"),
    [("Jürgen Müller", "jurgen muller"), ("Åsa Øberg", "asa oberg"), ("Anna Straße", "strasse"),
     ("Łukasz Dvořák", "lukasz dvorak"), ("Chloé Ærø", "chloe aero"), ("Hugo Muller", "Müller"),
     ("Şule Çelik", "SULE CELIK"), ("Siobhán O'Brien", "siobhan obrien"),
     ("Siobhán O\N{RIGHT SINGLE QUOTATION MARK}Brien", "obrien"),
     ("Siobhán O'Brien", "o'brien"), ("Siobhán O'Brien", "brien")],
)  # fmt: skip
def test_a_name_is_found_typed_without_its_accents_and_strokes(world, name, typed):
    Candidate.objects.filter(pk=world.interviewed.candidate_id).update(full_name=name)
    assert found(world.rita, typed) == [name]
    assert found(world.rita, name) == [name]


def test_nothing_found_says_what_was_searched_for_whom(world, login):
    rita = text(login(world.rita).get(SEARCH, {"q": "zyxw"}))
    assert "Only candidates of the jobs you work on (or interview for) are searched." in rita
    ada = text(login(world.ada).get(SEARCH, {"q": "zyxw"}))
    assert "Every candidate was searched" in ada and "jobs you work on" not in ada


def test_every_word_must_match_and_names_starting_with_the_first_come_first(world):
    assert found(world.rita, "carla kubernetes") == ["Carla Candidate"]
    assert found(world.rita, "carla python") == []
    assert found(world.rita, "s") == ["Sam Sourced"]  # Sam by his name first
    assert found(world.rita, "candidate") == ["Carla Candidate"]


def test_only_candidates_the_searcher_may_see_are_found(world):
    assert found(world.ivy, "carla") == ["Carla Candidate"]  # she interviews Carla
    assert found(world.ivy, "sam") == []  # not Sam, whom she does not interview
    assert found(world.olga, "carla") == []  # not on the backend job's team
    assert found(world.olga, "otto") == ["Otto Other"]  # the hiring manager of his job
    assert found(world.ada, "otto") == ["Otto Other"]  # admins see every candidate
    assert found(world.rita, "otto") == []  # ada's job, not rita's


def test_an_erased_candidate_is_not_found_by_anything_they_were(world):
    candidate = Candidate.objects.get(pk=world.interviewed.candidate_id)
    candidate_erase(candidate=candidate, by=world.ada, reason="Asked to be forgotten")
    for query in ("carla", "acme", "kubernetes"):
        assert found(world.ada, query) == []
    assert Candidate.objects.get(pk=candidate.pk).resume_text == ""


def test_the_page_shows_jobs_and_candidates_with_whose_move_and_since(world, login):
    page = text(login(world.rita).get(SEARCH, {"q": "engineer"}))
    assert "Jobs 1" in page and "Backend Engineer Open · Platform" in page
    assert "Candidates 1" in page and "Carla Candidate Platform Engineer at Acme Robotics" in page
    assert "Backend Engineer : Sourced · your move, waiting" in page
    # olga sees neither the job nor its candidates.
    assert "Nothing you can see matches" in text(login(world.olga).get(SEARCH, {"q": "engineer"}))


def test_the_header_box_is_on_every_page_and_keeps_the_query(world, login):
    client = login(world.hank)
    assert 'id="site-search" name="q"' in client.get(reverse("jobs:job-list")).content.decode()
    html = client.get(SEARCH, {"q": "carla"}).content.decode()
    assert (
        'id="site-search" name="q" placeholder="Search  ( / )" maxlength="200" value="carla"'
        in html
    )


@pytest.mark.parametrize(
    "query",
    ["", " ", "\x00", "'", '"', "*", "carla*", 'NEAR(carla', "OR", "AND NOT", "-carla", ":*",
     "&|!()", "a" * 5000, "²", "٣", "carla\x00", "%", "_", "\\", "' OR 1=1 --"],
)  # fmt: skip
def test_any_query_answers_and_never_errs(world, login, query):
    response = login(world.rita).get(SEARCH, {"q": query, "page": "²"})
    assert response.status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Trigram names: PostgreSQL only")
def test_a_misspelt_name_still_finds_the_person_on_postgresql(world, login):
    assert found(world.rita, "Carla Candidte") == []  # no exact match…
    page = text(login(world.rita).get(SEARCH, {"q": "Carla Candidte"}))
    assert "No candidate matches every word; these names look like Carla Candidte" in page
    assert "Carla Candidate Platform Engineer" in page  # …but her name looks like it


# --- Résumé words are read on upload ---------------------------------------------------------


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.pdf", resume_pdf([(12, "Sam Sourced"), (11, "Built Terraform modules for Zurich")])),
        ("cv.docx", docx_bytes("Sam Sourced", "Built Terraform modules for Zurich")),
    ],
)
def test_an_uploaded_resume_is_searchable_by_its_words(world, settings, tmp_path, name, content):
    settings.MEDIA_ROOT = tmp_path
    candidate = Candidate.objects.get(pk=world.sourced.candidate_id)
    upload = SimpleUploadedFile(name, content)
    candidate_update(candidate=candidate, by=world.rita, data={}, resume=upload)
    assert "Terraform modules for Zurich" in Candidate.objects.get(pk=candidate.pk).resume_text
    assert found(world.rita, "terraform zurich") == ["Sam Sourced"]


def test_a_resume_whose_text_cannot_be_read_is_kept_without_words(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    candidate = Candidate.objects.get(pk=world.sourced.candidate_id)
    broken = SimpleUploadedFile("cv.pdf", b"%PDF-1.4\nthis is not really a PDF at all\n")
    candidate_update(candidate=candidate, by=world.rita, data={}, resume=broken)
    candidate.refresh_from_db()
    assert candidate.resume and candidate.resume_text == ""


def test_the_index_follows_every_kind_of_write(world):
    Candidate.objects.filter(pk=world.sourced.candidate_id).update(full_name="Samantha Renamed")
    assert found(world.rita, "samantha") == ["Samantha Renamed"]
    assert found(world.rita, "sourced") == []  # the old name is gone from the index
    Candidate.objects.bulk_create([Candidate(full_name="Bulk Person", email="bulk@c.example")])
    assert found(world.ada, "bulk") == ["Bulk Person"]  # an admin sees every candidate
    assert found(world.rita, "bulk") == []  # in none of her jobs
    Candidate.objects.filter(email="bulk@c.example").delete()
    assert found(world.ada, "bulk") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers")
def test_triggers_dropped_by_a_table_remake_come_back_and_the_index_is_rebuilt(world):
    from closeloop.pipeline.search import FTS_TABLE, search_structures_ensure

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {FTS_TABLE}_update")
    Candidate.objects.filter(pk=world.sourced.candidate_id).update(full_name="Missed Rename")
    assert found(world.rita, "missed") == []  # written while the trigger was gone
    search_structures_ensure(connection)
    assert found(world.rita, "missed") == ["Missed Rename"]
    Candidate.objects.filter(pk=world.sourced.candidate_id).update(full_name="Later Rename")
    assert found(world.rita, "later") == ["Later Rename"]


def test_structures_already_made_are_left_alone_in_one_query(world):
    """Every migrate and every test database flush calls it: once made, it only looks."""
    from django.test.utils import CaptureQueriesContext

    from closeloop.pipeline.search import search_structures_ensure

    search_structures_ensure(connection)
    with CaptureQueriesContext(connection) as queries:
        search_structures_ensure(connection)
    assert len(queries.captured_queries) == (1 if connection.vendor == "sqlite" else 2)
    assert found(world.rita, "carla") == ["Carla Candidate"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's index table")
def test_an_index_made_before_letters_were_folded_is_made_again_folding_them(world):
    """An upgrade from the index that kept the text of the candidates (external content)."""
    from closeloop.pipeline.search import CANDIDATE_COLUMNS, FTS_TABLE, search_structures_ensure

    Candidate.objects.filter(pk=world.sourced.candidate_id).update(full_name="Åsa Øberg")
    with connection.cursor() as cursor:
        for name in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER {FTS_TABLE}_{name}")
        cursor.execute(f"DROP TABLE {FTS_TABLE}")
        cursor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({', '.join(CANDIDATE_COLUMNS)}, "
            "content='pipeline_candidate', content_rowid='id')"
        )
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    assert found(world.rita, "oberg") == []
    search_structures_ensure(connection)
    assert found(world.rita, "oberg") == ["Åsa Øberg"]


def test_a_broad_search_is_counted_up_to_a_limit_and_asks_for_another_word(
    world, login, monkeypatch
):
    monkeypatch.setattr("closeloop.pipeline.search.MAX_COUNTED", 1)
    page = text(login(world.rita).get(SEARCH, {"q": "c"}))
    assert "Candidates 1+" in page
    assert "More than 1 match: the first 1 are listed. Add a word to narrow them." in page
    page = text(login(world.rita).get(SEARCH, {"q": "carla"}))
    assert "Candidates 1 " in page and "More than" not in page


def test_an_index_made_for_other_columns_is_made_again(world):
    """An upgrade that searches another column replaces the index made for the old ones."""
    from closeloop.pipeline.search import FTS_TABLE, PG_DOCUMENT_COLUMN, search_structures_ensure

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            column = f"pipeline_candidate.{PG_DOCUMENT_COLUMN}"
            cursor.execute(f"COMMENT ON COLUMN {column} IS 'an older document'")
            # The test's own writes leave deferred checks pending, which ALTER TABLE refuses.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        else:
            for name in ("insert", "update", "delete"):
                cursor.execute(f"DROP TRIGGER {FTS_TABLE}_{name}")
            cursor.execute(f"DROP TABLE {FTS_TABLE}")
            cursor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(full_name)")
    search_structures_ensure(connection)
    assert found(world.rita, "kubernetes") == ["Carla Candidate"]  # résumé words: new columns
    Candidate.objects.filter(pk=world.sourced.candidate_id).update(current_company="Zeta Labs")
    assert found(world.rita, "zeta") == ["Sam Sourced"]


def test_a_candidate_waiting_for_an_interview_shows_the_interview_not_a_wait(world, login):
    from closeloop.jobs.models import MoveOwner

    interviewing = world.job.stages.filter(move_owner=MoveOwner.INTERVIEWERS).first()
    Application.objects.filter(pk=world.interviewed.pk).update(
        stage=interviewing, next_move_owner=world.ivy
    )
    page = text(login(world.rita).get(SEARCH, {"q": "carla"}))
    assert "Ivy Interviewer's interview" in page
    assert "Ivy Interviewer's move" not in page


def test_jobs_are_found_by_the_start_of_a_word_of_their_title_or_team(world):
    from closeloop.pipeline.search import search_jobs

    def titles(query):
        return [job.title for job in search_jobs(user=world.ada, words=search_words(query))]

    assert titles("back eng") == ["Backend Engineer"]
    assert titles("plat") == ["Backend Engineer"]  # its team, Platform
    assert titles("ngineer") == []  # inside a word: not a match
    assert titles("analyst") == ["Data Analyst"]
