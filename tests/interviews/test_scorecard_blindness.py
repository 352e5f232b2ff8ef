"""Blind scorecards, enforced in the selectors, for each persona."""

from __future__ import annotations

import pytest
from interview_helpers import end, score

from closeloop.interviews.selectors import interview_rows, scorecards_for_application


@pytest.fixture
def jonas_submitted(world, clock, interview, jonas):
    end(clock, interview)
    return score(interview, jonas, recommendation="no", notes="Weak on design.")


def _readable(user, application):
    return {
        card.interviewer.email
        for card in scorecards_for_application(user=user, application=application)
    }


def test_ivy_sees_nobody_elses_scorecard_before_submitting_hers(world, jonas_submitted):
    assert _readable(world.ivy, world.interviewed) == set()


def test_ivy_sees_her_own_draft_but_still_not_the_others(world, interview, jonas_submitted):
    score(interview, world.ivy, submit=False)
    assert _readable(world.ivy, world.interviewed) == {"ivy@example.com"}


def test_after_submitting_ivy_sees_every_submitted_scorecard(world, interview, jonas_submitted):
    score(interview, world.ivy)
    assert _readable(world.ivy, world.interviewed) == {"ivy@example.com", "jonas@example.com"}


def test_a_draft_is_never_shown_to_anyone_but_its_author(world, interview, jonas, clock):
    end(clock, interview)
    score(interview, jonas, submit=False)
    for person in (world.rita, world.hank, world.ada, world.ivy):
        assert "jonas@example.com" not in _readable(person, world.interviewed)
    assert _readable(jonas, world.interviewed) == {"jonas@example.com"}


@pytest.mark.parametrize("persona", ["rita", "hank", "ada"])
def test_the_recruiter_hm_and_admins_see_all_submitted_scorecards(world, persona, jonas_submitted):
    assert _readable(getattr(world, persona), world.interviewed) == {"jonas@example.com"}


def test_olga_sees_none(world, jonas_submitted):
    assert _readable(world.olga, world.interviewed) == set()


def test_the_panel_shows_ivy_that_jonas_submitted_but_not_what(world, jonas_submitted):
    [row] = [r for r in interview_rows(user=world.ivy, application=world.interviewed)
             if r.interview.round_id]  # fmt: skip
    seats = {seat.interviewer.email: seat for seat in row.seats}
    assert seats["jonas@example.com"].state == "submitted"
    assert seats["jonas@example.com"].scorecard is None
    assert seats["ivy@example.com"].state == "missing"


def test_a_submitted_scorecard_cannot_change(world, interview, jonas_submitted, jonas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        score(interview, jonas, recommendation="strong_yes")
    jonas_submitted.refresh_from_db()
    assert jonas_submitted.recommendation == "no"


def test_notes_are_kept_as_typed_and_shown_inert(world, interview, clock):
    end(clock, interview)
    typed = '<p onclick="x()">Good <script>alert(1)</script><a href="javascript:x">link</a></p>'
    card = score(interview, world.ivy, notes=typed)
    assert card.notes == typed
    shown = card.notes_html
    assert "<script" not in shown and "<a" not in shown and "<p onclick" not in shown
    assert "&lt;script&gt;" in shown


def test_submitting_needs_every_rating_and_a_side(world, interview, clock):
    from django.core.exceptions import ValidationError

    end(clock, interview)
    with pytest.raises(ValidationError, match="Rate every focus attribute"):
        score(interview, world.ivy, ratings={"Python": 3})
    with pytest.raises(ValidationError, match="Take a side"):
        score(interview, world.ivy, recommendation="")
    with pytest.raises(ValidationError, match="from 1 to 4"):
        score(interview, world.ivy, ratings={"Python": 5, "System design": 1})
    # Both missing: both said at once, not one refusal after the other.
    with pytest.raises(ValidationError) as refused:
        score(interview, world.ivy, ratings={"Python": 3}, recommendation="")
    assert set(refused.value.message_dict) == {"ratings", "recommendation"}
    assert not interview.scorecards.exists()


def test_no_scorecard_before_the_interview_starts_and_the_refusal_says_when(world, interview):
    """Submitting opens when the interview starts (not once it has taken place): the refusal
    says so in the form's own words."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        score(interview, world.ivy)
    assert refused.value.messages == [
        "Submitting opens when the interview starts, Mon 23 Nov 14:00 (UTC);"
        " until then you can save a draft."
    ]


def test_before_the_interview_the_form_offers_only_a_draft_and_says_when_submitting_opens(
    world, login, interview, clock
):
    ivy = login(world.ivy)
    before = ivy.get(f"/interviews/{interview.pk}/").content.decode()
    assert 'value="submit"' not in before and 'value="draft"' in before
    assert "Submitting opens when the interview starts, Mon 23 Nov 14:00 (UTC)" in before
    clock.move_to(interview.starts_at)
    during = ivy.get(f"/interviews/{interview.pk}/").content.decode()
    assert 'value="submit"' in during and "Submitting opens" not in during


# --- One rule on every page: the debrief page and the briefing's words -----------------------

SECRET = "ZEBRA-SECRET-NOTE"


@pytest.fixture
def debrief_without_jonas(world, clock, interview, jonas):
    """jonas is the job's escalation contact and on the panel; ivy submitted, he did not;
    the agreed time passed, so the debrief opened without his scorecard."""
    import datetime as dt

    from closeloop.interviews.models import Debrief
    from closeloop.interviews.services import debriefs_open_due

    world.job.escalation_contact = jonas
    world.job.save()
    end(clock, interview)
    score(interview, world.ivy, recommendation="strong_no", notes=SECRET)
    clock.move_to(dt.datetime(2026, 12, 10, tzinfo=dt.UTC))
    assert debriefs_open_due().handled == 1
    return Debrief.objects.get()


def test_an_escalation_contact_on_the_panel_is_blind_on_the_debrief_page(
    world, login, jonas, debrief_without_jonas
):
    response = login(jonas).get(f"/debriefs/{debrief_without_jonas.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert SECRET not in body and "iv-strong_no" not in body
    assert "submitted · hidden" in body and "stay hidden until you submit your own" in body


def test_the_decisions_rationale_is_hidden_from_the_panelist_who_owes_a_card(
    world, login, jonas, debrief_without_jonas
):
    """Hank decided with a rationale quoting Ivy's card: Jonas, whose own is not in, reads
    neither; Hank does."""
    from closeloop.interviews.models import Debrief

    rationale = "Ivy saw shallow on-call depth."
    Debrief.objects.filter(pk=debrief_without_jonas.pk).update(
        decided_at=debrief_without_jonas.opened_at, rationale=rationale
    )
    page = f"/debriefs/{debrief_without_jonas.pk}/"
    body = login(jonas).get(page).content.decode()
    assert rationale not in body and "rationale opens to you once your scorecards" in body
    assert rationale in login(world.hank).get(page).content.decode()


def test_the_escalation_contact_reads_the_debrief_once_theirs_is_in(
    world, login, interview, jonas, debrief_without_jonas
):
    score(interview, jonas)
    body = login(jonas).get(f"/debriefs/{debrief_without_jonas.pk}/").content.decode()
    assert SECRET in body and "submitted · hidden" not in body


def test_an_escalation_contact_off_the_panel_reads_every_submitted_scorecard(
    world, jonas_submitted
):
    world.job.escalation_contact = world.olga
    world.job.save()
    assert _readable(world.olga, world.interviewed) == {"jonas@example.com"}


def test_the_hiring_manager_reads_every_scorecard_on_the_debrief_page(
    world, login, debrief_without_jonas
):
    body = login(world.hank).get(f"/debriefs/{debrief_without_jonas.pk}/").content.decode()
    assert SECRET in body and "stay hidden" not in body


def test_after_submitting_the_briefing_no_longer_says_hidden(world, login, interview, clock):
    end(clock, interview)
    score(interview, world.ivy)
    body = login(world.ivy).get(f"/interviews/{interview.pk}/").content.decode()
    assert "Hidden until you submit your own scorecard" not in body
    assert "No other scorecards yet." in body


def test_before_submitting_the_briefing_says_hidden(world, login, interview, clock):
    end(clock, interview)
    body = login(world.ivy).get(f"/interviews/{interview.pk}/").content.decode()
    assert "Hidden until you submit your own scorecard" in body


def test_the_application_page_hides_the_teams_review_until_her_scorecard_is_in(
    world, login, interview, clock
):
    """The pitch, the must-haves checklist and hank's verdict could sway ivy's scorecard:
    hidden from her (and the pay expected) until hers is in; the team reads them."""
    from closeloop.pipeline.models import Submission

    Submission.objects.create(
        application=world.interviewed, submitted_by=world.rita, submitted_at=interview.starts_at,
        pitch="Strong on Postgres at scale.", decision="advanced", decided_by=world.hank,
        decision_note="Some way off on on-call.",
    )  # fmt: skip
    page = f"/applications/{world.interviewed.pk}/"
    end(clock, interview)
    before = login(world.ivy).get(page).content.decode()
    assert "opens to you once your scorecards on them are in" in before
    assert "Strong on Postgres at scale." not in before and "Some way off" not in before
    assert "<dt>Expects</dt>" not in before
    # Nor in the timeline (the submission's events carry the pitch and the verdict).
    from closeloop.activity.models import Activity

    Activity.objects.create(
        kind="closeloop.submission.created", summary="Rita submitted Carla to Hank",
        detail="Strong on Postgres at scale.", job=world.job,
        candidate=world.interviewed.candidate, application=world.interviewed,
    )  # fmt: skip
    before = login(world.ivy).get(page).content.decode()
    assert "Rita submitted Carla to Hank" not in before
    candidate_page = f"/candidates/{world.interviewed.candidate_id}/"
    assert "Rita submitted Carla to Hank" not in login(world.ivy).get(candidate_page).text
    assert "Strong on Postgres at scale." in login(world.rita).get(page).content.decode()
    # Nor in the stage history: a move's reason is the hiring manager's note on his decision.
    from closeloop.pipeline.models import StageChange

    StageChange.objects.create(
        application=world.interviewed, from_stage=world.interviewed.stage,
        to_stage=world.interviewed.stage, by=world.hank, reason="Solid profile. Book the call.",
    )  # fmt: skip
    assert "Solid profile. Book the call." not in login(world.ivy).get(page).text
    assert "Solid profile. Book the call." in login(world.rita).get(page).text
    score(interview, world.ivy)
    after = login(world.ivy).get(page).content.decode()
    assert "Strong on Postgres at scale." in after and "Some way off on on-call." in after
    assert "Rita submitted Carla to Hank" in after
    assert "Solid profile. Book the call." in after


def test_the_pay_expected_opens_to_ivy_with_the_review_once_her_cards_are_in(
    world, login, interview, clock, jonas
):
    """The README lists the pay among what opens once your scorecards are in: both pages
    show it to her then, as they show the pitch; never before."""
    carla = world.interviewed.candidate
    carla.expected_compensation, carla.compensation_currency = 97000, "EUR"
    carla.save(update_fields=["expected_compensation", "compensation_currency"])
    # ivy's other (round-less) interview of Carla was called off: she owes only this one.
    world.interviewed.interviews.filter(round__isnull=True).update(status="cancelled")
    pages = [f"/applications/{world.interviewed.pk}/", f"/candidates/{carla.pk}/"]
    end(clock, interview)
    ivy = login(world.ivy)
    assert all("97,000 EUR a year" not in ivy.get(page).text for page in pages)
    score(interview, world.ivy)
    assert all("97,000 EUR a year" in ivy.get(page).text for page in pages)
    # jonas still owes his: hidden from him, on both pages.
    jonas_client = login(jonas)
    assert all("97,000" not in jonas_client.get(page).text for page in pages)
