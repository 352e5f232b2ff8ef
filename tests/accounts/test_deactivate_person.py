"""Deactivating a person (ada, an admin, after a confirmation page): hank can no longer log
in, his sessions end, his one-click links and calendar feed stop working, and every open ask
he owes moves to his delegate (else manager, else the job's escalation contact, else ada)
with its due time and ladder, the new owner told through the outbox. Reactivating lets him
in again. Nobody deactivates themselves; non-admins change nothing."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import Session, User
from closeloop.activity.models import Activity
from closeloop.calendars.models import CalendarFeed
from closeloop.calendars.services import feed_token_hash
from closeloop.followups.links import token_hash
from closeloop.followups.models import ActionLink, Ask, AskHandover, AskStatus, Notice, Nudge
from closeloop.notify.models import Message
from closeloop.notify.outbox import deliver_due

PASSWORD = "correct-horse-battery"
DUE = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)
NEXT = dt.datetime(2026, 11, 24, 13, 0, tzinfo=dt.UTC)
POLICY = {"steps": [{"kind": "reminder", "level": 0, "at": NEXT.isoformat()}], "label": "x"}


def open_ask(owner, *, subject: str, job=None, application=None, kind="review_submission"):
    return Ask.objects.create(
        kind=kind,
        subject=subject,
        title=f"Review {subject}",
        owner=owner,
        job=job,
        application=application,
        due_at=DUE,
        next_nudge_at=NEXT,
        steps_done=1,
        level=1,
        policy=POLICY,
    )


def deactivate(client, person):
    return client.post(reverse("people:deactivate", args=[person.pk]))


def ladder(ask: Ask) -> tuple:
    return (ask.due_at, ask.next_nudge_at, ask.steps_done, ask.level, ask.policy, ask.status)


def test_the_confirmation_page_says_what_moves_and_which_jobs_to_reassign(world, clock, login):
    User.objects.filter(pk=world.hank.pk).update(delegate=world.olga)
    open_ask(world.hank, subject="submission:1", job=world.job, application=world.sourced)
    open_ask(world.hank, subject="question:2", job=world.job, kind="answer_question")
    page = login(world.ada).get(reverse("people:deactivate", args=[world.hank.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Deactivate Hank Manager?" in html
    assert "Olga Outsider (their delegate)" in html
    assert "1 × " in html
    assert world.job.title in html and reverse("jobs:job-edit", args=[world.job.pk]) in html
    assert "hiring manager" in html
    # The page changed nothing.
    assert User.objects.get(pk=world.hank.pk).is_active
    assert Ask.objects.filter(owner=world.hank, status=AskStatus.OPEN).count() == 2


def test_deactivating_hank_moves_every_open_ask_to_his_delegate_keeping_due_times(
    world, clock, login
):
    User.objects.filter(pk=world.hank.pk).update(delegate=world.olga, manager=world.rita)
    asks = [
        open_ask(world.hank, subject="submission:1", job=world.job, application=world.sourced),
        open_ask(world.hank, subject="question:2", job=world.job, kind="answer_question"),
        open_ask(world.hank, subject="action:3"),
    ]
    before = {ask.pk: ladder(ask) for ask in asks}
    response = deactivate(login(world.ada), world.hank)
    assert response.status_code == 302
    for ask in Ask.objects.filter(pk__in=before):
        assert ask.owner_id == world.olga.pk
        assert ladder(ask) == before[ask.pk]
        moved = Activity.objects.get(kind="closeloop.ask.reassigned", data__ask=ask.pk)
        assert moved.actor_id == world.ada.pk
        assert moved.data["from"] == world.hank.pk and "deactivated" in moved.data["reason"]
        # The handover is kept, so the waits over a period give hank his days, olga hers.
        handover = AskHandover.objects.get(ask=ask)
        assert (handover.from_owner, handover.to_owner) == (world.hank, world.olga)
    told = Message.objects.get(recipient=world.olga, template="asks-handed-over")
    assert "Hank Manager" in told.subject and "3 asks" in told.subject
    assert not Ask.objects.filter(owner=world.hank, status=AskStatus.OPEN).exists()


def test_what_only_they_could_answer_is_cancelled_not_handed_over(world, clock, login):
    """Hank's pulse scores are his alone: the page says they end with him, and they do,
    while his review moves to Olga."""
    User.objects.filter(pk=world.hank.pk).update(delegate=world.olga)
    review = open_ask(world.hank, subject="submission:1", job=world.job)
    pulse = open_ask(world.hank, subject="pulse:9", kind="answer_pulse")
    html = login(world.ada).get(reverse("people:deactivate", args=[world.hank.pk])).content
    said = html.decode()
    assert "Open asks only they could answer are cancelled: 1 × Answer a partnership pulse." in said
    assert "Olga Outsider (their delegate), with their due times: 1 × Review" in said
    deactivate(login(world.ada), world.hank)
    pulse.refresh_from_db()
    review.refresh_from_db()
    assert (pulse.owner, pulse.status) == (world.hank, AskStatus.CANCELLED)
    assert (review.owner, review.status) == (world.olga, AskStatus.OPEN)
    told = Message.objects.get(recipient=world.olga, template="asks-handed-over")
    assert "1 ask " in told.subject + " "


def test_without_a_delegate_the_manager_then_the_escalation_contact_then_the_admin(
    world, clock, login
):
    User.objects.filter(pk=world.hank.pk).update(delegate=world.ivy)
    User.objects.filter(pk=world.ivy.pk).update(is_active=False)  # a delegate who left
    world.job.escalation_contact = world.rita
    world.job.save(update_fields=["escalation_contact"])
    on_job = open_ask(world.hank, subject="submission:1", job=world.job)
    no_job = open_ask(world.hank, subject="action:3")
    deactivate(login(world.ada), world.hank)
    on_job.refresh_from_db()
    no_job.refresh_from_db()
    assert on_job.owner_id == world.rita.pk  # the job's escalation contact
    assert no_job.owner_id == world.ada.pk  # nobody else: the admin who deactivated him
    assert ladder(on_job)[:4] == (DUE, NEXT, 1, 1)


def test_with_a_manager_and_no_delegate_the_manager_takes_over(world, clock, login):
    User.objects.filter(pk=world.hank.pk).update(manager=world.olga)
    world.job.escalation_contact = world.rita
    world.job.save(update_fields=["escalation_contact"])
    ask = open_ask(world.hank, subject="submission:1", job=world.job)
    deactivate(login(world.ada), world.hank)
    ask.refresh_from_db()
    assert ask.owner_id == world.olga.pk


def test_hanks_sessions_links_and_feed_die_and_he_cannot_log_in(world, clock, login):
    hank_browser = Client()
    hank_browser.force_login(world.hank)
    assert hank_browser.get(reverse("pipeline:queue")).status_code == 200
    assert Session.objects.filter(user=world.hank).exists()
    ask = open_ask(world.hank, subject="submission:1", job=world.job, application=world.sourced)
    ActionLink.objects.create(
        token_hash=token_hash("hanks-one-click"),
        group="g1",
        recipient=world.hank,
        ask=ask,
        application=world.sourced,
        action="advance",
        expires_at=dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC),
    )
    CalendarFeed.objects.create(user=world.hank, token_hash=feed_token_hash("hanks-feed"))
    nudge = Nudge.objects.create(ask=ask, step=0, kind="reminder", scheduled_at=NEXT)
    Notice.objects.create(nudge=nudge, recipient=world.hank, role="owner")
    feed = reverse("calendars:feed", args=["hanks-feed"])
    act = reverse("followups:act", args=["hanks-one-click"])
    assert Client().get(feed).status_code == 200

    assert deactivate(login(world.ada), world.hank).status_code == 302

    signed_out = hank_browser.get(reverse("pipeline:queue"))
    assert signed_out.status_code == 302 and reverse("accounts:login") in signed_out.url
    assert not Session.objects.filter(user=world.hank).exists()
    assert Client().get(feed).status_code == 404
    assert not Notice.objects.filter(recipient=world.hank).exists()  # no reminder goes out
    refused = Client().get(act)
    assert refused.status_code == 410
    page = refused.content.decode()
    assert "This link was withdrawn: the account it was sent to is no longer active." in page
    assert "Nothing was changed." in page and "already answered" not in page
    assert Client().post(act, {}).status_code == 410
    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN  # nothing acted on it
    browser = Client()
    browser.post(reverse("accounts:login"), {"username": "hank@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in browser.session
    assert browser.get(reverse("pipeline:queue")).status_code == 302


def test_a_deactivated_person_leaves_the_pickers_and_comes_back_when_reactivated(
    world, clock, login
):
    rita = Client()
    rita.force_login(world.rita)
    assert "Hank Manager" in rita.get(reverse("jobs:job-create")).content.decode()
    client = login(world.ada)
    client.get(deactivate(client, world.hank).url)  # the page that shows the confirmation
    form = client.get(reverse("people:invite")).content.decode()
    assert "Hank Manager" not in form  # the manager picker
    profile = Client()
    profile.force_login(world.rita)
    assert "Hank Manager" not in profile.get(reverse("accounts:profile")).content.decode()
    assert "Hank Manager" not in profile.get(reverse("jobs:job-create")).content.decode()
    # Still in history: the job keeps him as its hiring manager.
    world.job.refresh_from_db()
    assert world.job.hiring_manager_id == world.hank.pk

    assert client.post(reverse("people:reactivate", args=[world.hank.pk])).status_code == 302
    browser = Client()
    browser.post(reverse("accounts:login"), {"username": "hank@example.com", "password": PASSWORD})
    assert int(browser.session["_auth_user_id"]) == world.hank.pk


def test_nobody_deactivates_themselves(world, clock, login):
    client = login(world.ada)
    page = client.get(reverse("people:deactivate", args=[world.ada.pk]))
    assert "You cannot deactivate yourself" in page.content.decode()
    assert '<form method="post">' not in page.content.decode()
    response = deactivate(client, world.ada)
    assert response.status_code == 302
    assert "You cannot deactivate yourself" in client.get(response.url).content.decode()
    assert User.objects.get(pk=world.ada.pk).is_active


@pytest.mark.parametrize("persona", ["rita", "hank", "ivy", "olga"])
def test_non_admins_get_404_and_nothing_changes(world, clock, login, persona):
    ask = open_ask(world.ivy, subject="submission:1", job=world.job)
    client = login(getattr(world, persona))
    target = world.ivy if persona != "ivy" else world.rita
    assert client.get(reverse("people:deactivate", args=[target.pk])).status_code == 404
    assert deactivate(client, target).status_code == 404
    gone = User.objects.create_user("gone@example.com", PASSWORD, full_name="Gone", is_active=False)
    assert client.post(reverse("people:reactivate", args=[gone.pk])).status_code == 404
    assert User.objects.get(pk=target.pk).is_active
    assert not User.objects.get(pk=gone.pk).is_active
    ask.refresh_from_db()
    assert ask.owner_id == world.ivy.pk


def test_anonymous_is_sent_to_the_login_page(world, clock):
    response = Client().post(reverse("people:deactivate", args=[world.hank.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert User.objects.get(pk=world.hank.pk).is_active


def test_the_django_admin_offers_no_active_box_the_people_page_is_the_one_door(world, clock, login):
    User.objects.filter(pk=world.ada.pk).update(is_staff=True, is_superuser=True)
    page = login(world.ada).get(reverse("admin:accounts_user_change", args=[world.hank.pk]))
    assert page.status_code == 200
    assert 'name="is_active"' not in page.content.decode()


def test_messages_to_hank_not_yet_sent_stay_unsent(world, clock, login):
    """A digest waiting for his working hours would still carry candidate news to someone
    who has left: it is withdrawn, and stays on the Outbox saying why."""
    waiting = Message.objects.create(
        recipient=world.hank, template="nudge", subject="Carla waits", body_text="Carla waits.",
        message_id=Message.new_message_id(),
    )  # fmt: skip
    queued = waiting.deliveries.create(status="queued")
    sent = Message.objects.create(
        recipient=world.hank, template="nudge", subject="Earlier", body_text="Earlier.",
        message_id=Message.new_message_id(),
    ).deliveries.create(status="sent")  # fmt: skip
    to_rita = Message.objects.create(
        recipient=world.rita, template="nudge", subject="Yours", body_text="Yours.",
        message_id=Message.new_message_id(),
    ).deliveries.create(status="queued")  # fmt: skip
    deactivate(login(world.ada), world.hank)
    queued.refresh_from_db()
    sent.refresh_from_db()
    to_rita.refresh_from_db()
    assert queued.status == "withdrawn" and "deactivated" in queued.last_error
    assert (sent.status, to_rita.status) == ("sent", "queued")
    deliver_due(worker="test")
    queued.refresh_from_db()
    assert queued.status == "withdrawn"


def test_the_confirmation_page_lists_interviews_to_come_on_her_panel(world, clock, login):
    from closeloop.interviews.models import Interview

    starts = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
    coming = Interview.objects.create(
        application=world.sourced, round_name="Systems", starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
    )  # fmt: skip
    coming.interviewers.add(world.ivy)
    html = login(world.ada).get(reverse("people:deactivate", args=[world.ivy.pk])).content.decode()
    assert "still to come" in html and "Ivy Interviewer on the panel" in html
    assert reverse("interviews:interview-reschedule", args=[coming.pk]) in html
    assert "Sam Sourced, Systems (Thu 26 Nov)" in html


def test_the_people_list_the_confirmation_page_and_the_email_count_hanks_asks_alike(
    world, clock, login
):
    """News on schedule not yet due is not in hank's queue, so the People list counts it
    beside his open asks ("3 (+3 scheduled)"); the confirmation page and olga's email split
    the 6 that move the same way, so the admin sees where the two numbers meet."""
    User.objects.filter(pk=world.hank.pk).update(delegate=world.olga)
    now = timezone.now()
    open_ask(world.hank, subject="submission:1", job=world.job)
    open_ask(world.hank, subject="submission:2", job=world.job)
    news = [
        Ask.objects.create(
            kind="update_candidate",
            subject=f"news:{i}",
            title=f"News {i}",
            owner=world.hank,
            job=world.job,
            due_at=now + dt.timedelta(days=i),
        )
        for i in (-1, 1, 2, 3)  # the first due already: in his queue
    ]
    client = login(world.ada)
    people = client.get(reverse("people:list")).content.decode()
    assert re.search(r'data-label="Open asks">3 <span[^>]*>\(\+3 scheduled\)</span>', people)
    page = client.get(reverse("people:deactivate", args=[world.hank.pk])).content.decode()
    page = unescape(page)
    assert (
        "Hank Manager owes 6 open asks: 3 open now and 3 news on schedule, not yet due, "
        "which the People list shows as “3 (+3 scheduled)”." in page
    )
    assert (
        "6 open asks move to Olga Outsider (their delegate), with their due times: "
        "4 × Give a waiting candidate news, 2 × Review a submitted candidate." in page
    )
    deactivate(client, world.hank)
    told = Message.objects.get(recipient=world.olga, template="asks-handed-over")
    assert told.subject == "You took over 6 asks from Hank Manager (3 open now, 3 scheduled)"
    assert (
        "so what they owed is now yours: 3 in your queue now and 3 news on schedule, not yet "
        "due, which joins your queue when due. Each keeps its due time:" in told.body_text
    )
    assert all(
        ask.owner_id == world.olga.pk for ask in Ask.objects.filter(pk__in=[a.pk for a in news])
    )
    # Olga's row now reads as hank's did.
    people = client.get(reverse("people:list")).content.decode()
    olga = re.search(r"<strong>Olga Outsider</strong>.*?</tr>", people, re.S)
    assert olga and "3 <span" in olga.group(0) and "(+3 scheduled)" in olga.group(0)


def test_without_news_on_schedule_the_page_and_the_email_say_no_split(world, clock, login):
    User.objects.filter(pk=world.hank.pk).update(delegate=world.olga)
    open_ask(world.hank, subject="submission:1", job=world.job)
    client = login(world.ada)
    page = client.get(reverse("people:deactivate", args=[world.hank.pk])).content.decode()
    assert "Hank Manager owes" not in page and "scheduled" not in page
    assert (
        "1 open ask moves to Olga Outsider (their delegate), with their due times: "
        "1 × Review a submitted candidate." in unescape(page)
    )
    deactivate(client, world.hank)
    told = Message.objects.get(recipient=world.olga, template="asks-handed-over")
    assert told.subject == "You took over 1 ask from Hank Manager"


def test_with_two_successors_each_line_splits_what_that_one_takes(world, clock, login):
    world.job.escalation_contact = world.rita
    world.job.save(update_fields=["escalation_contact"])
    open_ask(world.hank, subject="submission:1", job=world.job)
    Ask.objects.create(
        kind="update_candidate", subject="news:1", title="News", owner=world.hank,
        job=world.job, due_at=timezone.now() + dt.timedelta(days=2),
    )  # fmt: skip
    open_ask(world.hank, subject="action:3", kind="action_item")
    page = login(world.ada).get(reverse("people:deactivate", args=[world.hank.pk]))
    said = unescape(page.content.decode())
    assert "Hank Manager owes 3 open asks: 2 open now and 1 news on schedule, not yet due" in said
    assert (
        "2 open asks move to Rita Recruiter (escalation contact), with their due times "
        "(1 open now and 1 news on schedule, not yet due): " in said
    )
    assert "1 open ask moves to you, with their due times: 1 × " in said


def test_whoever_named_her_their_delegate_is_left_without_one_and_the_page_says_so(
    world, clock, login
):
    """Olga covers for hank and rita: deactivating her leaves them no delegate (not a
    deactivated one their next profile save would be refused for), said before and kept in
    the log."""
    User.objects.filter(pk__in=[world.hank.pk, world.rita.pk]).update(delegate=world.olga)
    User.objects.filter(pk=world.ivy.pk).update(delegate=world.rita)
    client = login(world.ada)
    html = unescape(client.get(reverse("people:deactivate", args=[world.olga.pk])).content.decode())
    assert "Olga Outsider is the delegate of Hank Manager and Rita Recruiter: they have no " in html
    assert "Ask them to name another delegate on their profile." in html
    assert User.objects.get(pk=world.hank.pk).delegate_id == world.olga.pk  # the page: nothing

    assert deactivate(client, world.olga).status_code == 302
    delegates = dict(User.objects.values_list("email", "delegate_id"))
    assert delegates[world.hank.email] is None and delegates[world.rita.email] is None
    assert delegates[world.ivy.email] == world.rita.pk
    logged = Activity.objects.filter(kind="closeloop.user.deactivated").latest("pk")
    assert sorted(logged.data["delegate_of"]) == sorted([world.hank.pk, world.rita.pk])


def test_the_page_says_nothing_of_delegates_when_she_is_nobodys(world, clock, login):
    page = login(world.ada).get(reverse("people:deactivate", args=[world.olga.pk]))
    assert page.status_code == 200 and b"Deactivate Olga Outsider?" in page.content
    assert b"is the delegate of" not in page.content
