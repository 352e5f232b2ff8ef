"""A form as a browser would send it from a rendered page: two tabs opened on one page, each
saved later (the tests of saves from pages that are out of date, closeloop.lib.seen).

Imported by name (pytest puts tests/ on the path).
"""

from __future__ import annotations

from django.urls import reverse

from closeloop.jobs.services import job_edit_seen
from fuzz_routes import forms_of


def page_form(html: str, action: str | None = None) -> dict[str, list[str]]:
    """The fields of the page's form that posts to `action` (None: the page itself), as sent
    unchanged: `{name: [values]}` (the test client sends each value of a list)."""
    for form in forms_of(html):
        if form.method == "post" and form.action == action:
            return {name: list(values) for name, values in form.fields.items()}
    raise AssertionError(f"No form posts to {action or 'the page itself'}.")


def changed(fields: dict[str, list[str]], **values: str | list[str]) -> dict[str, list[str]]:
    """`fields` with some values changed (a list for several)."""
    out = dict(fields)
    for name, value in values.items():
        out[name] = value if isinstance(value, list) else [value]
    return out


def job_edit_post(client, job, **changes):
    """The job form as its page sends it for `job` (what the job holds now), with `changes`
    (say `status="filled"`, `ending_confirmed="on"`): the response."""
    data = {
        "title": job.title, "team": job.team, "location": job.location,
        "headcount": job.headcount, "status": job.status, "outcome": "",
        "recruiter": job.recruiter_id, "hiring_manager": job.hiring_manager_id,
        "interviewers": list(job.interviewers.values_list("pk", flat=True)),
        "must_haves": job.must_haves, "seen": job_edit_seen(job), **changes,
    }  # fmt: skip
    return client.post(reverse("jobs:job-edit", args=[job.pk]), data)
