"""The permission filters read small sets from the user's side, never a join with DISTINCT.

Each "may the user see X" filter is a condition on X's own row (`job_id IN` the jobs on the
user's team, EXISTS an interview seat of the user): fetching one job, application, candidate,
interview or debrief is its primary key lookup plus a few index lookups, whatever the
organisation's size (docs/architecture.md#security-and-permissions). These tests pin that the
SQL has no DISTINCT and no multi-valued join in its outer query, and that the rule is still
exactly the one the joins used to express, on a world with every way of seeing something:
each team role, a job's interviewer list, an interview seat alone, a cancelled interview
(nothing of the candidate stays visible through it), two seats on one candidate.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from closeloop.interviews.models import Debrief, Interview, InterviewStatus
from closeloop.interviews.selectors import debrief_can_read, debrief_get, interview_get
from closeloop.jobs.models import Job, JobStatus, Stage
from closeloop.jobs.selectors import (
    job_get,
    job_list,
    job_list_with_counts,
    job_status_counts,
    stage_get,
    team_q,
    user_sees_everything,
)
from closeloop.jobs.services import job_create
from closeloop.pipeline.models import Application, Candidate
from closeloop.pipeline.selectors import (
    application_get,
    application_visible_q,
    candidate_applications,
    candidate_get,
    candidate_visible_many_q,
    candidate_visible_q,
)
from closeloop.pipeline.services import candidate_add

# --- The rule as the joins used to state it (the reference) ---------------------------------

# A panel sees its candidate through a live interview only (not a cancelled one).
LIVE = [InterviewStatus.SCHEDULED, InterviewStatus.COMPLETED]


def old_jobs(user) -> set[int]:
    if user_sees_everything(user):
        return set(Job.objects.values_list("pk", flat=True))
    panel = Q(
        applications__interviews__interviewers=user, applications__interviews__status__in=LIVE
    )
    rule = team_q(user) | Q(interviewers=user) | panel
    return set(Job.objects.filter(rule).distinct().values_list("pk", flat=True))


def old_applications(user) -> set[int]:
    if user_sees_everything(user):
        return set(Application.objects.values_list("pk", flat=True))
    rule = team_q(user, prefix="job__") | Q(
        interviews__interviewers=user, interviews__status__in=LIVE
    )
    return set(Application.objects.filter(rule).distinct().values_list("pk", flat=True))


def old_candidates(user) -> set[int]:
    seen = old_applications(user)
    return set(Application.objects.filter(pk__in=seen).values_list("candidate_id", flat=True))


def old_interviews(user) -> set[int]:
    if user_sees_everything(user):
        return set(Interview.objects.values_list("pk", flat=True))
    # Its own panel, while they sit on a live interview of the candidate.
    panel = Q(interviewers=user) & Q(
        application__interviews__interviewers=user, application__interviews__status__in=LIVE
    )
    rule = team_q(user, prefix="application__job__") | panel
    return set(Interview.objects.filter(rule).distinct().values_list("pk", flat=True))


def old_debriefs(user) -> set[int]:
    if user_sees_everything(user):
        return set(Debrief.objects.values_list("pk", flat=True))
    panel = (
        Interview.objects.filter(interviewers=user)
        .exclude(status=InterviewStatus.CANCELLED)
        .values_list("application_id", flat=True)
    )
    rule = team_q(user, prefix="application__job__") | Q(application_id__in=panel)
    return set(Debrief.objects.filter(rule).distinct().values_list("pk", flat=True))


def old_active_counts(user) -> dict[int, int]:
    """The jobs list's "active candidates" per job, as COUNT(DISTINCT) over the joins."""
    seen = (
        Q()
        if user_sees_everything(user)
        else (
            team_q(user)
            | Q(
                applications__interviews__interviewers=user,
                applications__interviews__status__in=LIVE,
            )
        )
    )
    active = Q(applications__status="active") & seen
    rows = Job.objects.filter(pk__in=old_jobs(user)).annotate(
        n=Count("applications", filter=active, distinct=True)
    )
    return {job.pk: job.n for job in rows}


# --- A world with every way of seeing something ---------------------------------------------


def _interview(application, *panel, status=InterviewStatus.SCHEDULED) -> Interview:
    start = timezone.now() + dt.timedelta(days=2)
    interview = Interview.objects.create(
        application=application,
        round_name="Panel",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        status=status,
    )
    interview.interviewers.add(*panel)
    return interview


def _debrief(application) -> Debrief:
    return Debrief.objects.create(
        application=application,
        round_name="Panel",
        opened_because="all_in",
        last_interview_ended_at=timezone.now(),
    )


@pytest.fixture
def people(world, django_user_model):
    """The personas, plus a coordinator, an escalation contact, an interviewer seen only
    through a job's interviewer list, and someone on no team at all; more jobs and
    interviews to see things through."""

    def make_user(email: str, name: str, **roles: bool):
        return django_user_model.objects.create_user(email, "not-used-1", full_name=name, **roles)

    cora = make_user("cora@example.com", "Cora Coordinator", is_recruiter=True)
    eli = make_user("eli@example.com", "Eli Escalation", is_hiring_manager=True)
    lou = make_user("lou@example.com", "Lou Listed", is_interviewer=True)
    nobody = make_user("nobody@example.com", "No Body", is_interviewer=True)
    world.other_job.coordinator = cora
    world.other_job.save()
    world.job.escalation_contact = eli
    world.job.save()
    design = job_create(
        by=world.ada,
        data={
            "title": "Design Lead",
            "status": JobStatus.OPEN,
            "recruiter": world.ada,
            "hiring_manager": world.olga,
        },
        interviewers=[lou],
    )
    dana = candidate_add(
        job=design, by=world.ada, data={"full_name": "Dana Designer", "email": "dana@c.example"}
    ).application
    # Ivy sits on two interviews of Carla (counted once) and on a cancelled one of Otto's
    # (she sees nothing of Otto's through it: his job, application, interview, debrief);
    # she is on no job's interviewer list for the other job or the design job.
    _interview(world.interviewed, world.ivy)
    _interview(world.other_application, world.ivy, status=InterviewStatus.CANCELLED)
    _interview(dana, lou)
    world.job.interviewers.remove(world.ivy)
    for application in (world.interviewed, world.other_application, dana):
        _debrief(application)
    return [
        world.rita,
        world.hank,
        world.ivy,
        world.olga,
        world.ada,
        cora,
        eli,
        lou,
        nobody,
    ]


def _fetched(fetch, pks) -> set[int]:
    seen = set()
    for pk in pks:
        try:
            fetch(pk)
        except Http404:
            continue
        seen.add(pk)
    return seen


def test_every_persona_sees_what_the_joins_let_them_see(world, people):
    all_jobs = list(Job.objects.values_list("pk", flat=True))
    all_applications = list(Application.objects.values_list("pk", flat=True))
    all_candidates = list(Candidate.objects.values_list("pk", flat=True))
    all_interviews = list(Interview.objects.values_list("pk", flat=True))
    all_debriefs = list(Debrief.objects.values_list("pk", flat=True))
    all_stages = list(Stage.objects.values_list("pk", "job_id"))
    for user in people:
        jobs = old_jobs(user)
        assert {job.pk for job in job_list(user=user)} == jobs, user
        assert _fetched(lambda pk, u=user: job_get(user=u, pk=pk), all_jobs) == jobs, user
        stages = {pk for pk, job_id in all_stages if job_id in jobs}
        seen_stages = _fetched(
            lambda pk, u=user: stage_get(user=u, pk=pk), [s for s, _ in all_stages]
        )
        assert seen_stages == stages, user
        statuses = Counter(Job.objects.filter(pk__in=jobs).values_list("status", flat=True))
        assert {k: v for k, v in job_status_counts(user=user).items() if v} == dict(statuses)

        applications = old_applications(user)
        listed = list(Application.objects.filter(application_visible_q(user)))
        assert len(listed) == len(applications) and {a.pk for a in listed} == applications
        fetched = _fetched(lambda pk, u=user: application_get(user=u, pk=pk), all_applications)
        assert fetched == applications, user

        candidates = old_candidates(user)
        listed_candidates = list(Candidate.objects.filter(candidate_visible_q(user)))
        assert len(listed_candidates) == len(candidates), user  # no duplicates
        # The same rule as sets read once, for a search's thousands of matches.
        many = Candidate.objects.filter(candidate_visible_many_q(user)).values_list("pk")
        assert {pk for (pk,) in many} == candidates, user
        fetched = _fetched(lambda pk, u=user: candidate_get(user=u, pk=pk), all_candidates)
        assert fetched == candidates, user
        for candidate in Candidate.objects.filter(pk__in=candidates):
            shown = {a.pk for a in candidate_applications(user=user, candidate=candidate)}
            assert shown == applications & set(candidate.applications.values_list("pk", flat=True))

        interviews = old_interviews(user)
        fetched = _fetched(lambda pk, u=user: interview_get(user=u, pk=pk), all_interviews)
        assert fetched == interviews, user

        debriefs = old_debriefs(user)
        fetched = _fetched(lambda pk, u=user: debrief_get(user=u, pk=pk), all_debriefs)
        assert fetched == debriefs, user
        readable = {d.pk for d in Debrief.objects.all() if debrief_can_read(user=user, debrief=d)}
        assert readable == debriefs, user

        counts = {job.pk: job.visible_active for job in job_list_with_counts(user=user)}
        assert counts == old_active_counts(user), user


def test_the_world_covers_each_way_of_seeing(world, people):
    """The comparison above means something: each persona sees a different, non-empty mix."""
    ivy, lou, nobody = world.ivy, people[7], people[8]
    assert old_jobs(ivy) == {world.job.pk}  # through interviews alone; Otto's was cancelled
    assert old_applications(ivy) == {world.interviewed.pk}
    cancelled = Interview.objects.get(application=world.other_application, interviewers=ivy)
    assert cancelled.pk not in old_interviews(ivy)
    assert old_debriefs(ivy) == set(
        Debrief.objects.filter(application=world.interviewed).values_list("pk", flat=True)
    )
    assert len(old_jobs(lou)) == 1 and len(old_applications(lou)) == 1
    assert old_jobs(nobody) == set() and old_applications(nobody) == set()
    assert Job.objects.filter(interviewers=lou).exists()
    assert old_active_counts(ivy)[world.job.pk] == 1  # two seats on Carla, one candidate


# --- The SQL: no DISTINCT, no join with the panels in the outer query -----------------------


def _outer(sql: str) -> str:
    """The statement without its parenthesised subqueries."""
    kept, depth, index = [], 0, 0
    while index < len(sql):
        if depth == 0 and re.match(r"\(\s*SELECT\b", sql[index:], re.IGNORECASE):
            depth = 1
            index += 1
            while depth:
                depth += {"(": 1, ")": -1}.get(sql[index], 0)
                index += 1
            kept.append("(…)")
            continue
        kept.append(sql[index])
        index += 1
    return "".join(kept)


def _sql_of(fetch) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        fetch()
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("persona", ["rita", "hank", "ivy"])
def test_fetching_one_row_has_no_distinct_and_no_panel_join(world, people, persona):
    user = getattr(world, persona)
    interview = Interview.objects.filter(application=world.interviewed).first()
    debrief = Debrief.objects.get(application=world.interviewed)
    stage = world.job.stages.first()
    fetches = {
        "job": lambda: job_get(user=user, pk=world.job.pk),
        "stage": lambda: stage_get(user=user, pk=stage.pk),
        "application": lambda: application_get(user=user, pk=world.interviewed.pk),
        "candidate": lambda: candidate_get(user=user, pk=world.interviewed.candidate_id),
        "interview": lambda: interview_get(user=user, pk=interview.pk),
        "debrief": lambda: debrief_get(user=user, pk=debrief.pk),
    }
    for name, fetch in fetches.items():
        statements = _sql_of(fetch)
        assert len(statements) == 1, name
        sql = statements[0]
        assert "DISTINCT" not in sql.upper(), name
        outer = _outer(sql)
        # The outer query reads the row and its single-valued relations only.
        assert "interviews_interview_interviewers" not in outer, (name, outer)
        assert "jobs_job_interviewers" not in outer, (name, outer)
        if name in ("job", "stage"):
            assert "pipeline_application" not in outer, (name, outer)


def test_the_jobs_list_counts_without_distinct(world, people):
    sql = str(job_list_with_counts(user=world.ivy).query)
    assert "DISTINCT" not in sql.upper()
    assert "interviews_interview_interviewers" not in _outer(sql)
    assert "pipeline_application" not in _outer(sql)
