"""The admin's home page shows the organisation: overdue asks by person, escalations that
reached her, jobs at risk. Nobody else sees it."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.followups.models import Ask, AskStatus, Notice, Nudge
from closeloop.intake.selectors import fill_projection
from closeloop.jobs.models import Job, JobStatus, MoveOwner, StageKind
from closeloop.jobs.services import job_create
from closeloop.pipeline.models import Application, StageChange
from closeloop.pipeline.overview import (
    escalations_reaching,
    fill_date_projected,
    jobs_at_risk,
    org_overview,
    overdue_asks_of,
    overdue_by_person,
)
from closeloop.pipeline.selectors import applications_stale
from closeloop.pipeline.services import candidate_add

QUEUE = reverse("pipeline:queue")
DAY = dt.timedelta(days=1)
_subjects = itertools.count(1)


@pytest.fixture
def org(clock, world):
    """The shared world, built on the frozen Monday 23 Nov 2026 10:00 UTC."""
    return world


def make_user(email: str, name: str, **roles: bool) -> User:
    return User.objects.create_user(email, "x-long-enough-password", full_name=name, **roles)


def add_candidate(job, by, name: str, email: str = "") -> Application:
    email = email or name.lower().replace(" ", ".") + "@cand.example"
    return candidate_add(job=job, by=by, data={"full_name": name, "email": email}).application


def overdue_ask(owner, application, *, due_days_ago: float = 1, **fields) -> Ask:
    """An open ask on a candidate, due `due_days_ago` calendar days before now."""
    now = timezone.now()
    fields.setdefault("status", AskStatus.OPEN)
    return Ask.objects.create(
        kind="review_submission",
        subject=f"test:{next(_subjects)}",
        title=f"Review {application.candidate.full_name}",
        owner=owner,
        job=application.job,
        application=application,
        opened_at=now - dt.timedelta(days=due_days_ago + 2),
        due_at=now - dt.timedelta(days=due_days_ago),
        **fields,
    )


def escalate(ask: Ask, recipient, role: str, *, hours_ago: float = 1) -> Notice:
    at = timezone.now() - dt.timedelta(hours=hours_ago)
    nudge = Nudge.objects.create(
        ask=ask, step=ask.nudges.count(), kind="escalation", level=1, scheduled_at=at, created_at=at
    )
    return Notice.objects.create(nudge=nudge, recipient=recipient, role=role, created_at=at)


# --- Overdue asks by person -----------------------------------------------------------------


def test_overdue_asks_are_counted_per_person_most_first_with_the_oldest_in_business_time(org):
    now = timezone.now()
    for days in (3, 1, 1):  # due Friday 10:00 is one business day late on Monday 10:00
        overdue_ask(org.hank, org.sourced, due_days_ago=days)
    overdue_ask(org.rita, org.interviewed, due_days_ago=10)
    overdue_ask(org.ivy, org.interviewed, due_days_ago=-1)  # due tomorrow: not overdue
    overdue_ask(org.olga, org.other_application, status=AskStatus.DONE)  # answered

    rows, people, asks = overdue_by_person(user=org.ada, now=now)

    assert [(row.person, row.count) for row in rows] == [(org.hank, 3), (org.rita, 1)]
    assert (people, asks) == (2, 4)
    assert rows[0].oldest_due_at == now - 3 * DAY
    assert rows[0].oldest_overdue == "1 business day overdue"  # Fri 10:00 → Mon 10:00, UTC 9–17


def test_people_with_as_many_overdue_asks_are_ordered_by_their_oldest(org):
    overdue_ask(org.hank, org.sourced, due_days_ago=1)
    overdue_ask(org.rita, org.interviewed, due_days_ago=4)
    rows, _, _ = overdue_by_person(user=org.ada, now=timezone.now())
    assert [row.person for row in rows] == [org.rita, org.hank]


def test_the_list_stops_at_the_top_n_and_says_how_many_in_all(org):
    for n in range(7):
        person = make_user(f"late{n}@example.com", f"Late {n}", is_hiring_manager=True)
        overdue_ask(person, org.sourced, due_days_ago=1 + n)
    rows, people, asks = overdue_by_person(user=org.ada, now=timezone.now(), top=5)
    assert len(rows) == 5
    assert rows[0].person.full_name == "Late 6"  # the oldest first among equals
    assert (people, asks) == (7, 7)


def test_an_admin_sees_every_overdue_ask_of_one_person_oldest_first(org):
    newer = overdue_ask(org.hank, org.sourced, due_days_ago=1)
    older = overdue_ask(org.hank, org.interviewed, due_days_ago=5)
    overdue_ask(org.rita, org.interviewed, due_days_ago=2)
    page = overdue_asks_of(user=org.ada, person_pk=org.hank.pk)
    assert [row.ask for row in page.rows] == [older, newer]
    assert page.total == 2
    assert all(row.overdue for row in page.rows)


# --- Escalations -----------------------------------------------------------------------------


def test_escalations_list_open_asks_at_the_admin_rung_or_naming_her(org):
    admin_rung = overdue_ask(org.hank, org.sourced, due_days_ago=3, level=2)
    named = overdue_ask(org.olga, org.other_application, due_days_ago=1, level=1)
    reached = escalate(named, org.ada, "escalation", hours_ago=2)
    someone_else = overdue_ask(org.hank, org.interviewed, due_days_ago=2, level=1)
    escalate(someone_else, org.olga, "escalation")
    her_own = overdue_ask(org.ada, org.other_application, due_days_ago=2)
    escalate(her_own, org.ada, "owner")
    overdue_ask(org.hank, org.sourced, level=2, status=AskStatus.DONE)

    rows, total = escalations_reaching(user=org.ada, now=timezone.now())

    assert [row.ask for row in rows] == [admin_rung, named]  # the most overdue first
    assert total == 2
    assert rows[0].as_admin and not rows[1].as_admin
    assert rows[1].reached_at == reached.created_at
    assert rows[0].overdue == "1 business day overdue"
    assert rows[1].url == reverse("pipeline:application-detail", args=[org.other_application.pk])


def test_an_escalation_contacts_queue_lists_what_was_escalated_to_her(org, login):
    """Her reminder says "the rest are in your queue": they are, with who owes each. The
    admins' rung stays the admins' business."""
    named = overdue_ask(org.hank, org.sourced, due_days_ago=2, level=1)
    escalate(named, org.olga, "escalation")
    overdue_ask(org.hank, org.interviewed, due_days_ago=3, level=2)  # at the admins' rung
    rows, total = escalations_reaching(user=org.olga, now=timezone.now())
    assert ([row.ask for row in rows], total) == ([named], 1)
    html = login(org.olga).get(QUEUE).content.decode()
    listed = section(html, "org-escalations")
    assert f"{named.title}</a>" in listed and "Hank Manager</span> owes this" in listed
    assert "Escalated to you" in listed
    assert 'id="org-escalations"' not in login(org.rita).get(QUEUE).content.decode()


def test_an_escalation_held_for_someone_away_says_whom_it_covers(org, login):
    named = overdue_ask(org.olga, org.sourced, due_days_ago=2, level=1, original_owner=org.hank)
    escalate(named, org.ada, "escalation")
    listed = section(login(org.ada).get(QUEUE).content.decode(), "org-escalations")
    assert "Olga Outsider</span>, covering for Hank Manager, owes this" in listed


def test_whom_an_escalation_reached_opens_the_candidate_while_the_ask_is_open(org, login):
    """Olga, off the job's team, is told that Hank's review of Sam is late: the link in her
    queue and her message opens Sam (read only, with who owes what), and only while the ask
    is open; the job's other candidates stay closed to her."""
    named = overdue_ask(org.hank, org.sourced, due_days_ago=2, level=1)
    escalate(named, org.olga, "escalation")
    client = login(org.olga)
    page = reverse("pipeline:application-detail", args=[org.sourced.pk])
    html = client.get(page).content.decode()
    assert 'id="asks-title"' in html and f"Hank Manager</strong>: {named.title}" in html
    assert reverse("pipeline:application-reject", args=[org.sourced.pk]) not in html
    candidate = reverse("pipeline:candidate-detail", args=[org.sourced.candidate_id])
    assert client.get(candidate).status_code == 200
    other = reverse("pipeline:application-detail", args=[org.interviewed.pk])
    assert client.get(other).status_code == 404
    Ask.objects.filter(pk=named.pk).update(status=AskStatus.DONE)
    assert client.get(page).status_code == 404
    assert client.get(candidate).status_code == 404


ESCALATIONS = reverse("pipeline:queue-escalations")


def test_every_escalation_that_reached_her_is_a_see_all_away(org, login):
    """Sofia's queue showed "Showing the 5 most overdue of 14." and nothing more, while her
    reminder said the rest were in her queue: the section links to pages of every one."""
    asks = [overdue_ask(org.hank, org.sourced, due_days_ago=n + 1, level=1) for n in range(55)][
        ::-1
    ]  # the most overdue first
    for ask in asks:
        escalate(ask, org.olga, "escalation")
    client = login(org.olga)
    listed = section(client.get(QUEUE).content.decode(), "org-escalations")
    assert "Showing the 5 most overdue of 55." in listed
    assert f'<a href="{ESCALATIONS}">See all 55</a>' in listed

    first = client.get(ESCALATIONS)
    assert first.status_code == 200
    assert [row.ask for row in first.context["listing"].rows] == asks[:50]
    html = first.content.decode()
    assert "Escalations that reached you" in html and "Hank Manager</span> owes this" in html
    assert 'href="?page=2"' in html
    second = client.get(ESCALATIONS + "?page=2").context["listing"]
    assert [row.ask for row in second.rows] == asks[50:]
    assert second.page.paginator.count == 55


def test_the_escalations_page_follows_the_overview_s_rules(org, login):
    """An admin reads every ask at the admins' rung and those naming her, as her overview
    counts them; anyone else only what named them; someone nothing reached, nothing."""
    admin_rung = overdue_ask(org.hank, org.sourced, due_days_ago=3, level=2)
    named = overdue_ask(org.olga, org.other_application, due_days_ago=1, level=1)
    escalate(named, org.ada, "escalation")
    for_olga = overdue_ask(org.hank, org.interviewed, due_days_ago=2, level=1)
    escalate(for_olga, org.olga, "escalation")
    overdue_ask(org.hank, org.sourced, level=2, status=AskStatus.DONE)
    for n in range(5):  # more than the overview shows
        overdue_ask(org.rita, org.interviewed, due_days_ago=4 + n, level=2)
    client = login(org.ada)
    overview = section(client.get(QUEUE).content.decode(), "org-escalations")
    assert f'<a href="{ESCALATIONS}">See all 7</a>' in overview
    listing = client.get(ESCALATIONS).context["listing"]
    rows, total = escalations_reaching(user=org.ada, now=timezone.now(), top=50)
    assert [row.ask for row in listing.rows] == [row.ask for row in rows]
    shown = [row.ask for row in rows]
    assert total == 7 and admin_rung in shown and named in shown and for_olga not in shown
    assert [row.ask for row in login(org.olga).get(ESCALATIONS).context["listing"].rows] == [
        for_olga
    ]
    nothing = login(org.rita).get(ESCALATIONS)
    assert nothing.status_code == 200 and nothing.context["listing"].rows == []
    assert "No open escalation has reached you." in nothing.content.decode()


def test_a_row_says_how_the_escalation_reached_this_reader(org, login):
    """Sofia is named by the escalation; at the admins' rung the ask is the admins' too,
    but it reached her as the one it named, not as an admin. Ada reads it as an admin."""
    ask = overdue_ask(org.hank, org.sourced, due_days_ago=3, level=2)
    escalate(ask, org.olga, "escalation", hours_ago=20)
    escalate(ask, org.olga, "escalation", hours_ago=2)  # the admins' rung names her again
    escalate(ask, org.ada, "admin", hours_ago=2)
    [olgas] = escalations_reaching(user=org.olga, now=timezone.now())[0]
    [adas] = escalations_reaching(user=org.ada, now=timezone.now())[0]
    assert not olgas.as_admin and olgas.admins_too
    assert adas.as_admin and not adas.admins_too
    for person, words, not_words in (
        (org.olga, "Escalated to you, then to the admins", "Escalated to the admins"),
        (org.ada, "Escalated to the admins", "Escalated to you"),
    ):
        client = login(person)
        for page in (QUEUE, ESCALATIONS):
            html = client.get(page).content.decode()
            listed = html[html.index("queue-where", html.index(ask.title)) :]
            listed = listed[: listed.index("</span>")]
            assert words in listed and not_words not in listed.replace(words, "")


def test_the_escalations_page_makes_as_many_queries_for_fifty_rows_as_for_one(org, login):
    client = login(org.olga)
    escalate(overdue_ask(org.hank, org.sourced, level=1), org.olga, "escalation")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ESCALATIONS).status_code == 200
        return len(queries)

    one = count()
    applications = [org.sourced, org.interviewed, org.other_application]
    for n in range(49):
        ask = overdue_ask(org.hank, applications[n % 3], due_days_ago=1 + n % 5, level=1 + n % 2)
        escalate(ask, org.olga, "escalation")
    assert count() == one


# --- Jobs at risk ----------------------------------------------------------------------------


def new_job(org, title: str, **data):
    job = job_create(
        by=org.rita,
        data={
            "title": title,
            "status": JobStatus.OPEN,
            "recruiter": org.rita,
            "hiring_manager": org.hank,
            **data,
        },
    )
    return job


def test_jobs_at_risk_say_why_worst_first_and_leave_healthy_and_paused_jobs_out(org):
    now = timezone.now()
    # The world's Backend Engineer: an overdue review and a candidate stuck for ten days.
    overdue_ask(org.hank, org.sourced, due_days_ago=2)
    Application.objects.filter(pk=org.sourced.pk).update(next_move_since=now - 10 * DAY)
    # Far behind its target: two hires to make at one offer in eight weeks.
    slow = new_job(org, "Slow Search", headcount=2, target_fill_date=(now + 28 * DAY).date())
    offered = add_candidate(slow, org.rita, "Olivia Offer")
    StageChange.objects.create(
        application=offered, to_stage=slow.stages.get(kind=StageKind.OFFER), at=now - 7 * DAY
    )
    # Nothing moved for three weeks.
    still = new_job(org, "Still Waters")
    stuck = add_candidate(still, org.rita, "Stan Still", email="stan@cand.example")
    StageChange.objects.filter(application__job=still).update(at=now - 21 * DAY)
    Application.objects.filter(pk=stuck.pk).update(next_move_since=now - 2 * DAY)
    # On hold: paused on purpose, never at risk. Data Analyst (the world's) is healthy.
    paused = new_job(org, "Paused Role", status=JobStatus.ON_HOLD)
    overdue_ask(org.hank, add_candidate(paused, org.rita, "Pat Paused"), due_days_ago=3)

    risks, total = jobs_at_risk(user=org.ada, now=now)

    assert [risk.job.title for risk in risks] == ["Backend Engineer", "Slow Search", "Still Waters"]
    assert total == 3
    backend, slow_risk, still_risk = (risk.reasons for risk in risks)
    assert backend == [
        "1 overdue ask on candidates (the oldest due Sat 21 Nov 10:00)",
        "1 candidate waiting 7+ days for a move (the longest 10 days)",
    ]
    assert slow_risk == ["Projected to fill Mon 15 Mar 2027, after the target Mon 21 Dec 2026"]
    assert still_risk == ["Stalled: no candidate moved in 21 days"]


def test_a_job_at_risk_counts_the_candidates_my_queue_flags_stale_by_its_clock(org):
    """The queue's clock: a decision owed since the ask opened (not since the move was
    recorded), and nothing late while an interview is still to come."""
    now = timezone.now()
    Application.objects.filter(pk=org.sourced.pk).update(
        next_move_owner=org.hank, next_move_since=now - DAY
    )
    overdue_ask(org.hank, org.sourced, due_days_ago=7)  # asked nine days ago
    interviewing = org.job.stages.filter(move_owner=MoveOwner.INTERVIEWERS).first()
    Application.objects.filter(pk=org.interviewed.pk).update(
        stage=interviewing, next_move_owner=org.ivy, next_move_since=now - 10 * DAY
    )  # her interview is tomorrow
    backend = next(risk for risk in jobs_at_risk(user=org.ada, now=now)[0] if risk.job == org.job)
    stale = applications_stale(applications=Application.objects.filter(job=org.job), now=now)
    assert [item.application for item in stale] == [org.sourced]
    assert backend.stale == 1
    assert "1 candidate waiting 7+ days for a move (the longest 9 days)" in backend.reasons


def test_no_offers_with_the_target_near_or_past_is_a_risk_and_a_filled_headcount_is_not(org):
    now = timezone.now()
    near = new_job(org, "Near Target", target_fill_date=(now + 20 * DAY).date())
    add_candidate(near, org.rita, "Nora Near")
    far = new_job(org, "Far Target", target_fill_date=(now + 100 * DAY).date())
    add_candidate(far, org.rita, "Fay Far")
    risks, _ = jobs_at_risk(user=org.ada, now=now)
    reasons = {risk.job.title: risk.reasons for risk in risks}
    assert reasons["Near Target"] == [
        "No offers in 8 weeks and the target fill date is Sun 13 Dec 2026"
    ]
    assert "Far Target" not in reasons


def test_a_job_past_its_target_ranks_first_and_says_how_many_days_it_missed_by(org):
    """Missing the target outranks any number of lesser reasons, and the line says the target
    has passed rather than projecting a fill 'after' it."""
    now = timezone.now()  # Mon 23 Nov 2026
    for title in ("Asked Once", "Asked Twice"):
        job = new_job(org, title)
        overdue_ask(org.hank, add_candidate(job, org.rita, f"Cal {title}"), due_days_ago=2)
        StageChange.objects.filter(application__job=job).update(at=now - 20 * DAY)
    late = new_job(org, "Account Executive, DACH", headcount=2)
    Job.objects.filter(pk=late.pk).update(target_fill_date=(now - 11 * DAY).date())
    offered = add_candidate(late, org.rita, "Olga Offer")
    StageChange.objects.create(
        application=offered, to_stage=late.stages.get(kind=StageKind.OFFER), at=now - 2 * DAY
    )
    silent = new_job(org, "Silent Role")
    Job.objects.filter(pk=silent.pk).update(target_fill_date=(now - 3 * DAY).date())
    add_candidate(silent, org.rita, "Sam Silent")

    risks, total = jobs_at_risk(user=org.ada, now=now, top=2)

    assert [risk.job.title for risk in risks] == ["Account Executive, DACH", "Silent Role"]
    assert total >= 4
    assert risks[0].reasons == [
        "11 days past its target of Thu 12 Nov 2026; projected to fill Mon 15 Mar 2027"
    ]
    assert risks[1].reasons == [
        "3 days past its target of Fri 20 Nov 2026, with no offers in 8 weeks"
    ]


def test_the_projection_matches_the_intake_drift_watch(org):
    job = new_job(org, "Two Hires", headcount=3, target_fill_date=(timezone.now() + DAY).date())
    offer = job.stages.get(kind=StageKind.OFFER)
    for name in ("Ann One", "Bob Two"):
        application = add_candidate(job, org.rita, name)
        StageChange.objects.create(application=application, to_stage=offer)
    today = timezone.localdate()
    ours = fill_date_projected(headcount=3, hired=0, offers=2, today=today)
    assert ours == fill_projection(job=job, today=today).projected
    risk = jobs_at_risk(user=org.ada, now=timezone.now())[0]
    assert any(f"Projected to fill {ours:%a %d %b %Y}" in r for r in risk[0].reasons)


# --- Only admins -----------------------------------------------------------------------------


def test_nobody_but_an_admin_gets_the_overview(org):
    overdue_ask(org.hank, org.sourced, level=2)
    org.rita.sees_all_jobs = True  # sees every job, still not an admin
    org.rita.save()
    now = timezone.now()
    for person in (org.rita, org.hank, org.ivy, org.olga):
        assert org_overview(user=person) is None
        assert overdue_by_person(user=person, now=now) == ([], 0, 0)
        assert escalations_reaching(user=person, now=now) == ([], 0)
        assert jobs_at_risk(user=person, now=now) == ([], 0)
        with pytest.raises(Http404):
            overdue_asks_of(user=person, person_pk=org.hank.pk)
    assert org_overview(user=org.ada).overdue_asks_total == 1


# --- The home page ---------------------------------------------------------------------------


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.find("</section>", start)]


def test_ada_sees_the_organisation_on_her_home_page(org, login):
    overdue_ask(org.hank, org.sourced, due_days_ago=3, level=2)
    html = login(org.ada).get(QUEUE).content.decode()
    people = section(html, "org-overdue")
    assert "Hank Manager" in people
    assert reverse("pipeline:person-overdue", args=[org.hank.pk]) in people
    assert "Review Sam Sourced" in section(html, "org-escalations")
    assert "Backend Engineer" in section(html, "org-risk")


def test_ada_still_sees_the_asks_she_owes_herself(org, login):
    Ask.objects.create(
        kind="sign_intake",
        subject="test:ada-signs",
        title="Sign the intake for Data Analyst",
        owner=org.ada,
        job=org.other_job,
        due_at=timezone.now() - DAY,
    )
    html = login(org.ada).get(QUEUE).content.decode()
    assert "Sign the intake for Data Analyst" in section(html, "asks-mine")
    assert "owe 1 overdue ask" in section(html, "org-overdue")


def test_rita_never_sees_the_organisation_even_when_she_sees_every_job(org, login):
    overdue_ask(org.hank, org.sourced, level=2)
    org.rita.sees_all_jobs = True
    org.rita.save()
    client = login(org.rita)
    html = client.get(QUEUE).content.decode()
    assert 'id="org-overview"' not in html
    assert client.get(reverse("pipeline:person-overdue", args=[org.hank.pk])).status_code == 404


def test_the_person_page_lists_their_overdue_asks_for_ada(org, login):
    overdue_ask(org.hank, org.sourced, due_days_ago=3)
    html = login(org.ada).get(reverse("pipeline:person-overdue", args=[org.hank.pk]))
    assert html.status_code == 200
    body = html.content.decode()
    assert "Hank Manager" in body
    assert "Review Sam Sourced" in body
    assert "1 business day overdue" in body


def test_an_unknown_person_answers_404(org, login):
    assert login(org.ada).get(reverse("pipeline:person-overdue", args=[99999])).status_code == 404


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


def test_the_home_page_makes_as_many_queries_for_fifty_overdue_asks_as_for_one(org, login):
    client = login(org.ada)
    # About the candidate of Ada's job: listed on its own among the asks others owe her, as
    # some of the fifty are (a list with none to show reads no rows).
    first = overdue_ask(org.olga, org.other_application, due_days_ago=2, level=2)
    escalate(first, org.ada, "admin")
    one = _home_queries(client)
    people = [org.hank, org.rita, org.olga] + [
        make_user(f"p{n}@example.com", f"Person {n}", is_hiring_manager=True) for n in range(5)
    ]
    applications = [org.sourced, org.interviewed, org.other_application]
    for n in range(49):
        ask = overdue_ask(people[n % 8], applications[n % 3], due_days_ago=1 + n % 5, level=n % 3)
        if n % 2:
            escalate(ask, org.ada, "escalation")
    assert Ask.objects.filter(due_at__lte=timezone.now(), status=AskStatus.OPEN).count() == 50
    assert _home_queries(client) == one


def test_ada_reads_her_own_overdue_asks_in_the_overview_as_yours(org, login):
    """Ada's own row says "You owe 2 overdue asks" (Hank's keeps his name), and her own
    person page and escalated asks speak to her too."""
    overdue_ask(org.ada, org.sourced, due_days_ago=3)
    mine = overdue_ask(org.ada, org.sourced, due_days_ago=2)
    overdue_ask(org.hank, org.sourced, due_days_ago=3)
    escalate(mine, org.ada, "admin")
    client = login(org.ada)
    html = " ".join(client.get(QUEUE).content.decode().split())
    people = section(html, "org-overdue")
    assert '">You</a> <span class="queue-where">owe 2 overdue asks</span>' in people
    assert '">Hank Manager</a> <span class="queue-where">owes 1 overdue ask</span>' in people
    assert "Ada Admin" not in people
    assert '<span class="queue-owner">You</span> owe this' in section(html, "org-escalations")
    page = client.get(reverse("pipeline:person-overdue", args=[org.ada.pk])).content.decode()
    page = " ".join(page.split())
    assert "<h1>Your overdue asks</h1>" in page and "in your business time" in page
    assert '<span class="queue-owner">You</span> owe this' in page
    assert "Ada Admin" not in page.split("<main")[1]
    hanks = client.get(reverse("pipeline:person-overdue", args=[org.hank.pk])).content.decode()
    assert "Hank Manager: overdue asks" in hanks and "Hank Manager</span> owes this" in hanks
