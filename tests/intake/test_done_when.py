"""The issue's "Done when", as a new user would try it, through the pages.

rita drafts an intake, hank is asked to sign and signs from the link, rita changes the
budget, both see the diff and re-sign; the job's review service level changes the due time
of the next submission's ask; drift flags appear after hank passes three candidates for
reasons not in the must-haves.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from intake_helpers import REQUIREMENTS, ROLE, add_candidate, cadence_post, plan_post

from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.selectors import ask_url
from closeloop.intake.models import IntakeStatus, IntakeVersion
from closeloop.intake.selectors import drift_flags
from closeloop.notify.models import Message
from closeloop.pipeline.selectors import submission_current
from closeloop.pipeline.services import application_submit


def step_url(job, step):
    return reverse("intake:draft-step", kwargs={"pk": job.pk, "step": step})


def draft_through_the_form(client, world, role=ROLE):
    job = world.job
    response = client.post(reverse("intake:start", kwargs={"pk": job.pk}), {"source": "blank"})
    assert response.status_code == 302
    for step, data in [
        ("role", role),
        ("requirements", REQUIREMENTS),
        (
            "plan",
            plan_post(
                [
                    {"name": "Technical", "duration_minutes": 60, "focus": ["Python", "SQL"],
                     "interviewers": [world.ivy.pk]},
                    {"name": "Team conversation", "duration_minutes": 45,
                     "interviewers": [world.hank.pk]},
                    {},
                ]
            ),
        ),
        ("cadence", cadence_post()),
    ]:  # fmt: skip
        response = client.post(step_url(job, step), {**data, "go": "next"})
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    assert client.get(step_url(job, "review")).status_code == 200


def test_rita_drafts_hank_signs_rita_amends_both_re_sign_and_the_agreement_drives_the_job(
    world, client, clock
):
    job = world.job
    # 1. rita drafts and proposes (signing her side by proposing).
    client.force_login(world.rita)
    draft_through_the_form(client, world)
    response = client.post(reverse("intake:propose", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    v1 = IntakeVersion.objects.get(job=job, number=1)
    assert v1.status == IntakeStatus.PROPOSED

    # 2. hank is asked: an open sign_intake ask and a message with the link.
    ask = Ask.objects.get(kind="sign_intake", status=AskStatus.OPEN)
    assert ask.owner == world.hank
    message = Message.objects.get(recipient=world.hank, template="intake-sign")
    link = ask_url(ask)
    assert link in message.body_text

    # 3. hank signs from the link (GET shows, POST signs).
    client.force_login(world.hank)
    page = client.get(link)
    assert page.status_code == 200 and b"Sign version 1" in page.content
    client.post(reverse("intake:sign", kwargs={"pk": job.pk, "number": 1}))
    v1.refresh_from_db()
    job.refresh_from_db()
    assert v1.status == IntakeStatus.SIGNED
    assert Ask.objects.get(pk=ask.pk).status == AskStatus.DONE
    assert job.compensation_max == 100000 and job.must_have_list[0] == "Python"
    assert job.service_levels == {"review_submission": 1}
    assert [r.name for r in job.interview_rounds.order_by("position")] == [
        "Technical",
        "Team conversation",
    ]
    assert (
        "signed by both" in client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    )

    # 4. rita changes the budget: a new version from the last one.
    client.force_login(world.rita)
    clock.shift(dt.timedelta(days=1))
    client.post(reverse("intake:start", kwargs={"pk": job.pk}), {"source": "last"})
    client.post(step_url(job, "role"), {**ROLE, "compensation_max": "120000", "go": "next"})
    client.post(reverse("intake:propose", kwargs={"pk": job.pk}))
    v2 = IntakeVersion.objects.get(job=job, number=2)
    assert v2.status == IntakeStatus.PROPOSED
    job.refresh_from_db()
    assert job.compensation_max == 100000  # version 1 stays in force meanwhile
    panel = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert "proposed as an amendment by you, awaiting Hank" in panel  # Rita reads it
    resign = Message.objects.filter(recipient=world.hank, template="intake-sign").latest("pk")
    assert "re-sign" in resign.subject and "Compensation range" in resign.body_text
    assert "#diff" in resign.body_text

    # 5. Both see the diff: the budget row changed, old beside new.
    for person in (world.rita, world.hank):
        client.force_login(person)
        html = client.get(reverse("intake:version", kwargs={"pk": job.pk, "number": 2})).content
        html = html.decode()
        assert "EUR 80,000–100,000" in html and "EUR 80,000–120,000" in html
        assert 'class="changed"' in html

    # 6. hank re-signs: version 2 in force, version 1 superseded.
    client.post(reverse("intake:sign", kwargs={"pk": job.pk, "number": 2}))
    v1.refresh_from_db()
    v2.refresh_from_db()
    job.refresh_from_db()
    assert (v1.status, v2.status) == (IntakeStatus.SUPERSEDED, IntakeStatus.SIGNED)
    assert job.compensation_max == 120000

    # 7. The agreed review time (1 business day) sets the next submission's due time.
    clock.move_to(dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC))  # a Monday
    submission = application_submit(
        application=world.interviewed, by=world.rita, pitch="Strong Postgres background."
    )
    review = Ask.objects.get(kind="review_submission", subject__endswith=str(submission.pk))
    assert review.due_at == dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)

    # 8. hank passes three in a row for reasons not in the must-haves: drift flags appear.
    third = add_candidate(job, world.rita, "Tess Third")
    for application in (world.sourced, third):
        application_submit(application=application, by=world.rita, pitch="Worth a look.")
    assert drift_flags(job=job) == []
    client.force_login(world.hank)
    for application in (world.interviewed, world.sourced, third):
        current = submission_current(application=application)
        response = client.post(
            reverse("pipeline:submission-decide", args=[application.pk]),
            {
                "submission": current.pk,
                "decision": "passed",
                "reason": "communication",
                "closeness": 1,
                "calibration_note": "Far off.",
            },
        )
        assert response.status_code == 302
    rules = {flag.rule for flag in drift_flags(job=job)}
    assert {"off_list_passes", "passes_in_a_row"} <= rules
    page = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert "Drift from the agreement" in page and "3 passes in a row" in page
