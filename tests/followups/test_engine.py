"""The ladder: each rung fires once, at the right business time, to the right people."""

from __future__ import annotations

import datetime as dt

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask, AskStatus, Notice, Nudge
from closeloop.notify.models import Message
from closeloop.pipeline.models import SubmissionDecision
from closeloop.pipeline.services import submission_decide

UTC = dt.UTC


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def run_worker_steps(clock, when):
    clock.move_to(when)
    nudges = asks_advance().handled
    messages = notices_compose().handled
    return nudges, messages


def review_ask():
    return Ask.objects.get(kind="review_submission")


def test_submitting_opens_a_review_ask_due_in_two_business_days(world, submitted):
    ask = review_ask()
    assert ask.owner == world.hank and ask.requested_by == world.rita
    assert ask.due_at == at(25, 10)
    assert ask.next_nudge_at == at(23, 10)  # told when it opens
    assert [(step["kind"], step["at"]) for step in ask.policy["steps"]] == [
        ("reminder", at(23, 10).isoformat()),  # the opening notice
        ("reminder", at(24, 10).isoformat()),  # halfway
        ("due", at(25, 10).isoformat()),
        ("escalation", at(26, 10).isoformat()),
        ("escalation", at(27, 10).isoformat()),
    ]


def test_the_first_rung_is_the_opening_notice_and_nothing_else_comes_before_halfway(
    world, submitted, clock
):
    assert run_worker_steps(clock, at(23, 10, 0)) == (1, 1)
    told = Nudge.objects.get()
    assert (told.step, told.kind, told.scheduled_at) == (0, "reminder", at(23, 10))
    assert Message.objects.get().recipient == world.hank
    assert run_worker_steps(clock, at(24, 9, 59)) == (0, 0)
    assert Nudge.objects.count() == 1 and Message.objects.count() == 1


def test_each_rung_fires_once_at_its_time(world, submitted, clock):
    assert run_worker_steps(clock, at(23, 10, 1)) == (1, 1)
    assert run_worker_steps(clock, at(23, 10, 2)) == (0, 0)
    assert run_worker_steps(clock, at(24, 10, 1)) == (1, 1)
    assert run_worker_steps(clock, at(24, 10, 2)) == (0, 0)
    assert run_worker_steps(clock, at(25, 10, 0))[0] == 1
    assert list(Nudge.objects.order_by("step").values_list("step", "kind")) == [
        (0, "reminder"),
        (1, "reminder"),
        (2, "due"),
    ]


def test_the_reminder_goes_to_the_owner_framed_around_the_candidate(world, submitted, clock):
    run_worker_steps(clock, at(24, 10, 1))
    message = Message.objects.get()
    assert message.recipient == world.hank
    assert "Carla Candidate" in message.subject
    waited = "24 h (1 business day) since Mon 23 Nov 10:00"
    assert f"Carla Candidate has been waiting {waited}" in message.body_text
    assert "Advance:" in message.body_text and "/act/" in message.body_text


def test_escalation_reaches_the_owners_manager_then_the_admins(world, submitted, clock):
    world.hank.manager = world.olga
    world.hank.save()
    clock.move_to(at(24, 10, 1))
    asks_advance()
    clock.move_to(at(25, 10, 1))
    asks_advance()
    clock.move_to(at(26, 10, 1))
    asks_advance()
    escalation = Nudge.objects.get(step=3)  # after the opening notice, halfway and due
    assert escalation.kind == "escalation" and escalation.level == 1
    assert set(escalation.notices.values_list("recipient__email", "role")) == {
        ("hank@example.com", "owner"),
        ("olga@example.com", "escalation"),
    }
    clock.move_to(at(27, 10, 1))
    asks_advance()
    top = Nudge.objects.get(step=4)
    assert top.kind == "escalation" and top.level == 2
    assert ("ada@example.com", "admin") in set(top.notices.values_list("recipient__email", "role"))
    assert review_ask().level == 2


def test_the_jobs_escalation_contact_comes_before_the_manager(world, submitted, clock):
    world.hank.manager = world.olga
    world.hank.save()
    world.job.escalation_contact = world.ada
    world.job.save()
    Ask.objects.update(steps_done=3, next_nudge_at=at(26, 10))  # the first escalation next
    clock.move_to(at(26, 10, 1))
    asks_advance()
    notice = Notice.objects.get(role="escalation")
    assert notice.recipient == world.ada


def test_escalation_messages_name_the_owner_and_the_wait(world, submitted, clock):
    world.hank.manager = world.olga
    world.hank.save()
    Ask.objects.update(steps_done=3, next_nudge_at=at(26, 10))  # the first escalation next
    run_worker_steps(clock, at(26, 10, 1))
    to_olga = Message.objects.get(recipient=world.olga)
    assert "Hank Manager" in to_olga.body_text
    assert "3 business days" in to_olga.body_text
    assert "/act/" not in to_olga.body_text  # only the owner gets one-click answers


def test_deciding_closes_the_ask_with_who_and_how_long(world, submitted, clock):
    clock.move_to(at(24, 15, 0))
    submission_decide(submission=submitted, by=world.hank, decision=SubmissionDecision.ADVANCED)
    ask = review_ask()
    assert ask.status == AskStatus.DONE
    assert ask.closed_by == world.hank and ask.closed_via == "app"
    assert ask.response_seconds == 13 * 3600  # Mon 10–17 and Tue 9–15 in business time
    assert run_worker_steps(clock, at(25, 10, 1))[0] == 0


def test_the_recruiter_is_told_of_the_decision(world, submitted, clock):
    clock.move_to(at(24, 11, 0))
    submission_decide(
        submission=submitted,
        by=world.hank,
        decision=SubmissionDecision.PASSED,
        reason="skills",
        note="No Kubernetes",
    )
    notices_compose()
    message = Message.objects.get(recipient=world.rita)
    assert message.subject == "Hank Manager passed on Carla Candidate (Backend Engineer)"
    assert "Missing a must-have skill" in message.body_text and "No Kubernetes" in message.body_text


def test_nudges_wait_for_the_recipients_working_hours(world, submitted, clock):
    world.hank.time_zone = "America/New_York"  # 09:00 there is 14:00 UTC
    world.hank.save()
    # Submitted at 05:00 his time: the opening notice is written now, sent at 09:00 his time.
    run_worker_steps(clock, at(23, 10, 1))
    assert Message.objects.filter(recipient=world.hank).count() == 0
    notice = Notice.objects.get()
    assert notice.nudge.step == 0 and notice.not_before == at(23, 14, 0)
    run_worker_steps(clock, at(23, 13, 59))
    assert Message.objects.filter(recipient=world.hank).count() == 0
    run_worker_steps(clock, at(23, 14, 0))
    assert Message.objects.filter(recipient=world.hank).count() == 1


def test_pending_nudges_for_one_person_are_batched_into_one_message(world, submitted, clock):
    from closeloop.pipeline.services import application_submit

    application_submit(application=world.sourced, by=world.rita, pitch="Strong Python.")
    run_worker_steps(clock, at(24, 10, 1))
    message = Message.objects.get(recipient=world.hank)
    assert message.subject == "2 things are waiting on you in Closeloop"
    assert "Carla Candidate" in message.body_text and "Sam Sourced" in message.body_text


def test_a_second_nudge_inside_the_batching_window_waits_for_it(world, submitted, clock):
    run_worker_steps(clock, at(24, 10, 1))
    Ask.objects.update(next_nudge_at=at(24, 10, 30))  # pretend the due rung comes sooner
    run_worker_steps(clock, at(24, 10, 31))
    assert Message.objects.filter(recipient=world.hank).count() == 1
    assert Notice.objects.get(message__isnull=True).not_before == at(24, 12, 1)
    run_worker_steps(clock, at(24, 12, 1))
    assert Message.objects.filter(recipient=world.hank).count() == 2


def test_a_snooze_holds_reminders_but_not_escalations(world, submitted, clock):
    from closeloop.followups.services import ask_snooze

    assert run_worker_steps(clock, at(23, 10, 1))[0] == 1  # the opening notice, before the snooze
    clock.move_to(at(23, 16, 0))
    ask_snooze(ask=review_ask(), by=world.hank, reason="Travelling")
    ask = review_ask()
    assert ask.snoozed_until == at(24, 16, 0)
    assert ask.due_at == at(25, 10)  # the clock keeps running
    assert run_worker_steps(clock, at(24, 10, 1))[0] == 0
    assert review_ask().next_nudge_at == at(24, 16, 0)
    assert run_worker_steps(clock, at(24, 16, 1))[0] == 1


def test_an_owner_out_of_office_hands_the_ask_to_their_delegate(world, clock):
    from closeloop.pipeline.services import application_submit

    world.hank.out_of_office_from = at(20, 0)
    world.hank.out_of_office_until = at(30, 0)
    world.hank.delegate = world.olga
    world.hank.save()
    application_submit(application=world.interviewed, by=world.rita, pitch="Good.")
    ask = review_ask()
    assert ask.owner == world.olga and ask.original_owner == world.hank


def test_an_owner_out_of_office_without_delegate_is_escalated_at_once(world, clock):
    from closeloop.pipeline.services import application_submit

    world.hank.out_of_office_from = at(20, 0)
    world.hank.out_of_office_until = at(30, 0)
    world.hank.manager = world.olga
    world.hank.save()
    application_submit(application=world.interviewed, by=world.rita, pitch="Good.")
    asks_advance()
    # The escalation comes first, at the opening itself, with the opening notice.
    first, told = Nudge.objects.order_by("step")
    assert first.kind == "escalation" and first.level == 1
    assert first.scheduled_at == at(23, 10)
    assert set(first.notices.values_list("recipient__email", flat=True)) == {
        "hank@example.com",
        "olga@example.com",
    }
    assert (told.kind, told.level, told.scheduled_at) == ("reminder", 0, at(23, 10))


def test_a_job_service_level_changes_the_due_time(world, clock):
    from closeloop.pipeline.services import application_submit

    world.job.service_levels = {"review_submission": 1}
    world.job.save()
    application_submit(application=world.interviewed, by=world.rita, pitch="Good.")
    assert review_ask().due_at == at(24, 10)


def test_a_bad_row_is_pushed_back_and_the_sweep_goes_on(world, submitted, clock):
    from closeloop.pipeline.services import application_submit

    application_submit(application=world.sourced, by=world.rita, pitch="Strong Python.")
    broken = Ask.objects.filter(kind="review_submission").order_by("pk").first()
    Ask.objects.filter(pk=broken.pk).update(policy={"steps": [{"kind": "reminder"}]})
    clock.move_to(at(24, 10, 1))
    # The other ask reaches both its due rungs: the opening notice and the halfway reminder.
    assert asks_advance().handled == 2
    assert Nudge.objects.exclude(ask=broken).count() == 2
    assert not Nudge.objects.filter(ask=broken).exists()
    assert Ask.objects.get(pk=broken.pk).next_nudge_at == at(24, 10, 11)


def test_a_delegate_who_cannot_decide_gets_no_one_click_buttons(world, clock):
    from closeloop.pipeline.services import application_submit

    world.hank.out_of_office_from = at(20, 0)
    world.hank.out_of_office_until = at(30, 0)
    world.hank.delegate = world.ivy
    world.hank.save()
    application_submit(application=world.interviewed, by=world.rita, pitch="Good.")
    run_worker_steps(clock, at(24, 10, 1))
    message = Message.objects.get(recipient=world.ivy)
    assert "/act/" not in message.body_text
    assert "Open in Closeloop" in message.body_text


def test_with_quiet_hours_off_nudges_go_out_at_any_hour(world, submitted, clock, settings):
    settings.QUIET_HOURS = False
    world.hank.time_zone = "America/New_York"  # 05:01 there: outside working hours
    world.hank.save()
    run_worker_steps(clock, at(24, 10, 1))
    assert Message.objects.filter(recipient=world.hank).count() == 1


def test_a_long_digest_is_capped_and_points_to_the_queue(world, submitted, clock, monkeypatch):
    from closeloop.followups import messages
    from closeloop.pipeline.services import application_submit

    monkeypatch.setattr(messages, "MAX_ITEMS", 1)
    application_submit(application=world.sourced, by=world.rita, pitch="Strong Python.")
    run_worker_steps(clock, at(24, 10, 1))
    message = Message.objects.get(recipient=world.hank)
    assert message.subject == "2 things are waiting on you in Closeloop"
    assert "Carla Candidate" in message.body_text  # submitted first: due first
    assert "Sam Sourced" not in message.body_text
    assert "…and 1 more waiting on you: http://127.0.0.1:8000/" in message.body_text
