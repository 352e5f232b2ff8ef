"""The partnership pulse cadence is a term of the agreement: chosen on the cadence step,
shown and diffed on the version page, kept by an amendment, every 2 weeks by default."""

from __future__ import annotations

from django.urls import reverse
from intake_helpers import cadence_post

from closeloop.intake.models import IntakeVersion
from closeloop.intake.selectors import pulse_weeks_in_force, version_diff
from closeloop.intake.services import intake_draft_start, intake_propose, intake_sign


def _cadence_url(job):
    return reverse("intake:draft-step", kwargs={"pk": job.pk, "step": "cadence"})


def test_a_job_without_an_agreement_pulses_every_two_weeks(world):
    assert pulse_weeks_in_force(job_ids=[world.job.pk]) == {world.job.pk: 2}


def test_the_cadence_step_stores_the_pulse_and_refuses_a_made_up_one(world, login, drafted):
    client = login(world.rita)
    refused = client.post(_cadence_url(world.job), cadence_post(pulse_weeks="3"))
    assert refused.status_code == 400
    assert IntakeVersion.objects.get(pk=drafted.pk).pulse_weeks == 2
    client.post(_cadence_url(world.job), cadence_post(pulse_weeks="4"))
    assert IntakeVersion.objects.get(pk=drafted.pk).pulse_weeks == 4
    page = client.get(reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "cadence"}))
    assert "Partnership pulse" in page.content.decode()


def test_signing_puts_the_cadence_in_force_and_an_amendment_diffs_it(world, drafted):
    drafted.pulse_weeks = 1
    drafted.save()
    signed = intake_sign(version=intake_propose(version=drafted, by=world.rita), by=world.hank)
    assert pulse_weeks_in_force(job_ids=[world.job.pk]) == {world.job.pk: 1}
    amendment = intake_draft_start(job=world.job, by=world.rita, source="blank")
    assert amendment.pulse_weeks == 1  # a blank draft keeps the cadence in force
    amendment.pulse_weeks = 0
    rows = {row.key: row for row in version_diff(old=signed, new=amendment)}
    assert [i.text for i in rows["pulse"].old] == ["Every week"]
    assert [i.text for i in rows["pulse"].new] == ["No pulses"]
    assert rows["pulse"].changed
