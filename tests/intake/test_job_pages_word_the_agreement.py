"""The job's pages say what the agreement does and does not decide: service levels are
"agreed" only once an intake is in force, the intake panel says "no intake yet" once, and
the job form's "Must-haves and service levels" shows both."""

from __future__ import annotations

from django.urls import reverse


def _detail(client, job) -> str:
    return client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()


def test_levels_in_force_are_agreed_for_the_job(signed, world, login):
    html = _detail(login(world.rita), world.job)
    assert (
        "Review a submitted candidate: <strong>1 business day</strong> "
        '<span class="muted">· agreed for this job</span>'
    ) in html


def test_the_intake_panel_says_there_is_none_once(world, login):
    html = _detail(login(world.rita), world.job)
    panel = html.split('id="intake-heading"')[1].split("</section>")[0]
    assert "None yet" not in panel
    assert panel.count("No intake yet") == 1


def test_the_job_form_shows_the_service_levels_its_heading_names(signed, world, login):
    page = login(world.rita).get(reverse("jobs:job-edit", args=[world.job.pk]))
    fieldset = page.content.decode().split('id="service-levels"')[1].split("</fieldset>")[0]
    assert "Must-haves and service levels" in fieldset
    assert "<li>Python</li>" in fieldset
    assert "Review a submitted candidate: <strong>1 business day</strong>" in fieldset
