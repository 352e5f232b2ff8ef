"""A brand-new organisation's home tells its people what to do first: the admin gets the
steps in order (invite the people, set one's calendar, open the first job, write its intake),
each a link, ticked off from the data, gone once the organisation runs; a recruiter with no
job yet gets the steps that are theirs. (Each test starts from an empty organisation: none
uses the shared world, which `test_first_steps_gone_once_running` reads.)"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import Invitation, User
from closeloop.accounts.selectors import CALENDAR_LABELS
from closeloop.accounts.services import FIELD_LABELS
from closeloop.intake.models import IntakeStatus, IntakeVersion
from closeloop.jobs.models import JobStatus
from closeloop.jobs.services import job_create
from closeloop.pipeline.first_steps import first_steps

QUEUE = reverse("pipeline:queue")
README = Path(__file__).resolve().parents[2] / "README.md"
ORDER = ["invite", "calendar", "job", "intake"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    """The only person of a fresh installation: the admin `closeloop createsuperuser` made."""
    return User.objects.create_superuser(
        "alice@acme.example", "first-admin-pass-42", full_name="Alice Admin"
    )


def person(email: str, name: str, **roles: bool) -> User:
    return User.objects.create_user(email, "x-unused-password-x", full_name=name, **roles)


def invited(email: str, by: User, **roles: bool) -> Invitation:
    """An open invitation, with plain ORM calls (the account stays inactive until accepted)."""
    user = User.objects.create_user(email, None, full_name="Ina Invited", is_active=False)
    return Invitation.objects.create(
        email=email,
        full_name="Ina Invited",
        user=user,
        invited_by=by,
        token_hash=email,
        expires_at=timezone.now() + dt.timedelta(days=7),
        **roles,
    )


def steps_of(user: User) -> dict[str, object]:
    return {step.key: step for step in first_steps(user=user)}


def section(html: str) -> str:
    start = html.index('id="first-steps"')
    return html[start : html.index("</section>", start)]


def test_a_new_organisations_admin_sees_the_first_steps_in_order_each_a_link(alice, login):
    html = login(alice).get(QUEUE).content.decode()
    steps = section(html)
    titles = [
        "Invite your recruiters and hiring managers",
        "Set your working calendar",
        "Open the first job",
        "Write the intake",
    ]
    at = [steps.index(title) for title in titles]
    assert at == sorted(at)
    assert f'href="{reverse("people:invite")}"' in steps
    assert f'href="{reverse("accounts:profile")}#calendar"' in steps
    assert f'href="{reverse("jobs:job-create")}"' in steps
    # The job form would offer no hiring manager: the page says why, and what comes first.
    assert "A job needs a hiring manager" in steps
    assert "Now: UTC, Mon–Fri 09:00–17:00, no public holidays" in steps
    assert "Done" not in steps and steps.count("Next") == 1
    assert steps.index("Next") < steps.index("Set your working calendar")
    # The old line sent her to a job form whose hiring-manager list was empty.
    assert "Open a job</a> to start a search" not in html


def test_each_step_is_ticked_off_from_the_data(alice, login):
    assert [key for key, step in steps_of(alice).items() if step.done] == []

    # Inviting a hiring manager is her part done, though the job form waits for him to join.
    invitation = invited("hank@acme.example", alice, is_hiring_manager=True)
    steps = steps_of(alice)
    assert steps["invite"].done and not steps["job"].done
    assert "1 invitation not accepted yet" in steps["invite"].note
    assert "A hiring manager is invited and has not joined yet" in steps["job"].note
    assert steps["calendar"].next

    alice.holiday_country, alice.time_zone = "GB", "Europe/London"
    alice.save()
    steps = steps_of(alice)
    assert steps["calendar"].done
    assert "public holidays of United Kingdom" in steps["calendar"].note
    # Nothing to take until he joins: the job form would offer nobody.
    assert steps["job"].waits and not any(step.next for step in steps.values())

    hank = invitation.user
    hank.is_active = hank.is_hiring_manager = True
    hank.save()
    assert steps_of(alice)["job"].next
    job = job_create(
        by=alice,
        data={
            "title": "First Engineer",
            "status": JobStatus.OPEN,
            "recruiter": alice,
            "hiring_manager": hank,
        },
    )
    steps = steps_of(alice)
    assert steps["job"].done and steps["job"].note == "First Engineer"
    intake = reverse("intake:overview", args=[job.pk])
    assert steps["intake"].next and steps["intake"].url == intake

    version = IntakeVersion.objects.create(job=job, number=1, title=job.title)
    assert "A draft is saved" in steps_of(alice)["intake"].note
    html = login(alice).get(QUEUE).content.decode()
    assert f'href="{intake}"' in section(html)

    # The intake proposed: every step is taken, and the list goes.
    IntakeVersion.objects.filter(pk=version.pk).update(status=IntakeStatus.PROPOSED)
    assert first_steps(user=alice) == []
    assert 'id="first-steps"' not in login(alice).get(QUEUE).content.decode()


def test_a_calendar_saved_on_the_profile_counts_as_set_without_a_holiday_country(alice, login):
    client = login(alice)
    profile = {
        "full_name": "Alice Admin",
        "time_zone": "Asia/Singapore",
        "work_days": ["0", "1", "2", "3", "4"],
        "work_start": "08:00",
        "work_end": "16:00",
        "notify_channel": "email",
        "batch_window_minutes": "120",
    }
    assert client.post(reverse("accounts:profile"), profile).status_code == 302
    assert steps_of(alice)["calendar"].done


def test_the_first_admins_first_sign_in_says_her_calendar_once(alice, client):
    """Her first steps list her calendar, with the link: the welcome above them says only
    welcome, not the calendar a second time."""
    page = client.post(
        reverse("accounts:login"),
        {"username": "alice@acme.example", "password": "first-admin-pass-42"},
        follow=True,
    )
    html = page.content.decode()
    assert "Welcome to Closeloop, Alice." in html and 'id="first-steps"' in html
    assert html.count("UTC, Mon–Fri 09:00–17:00, no public holidays.") == 1
    assert "Your working calendar:" not in html
    assert reverse("accounts:profile") + "#calendar" in html


def test_a_calendar_change_is_read_in_the_words_the_profile_records_it_in():
    calendar = ("time_zone", "work_days", "work_start", "work_end", "holiday_country")
    assert {FIELD_LABELS[name] for name in calendar} == CALENDAR_LABELS


def test_a_recruiter_with_no_job_is_told_what_comes_first(alice, login):
    rosa = person("rosa@acme.example", "Rosa Recruiter", is_recruiter=True)
    client = login(rosa)
    html = client.get(QUEUE).content.decode()
    steps = section(html)
    assert "Start your first search" in steps
    # No hiring manager has joined: the job cannot be opened yet, and she cannot invite.
    assert "Open your first job" in steps
    assert f'href="{reverse("jobs:job-create")}"' not in steps
    assert "ask your Closeloop admin to invite yours" in steps and "Waiting" in steps
    assert f'href="{reverse("people:invite")}"' not in steps
    assert "Open a job</a> to start a search" not in html

    person("hugo@acme.example", "Hugo Manager", is_hiring_manager=True)
    steps = section(client.get(QUEUE).content.decode())
    assert f'href="{reverse("jobs:job-create")}"' in steps
    assert "then write its intake" in steps


def test_a_recruiter_who_runs_a_job_has_no_first_steps(alice):
    rosa = person("rosa@acme.example", "Rosa Recruiter", is_recruiter=True)
    hugo = person("hugo@acme.example", "Hugo Manager", is_hiring_manager=True)
    job_create(
        by=rosa,
        data={
            "title": "Designer",
            "status": JobStatus.DRAFT,
            "recruiter": rosa,
            "hiring_manager": hugo,
        },
    )
    assert first_steps(user=rosa) == []
    assert first_steps(user=hugo) == []


def test_the_readme_lists_the_steps_the_home_shows_in_the_same_order(alice):
    deployment = README.read_text().split("## Production deployment", 1)[1].split("\n## ", 1)[0]
    assert "### First steps after installing" in deployment
    listed = deployment.split("### First steps after installing", 1)[1]
    said = re.findall(r"^\d+\. \*\*(.+?)\*\*", listed, re.MULTILINE)
    shown = [step.title for step in first_steps(user=alice)]
    assert len(said) == len(shown) and all(
        title.startswith(words) for words, title in zip(said, shown, strict=True)
    ), (said, shown)
