"""Helpers of the intake tests: POST data for the guided form's steps."""

from __future__ import annotations

import datetime as dt

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)

ROLE = {
    "title": "Backend Engineer",
    "team": "Platform",
    "location": "Berlin",
    "remote": "on",
    "headcount": "1",
    "compensation_min": "80000",
    "compensation_max": "100000",
    "compensation_currency": "eur",
    "target_fill_date": "2027-02-26",
    "target_start_date": "2027-04-01",
}
REQUIREMENTS = {
    "must_haves": "Python\nPostgreSQL\nOn-call experience",
    "nice_to_haves": "Go",
    "deal_breakers": "Needs visa sponsorship",
}


def plan_post(rounds: list[dict]) -> dict[str, str]:
    """The interview-plan step's POST: a formset with one row per round."""
    data = {
        "round-TOTAL_FORMS": str(len(rounds)),
        "round-INITIAL_FORMS": "0",
        "round-MIN_NUM_FORMS": "0",
        "round-MAX_NUM_FORMS": "10",
    }
    for index, step in enumerate(rounds):
        data[f"round-{index}-name"] = step.get("name", "")
        data[f"round-{index}-duration_minutes"] = str(step.get("duration_minutes", ""))
        data[f"round-{index}-focus"] = "\n".join(step.get("focus", []))
        data[f"round-{index}-ORDER"] = str(step.get("order", index + 1))
        if step.get("delete"):
            data[f"round-{index}-DELETE"] = "on"
        for pk in step.get("interviewers", []):
            data.setdefault(f"round-{index}-interviewers", [])
            data[f"round-{index}-interviewers"].append(str(pk))  # type: ignore[union-attr]
    return data


def cadence_post(**overrides: str) -> dict[str, str]:
    data = {
        "service_level_review_submission": "1",
        "service_level_submit_scorecard": "",
        "service_level_decide_after_debrief": "",
        "service_level_update_candidate": "",
        "touchbase_weekday": "1",
        "touchbase_time": "10:00",
        "touchbase_minutes": "30",
        "touchbase_time_zone": "Europe/Berlin",
        "escalation_contact": "",
        "notes": "",
    }
    return {**data, **overrides}


def add_candidate(job, by, name: str):
    from closeloop.pipeline.services import candidate_add

    email = f"{name.replace(' ', '.').lower()}@cand.example"
    return candidate_add(job=job, by=by, data={"full_name": name, "email": email}).application


def complete_draft(world):
    """rita's complete draft of version 1 (through the services, not proposed)."""
    from closeloop.intake.services import intake_draft_save, intake_draft_start

    version = intake_draft_start(job=world.job, by=world.rita)
    data = {
        "role": {**ROLE, "remote": True, "headcount": 1, "compensation_min": 80000,
                 "compensation_max": 100000, "compensation_currency": "EUR",
                 "target_fill_date": dt.date(2027, 2, 26),
                 "target_start_date": dt.date(2027, 4, 1)},
        "requirements": REQUIREMENTS,
        "plan": {"interview_plan": [
            {"name": "Technical", "duration_minutes": 60,
             "focus_attributes": ["Python", "PostgreSQL"], "interviewers": [world.ivy.pk]},
            {"name": "Team conversation", "duration_minutes": 45, "focus_attributes": [],
             "interviewers": [world.hank.pk]},
        ]},
        "cadence": {"service_levels": {"review_submission": 1}, "touchbase_weekday": 1,
                    "touchbase_time": dt.time(10), "touchbase_minutes": 30,
                    "touchbase_time_zone": "Europe/Berlin", "escalation_contact": None,
                    "notes": ""},
    }  # fmt: skip
    for step, values in data.items():
        version = intake_draft_save(version=version, by=world.rita, step=step, data=values)
    return version


def sign_everything(world):
    """Draft, propose and sign a complete version 1 for world.job (rita, then hank)."""
    from closeloop.intake.services import intake_propose, intake_sign

    version = complete_draft(world)
    intake_propose(version=version, by=world.rita)
    return intake_sign(version=version, by=world.hank)


def amend(version, by):
    """Change one term of a draft started from the last version: a copy of the version in
    force is not proposed."""
    from closeloop.intake.services import intake_draft_save

    return intake_draft_save(
        version=version, by=by, step="requirements", data={"nice_to_haves": "Go\nRust"}
    )
