"""Bulk actions on the candidates ticked in a job's list: each goes through the single
action's service, all or nothing, for the applications of this job the user may act on;
a forged or oversized selection changes nothing and says why."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pipeline_helpers import PITCH

from closeloop.activity.models import Activity
from closeloop.followups.models import Ask, AskStatus
from closeloop.interviews.models import Interview
from closeloop.pipeline import list_views
from closeloop.pipeline.models import Application, CandidateTag, StageChange
from closeloop.pipeline.services import application_reject, application_submit, candidate_add


def bulk_url(job) -> str:
    return reverse("pipeline:job-bulk", args=[job.pk])


def add(world, name: str) -> Application:
    data = {"full_name": name, "email": f"{name.split()[0].lower()}@c.example"}
    return candidate_add(job=world.job, by=world.rita, data=data).application


@pytest.fixture
def trio(world):
    """Ann, Ben and Cat, new in Sourced (rita's move)."""
    return [add(world, name) for name in ("Ann Able", "Ben Bold", "Cat Calm")]


def post(client, job, applications, **data):
    ids = [str(each.pk) if hasattr(each, "pk") else str(each) for each in applications]
    return client.post(bulk_url(job), {"applications": ids, **data}, follow=True)


def said(response) -> str:
    assert response.status_code == 200
    found = re.findall(
        r'<(?:li|p|div)[^>]*class="[^"]*(?:message|alert)[^"]*"[^>]*>(.*?)</', response.text, re.S
    )
    assert found, "the page shows no message"
    return " ".join(" ".join(found).split())


def snapshot(applications) -> list[tuple]:
    """What a bulk action may change, to prove a refused one changed nothing."""
    rows = Application.objects.filter(pk__in=[each.pk for each in applications]).order_by("pk")
    return [
        *rows.values_list("stage_id", "status", "next_move_owner_id", "candidate_updated_at"),
        StageChange.objects.count(),
        Activity.objects.count(),
        Ask.objects.filter(status=AskStatus.OPEN).count(),
        CandidateTag.objects.count(),
    ]


def statuses(applications) -> list[str]:
    pks = [each.pk for each in applications]
    return list(
        Application.objects.filter(pk__in=pks).order_by("pk").values_list("status", flat=True)
    )


# --- Reject ------------------------------------------------------------------------------------


def test_rita_rejects_three_with_one_reason_and_each_opens_an_inform_ask(world, login, trio):
    response = post(
        login(world.rita), world.job, trio, action="reject", reason="skills",
        next="view=list&sort=name&source=referral",
    )  # fmt: skip
    assert statuses(trio) == ["rejected"] * 3
    assert (
        "Rejected 3 candidates: Ann Able, Ben Bold and Cat Calm. Each has an ask to inform them."
        in said(response)
    )
    for application in trio:
        assert Ask.objects.filter(
            kind="inform_candidate", application=application, status=AskStatus.OPEN
        ).exists()
        assert application.stage_changes.filter(to_status="rejected", reason="skills").exists()
    # Back on the list it came from, its filters kept, at the list: the outcome is said
    # there, above the list, once (not at the top of the page, far above on a phone).
    assert response.redirect_chain[-1][0].endswith("?view=list&sort=name&source=referral#pipeline")
    html = response.content.decode()
    assert html.count("Rejected 3 candidates") == 1
    assert html.index('id="pipeline"') < html.index("Rejected 3 candidates")


def test_one_already_closed_refuses_the_whole_batch_and_names_them(world, login, trio):
    application_reject(application=trio[1], by=world.rita, reason="skills")
    before = snapshot(trio)
    response = post(login(world.rita), world.job, trio, action="reject", reason="experience")
    assert snapshot(trio) == before
    text = said(response)
    assert (
        "Nothing was changed." in text and "Ben Bold: This application is already closed." in text
    )
    assert "Ann Able" not in text
    # Back on the list with the same candidates still ticked, to try again without Ben.
    picked = ",".join(str(each.pk) for each in trio)
    assert response.redirect_chain[-1][0].endswith(f"&picked={picked.replace(',', '%2C')}#pipeline")
    for each in (trio[0], trio[2]):
        assert re.search(rf'value="{each.pk}"[^>]*id="pick-{each.pk}"[^>]*checked', response.text)
    fresh = login(world.rita).get(f"/jobs/{world.job.pk}/?view=list").text
    assert not re.search(r'id="pick-\d+"[^>]*checked', fresh)  # a plain visit ticks nothing


def test_hank_rejects_through_the_same_rules_as_on_the_application_page(world, login, trio):
    post(login(world.hank), world.job, trio[:2], action="reject", reason="other", note="Visa")
    assert statuses(trio) == ["rejected", "rejected", "active"]


def test_other_without_a_note_is_refused_before_anything_runs(world, login, trio):
    before = snapshot(trio)
    response = post(login(world.rita), world.job, trio, action="reject", reason="other")
    assert snapshot(trio) == before
    assert "Say why in the note" in said(response)


def test_a_refused_action_comes_back_chosen_with_what_was_typed_once(world, login, trio):
    """Rejecting without a reason: the action, the note and the ticks are there to finish;
    the next visit of the list starts clean."""
    client = login(world.rita)
    response = post(client, world.job, trio, action="reject", note="Not enough Kubernetes")
    assert "Nothing was changed. Choose the reason for rejecting." in said(response)
    bar = response.text[response.text.index('id="bulk-form"') :]
    assert re.search(r'<option value="reject" selected>', bar)
    assert 'value="Not enough Kubernetes"' in bar
    again = client.get(f"/jobs/{world.job.pk}/?view=list").text
    assert 'value="Not enough Kubernetes"' not in again


# --- Move, mark updated, tag, snooze -----------------------------------------------------------


def test_rita_moves_two_to_debrief_and_it_becomes_hanks_move(world, login, trio):
    """Each has had an interview: the move opens its debrief, whose decision Hank owes."""
    ended = timezone.now() - dt.timedelta(hours=1)
    for each in trio[:2]:
        held = Interview.objects.create(
            application=each,
            round_name="Technical",
            starts_at=ended - dt.timedelta(hours=1),
            ends_at=ended,
            status="completed",
        )
        held.interviewers.add(world.ivy)
    debrief = world.job.stages.get(name="Debrief")
    response = post(login(world.rita), world.job, trio[:2], action="move", to_stage=debrief.pk)
    rows = Application.objects.filter(pk__in=[trio[0].pk, trio[1].pk])
    assert {(row.stage_id, row.next_move_owner_id) for row in rows} == {(debrief.pk, world.hank.pk)}
    assert "Moved 2 candidates to Debrief: Ann Able and Ben Bold." in said(response)
    decide = Ask.objects.filter(
        kind="decide_after_debrief", status=AskStatus.OPEN, owner=world.hank
    )
    assert sorted(decide.values_list("application_id", flat=True)) == sorted(
        [trio[0].pk, trio[1].pk]
    )


def test_a_move_to_submitted_refuses_the_batch_a_submission_asks_the_hm(world, login, trio):
    submitted = world.job.stages.get(name="Submitted")
    before = snapshot(trio)
    response = post(login(world.rita), world.job, trio[:2], action="move", to_stage=submitted.pk)
    assert snapshot(trio) == before
    text = said(response)
    # Each candidate named once: the service's words name them already.
    assert "To put Ann Able in front of Hank Manager, submit them with a pitch" in text
    assert "Ann Able: " not in text and text.count("Ben Bold") == 1


def test_a_move_back_to_submitted_of_someone_past_the_review_says_so(world, login, trio):
    """No submit form to point to once the HM advanced them: the refusal says why."""
    debrief = world.job.stages.get(name="Debrief")
    Application.objects.filter(pk=trio[0].pk).update(stage=debrief)
    submitted = world.job.stages.get(name="Submitted")
    response = post(login(world.rita), world.job, trio[:1], action="move", to_stage=submitted.pk)
    assert (
        "Ann Able is past the hiring manager's review already (in Debrief): moving them back to "
        "Submitted would ask Hank Manager for a decision already made."
    ) in said(response).replace("&#x27;", "'")


def test_a_refusal_names_each_candidate_once(world, login, trio):
    """Ann past the review, Ben already in Submitted, moved to Submitted: Ann's refusal
    stops the batch and names her once; Ben, already there, is no refusal."""
    submitted = world.job.stages.get(name="Submitted")
    Application.objects.filter(pk=trio[0].pk).update(stage=world.job.stages.get(name="Debrief"))
    Application.objects.filter(pk=trio[1].pk).update(stage=submitted)
    before = snapshot(trio)
    response = post(login(world.rita), world.job, trio[:2], action="move", to_stage=submitted.pk)
    assert snapshot(trio) == before
    text = said(response).replace("&#x27;", "'")
    assert text.startswith(
        "Nothing was changed. Ann Able is past the hiring manager's review already (in Debrief)"
    )
    assert text.count("Ann Able") == 1 and "Ben Bold" not in text


def test_a_move_leaves_those_already_in_the_stage_and_moves_the_others(world, login, trio):
    sourced = world.job.stages.get(name="Sourced")
    debrief = world.job.stages.get(name="Debrief")
    Application.objects.filter(pk=trio[0].pk).update(stage=debrief)
    changes = StageChange.objects.count()
    response = post(login(world.rita), world.job, trio[:2], action="move", to_stage=sourced.pk)
    assert said(response) == "Moved 1 candidate to Sourced: Ann Able; Ben Bold was already there."
    assert {
        row.stage_id for row in Application.objects.filter(pk__in=[trio[0].pk, trio[1].pk])
    } == {sourced.pk}
    assert StageChange.objects.count() == changes + 1  # Ann's move only


def test_a_move_of_everyone_already_in_the_stage_changes_nothing_and_says_so(world, login, trio):
    sourced = world.job.stages.get(name="Sourced")
    before = snapshot(trio)
    response = post(login(world.rita), world.job, trio, action="move", to_stage=sourced.pk)
    assert snapshot(trio) == before
    assert said(response) == (
        "Nobody was moved: Ann Able, Ben Bold and Cat Calm were already in Sourced."
    )
    one = post(login(world.rita), world.job, trio[:1], action="move", to_stage=sourced.pk)
    assert said(one) == "Nobody was moved: Ann Able was already in Sourced."


def test_one_already_there_does_not_outweigh_a_real_refusal(world, login, trio):
    """Ann already in Sourced is skipped, but Ben's closed application refuses the batch:
    all or nothing, as every bulk action."""
    application_reject(application=trio[1], by=world.rita, reason="skills")
    Application.objects.filter(pk=trio[2].pk).update(stage=world.job.stages.get(name="Debrief"))
    sourced = world.job.stages.get(name="Sourced")
    before = snapshot(trio)
    response = post(login(world.rita), world.job, trio, action="move", to_stage=sourced.pk)
    assert snapshot(trio) == before
    assert said(response) == (
        "Nothing was changed. Ben Bold: This candidate's application is closed; reopen it to "
        "move it."
    ).replace("'", "&#x27;")


def test_another_jobs_stage_is_not_a_choice(world, login, trio):
    elsewhere = world.other_job.stages.first()
    before = snapshot(trio)
    response = post(login(world.rita), world.job, trio, action="move", to_stage=elsewhere.pk)
    assert snapshot(trio) == before
    assert "Nothing was changed." in said(response)


NOT_A_STAGE = "That is not a stage of this job; choose one of its stages."


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"action": "move", "to_stage": "999999"}, NOT_A_STAGE),
        ({"action": "move", "to_stage": "x"}, NOT_A_STAGE),
        (
            {"action": "reject", "reason": "bogus"},
            "That is not a reason for rejecting; choose one of the list.",
        ),
        ({"action": "tag", "tag": "x" * 41}, "A tag is at most 40 characters; this one has 41."),
        (
            {"action": "snooze", "snooze_reason": "x" * 301},
            "The reason for snoozing is at most 300 characters; this one has 301.",
        ),
        (
            {"action": "updated", "note": "x" * 2001},
            "A note is at most 2000 characters; this one has 2001.",
        ),
    ],
)
def test_a_value_the_bar_refuses_is_said_in_one_sentence(world, login, trio, data, words):
    """Not Django's "Select a valid choice. …", and not also said to be missing ("Type
    the tag to add.")."""
    before = snapshot(trio)
    response = post(login(world.rita), world.job, trio, **data)
    assert snapshot(trio) == before
    assert said(response) == f"Nothing was changed. {words}"


def test_rita_marks_candidates_updated_and_their_clocks_restart(world, login, trio):
    response = post(login(world.rita), world.job, trio, action="updated", note="Called all three")
    assert all(
        row.candidate_updated_at for row in Application.objects.filter(pk__in=[a.pk for a in trio])
    )
    assert Activity.objects.filter(kind="closeloop.candidate.informed").count() == 3
    assert "Recorded news for 3 candidates" in said(response)


def test_a_long_list_of_names_ends_with_how_many_more(world, login, trio, monkeypatch):
    monkeypatch.setattr(list_views, "NAMES_SHOWN", 2)
    response = post(login(world.rita), world.job, trio, action="tag", tag="Silver medal")
    assert "Tagged 3 candidates “Silver medal”: Ann Able, Ben Bold and 1 more." in said(response)


def test_rita_tags_two_candidates_and_the_tag_filter_finds_them(world, login, trio):
    client = login(world.rita)
    response = post(client, world.job, trio[:2], action="tag", tag="  Silver   medal ")
    assert "Tagged 2 candidates “Silver medal”: Ann Able and Ben Bold." in said(response)
    tag = CandidateTag.objects.filter(candidate=trio[0].candidate).get().tag
    page = client.get(
        reverse("jobs:job-detail", args=[world.job.pk]), {"view": "list", "tag": tag.pk}
    )
    assert re.findall(r'data-label="Candidate"><a href="[^"]+">([^<]+)<', page.text) == [
        "Ann Able",
        "Ben Bold",
    ]


def test_hank_snoozes_his_reviews_of_two_submissions_and_the_due_times_stay(world, login, trio):
    for application in trio[:2]:
        application_submit(application=application, by=world.rita, pitch=PITCH)
    asks = Ask.objects.filter(owner=world.hank, kind="review_submission", status=AskStatus.OPEN)
    due = sorted(asks.values_list("due_at", flat=True))
    response = post(
        login(world.hank), world.job, trio[:2], action="snooze", snooze_reason="Offsite"
    )
    assert "Snoozed 2 of your asks on 2 candidates" in said(response)
    assert all(ask.snoozed_until and ask.snooze_reason == "Offsite" for ask in asks)
    assert sorted(asks.values_list("due_at", flat=True)) == due
    application_submit(application=trio[2], by=world.rita, pitch=PITCH)
    one = post(login(world.hank), world.job, trio[2:], action="snooze", snooze_reason="Offsite")
    assert "Snoozed one of your asks on 1 candidate" in said(one)


def test_snoozing_where_i_owe_nothing_refuses_the_batch(world, login, trio):
    application_submit(application=trio[0], by=world.rita, pitch=PITCH)
    response = post(login(world.hank), world.job, trio[:2], action="snooze", snooze_reason="Away")
    assert not Ask.objects.filter(owner=world.hank, snoozed_until__isnull=False).exists()
    assert "Ben Bold: you owe nothing on this candidate" in said(response)


def test_an_erased_candidate_in_the_selection_refuses_the_batch(world, login, trio):
    from closeloop.pipeline.privacy import candidate_erase

    candidate_erase(candidate=trio[2].candidate, by=world.ada, reason="Asked to be erased")
    before = snapshot(trio)
    response = post(login(world.rita), world.job, trio, action="updated")
    assert snapshot(trio) == before
    assert "This candidate was erased" in said(response)
    tagged = post(login(world.rita), world.job, trio, action="tag", tag="Python")
    assert "takes no tags" in said(tagged) and not CandidateTag.objects.exists()


# --- The selection ---------------------------------------------------------------------------


def test_every_candidate_on_the_page_needs_no_script(world, login, trio):
    ids = ",".join(str(each.pk) for each in trio)
    post(
        login(world.rita),
        world.job,
        [],
        action="reject",
        reason="skills",
        all_on_page="on",
        page_ids=ids,
    )
    assert statuses(trio) == ["rejected"] * 3


def test_a_forged_id_of_another_jobs_application_changes_nothing_and_says_so(world, login, trio):
    before = snapshot([*trio, world.other_application])
    response = post(
        login(world.rita),
        world.job,
        [*trio, world.other_application],
        action="reject",
        reason="skills",
    )
    assert snapshot([*trio, world.other_application]) == before
    assert "1 of the selected candidates is not on Backend Engineer" in said(response)


def test_ada_cannot_reach_another_jobs_application_through_this_jobs_form(world, login, trio):
    """Even an admin, who may act on both jobs, acts on one job's list at a time."""
    response = post(
        login(world.ada), world.job, [world.other_application], action="reject", reason="skills"
    )
    assert statuses([world.other_application]) == ["active"]
    assert "is not on Backend Engineer" in said(response)


@pytest.mark.parametrize("garbage", ["abc", "-1", "0", "1e3", "99999999999999999999", "", "\x00"])
def test_garbage_ids_change_nothing(world, login, trio, garbage):
    before = snapshot(trio)
    response = post(
        login(world.rita), world.job, [*trio, garbage], action="reject", reason="skills"
    )
    assert snapshot(trio) == before
    assert "Nothing was changed." in said(response)


def test_more_than_200_ids_are_refused_with_the_limit(world, login, trio):
    ids = [trio[0].pk, *list(range(10000000, 10000300))]
    response = post(login(world.rita), world.job, ids, action="reject", reason="skills")
    assert statuses(trio) == ["active"] * 3
    assert "Select at most 200 candidates at a time (301 were sent)." in said(response)


def test_10000_ids_are_refused_with_a_clear_page(world, login, trio):
    ids = [str(trio[0].pk)] * 10_000
    response = login(world.rita).post(
        bulk_url(world.job), {"applications": ids, "action": "reject", "reason": "skills"}
    )
    assert response.status_code == 400
    assert "The form sent more than" in response.text and "Nothing was saved." in response.text
    assert statuses(trio) == ["active"] * 3


def test_nothing_ticked_or_no_action_says_so(world, login, trio):
    client = login(world.rita)
    assert "Select at least one candidate." in said(
        post(client, world.job, [], action="reject", reason="skills")
    )
    assert "Choose an action" in said(post(client, world.job, trio, action=""))


# --- Who may -----------------------------------------------------------------------------------


def test_hank_may_not_record_news_which_is_the_recruiting_sides(world, login, trio):
    before = snapshot(trio)
    response = post(login(world.hank), world.job, trio, action="updated")
    assert snapshot(trio) == before
    assert "You cannot do that on this job." in said(response)


def test_ivy_may_only_snooze_and_only_on_the_candidate_she_interviews(world, login, trio):
    client = login(world.ivy)
    before = snapshot([world.interviewed, world.sourced])
    rejected = post(client, world.job, [world.interviewed], action="reject", reason="skills")
    assert "You cannot do that on this job." in said(rejected)
    hidden = post(client, world.job, [world.sourced], action="snooze", snooze_reason="Busy")
    assert "is not on Backend Engineer" in said(hidden)
    assert snapshot([world.interviewed, world.sourced]) == before
    html = client.get(reverse("jobs:job-detail", args=[world.job.pk]), {"view": "list"}).text
    action = html[
        html.index('name="action"') : html.index("</select>", html.index('name="action"'))
    ]
    assert re.findall(r'<option value="(\w+)"', action) == ["snooze"]


def test_an_outsider_gets_404_and_changes_nothing(world, login, trio):
    before = snapshot(trio)
    response = login(world.olga).post(
        bulk_url(world.job), {"applications": [trio[0].pk], "action": "reject", "reason": "skills"}
    )
    assert response.status_code == 404
    assert snapshot(trio) == before


def test_a_get_changes_nothing(world, login, trio):
    assert login(world.rita).get(bulk_url(world.job)).status_code == 405


def test_the_list_offers_the_bar_and_a_checkbox_per_row_outside_the_filter_form(world, login, trio):
    html = (
        login(world.rita)
        .get(reverse("jobs:job-detail", args=[world.job.pk]), {"view": "list"})
        .text
    )
    boxes = re.findall(
        r'<input type="checkbox" name="applications" value="(\d+)" form="bulk-form"', html
    )
    assert len(boxes) == 5
    assert html.count("<form") - html.count("</form>") == 0
    bulk = html[html.index('id="bulk-form"') : html.index("</form>", html.index('id="bulk-form"'))]
    assert 'name="all_on_page"' in bulk and 'name="page_ids"' in bulk
