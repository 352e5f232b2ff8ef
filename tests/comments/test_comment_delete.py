"""Deleting a comment: its author at any time, an admin anyone's, nobody else (403, nothing
changed). The text leaves the database (the row, its events, the messages that quoted it),
the thread keeps a tombstone in its place in the reader's zone, a mention's message leads
to it (or is withdrawn while it still waits), the candidate's export no longer holds it,
and a deleted comment can no longer be edited."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from closeloop.activity.models import Activity
from closeloop.comments.models import Comment
from closeloop.comments.selectors import comment_subject_of
from closeloop.comments.services import comment_add, comment_delete, comment_edit
from closeloop.notify.models import Delivery, Message

# Monday 7 Dec 2026, 10:15 UTC: inside everyone's working hours.
MONDAY = dt.datetime(2026, 12, 7, 10, 15, tzinfo=dt.UTC)
# Saturday 5 Dec 2026 03:00 UTC: nobody's working hours.
SATURDAY_NIGHT = dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC)
SECRET = "Carla mentioned her divorce in the screen"


def on(obj):
    return comment_subject_of(obj)


def delete_url(comment):
    return reverse("comments:comment-delete", args=[comment.pk])


def page_of(obj):
    return on(obj).url


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(MONDAY, tick=False)


def _text_anywhere(text: str) -> list[str]:
    """Where the text is still stored: comments, events, messages."""
    found = []
    if Comment.objects.filter(body__contains=text).exists():
        found.append("comment")
    if Activity.objects.filter(detail__contains=text).exists():
        found.append("activity")
    messages = Message.objects.all()
    if messages.filter(body_text__contains=text) or messages.filter(body_html__contains=text):
        found.append("message")
    return found


def test_the_author_deletes_her_comment_and_its_text_leaves_the_database(world, login, monday):
    comment = comment_add(subject=on(world.interviewed), by=world.rita, body=f"{SECRET} @hank")
    assert _text_anywhere(SECRET) == ["comment", "activity", "message"]
    client = login(world.rita)
    confirm = client.get(delete_url(comment))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Delete your comment?" in html and SECRET in html
    assert '<form method="post"' in html
    assert "csrfmiddlewaretoken" in html
    response = client.post(delete_url(comment))
    assert response.status_code == 302
    assert response.url == f"{page_of(world.interviewed)}#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.body == "" and comment.deleted_at == MONDAY
    assert comment.deleted_by == world.rita and not comment.mentions.exists()
    assert _text_anywhere(SECRET) == []
    event = Activity.objects.get(kind="closeloop.comment.deleted")
    assert event.detail == "" and event.actor == world.rita
    assert event.summary == (
        "Rita Recruiter deleted their comment on Carla Candidate for Backend Engineer"
    )
    assert event.data == {"comment": comment.pk, "subject": "application", "author": world.rita.pk}
    # The event of its posting stays, without the text.
    assert Activity.objects.get(kind="closeloop.comment.added").detail == ""


def test_an_admin_deletes_anyones_comment_and_the_tombstone_names_her(world, login, monday):
    comment = comment_add(subject=on(world.job), by=world.rita, body="Off-topic rant")
    client = login(world.ada)
    assert "Delete Rita Recruiter’s comment?" in client.get(delete_url(comment)).content.decode()
    assert client.post(delete_url(comment)).status_code == 302
    comment.refresh_from_db()
    assert comment.deleted_by == world.ada and comment.body == ""
    event = Activity.objects.get(kind="closeloop.comment.deleted")
    assert event.summary == "Ada Admin deleted Rita Recruiter's comment on Backend Engineer"
    page = login(world.hank).get(page_of(world.job)).content.decode()
    assert "Comment deleted by Ada Admin on Mon 07 Dec 10:15" in page
    assert "Off-topic rant" not in page


@pytest.mark.parametrize("persona", ["hank", "ivy"])
def test_nobody_else_may_delete_a_comment(world, login, monday, persona):
    """hank manages the job and ivy interviews for it: both read rita's comment, neither may
    delete it (403 with the reason, nothing changed); olga does not see it (404)."""
    comment = comment_add(subject=on(world.job), by=world.rita, body="Rita's note")
    client = login(getattr(world, persona))
    for response in (client.get(delete_url(comment)), client.post(delete_url(comment))):
        assert response.status_code == 403
        assert "Only the person who wrote a comment, or an admin, may delete it." in (
            response.content.decode()
        )
    assert login(world.olga).post(delete_url(comment)).status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Rita's note" and comment.deleted_at is None
    assert not Activity.objects.filter(kind="closeloop.comment.deleted").exists()
    with pytest.raises(PermissionDenied):
        comment_delete(comment=comment, by=world.hank)


def test_the_delete_link_shows_only_to_those_who_may_delete(world, login, monday):
    comment = comment_add(subject=on(world.job), by=world.rita, body="Mine")
    link = f'href="{delete_url(comment)}"'
    assert link in login(world.rita).get(page_of(world.job)).content.decode()
    assert link in login(world.ada).get(on(world.job).comments_url).content.decode()
    assert link not in login(world.hank).get(page_of(world.job)).content.decode()


def test_the_tombstone_keeps_the_comments_place_in_the_readers_zone(world, login, time_machine):
    """rita's first comment is deleted between two others: the thread still reads in order,
    and hank, in New York, reads the deletion's time in his zone."""
    time_machine.move_to(MONDAY - dt.timedelta(hours=1), tick=False)
    first = comment_add(subject=on(world.interviewed), by=world.rita, body="First word")
    time_machine.move_to(MONDAY - dt.timedelta(minutes=30), tick=False)
    wrong = comment_add(subject=on(world.interviewed), by=world.rita, body="Wrong candidate")
    time_machine.move_to(MONDAY - dt.timedelta(minutes=10), tick=False)
    comment_add(subject=on(world.interviewed), by=world.hank, body="Last word")
    time_machine.move_to(MONDAY, tick=False)
    comment_delete(comment=wrong, by=world.rita)
    world.hank.time_zone = "America/New_York"
    world.hank.save(update_fields=["time_zone"])
    for url in (page_of(world.interviewed), on(world.interviewed).comments_url):
        html = login(world.hank).get(url).content.decode()
        panel = html.split('id="comments"', 1)[1]
        tombstone = "Comment deleted by Rita Recruiter on Mon 07 Dec 05:15"
        assert tombstone in panel and "Wrong candidate" not in html
        assert panel.index("First word") < panel.index(tombstone) < panel.index("Last word")
        assert f'id="comment-{wrong.pk}"' in panel
        assert f'id="comment-{first.pk}"' in panel
    # Its author reads it in her zone (UTC), and is offered no Edit or Delete on it.
    html = login(world.rita).get(page_of(world.interviewed)).content.decode()
    assert "Comment deleted by Rita Recruiter on Mon 07 Dec 10:15" in html
    assert reverse("comments:comment-edit", args=[wrong.pk]) not in html
    assert delete_url(wrong) not in html


def test_a_deleted_comment_can_no_longer_be_edited_nor_deleted_again(world, login, monday):
    comment = comment_add(subject=on(world.job), by=world.rita, body="Oops")
    comment_delete(comment=comment, by=world.rita)
    client = login(world.rita)
    edit = reverse("comments:comment-edit", args=[comment.pk])
    # An old Edit link (GET or POST) leads back to the tombstone, saying why, changing nothing.
    for method, data in (("get", {}), ("post", {"body": "Back again"})):
        refused = getattr(client, method)(edit, data)
        assert refused.status_code == 302 and refused.url.endswith(f"#comment-{comment.pk}")
        page = client.get(refused.url).content.decode()
        assert "This comment was deleted; it can no longer be edited." in page
        assert f'id="comment-{comment.pk}"' in page and "Back again" not in page
    with pytest.raises(PermissionDenied):
        comment_edit(comment=comment, by=world.rita, body="Back again")
    # Deleting it again leads back to its tombstone, changing nothing.
    again = client.post(delete_url(comment))
    assert again.status_code == 302 and again.url.endswith(f"#comment-{comment.pk}")
    assert "This comment was deleted already." in client.get(again.url).content.decode()
    comment.refresh_from_db()
    assert comment.body == "" and comment.deleted_by == world.rita
    assert Activity.objects.filter(kind="closeloop.comment.deleted").count() == 1


def test_the_delete_address_needs_a_post_with_its_csrf_token(world, monday):
    from django.test import Client

    comment = comment_add(subject=on(world.job), by=world.rita, body="Guarded")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.rita)
    assert client.post(delete_url(comment)).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Guarded" and comment.deleted_at is None


def test_a_mention_already_sent_leads_to_the_tombstone_without_the_text(world, login, monday):
    comment = comment_add(subject=on(world.job), by=world.rita, body=f"@hank {SECRET}")
    message = Message.objects.get(recipient=world.hank, template="comment-mention")
    assert message.has_arrived() and SECRET in message.body_text
    comment_delete(comment=comment, by=world.ada)
    message.refresh_from_db()
    assert SECRET not in message.body_text and SECRET not in message.body_html
    assert "Comment deleted by Ada Admin on Mon 07 Dec 10:15." in message.body_text
    link = f"{page_of(world.job)}#comment-{comment.pk}"
    assert link in message.body_text and link in message.body_html
    client = login(world.hank)
    shown = client.get(reverse("notify:message-detail", args=[message.pk])).content.decode()
    assert SECRET not in shown and "Comment deleted by Ada Admin" in shown
    page = client.get(link).content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert "Comment deleted by Ada Admin on Mon 07 Dec 10:15" in page


def test_a_mention_still_waiting_is_withdrawn_or_no_longer_words_it(world, settings, time_machine):
    """At night hank's mentions wait for his working hours, batched: deleting one comment
    takes it out of the waiting message; deleting the last withdraws the message unsent."""
    settings.QUIET_HOURS = True
    time_machine.move_to(SATURDAY_NIGHT, tick=False)
    first = comment_add(subject=on(world.job), by=world.rita, body="@hank wrong job, sorry")
    second = comment_add(subject=on(world.job), by=world.rita, body="@hank see the brief")
    message = Message.objects.get(recipient=world.hank, template="comment-mention")
    assert message.data == {"comments": [first.pk, second.pk]}
    comment_delete(comment=first, by=world.rita)
    message.refresh_from_db()
    assert message.data == {"comments": [second.pk]}
    assert "wrong job" not in message.body_text and "see the brief" in message.body_text
    assert "deleted" not in message.body_text  # he was never told of it: nothing to say
    comment_delete(comment=second, by=world.rita)
    assert not Message.objects.filter(recipient=world.hank, template="comment-mention").exists()
    assert not Delivery.objects.filter(message_id=message.pk).exists()


def _export(login, admin, candidate) -> dict:
    response = login(admin).post(f"/candidates/{candidate.pk}/export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("data.json"))


def test_the_candidates_export_no_longer_holds_a_deleted_comment(world, login, monday):
    """One comment about Carla, one on the job naming her (mentioning hank): deleted, neither
    is in her export any more, not even through the message that quoted it."""
    carla = world.interviewed.candidate
    about = comment_add(subject=on(world.interviewed), by=world.rita, body=f"{SECRET}.")
    naming = comment_add(
        subject=on(world.job), by=world.rita, body="@hank Carla Candidate asked about visas"
    )
    before = json.dumps(_export(login, world.ada, carla))
    assert SECRET in before and "asked about visas" in before
    comment_delete(comment=about, by=world.rita)
    comment_delete(comment=naming, by=world.ada)
    after = _export(login, world.ada, carla)
    text = json.dumps(after)
    assert SECRET not in text and "asked about visas" not in text
    assert after["comments"] == []


def test_a_comment_an_erasure_scrubbed_can_still_be_deleted(world, monday):
    """Deleting only takes text away, so the name an erasure took out cannot come back."""
    from closeloop.pipeline.privacy import candidate_erase

    carla = world.interviewed.candidate
    comment = comment_add(subject=on(world.job), by=world.rita, body="Carla Candidate was great")
    candidate_erase(candidate=carla, by=world.ada, reason="Asked to be forgotten")
    comment.refresh_from_db()
    assert comment.scrubbed_at is not None
    comment_delete(comment=comment, by=world.rita)
    comment.refresh_from_db()
    assert comment.body == "" and comment.deleted_by == world.rita


def test_a_waiting_mention_whose_other_comment_is_gone_is_withdrawn(world, settings, time_machine):
    """A waiting message batches two comments and the first is gone since (erased with its
    candidate): deleting the second withdraws the message, nothing left to word."""
    settings.QUIET_HOURS = True
    time_machine.move_to(SATURDAY_NIGHT, tick=False)
    first = comment_add(subject=on(world.job), by=world.rita, body="@hank about Otto")
    second = comment_add(subject=on(world.job), by=world.rita, body="@hank see the brief")
    Comment.objects.filter(pk=first.pk).delete()  # as an erasure removes it
    comment_delete(comment=second, by=world.rita)
    assert not Message.objects.filter(recipient=world.hank, template="comment-mention").exists()
