"""Service levels: the organisation's due times per ask kind, set by an admin, and how they
resolve against a job's agreed times (job > organisation > built-in default)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from closeloop.activity.models import Activity
from closeloop.followups.models import Ask, AskStatus, ServiceLevel
from closeloop.followups.policies import DEFAULTS, LevelSetting, service_level_in_force
from closeloop.followups.services import ask_open, service_levels_update
from closeloop.pipeline.models import SubmissionDecision
from closeloop.pipeline.services import application_submit, candidate_add, submission_decide

PAGE = reverse("followups:service-levels")
CHANGED = "closeloop.settings.service_level_changed"


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


def set_levels(world, **levels: tuple[object, bool]) -> list[str]:
    """ada sets kinds: `set_levels(world, review_submission=(1, True))`; any `.ada` will do."""
    settings = {kind: LevelSetting(*value) for kind, value in levels.items()}
    return service_levels_update(by=world.ada, levels=settings)


@pytest.fixture
def admin_only(db):
    """Just an admin, for checks that need no hiring world around her (another address than
    the shared world's ada, which the module may have built already)."""
    from types import SimpleNamespace

    from closeloop.accounts.models import User

    return SimpleNamespace(
        ada=User.objects.create_user(
            "admin-only@example.com", "x-unused-1", full_name="Ada", is_admin=True
        )
    )


def submit(world, application):
    return application_submit(application=application, by=world.rita, pitch="Strong Python.")


def add(world, name: str):
    data = {"full_name": name, "email": f"{name.split()[0].lower()}@cand.example"}
    return candidate_add(job=world.job, by=world.rita, data=data).application


def review_ask_of(submission) -> Ask:
    return Ask.objects.get(kind="review_submission", subject=f"submission:{submission.pk}")


def page_data(**changes: str) -> dict[str, str]:
    """The settings form as the page posts it: every kind on, at its built-in default."""
    data = {}
    for kind, policy in DEFAULTS.items():
        data[f"{kind}-amount"] = f"{policy.due.amount:g}"
        data[f"{kind}-enabled"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Resolution: job > organisation > default ----------------------------------------------


def test_with_nothing_set_every_kind_runs_on_its_built_in_default(world):
    level = service_level_in_force(kind="review_submission", job=world.job)
    assert (level.describe(), level.source, level.enabled) == ("2 business days", "default", True)


def test_an_organisation_time_sets_the_due_time_of_new_asks(world, clock):
    set_levels(world, review_submission=(1, True))
    ask = review_ask_of(submit(world, world.interviewed))
    assert ask.due_at == at(24, 10)
    assert ask.policy["due"] == "1 business day" and ask.policy["source"] == "organisation"


def test_an_organisation_change_leaves_open_asks_on_the_schedule_they_opened_with(
    world, submitted, clock
):
    before = review_ask_of(submitted)
    set_levels(world, review_submission=(3, True))
    after = review_ask_of(submitted)
    assert (after.due_at, after.next_nudge_at, after.policy) == (
        before.due_at,
        before.next_nudge_at,
        before.policy,
    )
    assert after.due_at == at(25, 10)
    assert review_ask_of(submit(world, world.sourced)).due_at == at(26, 10)


def test_the_jobs_agreed_time_wins_over_the_organisation(world, clock):
    set_levels(world, review_submission=(3, True))
    world.job.service_levels = {"review_submission": 0.5}
    world.job.save()
    ask = review_ask_of(submit(world, world.interviewed))
    assert ask.due_at == at(23, 14)
    assert ask.policy["source"] == "job"


def test_another_jobs_agreement_does_not_leak_to_this_job(world, clock):
    world.other_job.service_levels = {"review_submission": 5}
    world.other_job.save()
    assert review_ask_of(submit(world, world.interviewed)).due_at == at(25, 10)


def test_the_candidate_waiting_clock_uses_the_jobs_agreed_time(world, clock):
    world.job.service_levels = {"update_candidate": 1}
    world.job.save()
    application = add(world, "Nina New")
    assert Ask.objects.get(kind="update_candidate", application=application).due_at == at(24, 10)


def test_the_debrief_decision_is_counted_in_business_days(world, clock):
    set_levels(world, decide_after_debrief=(2, True))
    ask = ask_open(
        kind="decide_after_debrief",
        subject="debrief:1",
        title="Decide on Carla",
        owner=world.hank,
        application=world.interviewed,
    )
    assert ask.due_at == at(25, 10)  # Monday 10:00 + two working days
    assert ask.policy["due"] == "2 business days"


def test_a_bad_stored_job_value_falls_back_to_the_organisations_time(world, clock, caplog):
    set_levels(world, review_submission=(1, True))
    world.job.service_levels = {"review_submission": "soon", "update_candidate": 400}
    world.job.save()
    ask = review_ask_of(submit(world, world.interviewed))
    assert ask.due_at == at(24, 10) and ask.policy["source"] == "organisation"
    assert "Ignoring job" in caplog.text


# --- Turning a kind off ----------------------------------------------------------------------


def test_a_kind_turned_off_opens_no_asks_and_the_pipeline_carries_on(world, clock):
    set_levels(world, review_submission=(2, False))
    submission = submit(world, world.interviewed)
    assert not Ask.objects.filter(kind="review_submission").exists()
    submission_decide(submission=submission, by=world.hank, decision=SubmissionDecision.ADVANCED)
    submission.refresh_from_db()
    assert submission.decision == SubmissionDecision.ADVANCED


def test_turning_off_the_waiting_clock_still_lets_candidates_be_added(world, clock):
    set_levels(world, update_candidate=(3, False))
    application = add(world, "Nina New")
    assert application.stage.name == "Sourced"
    assert not Ask.objects.filter(application=application).exists()


def test_turning_a_kind_off_keeps_asks_already_open(world, submitted, clock):
    set_levels(world, review_submission=(2, False))
    assert review_ask_of(submitted).status == AskStatus.OPEN
    assert service_level_in_force(kind="review_submission", job=world.job).describe() == "off"


def test_a_job_agreement_does_not_turn_on_a_kind_the_organisation_turned_off(world, clock):
    set_levels(world, review_submission=(2, False))
    world.job.service_levels = {"review_submission": 1}
    world.job.save()
    submit(world, world.interviewed)
    assert not Ask.objects.filter(kind="review_submission").exists()


# --- Changing the organisation's levels ------------------------------------------------------


def test_a_change_is_stored_and_recorded_with_who_and_what(world, clock):
    assert set_levels(world, review_submission=(1, True), submit_scorecard=(1, True)) == [
        "review_submission"
    ]
    row = ServiceLevel.objects.get()
    assert (row.kind, row.amount, row.enabled, row.updated_by) == (
        "review_submission",
        Decimal("1.0"),
        True,
        world.ada,
    )
    activity = Activity.objects.get(kind=CHANGED)
    assert activity.actor == world.ada
    assert activity.summary == (
        "Ada Admin set “Review a submitted candidate”: due in 1 business day (was 2 business days)"
    )
    assert activity.data["before"] == {"amount": 2, "enabled": True}
    assert activity.data["after"] == {"amount": 1, "enabled": True}


def test_saving_the_same_values_again_records_nothing(world):
    set_levels(world, review_submission=(1, True))
    assert set_levels(world, review_submission=(Decimal("1.0"), True)) == []
    assert Activity.objects.filter(kind=CHANGED).count() == 1


def test_turning_a_kind_off_says_so_in_the_audit_trail(world):
    set_levels(world, update_candidate=(3, False))
    assert Activity.objects.get(kind=CHANGED).summary.endswith(": turned off")


@pytest.mark.parametrize(
    ("kind", "amount", "message"),
    [
        ("review_submission", 0, "Give at least 0.5 business days"),
        ("review_submission", -2, "Give at least 0.5 business days"),
        ("review_submission", 31, "At most 30 business days"),
        ("review_submission", Decimal("1.3"), "Use whole or half business days"),
        ("review_submission", "soon", "Enter a number of business days"),
        ("review_submission", "NaN", "Enter a number of business days"),
        ("decide_after_debrief", 72, "At most 30 business days"),
        ("decide_after_debrief", Decimal("1.3"), "Use whole or half business days"),
    ],
)
def test_a_bad_amount_is_refused_with_a_clear_message_and_nothing_changes(
    admin_only, kind, amount, message
):
    with pytest.raises(ValidationError) as refused:
        set_levels(admin_only, update_candidate=(1, True), **{kind: (amount, True)})
    assert message in refused.value.message_dict[kind][0]
    assert not ServiceLevel.objects.exists()
    assert not Activity.objects.filter(kind=CHANGED).exists()


@pytest.mark.parametrize("persona", ["rita", "hank", "ivy", "olga"])
def test_only_admins_may_change_the_organisations_levels(world, persona):
    with pytest.raises(PermissionDenied):
        service_levels_update(
            by=getattr(world, persona), levels={"review_submission": LevelSetting(1, True)}
        )
    assert not ServiceLevel.objects.exists()


# --- The settings page -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["rita", "hank", "ivy", "olga"])
def test_the_settings_page_is_a_404_for_everyone_but_admins(world, login, persona):
    client = login(getattr(world, persona))
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, page_data(**{"review_submission-amount": "1"})).status_code == 404
    assert not ServiceLevel.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_ada_sees_every_kind_with_its_due_time_unit_and_switch(world, login):
    set_levels(world, update_candidate=(4, False))
    html = login(world.ada).get(PAGE).content.decode()
    for policy in DEFAULTS.values():
        assert policy.label in html
        assert f'name="{policy.kind}-amount"' in html
    assert 'for="id_decide_after_debrief-amount">Due in (business days)' in html
    assert 'for="id_review_submission-amount">Due in (business days)' in html
    assert 'name="update_candidate-amount" value="4"' in html
    assert 'name="review_submission-enabled" id="id_review_submission-enabled" checked' in html
    assert 'name="update_candidate-enabled" id="id_update_candidate-enabled">' in html
    assert "Last changed by Ada Admin" in html


def test_ada_saves_the_page_and_new_asks_follow_it(world, login, clock):
    client = login(world.ada)
    data = page_data(**{"review_submission-amount": "1.5", "action_item-enabled": None})
    response = client.post(PAGE, data, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "Saved: Review a submitted candidate, Finish an action item." in (
        response.content.decode()
    )
    assert not ServiceLevel.objects.get(kind="action_item").enabled
    assert review_ask_of(submit(world, world.interviewed)).due_at == at(24, 14)


def test_a_bad_amount_on_the_page_is_shown_next_to_its_kind_and_saves_nothing(world, login):
    data = page_data(**{"review_submission-amount": "45", "submit_scorecard-amount": "2"})
    response = login(world.ada).post(PAGE, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["review_submission-amount"] == [
        "At most 30 business days: anything longer is no longer a follow-up."
    ]
    assert "Nothing was saved" in response.content.decode()
    assert not ServiceLevel.objects.exists()


def test_an_empty_amount_asks_for_one(world, login):
    response = login(world.ada).post(PAGE, page_data(**{"sign_intake-amount": ""}))
    assert response.status_code == 400
    assert response.context["form"].errors["sign_intake-amount"] == [
        "Enter the due time in business days."
    ]


def test_the_nav_links_the_page_for_admins_only(world, login, client):
    assert PAGE in login(world.ada).get(reverse("jobs:job-list")).content.decode()
    assert PAGE not in login(world.rita).get(reverse("jobs:job-list")).content.decode()


def test_the_page_offers_only_kinds_whose_feature_exists(world, login):
    """A kind is on the page because a feature registered it (the partnership pulse's
    answer_pulse since that part registers it), never a placeholder for one still to come."""
    html = login(world.ada).get(PAGE).content.decode()
    for kind in ("review_submission", "sign_intake", "action_item", "hold_touchbase"):
        assert f'name="{kind}-amount"' in html
    assert ("answer_pulse" in DEFAULTS) == ('name="answer_pulse-amount"' in html)
