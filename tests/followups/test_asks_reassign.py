"""Moving asks to another owner (`followups.people`): only the owner changes — due time,
ladder, rungs reached, level and snooze stay — the old owner's links to the ask die, an
activity says who moved it and why; a person's open asks go to their delegate, else their
manager, else the job's escalation contact, else the admin who acts."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from closeloop.accounts.models import User
from closeloop.activity.models import Activity
from closeloop.followups.links import token_hash
from closeloop.followups.models import ActionLink, Ask, AskStatus
from closeloop.followups.people import ask_reassign, ask_successor, asks_reassign_from
from closeloop.notify.models import Message

DUE = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)
NEXT = dt.datetime(2026, 11, 24, 13, 0, tzinfo=dt.UTC)


def ask_for(owner, subject: str, job=None, **fields) -> Ask:
    values = {
        "kind": "review_submission", "subject": subject, "title": f"Review {subject}",
        "owner": owner, "job": job, "due_at": DUE, "next_nudge_at": NEXT, "steps_done": 2,
        "level": 1, "policy": {"steps": [{"kind": "due", "level": 0, "at": NEXT.isoformat()}]},
        "snoozed_until": NEXT, "snooze_reason": "at an offsite", **fields,
    }  # fmt: skip
    return Ask.objects.create(**values)


def link(recipient, ask, application, token: str) -> ActionLink:
    return ActionLink.objects.create(
        token_hash=token_hash(token), group=token, recipient=recipient, ask=ask,
        application=application, action="advance", expires_at=DUE,
    )  # fmt: skip


def test_a_moved_ask_keeps_its_clock_and_ladder_and_the_old_links_die(world, clock):
    ask = ask_for(world.hank, "submission:1", job=world.job, application=world.sourced)
    hanks = link(world.hank, ask, world.sourced, "hank-link")
    ritas = link(world.rita, ask, world.sourced, "rita-link")  # an escalation's recipient
    before = Ask.objects.filter(pk=ask.pk).values().get()
    ask_reassign(ask=ask, to=world.olga, by=world.ada, reason="Hank left")
    after = Ask.objects.filter(pk=ask.pk).values().get()
    assert after.pop("owner_id") == world.olga.pk
    before.pop("owner_id")
    assert after == before
    hanks.refresh_from_db()
    ritas.refresh_from_db()
    assert hanks.revoked_at is not None and ritas.revoked_at is None
    moved = Activity.objects.get(kind="closeloop.ask.reassigned")
    assert moved.actor_id == world.ada.pk and moved.data["reason"] == "Hank left"
    assert moved.application_id == world.sourced.pk


def test_an_old_owners_link_says_the_request_was_passed_on_not_answered(world, clock):
    ask = ask_for(world.hank, "submission:1", job=world.job, application=world.sourced)
    link(world.hank, ask, world.sourced, "hank-link")
    link(world.rita, ask, world.sourced, "rita-link")
    ask_reassign(ask=ask, to=world.olga, by=world.ada, reason="Hank is away for a month")
    act = reverse("followups:act", args=["hank-link"])
    refused = Client().get(act)
    assert refused.status_code == 410
    page = refused.content.decode()
    assert "This request was passed to someone else, so this link was withdrawn." in page
    assert "already answered" not in page
    # Answered in Closeloop, the request's other links say so.
    Ask.objects.filter(pk=ask.pk).update(status=AskStatus.DONE)
    ActionLink.objects.filter(group="rita-link").update(revoked_at=NEXT)
    answered = Client().get(reverse("followups:act", args=["rita-link"])).content.decode()
    assert "This request was already answered, from this email or in Closeloop." in answered


def test_a_closed_ask_is_not_moved(world, clock):
    ask = ask_for(world.hank, "submission:1", status=AskStatus.DONE)
    ask_reassign(ask=ask, to=world.olga, by=world.ada, reason="Hank left")
    ask.refresh_from_db()
    assert ask.owner_id == world.hank.pk
    assert not Activity.objects.filter(kind="closeloop.ask.reassigned").exists()


def test_the_successor_is_the_delegate_then_manager_then_escalation_contact_then_admin(
    world, clock
):
    hank = world.hank
    world.job.escalation_contact = world.ivy
    world.job.save(update_fields=["escalation_contact"])
    on_job = ask_for(hank, "submission:1", job=world.job)
    alone = ask_for(hank, "action:2")
    hank.delegate, hank.manager = world.olga, world.rita
    assert ask_successor(ask=on_job, leaving=hank, by=world.ada) == (world.olga, "their delegate")
    world.olga.is_active = False  # a delegate who left too
    assert ask_successor(ask=on_job, leaving=hank, by=world.ada)[0] == world.rita
    hank.manager = None
    assert ask_successor(ask=on_job, leaving=hank, by=world.ada)[0] == world.ivy
    assert ask_successor(ask=alone, leaving=hank, by=world.ada)[0] == world.ada


def test_all_open_asks_move_and_each_new_owner_gets_one_message(world, clock):
    User.objects.filter(pk=world.hank.pk).update(manager=world.rita)
    world.job.escalation_contact = world.ivy
    world.job.save(update_fields=["escalation_contact"])
    hank = User.objects.get(pk=world.hank.pk)
    User.objects.filter(pk=world.rita.pk).update(is_active=False)  # the manager left
    ask_for(hank, "submission:1", job=world.job)
    ask_for(hank, "submission:2", job=world.job)
    ask_for(hank, "action:3")
    moved = asks_reassign_from(user=hank, by=world.ada, reason="Hank Manager was deactivated")
    assert {pk: len(asks) for pk, asks in moved.items()} == {world.ivy.pk: 2, world.ada.pk: 1}
    assert Message.objects.filter(template="asks-handed-over", recipient=world.ivy).count() == 1
    message = Message.objects.get(template="asks-handed-over", recipient=world.ada)
    assert (
        "Review action:3" in message.body_text
        and "Hank Manager was deactivated" in message.body_text
    )
    assert not Ask.objects.filter(owner=hank, status=AskStatus.OPEN).exists()


def test_an_absent_owners_link_says_who_covers_and_until_when(world, clock):
    """Hank is away, Olga covers: his withdrawn link says so, his return in his own zone."""
    ask = ask_for(world.hank, "submission:1", job=world.job, application=world.sourced)
    link(world.hank, ask, world.sourced, "hank-link")
    world.hank.time_zone = "America/New_York"
    world.hank.out_of_office_from = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    # Midnight in New York on Friday 27 November is already Friday morning in UTC.
    world.hank.out_of_office_until = dt.datetime(2026, 11, 27, 5, 0, tzinfo=dt.UTC)
    world.hank.delegate = world.olga
    world.hank.save()
    ask_reassign(ask=ask, to=world.olga, by=None, reason="away", held_for_leaver=True)
    page = Client().get(reverse("followups:act", args=["hank-link"])).content.decode()
    assert (
        "This request was passed on: Olga Outsider covers it while you are out of office "
        "until Fri 27 Nov, so this link was withdrawn. Nothing is owed from you here."
    ) in page
    # Back early, the request stayed with Olga: she holds it for him.
    world.hank.out_of_office_until = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    world.hank.save()
    page = Client().get(reverse("followups:act", args=["hank-link"])).content.decode()
    assert "This request was passed to Olga Outsider, who holds it for you, so this link" in page


def test_a_passed_on_link_opened_by_someone_else_names_its_recipient(world, clock, login):
    """Hank's link, forwarded to Olga who covers for him: the refusal addresses Olga, who
    reads, and names Hank; never "you are out of office" to the person who is not."""
    ask = ask_for(world.hank, "submission:1", job=world.job, application=world.sourced)
    link(world.hank, ask, world.sourced, "hank-link")
    world.hank.out_of_office_from = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    world.hank.out_of_office_until = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    world.hank.delegate = world.olga
    world.hank.save()
    ask_reassign(ask=ask, to=world.olga, by=None, reason="away", held_for_leaver=True)
    act = reverse("followups:act", args=["hank-link"])
    olga_reads = login(world.olga).get(act).content.decode()
    assert (
        "This request was passed on: you cover it while Hank Manager is out of office "
        "until Fri 27 Nov, so this link was withdrawn. Nothing is owed from Hank Manager here."
    ) in olga_reads
    rita_reads = login(world.rita).get(act).content.decode()
    assert "Olga Outsider covers it while Hank Manager is out of office" in rita_reads
    assert "Nothing is owed from you" not in rita_reads
    # Back early, the request stayed with Olga: she holds it for him.
    world.hank.out_of_office_until = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    world.hank.save()
    olga_reads = login(world.olga).get(act).content.decode()
    assert "This request was passed to you, who hold it for Hank Manager, so this" in olga_reads
