"""Comments that name a candidate elsewhere (on a job, on another candidate's application):
erasing takes the name out of every one of them (the comment's event and the mention it sent
too) but those about another candidate of the same full name, and reads sensibly afterwards;
the export holds exactly the comments erasure would scrub; a scrubbed comment stays as it is."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied

from closeloop.activity.models import Activity
from closeloop.comments.models import Comment
from closeloop.comments.selectors import comment_can_edit, comment_subject_of
from closeloop.comments.services import comment_add, comment_edit
from closeloop.notify.models import Message
from closeloop.pipeline.models import Candidate
from closeloop.pipeline.privacy import candidate_erase

ON_SAM = "Sam Sourced is stronger than Carla Candidate on Go. @hank"
ON_JOB = "Carla Candidate (carla@cand.example, +1 555 0100) compares well."


@pytest.fixture
def comments(world):
    """Carla (with a phone) named in rita's comment on Sam's application (mentioning hank)
    and on the job; another Carla Candidate named in a comment on her own record."""
    carla = world.interviewed.candidate
    Candidate.objects.filter(pk=carla.pk).update(phone="+1 555 0100")
    namesake = Candidate.objects.create(full_name="Carla Candidate", email="carla2@x.example")
    on_sam = comment_add(subject=comment_subject_of(world.sourced), by=world.rita, body=ON_SAM)
    on_job = comment_add(subject=comment_subject_of(world.job), by=world.rita, body=ON_JOB)
    on_namesake = Comment.objects.create(
        candidate=namesake, author=world.ada, body="Carla Candidate met us in 2024."
    )
    return Candidate.objects.get(pk=carla.pk), on_sam, on_job, on_namesake


def _export(login, admin, candidate) -> dict:
    response = login(admin).post(f"/candidates/{candidate.pk}/export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("data.json"))


def test_erasing_takes_the_name_out_of_a_comment_on_another_candidates_application(
    world, comments, login
):
    carla, on_sam, _on_job, on_namesake = comments
    assert Message.objects.filter(body_text__contains="Carla Candidate").exists()
    candidate_erase(candidate=carla, by=world.ada, reason="Asked to be forgotten")

    on_sam.refresh_from_db()
    assert on_sam.body == f"Sam Sourced is stronger than Erased candidate #{carla.pk} on Go. @hank"
    event = Activity.objects.get(kind="closeloop.comment.added", application=world.sourced)
    assert "Carla Candidate" not in event.detail
    assert f"Erased candidate #{carla.pk}" in event.detail
    # The mention it sent hank is scrubbed as every message is.
    assert not Message.objects.filter(body_text__icontains="Carla Candidate").exists()
    assert not Message.objects.filter(body_html__icontains="Carla Candidate").exists()
    page = login(world.rita).get(f"/applications/{world.sourced.pk}/").content.decode()
    assert "Carla Candidate" not in page
    # Another candidate of the same full name keeps hers.
    on_namesake.refresh_from_db()
    assert on_namesake.body == "Carla Candidate met us in 2024."


def test_the_export_holds_every_comment_that_names_them(world, comments, login):
    carla, _on_sam, _on_job, _on_namesake = comments
    data = _export(login, world.ada, carla)

    bodies = [row["body"] for row in data["comments"]]
    # Sam is another candidate: his name stays out of Carla's export.
    assert bodies == [
        "[another candidate] is stronger than Carla Candidate on Go. @hank",
        ON_JOB,
    ]
    # Not the comment about the other Carla Candidate.
    assert "2024" not in json.dumps(data)


def test_a_scrubbed_comment_reads_sensibly_and_is_no_longer_editable(world, comments):
    carla, on_sam, on_job, _on_namesake = comments
    assert comment_can_edit(comment=on_job, user=world.rita)
    candidate_erase(candidate=carla, by=world.ada, reason="Asked to be forgotten")

    on_job.refresh_from_db()
    assert on_job.body == f"Erased candidate #{carla.pk} compares well."
    assert not comment_can_edit(comment=on_job, user=world.rita)
    with pytest.raises(PermissionDenied, match="erased"):
        comment_edit(comment=on_job, by=world.rita, body=ON_JOB)
    on_sam.refresh_from_db()
    assert not comment_can_edit(comment=on_sam, user=world.rita)


def test_a_comment_naming_someone_whose_name_holds_theirs_is_left_out(world, comments, login):
    """Erasing Carla Candidate leaves "Carla Candidates" (another name) as it was."""
    carla, *_rest = comments
    other = comment_add(
        subject=comment_subject_of(world.job), by=world.rita, body="Ask Carla Candidateson."
    )
    assert "Candidateson" not in json.dumps(_export(login, world.ada, carla))
    candidate_erase(candidate=carla, by=world.ada, reason="Asked to be forgotten")
    other.refresh_from_db()
    assert (other.body, other.scrubbed_at) == ("Ask Carla Candidateson.", None)


def test_each_exported_comment_says_where_it_was_in_one_flat_list(world, comments, login):
    """A flat list, each comment saying where it was: on their own application (its id and
    job), on their record, on the job, or on another candidate's application (the job only:
    which candidate stays out)."""
    carla, *_rest = comments
    comment_add(subject=comment_subject_of(world.interviewed), by=world.rita, body="Own app.")
    comment_add(subject=comment_subject_of(carla), by=world.rita, body="On her record.")
    data = _export(login, world.ada, carla)

    where = {row["body"]: (row["on"], row["job"], row["application"]) for row in data["comments"]}
    assert where == {
        "[another candidate] is stronger than Carla Candidate on Go. @hank": (
            "another candidate's application",
            "Backend Engineer",
            None,
        ),
        ON_JOB: ("the job", "Backend Engineer", None),
        "Own app.": ("their application", "Backend Engineer", world.interviewed.pk),
        "On her record.": ("their candidate record", None, None),
    }
    assert str(world.sourced.pk) not in json.dumps([row["application"] for row in data["comments"]])
