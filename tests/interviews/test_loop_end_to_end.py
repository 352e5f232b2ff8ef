"""The issue's "Done when", tried as a new user would, with the clock controlled.

An interview ends; the worker opens ivy's scorecard ask; an hour later her reminder exists;
she cannot see jonas's scorecard until she submits hers; the last scorecard opens the
debrief; hank decides with a rationale; rita is asked to tell the candidate and records it;
every step is on the timeline.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from interview_helpers import end, open_asks, score

from closeloop.activity.models import Activity
from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask, AskStatus, Nudge
from closeloop.interviews.models import Debrief, DebriefStatus, InterviewStatus
from closeloop.notify.models import Message


def test_the_whole_loop_closes_and_every_step_is_on_the_timeline(
    client, world, clock, interview, jonas
):
    carla = world.interviewed
    # 1. The interview ends: the worker completes it and opens one ask per interviewer.
    assert end(clock, interview) == 1
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.COMPLETED
    ivy_ask = open_asks("submit_scorecard", owner=world.ivy)[0]
    assert ivy_ask.subject == f"scorecard:{interview.pk}:{world.ivy.pk}"
    assert ivy_ask.opened_at == interview.ends_at  # the clock starts at the end

    # 2. An hour after the end, ivy's reminder goes out.
    clock.move_to(interview.ends_at + dt.timedelta(hours=1, minutes=1))
    asks_advance()
    notices_compose()
    reminder = Nudge.objects.get(ask=ivy_ask)
    assert reminder.kind == "reminder"
    assert reminder.scheduled_at == interview.ends_at + dt.timedelta(hours=1)
    assert Message.objects.filter(recipient=world.ivy, template="nudge").exists()

    # The queue links her ask to the briefing's scorecard form.
    client.force_login(world.ivy)
    queue = client.get(reverse("pipeline:queue")).content.decode()
    briefing = reverse("interviews:interview-detail", args=[interview.pk])
    assert f"{briefing}#scorecard" in queue

    # 3. jonas submits first; ivy cannot read his scorecard until she submits hers.
    score(interview, jonas, recommendation="strong_yes", notes="Designed a **queue** well.")
    page = client.get(briefing).content.decode()
    assert "Hidden until you submit your own scorecard" in page
    assert "Designed a" not in page and "iv-strong_yes" not in page
    app_page = client.get(reverse("pipeline:application-detail", args=[carla.pk])).content.decode()
    assert "Scorecard in" in app_page and "Strong yes" not in app_page
    assert not Debrief.objects.exists()  # ivy's is still missing

    # 4. ivy submits through the form: her ask closes, she sees jonas's, the debrief opens.
    response = client.post(
        reverse("interviews:interview-scorecard", args=[interview.pk]),
        {"rating_0": "3", "rating_1": "2", "recommendation": "yes", "notes": "Good Python."},
        # no "action": a draft …
    )
    assert response.status_code == 302 and not Debrief.objects.exists()
    response = client.post(
        reverse("interviews:interview-scorecard", args=[interview.pk]),
        {"rating_0": "3", "rating_1": "2", "recommendation": "yes", "notes": "Good Python.",
         "action": "submit"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Ask.objects.get(pk=ivy_ask.pk).status == AskStatus.DONE
    page = client.get(briefing).content.decode()
    assert "Designed a <strong>queue</strong> well." in page and "Strong yes" in page
    debrief = Debrief.objects.get(application=carla)
    decide = open_asks("decide_after_debrief", owner=world.hank)[0]
    assert decide.subject == f"debrief:{debrief.pk}"

    # 5. hank reads the scorecards side by side and decides with a rationale.
    client.force_login(world.hank)
    debrief_url = reverse("interviews:debrief-detail", args=[debrief.pk])
    page = client.get(debrief_url).content.decode()
    assert (
        "Ivy Interviewer" in page and "Jonas Interviewer" in page and "On-call experience" in page
    )
    offer = world.job.stages.get(kind="offer")
    response = client.post(
        reverse("interviews:debrief-decide", args=[debrief.pk]),
        {"decision": "advance", "to_stage": offer.pk, "rationale": "Both say yes on Python.",
         "attendees": [world.hank.pk, world.rita.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    debrief.refresh_from_db()
    carla.refresh_from_db()
    assert debrief.status == DebriefStatus.DECIDED and carla.stage == offer
    assert Ask.objects.get(pk=decide.pk).status == AskStatus.DONE
    inform = open_asks("inform_candidate", owner=world.rita)
    assert len(inform) == 1 and inform[0].application == carla

    # 6. rita is asked to tell Carla, does so, and records it.
    assert Message.objects.filter(recipient=world.rita, template="debrief-decided").exists()
    client.force_login(world.rita)
    response = client.post(
        reverse("interviews:debrief-informed", args=[debrief.pk]), {"note": "Called her."}
    )
    assert response.status_code == 302
    assert not open_asks("inform_candidate", owner=world.rita)
    page = client.get(debrief_url).content.decode()
    assert "Informed on" in page

    # 7. Every step is on the timeline, which rita reads on the application page.
    kinds = set(Activity.objects.filter(application=carla).values_list("kind", flat=True))
    assert {
        "closeloop.interview.scheduled",
        "closeloop.scorecard.submitted",
        "closeloop.debrief.opened",
        "closeloop.debrief.decided",
        "closeloop.application.moved",
        "closeloop.candidate.informed",
    } <= kinds
    page = client.get(reverse("pipeline:application-detail", args=[carla.pk])).content.decode()
    assert "submitted a scorecard" in page and "decided after the Technical debrief" in page
    assert "candidate informed on" in page
