"""A meeting marked held days later keeps the drift of its own day.

The fixtures' series meets Thu 26 Nov 14:00-14:30 London. Before it, hank passes on three
candidates for a reason the agreement does not list; after it, on Friday, on two more.
The job's pay range leaves Carla (submitted) out, and its target fill date is near with no
offers. Marked held on Tuesday, the agenda kept counts the three passes of before the
meeting, not five; the pay and fill-date rules, which read the search as it is now, are
left out, and the section says so. Marked held on time, the agenda keeps every rule.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.pipeline.services import application_submit, candidate_add, submission_decide
from closeloop.touchbases.services import touchbase_hold

BEFORE = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
DURING = dt.datetime(2026, 11, 26, 14, 20, tzinfo=dt.UTC)
FRIDAY = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
TUESDAY = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def _drift(agenda):
    (section,) = [s for s in agenda["sections"] if s["key"] == "drift"]
    return section


def _passes(world, clock, names):
    for name in names:
        clock.shift(dt.timedelta(minutes=10))
        email = f"{name.replace(' ', '.').lower()}@cand.example"
        data = {"full_name": name, "email": email}
        application = candidate_add(job=world.job, by=world.rita, data=data).application
        submission = application_submit(application=application, by=world.rita, pitch="Good.")
        submission_decide(
            submission=submission, by=world.hank, decision="passed", reason="experience"
        )


def _drifting(world, clock):
    job = world.job
    job.compensation_min, job.compensation_max, job.compensation_currency = 80000, 100000, "EUR"
    job.target_fill_date = dt.date(2026, 12, 10)
    job.save()
    candidate = world.interviewed.candidate
    candidate.expected_compensation = 150000
    candidate.save()
    clock.move_to(BEFORE)
    application_submit(application=world.interviewed, by=world.rita, pitch="Strong.")
    _passes(world, clock, ["Pass One", "Pass Two", "Pass Three"])


def test_a_late_held_agenda_counts_the_passes_of_before_the_meeting(world, current, clock):
    _drifting(world, clock)
    clock.move_to(FRIDAY)
    _passes(world, clock, ["Pass Four", "Pass Five"])
    clock.move_to(TUESDAY)
    held = touchbase_hold(touchbase=current, by=world.rita)
    drift = _drift(held.agenda)
    titles = [item["text"] for item in drift["items"]]
    assert titles == ["3 passes for reasons not in the agreement", "3 passes in a row"]
    assert all(item["at"] < "2026-11-26T14:30" for item in drift["items"])
    assert "pay" in drift["lead"] and "fill date" in drift["lead"]
    assert "this kept agenda leaves them out" in drift["lead"]


def test_the_page_says_what_the_kept_drift_leaves_out(world, current, clock, login):
    _drifting(world, clock)
    clock.move_to(TUESDAY)
    touchbase_hold(touchbase=current, by=world.rita)
    page = login(world.rita).get(reverse("touchbases:touchbase-detail", args=[current.pk]))
    text = page.content.decode()
    assert "expect pay outside the range" not in text and "candidate expects pay" not in text
    assert "target fill date" not in text.split('id="agenda-drift"')[1].split("</ul>")[0]
    assert "as it is now, so this kept agenda leaves" in text


def test_a_meeting_held_on_time_keeps_every_rule(world, current, clock):
    _drifting(world, clock)
    clock.move_to(DURING)
    held = touchbase_hold(touchbase=current, by=world.rita)
    drift = _drift(held.agenda)
    titles = {item["text"] for item in drift["items"]}
    assert "1 candidate expects pay outside the range" in titles
    assert "No offers yet and the target fill date is near" in titles
    assert drift["lead"] == ""
