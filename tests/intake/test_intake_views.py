"""Every intake page for every persona: the hiring team reads, the sides edit and sign,
interviewers and outsiders get a 404 that leaks nothing, bad input changes nothing."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from intake_helpers import ROLE, cadence_post, plan_post

from closeloop.intake.models import IntakeStatus, IntakeVersion, PassCitation
from closeloop.notify.models import Message
from closeloop.pipeline.selectors import submission_current
from closeloop.pipeline.services import application_submit

READERS = ["rita", "hank", "ada"]
STRANGERS = ["ivy", "olga"]


def pages(job, version):
    return [
        reverse("intake:overview", kwargs={"pk": job.pk}),
        reverse("intake:version", kwargs={"pk": job.pk, "number": version.number}),
        reverse("intake:summary", kwargs={"pk": job.pk}),
    ]


@pytest.mark.parametrize("persona", READERS)
def test_the_hiring_team_reads_the_agreement(persona, world, login, proposed):
    client = login(getattr(world, persona))
    for url in pages(world.job, proposed):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Backend Engineer" in response.content.decode()


@pytest.mark.parametrize("persona", STRANGERS)
def test_interviewers_and_outsiders_get_a_404_that_leaks_nothing(persona, world, login, proposed):
    client = login(getattr(world, persona))
    for url in pages(world.job, proposed):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"100,000" not in response.content
    for name, kwargs in [
        ("intake:start", {"pk": world.job.pk}),
        ("intake:sign", {"pk": world.job.pk, "number": 1}),
        ("intake:send", {"pk": world.job.pk, "number": 1}),
    ]:
        assert client.post(reverse(name, kwargs=kwargs)).status_code == 404
    page = client.get(reverse("jobs:job-detail", args=[world.job.pk]))
    assert b"Intake agreement" not in page.content and b"Drift" not in page.content


@pytest.mark.parametrize("persona", READERS)
def test_guessed_ids_answer_404(persona, world, login, proposed):
    client = login(getattr(world, persona))
    assert client.get(reverse("intake:overview", kwargs={"pk": 99999})).status_code == 404
    missing = reverse("intake:version", kwargs={"pk": world.job.pk, "number": 42})
    assert client.get(missing).status_code == 404
    other = reverse("intake:overview", kwargs={"pk": world.other_job.pk})
    assert client.get(other).status_code == (200 if persona == "ada" else 404)


def test_the_job_page_says_there_is_no_intake_yet(world, login):
    page = login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk])).content
    assert b"No intake yet" in page and b"start one" in page


def test_hank_drafts_through_every_step_on_his_own(world, login):
    client = login(world.hank)
    client.post(reverse("intake:start", kwargs={"pk": world.job.pk}), {"source": "blank"})
    for step in ["role", "requirements", "plan", "cadence", "review"]:
        response = client.get(
            reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": step})
        )
        assert response.status_code == 200, step
    assert IntakeVersion.objects.get().created_by == world.hank


def test_a_bad_step_shows_its_errors_and_saves_nothing(world, login):
    client = login(world.rita)
    client.post(reverse("intake:start", kwargs={"pk": world.job.pk}), {"source": "blank"})
    url = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "role"})
    response = client.post(url, {**ROLE, "compensation_min": "120000", "go": "next"})
    assert response.status_code == 400
    assert "must not be below its bottom" in response.content.decode()
    assert IntakeVersion.objects.get().compensation_min is None
    plan_url = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "plan"})
    response = client.post(
        plan_url, plan_post([{"name": "", "duration_minutes": 30, "focus": ["x"]}])
    )
    assert response.status_code == 400 and "Round 1 needs a name" in response.content.decode()
    cadence_url = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "cadence"})
    response = client.post(cadence_url, cadence_post(service_level_review_submission="abc"))
    assert response.status_code == 400
    assert (
        client.get(
            reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "nope"})
        ).status_code
        == 404
    )


def test_proposing_an_incomplete_draft_says_what_is_missing(world, login):
    client = login(world.rita)
    client.post(reverse("intake:start", kwargs={"pk": world.job.pk}), {"source": "blank"})
    review = client.get(reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "review"}))
    assert "Plan at least one interview round" in review.content.decode()
    response = client.post(reverse("intake:propose", kwargs={"pk": world.job.pk}), follow=True)
    assert "Not proposed yet" in response.content.decode()
    assert IntakeVersion.objects.get().status == IntakeStatus.DRAFT


def test_an_interviewer_cannot_open_a_draft(world, login, drafted):
    client = login(world.ivy)
    url = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "role"})
    assert client.get(url).status_code == 404
    assert client.post(reverse("intake:discard", kwargs={"pk": world.job.pk})).status_code == 404


def test_the_draft_can_be_discarded(world, login, drafted):
    url = reverse("intake:discard", kwargs={"pk": world.job.pk})
    login(world.rita).post(url, {"confirm": "yes"})
    assert not IntakeVersion.objects.exists()


def _review_discard_form(client, job) -> dict[str, str]:
    review = client.get(reverse("intake:draft-step", kwargs={"pk": job.pk, "step": "review"}))
    form = re.search(r"<form[^>]*intake-discard.*?</form>", review.content.decode(), re.S)
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(0)))


def test_discarding_asks_first_and_names_whose_draft_it_is(world, login, drafted):
    """Rita started the draft; Hank presses "Discard this draft…" on the review page: he is
    asked to confirm, told it is Rita's, and only the confirmation discards it."""
    client = login(world.hank)
    url = reverse("intake:discard", kwargs={"pk": world.job.pk})
    pressed = _review_discard_form(client, world.job)
    assert "confirm" not in pressed
    page = client.post(url, pressed)
    assert page.status_code == 200
    text = unescape(page.content.decode())
    assert "Discard the draft of version 1?" in text
    assert "This is Rita's draft, started" in text and "Discard Rita's draft" in text
    assert IntakeVersion.objects.filter(pk=drafted.pk).exists()
    confirmed = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.content.decode()))
    assert confirmed["confirm"] == "yes"
    client.post(url, confirmed)
    assert not IntakeVersion.objects.exists()


def test_ones_own_draft_is_called_yours(world, login, drafted):
    page = login(world.rita).post(reverse("intake:discard", kwargs={"pk": world.job.pk}))
    text = unescape(page.content.decode())
    assert "This is your draft, started" in text and "Discard your draft" in text
    assert IntakeVersion.objects.filter(pk=drafted.pk).exists()


def test_signing_twice_says_so_and_changes_nothing(world, login, signed):
    client = login(world.hank)
    response = client.post(
        reverse("intake:sign", kwargs={"pk": world.job.pk, "number": 1}), follow=True
    )
    assert "Nothing was signed" in response.content.decode()
    assert signed.signatures.count() == 2


def test_sign_is_post_only(world, login, proposed):
    url = reverse("intake:sign", kwargs={"pk": world.job.pk, "number": 1})
    assert login(world.hank).get(url).status_code == 405
    assert proposed.signatures.count() == 1


def test_the_summary_prints_and_is_sent_to_the_other_side(world, login, signed):
    client = login(world.rita)
    page = client.get(reverse("intake:summary", kwargs={"pk": world.job.pk})).content.decode()
    assert "intake agreement" in page and "Needs visa sponsorship" in page
    url = reverse("intake:send", kwargs={"pk": world.job.pk, "number": 1})
    client.post(url, {"recipient": world.hank.pk})
    assert Message.objects.filter(template="intake-summary", recipient=world.hank).exists()
    response = client.post(url, {"recipient": world.ivy.pk}, follow=True)
    assert "Nothing was sent" in response.content.decode()


def test_the_hms_pass_form_offers_the_must_haves_and_deal_breakers(world, login, signed):
    submission = application_submit(application=world.interviewed, by=world.rita, pitch="Good.")
    client = login(world.hank)
    page = client.get(reverse("pipeline:application-detail", args=[world.interviewed.pk]))
    html = page.content.decode()
    assert 'label="Misses a must-have"' in html and 'value="must:PostgreSQL"' in html
    assert 'value="deal:Needs visa sponsorship"' in html
    response = client.post(
        reverse("pipeline:submission-decide", args=[world.interviewed.pk]),
        {
            "submission": submission.pk,
            "decision": "passed",
            "reason": "must:PostgreSQL",
            "closeness": 2,
            "calibration_note": "No PostgreSQL.",
        },
    )
    assert response.status_code == 302
    citation = PassCitation.objects.get()
    assert (citation.kind, citation.criterion) == ("must_have", "PostgreSQL")
    decided = submission_current(application=world.interviewed)
    assert decided.pass_reason == "skills" and "PostgreSQL" in decided.decision_note


def test_the_job_form_hands_must_haves_and_service_levels_to_the_agreement(world, login, signed):
    client = login(world.rita)
    page = client.get(reverse("jobs:job-edit", args=[world.job.pk])).content.decode()
    assert "amend the intake" in page and 'name="must_haves"' not in page
    assert 'name="service_level_review_submission"' not in page
    data = {
        "title": "Backend Engineer II", "team": "Platform", "location": "", "headcount": 1,
        "status": "open", "recruiter": world.rita.pk, "hiring_manager": world.hank.pk,
        "must_haves": "Hacked", "service_level_review_submission": "9",
    }  # fmt: skip
    assert client.post(reverse("jobs:job-edit", args=[world.job.pk]), data).status_code == 302
    world.job.refresh_from_db()
    assert world.job.title == "Backend Engineer II"
    assert world.job.must_haves.startswith("Python") and world.job.service_levels == {
        "review_submission": 1
    }


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [(0, None, "from EUR 0"), (None, 90000, "up to EUR 90,000"), (0, 90000, "EUR 0–90,000")],
)
def test_a_range_with_an_open_end_or_a_zero_reads_on_every_page(
    world, login, signed, low, high, shown
):
    """Pay "from 0, no top" used to answer 500 on the review step, the version (and its diff
    against version 1), and the summary."""
    from closeloop.intake.services import intake_draft_save, intake_draft_start, intake_propose

    draft = intake_draft_start(job=world.job, by=world.rita, source="last")
    money = {"compensation_min": low, "compensation_max": high, "compensation_currency": "EUR"}
    intake_draft_save(version=draft, by=world.rita, step="role", data=money)
    client = login(world.rita)
    job = world.job.pk
    review = reverse("intake:draft-step", kwargs={"pk": job, "step": "review"})
    assert shown in client.get(review).content.decode()
    proposed = intake_propose(version=draft, by=world.rita)
    for url in (
        reverse("intake:version", kwargs={"pk": job, "number": proposed.number}),
        reverse("intake:version", kwargs={"pk": job, "number": 1}) + "?against=2",
        reverse("intake:summary", kwargs={"pk": job}) + "?version=2",
    ):
        response = client.get(url)
        assert response.status_code == 200 and shown in response.content.decode(), url


def test_a_top_of_zero_is_refused_with_a_clear_message(world, login):
    client = login(world.rita)
    client.post(reverse("intake:start", kwargs={"pk": world.job.pk}), {"source": "blank"})
    url = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "role"})
    response = client.post(url, {**ROLE, "compensation_min": "", "compensation_max": "0"})
    assert response.status_code == 400
    assert "Leave “Pay up to” empty for no top" in response.content.decode()
    assert IntakeVersion.objects.get().compensation_max is None


def test_the_summary_sent_twice_from_one_page_goes_once(world, login, signed):
    client = login(world.rita)
    page = client.get(reverse("intake:summary", kwargs={"pk": world.job.pk})).content.decode()
    receipt = re.search(r'name="receipt" value="([^"]+)"', page).group(1)
    url = reverse("intake:send", kwargs={"pk": world.job.pk, "number": 1})
    client.post(url, {"recipient": world.hank.pk, "receipt": receipt})
    again = client.post(url, {"recipient": world.hank.pk, "receipt": receipt}, follow=True)
    assert Message.objects.filter(template="intake-summary", recipient=world.hank).count() == 1
    assert "The summary was sent to Hank Manager already." in again.content.decode()


@pytest.mark.parametrize(
    ("persona", "said"),
    [
        ("ada", "Proposed version 1; Hank Manager and Rita Recruiter are asked to sign."),
        ("rita", "Proposed version 1; Hank Manager is asked to sign."),
    ],
)
def test_the_proposal_says_who_is_asked_to_sign_in_a_sentence(persona, said, world, login, drafted):
    client = login(getattr(world, persona))
    response = client.post(reverse("intake:propose", kwargs={"pk": world.job.pk}), follow=True)
    assert said in response.content.decode()


@pytest.mark.parametrize("typed", ["pounds", "£", "EU", "E1R", "XYZ", "abc", "XAU"])
def test_a_currency_that_is_not_three_letters_is_refused_not_cut(typed, world, login):
    client = login(world.rita)
    client.post(reverse("intake:start", kwargs={"pk": world.job.pk}), {"source": "blank"})
    url = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "role"})
    assert 'maxlength="3"' not in client.get(url).content.decode()  # no browser cuts it
    response = client.post(url, {**ROLE, "compensation_currency": typed, "go": "next"})
    assert response.status_code == 400
    assert "Use an ISO 4217 currency code such as GBP, EUR or USD." in response.content.decode()
    assert IntakeVersion.objects.get().compensation_currency == ""


def test_a_currency_code_is_stored_in_upper_case(world, login):
    client = login(world.rita)
    client.post(reverse("intake:start", kwargs={"pk": world.job.pk}), {"source": "blank"})
    url = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "role"})
    client.post(url, {**ROLE, "compensation_currency": " gbp ", "go": "next"})
    assert IntakeVersion.objects.get().compensation_currency == "GBP"
