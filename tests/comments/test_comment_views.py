"""The comment pages and panels: each persona reads and posts exactly where they see the
subject, guessed ids answer 404 and change nothing, refusals keep the text with a clear
message, edits are the author's for 10 minutes, and a list costs the same queries for 1 row
as for 30."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.comments.models import Comment
from closeloop.comments.selectors import comment_subject_blind, comment_subject_of
from closeloop.comments.services import comment_add
from closeloop.notify.models import Message
from closeloop.pipeline.models import Application


def comments_url(obj):
    return comment_subject_of(obj).comments_url


def page_url(obj):
    return comment_subject_of(obj).url


@pytest.mark.parametrize(
    ("persona", "subject", "sees"),
    [
        ("rita", "interviewed", True),
        ("hank", "interviewed", True),
        ("ivy", "interviewed", True),  # on the panel
        ("ivy", "sourced", False),  # not on this candidate's panel
        ("olga", "interviewed", False),
        ("rita", "other_application", False),
        ("ada", "other_application", True),
        ("ivy", "job", True),  # an interviewer of the job
        ("olga", "job", False),
    ],
)
def test_each_persona_reads_and_posts_only_where_they_see_the_subject(
    world, login, persona, subject, sees, ivy_scored
):
    obj = getattr(world, subject)
    comment_add(subject=comment_subject_of(obj), by=world.ada, body="Team note")
    client = login(getattr(world, persona))
    listing = client.get(comments_url(obj))
    posted = client.post(comments_url(obj), {"body": "Mine"})
    if sees:
        assert listing.status_code == 200 and "Team note" in listing.content.decode()
        assert posted.status_code == 302
        assert Comment.objects.filter(body="Mine").count() == 1
        page = client.get(page_url(obj)).content.decode()
        assert "Team note" in page and 'id="comment-body"' in page
    else:
        assert listing.status_code == 404 and posted.status_code == 404
        assert not Comment.objects.filter(body="Mine").exists()


def test_guessed_ids_answer_404_and_change_nothing(world, login):
    client = login(world.olga)
    for name in ("candidate", "application", "job", "touchbase"):
        url = reverse(f"comments:{name}-comments", args=[999999])
        assert client.post(url, {"body": "x"}).status_code == 404
    comment = comment_add(subject=comment_subject_of(world.interviewed), by=world.rita, body="a")
    edit = reverse("comments:comment-edit", args=[comment.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"body": "hacked"}).status_code == 404
    comment.refresh_from_db()
    assert comment.body == "a" and Comment.objects.count() == 1


def test_a_comment_posts_then_redirects_to_the_page_at_the_comment(world, login):
    client = login(world.rita)
    response = client.post(comments_url(world.interviewed), {"body": "Ping @hank"})
    comment = Comment.objects.get()
    assert response.url == f"{page_url(world.interviewed)}#comment-{comment.pk}"
    page = client.get(response.url).content.decode()
    assert "Comment posted; Hank Manager will be told." in page
    assert '<strong class="cl-mention" title="Hank Manager">@hank</strong>' in page
    assert "Rita Recruiter commented on Carla Candidate for Backend Engineer" in page  # timeline


def test_a_comment_just_posted_says_just_now_then_how_long_ago(world, login, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
    client = login(world.rita)
    response = client.post(comments_url(world.job), {"body": "Fresh"}, follow=True)
    assert ">just now · " in response.content.decode()
    assert " min ago" not in response.content.decode()
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, 59, tzinfo=dt.UTC), tick=False)
    assert ">just now · " in client.get(page_url(world.job)).content.decode()
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 1, tzinfo=dt.UTC), tick=False)
    assert ">1 min ago · " in client.get(page_url(world.job)).content.decode()
    time_machine.move_to(dt.datetime(2026, 11, 23, 15, 30, tzinfo=dt.UTC), tick=False)
    assert ">5 h ago · " in client.get(page_url(world.job)).content.decode()


def test_a_refused_comment_keeps_the_text_and_says_why(world, login):
    client = login(world.rita)
    response = client.post(comments_url(world.sourced), {"body": "Over to @olga <b>now</b>"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "The comment was not posted." in html
    assert "Olga Outsider (@olga) cannot see Sam Sourced for Backend Engineer" in html
    assert "Over to @olga &lt;b&gt;now&lt;/b&gt;</textarea>" in html
    assert not Comment.objects.exists()


def test_an_empty_comment_is_refused(world, login):
    response = login(world.rita).post(comments_url(world.job), {"body": "  "})
    assert response.status_code == 400
    assert "Write something before posting the comment." in response.content.decode()


def test_the_same_form_sent_twice_posts_once(world, login):
    client = login(world.rita)
    data = {"body": "Once", "receipt": "r" * 24}
    client.post(comments_url(world.job), data)
    client.post(comments_url(world.job), data)
    assert Comment.objects.count() == 1


def test_the_author_edits_for_ten_minutes_others_never(world, login, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
    comment = comment_add(subject=comment_subject_of(world.job), by=world.rita, body="Draft")
    edit = reverse("comments:comment-edit", args=[comment.pk])
    assert login(world.hank).post(edit, {"body": "Hank's"}).status_code == 403
    client = login(world.rita)
    assert f'href="{edit}"' in client.get(page_url(world.job)).content.decode()
    assert f'href="{edit}"' in client.get(comments_url(world.job)).content.decode()
    response = client.post(edit, {"body": "Final"})
    assert response.status_code == 302
    page = client.get(page_url(world.job)).content.decode()
    assert "Final" in page and "· edited" in page
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 11, tzinfo=dt.UTC), tick=False)
    assert client.post(edit, {"body": "Too late"}).status_code == 403
    assert f'href="{edit}"' not in client.get(page_url(world.job)).content.decode()
    comment.refresh_from_db()
    assert comment.body == "Final"


def test_the_panel_shows_the_latest_ten_and_links_to_all_pages(world, login):
    subject = comment_subject_of(world.interviewed)
    for number in range(12):
        comment_add(subject=subject, by=world.rita, body=f"Note number {number:02}")
    client = login(world.hank)
    page = panel_of(client.get(page_url(world.interviewed)).content.decode())
    assert "Note number 11" in page and "Note number 02" in page and "Note number 01" not in page
    assert "Show all 12 comments" in page
    every = client.get(comments_url(world.interviewed)).content.decode()
    assert "Note number 00" in every and "Note number 11" in every


def panel_of(html: str) -> str:
    """The comments panel alone (the timeline also quotes comments)."""
    return html.split('id="comments"', 1)[1].split("</section>", 1)[0]


def _panel_queries(client, url, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_listing_comments_costs_the_same_queries_for_one_row_as_for_thirty(
    world, login, django_assert_max_num_queries, ivy_scored
):
    subject = comment_subject_of(world.interviewed)
    people = [world.rita, world.hank, world.ivy]
    comment_add(subject=subject, by=world.rita, body="One @hank")
    client = login(world.hank)
    url = comments_url(world.interviewed)
    one = _panel_queries(client, url, django_assert_max_num_queries, 40)
    for number in range(29):
        comment_add(subject=subject, by=people[number % 3], body=f"More @hank @rita {number}")
    thirty = _panel_queries(client, url, django_assert_max_num_queries, 40)
    assert thirty == one
    page_one = _panel_queries(
        client, page_url(world.interviewed), django_assert_max_num_queries, 90
    )
    comment_add(subject=subject, by=world.ivy, body="Another")
    assert (
        _panel_queries(client, page_url(world.interviewed), django_assert_max_num_queries, 90)
        == page_one
    )


def test_an_erased_candidates_pages_offer_no_comment_box(world, login):
    from closeloop.pipeline.privacy import candidate_erase

    candidate = world.other_application.candidate
    candidate_erase(candidate=candidate, by=world.ada, reason="Asked to be forgotten")
    client = login(world.ada)
    for obj in (candidate, world.other_application):
        for url in (page_url(obj), comments_url(obj)):
            html = client.get(url).content.decode()
            assert "comments about them are closed" in html and 'id="comment-body"' not in html
    response = client.post(comments_url(candidate), {"body": "Still here?"})
    assert response.status_code == 400 and not Comment.objects.exists()


def test_an_interviewer_reads_the_comments_on_her_candidate_once_her_scorecard_is_in(
    world, login, request
):
    """Comments about a candidate could sway a scorecard: the scorecards' blindness covers
    them. Before ivy's card on Carla is in she reads none, posts none, is mentioned in none;
    the job's comments are hers all along."""
    subject = comment_subject_of(world.interviewed)
    comment_add(subject=subject, by=world.rita, body="Hank thinks she is weak on SQL")
    client = login(world.ivy)
    page = client.get(page_url(world.interviewed)).content.decode()
    panel = page.split('id="comments"', 1)[1].split("</section>", 1)[0]
    assert "once your scorecards on them are in" in panel
    assert "weak on SQL" not in page and 'id="comment-body"' not in panel
    listing = client.get(comments_url(world.interviewed))
    assert listing.status_code == 403
    assert "once your scorecards on them are in" in listing.content.decode()
    refused = client.post(comments_url(world.interviewed), {"body": "Looking forward to it"})
    assert refused.status_code == 403 and Comment.objects.count() == 1
    said = refused.content.decode()
    assert "The comment was not posted. Comments on this candidate open to you once your " in said
    # Nothing she typed is wrong: no "Correct what is marked below" above the refusal.
    assert "Correct what is marked below" not in said
    mention = login(world.rita).post(comments_url(world.interviewed), {"body": "@ivy see above"})
    assert mention.status_code == 400
    assert "only once their scorecards are in" in mention.content.decode()
    assert Comment.objects.count() == 1
    # The job's comments are about the search: hers already.
    job_page = client.post(comments_url(world.job), {"body": "Job note"})
    assert job_page.status_code == 302
    request.getfixturevalue("ivy_scored")
    page = client.get(page_url(world.interviewed)).content.decode()
    assert "weak on SQL" in page and 'id="comment-body"' in page


def test_carla_on_another_job_keeps_her_comments_open_to_the_interviewer_who_scored_her(
    world, login, ivy_scored
):
    """The blindness is about the panels she sits on: Carla's second application, on a job
    ivy has nothing to do with, does not hide Carla's comments from her once her card is in
    (any application off ivy's panels hid them for good)."""
    stage = world.other_job.stages.order_by("position").first()
    Application.objects.create(
        candidate=world.interviewed.candidate, job=world.other_job, stage=stage
    )
    subject = comment_subject_of(world.interviewed.candidate)
    comment_add(subject=subject, by=world.rita, body="Strong on SQL after all")
    assert comment_subject_blind(subject=subject, person=world.ivy) == ""
    assert comment_subject_blind(subject=subject, person=world.rita) == ""  # her recruiter
    page = login(world.ivy).get(
        reverse("pipeline:candidate-detail", args=[world.interviewed.candidate_id])
    )
    assert "Strong on SQL after all" in page.content.decode()


def test_posting_names_who_will_be_told_as_a_person_writes_a_list(world, login):
    """Two names read "A and B", three "A, B and C"; the author mentioning herself is not
    told, and not named."""
    client = login(world.rita)
    said = {}
    for body in ("@hank @ivy look", "@hank @ivy @ada look", "Note to self @rita"):
        response = client.post(comments_url(world.job), {"body": body})
        said[body] = client.get(response.url).content.decode()
    assert (
        "Comment posted; Hank Manager and Ivy Interviewer will be told." in said["@hank @ivy look"]
    )
    assert (
        "Comment posted; Ada Admin, Hank Manager and Ivy Interviewer will be told."
        in said["@hank @ivy @ada look"]
    )
    assert "Comment posted.</" in said["Note to self @rita"]
    assert "Rita Recruiter will be told" not in said["Note to self @rita"]


def test_mentioning_someone_away_says_until_when_and_who_covers(world, login, time_machine):
    """Hank is out of office, Olga covers: the author learns he will read it when back."""
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
    world.hank.out_of_office_from = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    world.hank.out_of_office_until = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    world.hank.delegate = world.olga
    world.hank.save()
    client = login(world.rita)
    response = client.post(comments_url(world.job), {"body": "@hank @ivy can you look"})
    page = client.get(response.url).content.decode()
    assert (
        "Comment posted; Ivy Interviewer will be told; Hank Manager is out of office until "
        "Fri 27 Nov (Olga Outsider covers) and will be told."
    ) in page
    assert Message.objects.filter(recipient=world.hank, template="comment-mention").exists()


def test_an_edit_that_adds_a_mention_says_who_will_be_told(world, login, time_machine):
    """rita's comment told hank; her edit adds ivy and ada: the message names the two told
    now, not hank again. An edit that mentions nobody new says only that it was saved."""
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
    comment = comment_add(subject=comment_subject_of(world.job), by=world.rita, body="@hank")
    edit = reverse("comments:comment-edit", args=[comment.pk])
    client = login(world.rita)
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 5, tzinfo=dt.UTC), tick=False)
    response = client.post(edit, {"body": "@hank and @ivy, @ada"})
    page = client.get(response.url).content.decode()
    assert "Comment saved; Ada Admin and Ivy Interviewer will be told." in page
    told = Message.objects.filter(template="comment-mention")
    assert sorted(told.values_list("recipient__email", flat=True)) == [
        "ada@example.com", "hank@example.com", "ivy@example.com",
    ]  # fmt: skip
    response = client.post(edit, {"body": "@hank and @ivy, @ada: thanks"})
    page = client.get(response.url).content.decode()
    assert "Comment saved.</" in page and "will be told" not in page


@pytest.mark.parametrize("page", [page_url, comments_url])
def test_the_comment_box_gives_a_neutral_example_never_a_demo_person(world, login, page):
    # An organisation without a "rita": hank's own colleagues are someone else.
    world.rita.email = "r.diaz@example.com"
    world.rita.save()
    html = login(world.hank).get(page(world.job)).content.decode()
    assert "Mention a colleague with @" in html
    assert "as @name." in html
    assert "@rita" not in html
