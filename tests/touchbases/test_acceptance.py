"""Issue 6 "Done when", tried as a new user would.

rita opens the current touch-base for a job and sees an agenda that matches the pipeline,
adds an action item for hank, marks the meeting held; hank's action item shows in his queue
and reminds him; the Monday update for hank (in Berlin) lists exactly what waits on him, at
08:00 Berlin time, once.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.selectors import asks_owed_by
from closeloop.followups.services import ask_open
from closeloop.notify.models import Message
from closeloop.touchbases.models import ActionItem, Touchbase, TouchbaseStatus

THURSDAY_14 = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)


def test_a_week_of_touch_base_and_weekly_update(
    world, clock, client, series, submitted, run_worker
):
    hank, rita = world.hank, world.rita
    hank.time_zone = "Europe/Berlin"
    hank.save()
    debrief = ask_open(
        kind="decide_after_debrief",
        subject=f"test-debrief:{world.sourced.pk}",
        title="Decide on Sam Sourced after the debrief",
        owner=hank,
        application=world.sourced,
    )

    # Thursday, five minutes into the meeting: rita opens the current touch-base from the job.
    clock.move_to(THURSDAY_14 + dt.timedelta(minutes=5))
    client.force_login(rita)
    job_page = client.get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    assert "Open the current touch-base" in job_page
    response = client.get(reverse("touchbases:job-current", args=[world.job.pk]))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    touchbase = Touchbase.objects.get(series=series, scheduled_at=THURSDAY_14)
    assert response.url == reverse("touchbases:touchbase-detail", args=[touchbase.pk])

    # The agenda matches the pipeline: Carla's submission is new and waits for hank's
    # decision, Sam's debrief waits for a decision, Carla's interview is on Tuesday.
    new = page.split('id="agenda-new_submissions"')[1].split('id="agenda-decisions"')[0]
    assert "Carla Candidate" in new
    decisions = page.split('id="agenda-decisions"')[1].split('id="agenda-debriefs"')[0]
    assert "Carla Candidate: waiting for Hank" in decisions
    debriefs = page.split('id="agenda-debriefs"')[1].split('id="agenda-overdue"')[0]
    assert "Sam Sourced" in debriefs
    interviews = page.split('id="agenda-interviews"')[1].split('id="agenda-drift"')[0]
    assert "Carla Candidate: Technical" not in interviews  # Tuesday's interview has passed

    # rita adds an action item for hank, due Monday, then marks the meeting held.
    response = client.post(
        reverse("touchbases:action-item-add", args=[touchbase.pk]),
        {"description": "Send the take-home exercise", "owner": hank.pk, "due_on": "2026-11-30"},
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.owner == hank
    response = client.post(reverse("touchbases:touchbase-held", args=[touchbase.pk]))
    assert response.status_code == 302
    touchbase.refresh_from_db()
    assert touchbase.status == TouchbaseStatus.HELD
    assert touchbase.agenda["sections"][1]["items"][0]["text"].startswith("Carla Candidate")

    # hank's action item is in his queue, linked to the item's page.
    client.force_login(hank)
    queue = client.get(reverse("pipeline:queue")).content.decode()
    assert "Send the take-home exercise (Backend Engineer)" in queue
    assert reverse("touchbases:action-item", args=[item.pk]) in queue

    ask = Ask.objects.get(kind="action_item", subject=f"action:{item.pk}")
    assert ask.due_at == dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC)  # Mon 17:00 Berlin

    # Monday 08:00 Berlin = 07:00 UTC: the weekly update goes out then, once, and lists
    # exactly what waits on hank (his queue), the action item among it.
    clock.move_to(dt.datetime(2026, 11, 30, 6, 59, tzinfo=dt.UTC))
    run_worker()
    assert not Message.objects.filter(recipient=hank, template="weekly-update").exists()
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC))
    run_worker()
    run_worker()
    update = Message.objects.get(recipient=hank, template="weekly-update")
    owed = {a.pk for a in asks_owed_by(user=hank)}
    assert set(update.data["asks"]) == owed
    assert {submitted_ask(submitted).pk, debrief.pk, ask.pk} <= owed
    waiting_on_you = update.body_text.split("Follow-ups you owe")[1].split("Waiting on")[0]
    for title in ("Send the take-home exercise", "Sam Sourced", "Carla Candidate"):
        assert title in waiting_on_you

    # The engine reminds hank of the item before it is due (80 % of the way, in his hours).
    clock.move_to(dt.datetime(2026, 11, 30, 13, 0, tzinfo=dt.UTC))
    run_worker()
    reminder = Message.objects.filter(recipient=hank, template="nudge").latest("pk")
    assert "Send the take-home exercise" in reminder.body_text


def submitted_ask(submission) -> Ask:
    return Ask.objects.get(
        kind="review_submission", subject=f"submission:{submission.pk}", status=AskStatus.OPEN
    )
