"""A person who changes their working calendar has their open asks re-timed in it.

rita submits Carla to hank on Monday 23 Nov 10:00 (UTC, 09:00–17:00): the review is due Wed 25
10:00, reminded Tue 24 10:00, escalated Thu 26 10:00 and to the admins Fri 27 10:00. At Monday
12:00 it has 14 business hours left (Mon 12–17, Tue 9–17, Wed 9–10). hank then moves to New York,
10:00–18:00 (15:00–23:00 UTC), with New York's holidays (Thanksgiving is Thu 26 Nov): the review
keeps its 14 hours there, so it is due Tue 24 16:00 New York (21:00 UTC), inside his new hours.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.accounts.services import PROFILE_FIELDS, user_update_profile
from closeloop.followups.business_time import calendar_for, working_time_between
from closeloop.followups.engine import asks_advance
from closeloop.followups.models import Ask
from closeloop.followups.services import ask_open
from closeloop.pipeline.services import question_answer, submission_ask_question

UTC = dt.UTC
NEW_YORK = {
    "time_zone": "America/New_York",
    "work_start": dt.time(10, 0),
    "work_end": dt.time(18, 0),
    "holiday_country": "US",
    "holiday_subdivision": "NY",
}


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def review() -> Ask:
    return Ask.objects.get(kind="review_submission")


def steps_at(ask: Ask) -> list[dt.datetime]:
    return [dt.datetime.fromisoformat(step["at"]) for step in ask.policy["steps"]]


def move(person, by=None, **changes):
    data = {name: getattr(person, name) for name in PROFILE_FIELDS}
    return user_update_profile(user=person, by=by or person, data={**data, **changes})


def test_open_asks_keep_the_business_time_they_had_left_in_the_new_calendar(
    world, submitted, clock
):
    asks_advance()  # hank is told of the submission at once (the rung at the opening)
    clock.move_to(at(23, 12))
    before = review()
    left = working_time_between(calendar_for(world.hank), at(23, 12), before.due_at)
    assert left == dt.timedelta(hours=14)
    saved = move(world.hank, **NEW_YORK)
    after = review()
    # 8 h on Mon (15:00–23:00 UTC), 6 h on Tue: Tue 16:00 New York.
    assert after.due_at == at(24, 21)
    assert working_time_between(calendar_for(world.hank), at(23, 12), after.due_at) == left
    told, halfway, due, escalation, admins = steps_at(after)
    assert told == at(23, 10)  # reached already: it stays where it was
    assert halfway == at(23, 21)  # 6 h left of the old calendar's Tue 10:00
    assert due == after.due_at
    assert escalation == at(25, 21)  # 22 h left: Mon, Tue, 6 h on Wed
    # 30 h left: Mon, Tue, Wed, then Thanksgiving (a New York holiday) skipped, 6 h on Fri 27.
    assert admins == at(27, 21)
    assert after.next_nudge_at == halfway
    assert any("1 open follow-up" in note and "re-timed" in note for note in saved.notes)


def test_an_ask_on_hold_keeps_what_it_had_left_when_held(world, submitted, clock):
    clock.move_to(at(23, 11))  # held with 15 business hours left (Mon 11–17, Tue, Wed 9–10)
    question = submission_ask_question(submission=submitted, by=world.hank, text="On-call?")
    clock.move_to(at(23, 12))
    move(world.hank, **NEW_YORK)
    held = review()
    assert held.due_at == at(24, 22)  # 15 h after the hold in New York: 8 h Mon, 7 h Tue
    assert held.is_held and held.next_nudge_at is None
    clock.move_to(at(24, 16))  # held Mon 11:00 → Tue 16:00 UTC: 8 + 1 New York hours
    question_answer(question=question, by=world.rita, answer="Three years of it.")
    resumed = review()
    assert resumed.due_at == at(25, 23)  # 15 h from Tue 16:00: 7 h Tue, 8 h Wed
    assert resumed.next_nudge_at is not None


def test_an_overdue_ask_stays_overdue(world, submitted, clock):
    clock.move_to(at(25, 11))  # an hour past due
    asks_advance()
    before = review()
    assert before.is_overdue(at(25, 11))
    move(world.hank, **NEW_YORK)
    after = review()
    assert after.due_at == before.due_at == at(25, 10)
    assert after.policy == before.policy and after.next_nudge_at == before.next_nudge_at


def test_a_change_outside_the_calendar_re_times_nothing(world, submitted, clock):
    clock.move_to(at(23, 12))
    before = review()
    saved = move(world.hank, title="Head of Platform")
    assert review().due_at == before.due_at and review().policy == before.policy
    assert saved.notes == []


def test_the_profile_page_says_how_many_were_re_timed(world, submitted, clock, login):
    clock.move_to(at(23, 12))
    client = login(world.hank)
    data = {
        "full_name": world.hank.full_name,
        "title": "",
        "time_zone": "America/New_York",
        "work_days": ["0", "1", "2", "3", "4"],
        "work_start": "10:00",
        "work_end": "18:00",
        "holiday_country": "US",
        "holiday_subdivision": "NY",
        "out_of_office_from": "",
        "out_of_office_until": "",
        "delegate": "",
        "notify_channel": "email",
        "batch_window_minutes": "120",
    }
    response = client.post(reverse("accounts:profile"), data, follow=True)
    assert response.status_code == 200
    assert review().due_at == at(24, 21)
    html = response.content.decode()
    assert "1 open follow-up you owe was re-timed to your new calendar" in html


def test_a_calendar_changed_in_the_admin_re_times_them_too(world, submitted, clock, login):
    clock.move_to(at(23, 12))
    hank = world.hank
    client = login(world.ada)
    url = reverse("admin:accounts_user_change", args=[hank.pk])
    form = client.get(url).context["adminform"].form
    skipped = ("password", "groups", "user_permissions", "date_joined", "last_login")
    skipped += ("is_staff", "sees_all_jobs", "is_admin")
    data = {k: v for k, v in form.initial.items() if v is not None and k not in skipped}
    data.update(work_days="[0, 1, 2, 3, 4]", work_start="10:00", work_end="18:00")
    data.update(time_zone="America/New_York", holiday_country="US", holiday_subdivision="NY")
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert review().due_at == at(24, 21)
    assert "1 open follow-up Hank Manager owes was re-timed" in response.content.decode()


def test_an_ask_due_at_the_end_of_an_agreed_day_stays_due_that_day(world, clock):
    """Ivy agreed to finish by Friday: due at the end of her Friday (17:00). She shortens her
    day to 09–13: it is due Friday 13:00, not a week later by business time left."""
    clock.move_to(at(23, 12))
    ask_open(
        kind="action_item", subject="test:friday", title="Share the benchmark",
        owner=world.ivy, due_on=dt.date(2026, 11, 27),
    )  # fmt: skip
    ask = Ask.objects.get(subject="test:friday")
    assert ask.due_at == at(27, 17)
    move(world.ivy, work_start=dt.time(9, 0), work_end=dt.time(13, 0))
    ask.refresh_from_db()
    assert ask.due_at == at(27, 13)
    assert at(27, 13) in steps_at(ask)  # the rung at the due time went with it
