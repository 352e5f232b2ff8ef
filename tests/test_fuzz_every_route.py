"""Every route of the project, fed hostile values in each query parameter and each form field,
as the person who uses it, an outsider and an anonymous visitor: never a server error.

The routes come from the URL resolver itself (a new page is fuzzed without being listed
here); each path parameter is filled with a real object of the right kind from the shared
world plus tests/editing_world.py (an agreed intake, an interview, a debrief, a touch-base, an
action item…). Form fields are read from the pages as rendered, so a new field is fuzzed too.
Every request runs in a savepoint rolled back afterwards: what one request changes (a
withdrawn candidate, a logged-out session) never hides a page from the next.

Which values: on SQLite the whole HOSTILE table; on PostgreSQL CORE, one value of each kind,
which holds every value whose fate depends on the database (ids past bigint, NUL bytes, a
very long string), without "²" (a digit only `int` reads). The rest of HOSTILE varies what a
parser in Python trips on, and Python parses the same whichever database is underneath
(`fuzz_routes.hostile_values`). The query parameters a page reads get each value all at once,
and each parameter alone gets EACH_NAME (the database's values, and on SQLite a digit `int`
rejects) and one more value in turn; each form field gets the first four of CORE (three on
PostgreSQL) and one more in turn.

The query-string and the form fuzz, the longest, each run in SHARDS tests, each over every
SHARDS-th route (each is one work unit of tests/conftest.py's scheduler, so they spread over
the workers). The pages' forms are crawled once per module for all the form shards.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import transaction
from django.http import QueryDict
from django.template.base import Template
from django.test import Client
from django.test.utils import _TestState
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

import editing_world
from closeloop.accounts.models import Invitation, User
from fuzz_routes import (
    HOSTILE_PATH_IDS,
    HOSTILE_SLUGS,
    HOSTILE_TOKENS,
    QUERY_NAMES,
    Form,
    Route,
    core_values,
    each_name_values,
    field_values,
    forms_of,
    hostile_values,
    routes,
)

# The shared world's moment and password (tests/conftest.py; a module named "conftest" cannot
# be imported by name here: pytest loads one per folder under that name).
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
PASSWORD = "correct-horse-battery"

# Routes that take no hostile input of ours: Django's own admin (not our code) and the
# favicon (a fixed file). Static files are not routed by the project.
SKIPPED_PREFIXES = ("admin:",)
SKIPPED = {"ops:favicon"}


@dataclass
class Fuzz:
    world: Any
    personas: dict[str, Any]
    kwargs: dict[str, dict[str, Any]]  # route name -> a real object's path parameters
    member: dict[str, str]  # route name -> the persona who uses it


# Who uses each page (rita, the recruiter, unless named here).
MEMBERS = {
    "pipeline:submission-decide": "hank", "pipeline:submission-question": "hank",
    "intake:sign": "hank", "interviews:interview-scorecard": "ivy",
    "interviews:debrief-decide": "hank", "touchbases:action-item-done": "hank",
    "pipeline:person-overdue": "ada", "followups:service-levels": "ada",
    "followups:office-closure-add": "ada", "followups:office-closure-delete": "ada",
    "notify:failed-deliveries": "ada", "notify:delivery-retry": "ada",
    "followups:ask-snooze": "hank", "notify:message-detail": "hank",
    "notify:message-html": "hank", "notify:message-read": "hank", "notify:inbox": "hank",
    "notify:inbox-read-all": "hank",
    "pipeline:candidate-erase": "ada", "pipeline:candidate-export": "ada",
    "pipeline:candidate-keep": "ada", "pipeline:retention": "ada",
    "insights:people": "ada", "insights:person-record": "rita",
    "insights:waits": "ada", "insights:wait-nudge": "ada",
    "partnership:surveys-checkin": "hank",
    "partnership:mentorship-accept": "hank", "partnership:mentorship-decline": "hank",
}  # fmt: skip
# People management (accounts/people_urls.py): the admin's pages.
PEOPLE_ROUTES = ("list", "invite", "roles", "calendar", "deactivate", "reactivate",
                 "invitation-send-again", "invitation-withdraw")  # fmt: skip
MEMBERS.update({f"people:{name}": "ada" for name in PEOPLE_ROUTES})


def _people_objects(world: Any) -> dict[str, dict[str, Any]]:
    """hank for the pages about a person; a pending invitation, and its invitee."""
    invited = User.objects.create_user("ina@example.com", None, full_name="Ina", is_active=False)
    invitation = Invitation.objects.create(
        email=invited.email, full_name="Ina", user=invited, is_interviewer=True,
        token_hash="0" * 64, expires_at=MONDAY_10 + dt.timedelta(days=7),
    )  # fmt: skip
    return {
        "people:invitation-send-again": {"pk": invitation.pk},
        "people:invitation-withdraw": {"pk": invitation.pk},
        "people:roles": {"pk": world.hank.pk},
        "people:calendar": {"pk": world.hank.pk},
        "people:deactivate": {"pk": world.hank.pk},
        "people:reactivate": {"pk": invited.pk},
    }


def _surveys_objects(world: Any) -> dict[str, dict[str, Any]]:
    """A closed job of rita's and hank's with its survey; a 30-day check-in open on Carla."""
    from closeloop.jobs.services import job_create, job_update
    from closeloop.partnership.surveys.models import QualityCheckin, SearchSurvey
    from closeloop.partnership.surveys.services import checkins_plan

    data = {"title": "Closed", "status": "open", "recruiter": world.rita,
            "hiring_manager": world.hank}  # fmt: skip
    closed = job_create(by=world.rita, data=data)
    # A month-long search (one closed within a day of opening, with nobody added, never ran:
    # no survey).
    closed.opened_at = MONDAY_10 - dt.timedelta(days=30)
    closed.save(update_fields=["opened_at"])
    job_update(job=closed, by=world.rita, data={"status": "closed", "outcome": "failed"})
    checkin = checkins_plan(application=world.interviewed)[0]
    QualityCheckin.objects.filter(pk=checkin.pk).update(opened_at=MONDAY_10)
    return {
        "partnership:surveys-survey": {"pk": SearchSurvey.objects.get(job=closed).pk},
        "partnership:surveys-checkin": {"pk": checkin.pk},
        "partnership:surveys-job-history": {"pk": closed.pk},
        "partnership:surveys-person-history": {"pk": world.hank.pk},
    }


def _mentorship_objects(world: Any) -> dict[str, dict[str, Any]]:
    """rita mentors hank: a goal, the first session and an action item for hank."""
    from closeloop.partnership.mentorship import services as mentoring

    pairing = mentoring.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.rita)
    pairing = mentoring.mentorship_accept(mentorship=pairing, by=world.hank)
    goal = mentoring.goal_add(mentorship=pairing, by=world.rita, text="Reviews in 2 days")
    session = pairing.sessions.get()
    item = mentoring.action_add(
        session=session, by=world.rita, owner=world.hank, description="Block time",
        due_on=dt.date(2026, 11, 27),
    )  # fmt: skip
    return {
        "partnership:mentorship-goal-reached": {"pk": goal.pk},
        "partnership:mentorship-session": {"pk": session.pk},
        "partnership:mentorship-session-notes": {"pk": session.pk},
        "partnership:mentorship-session-held": {"pk": session.pk},
        "partnership:mentorship-session-action-add": {"pk": session.pk},
        "partnership:mentorship-action": {"pk": item.pk},
        "partnership:mentorship-action-done": {"pk": item.pk},
        **{
            f"partnership:mentorship-{name}": {"pk": pairing.pk}
            for name in ("detail", "accept", "decline", "end", "goal-add", "schedule")
        },
    }


def _objects(world: Any) -> dict[str, dict[str, Any]]:
    """A real object for each route's path parameters (created here when the world has none)."""
    from closeloop.comments.selectors import comment_subject_of
    from closeloop.comments.services import comment_add
    from closeloop.followups.models import Ask, OfficeClosure
    from closeloop.intake.services import intake_draft_start
    from closeloop.notify.models import Delivery, DeliveryStatus, Message
    from closeloop.partnership.pulses.services import pulse_round_open
    from closeloop.pipeline.saved_views import saved_view_create
    from closeloop.pipeline.services import application_submit, submission_ask_question
    from closeloop.pipeline.tags import candidate_tag_add

    editing = editing_world.build(world)
    # A second, draft version of the agreement: the guided form's steps edit it.
    draft = intake_draft_start(job=world.job, by=world.rita)
    # Sam submitted to hank, who asks a question: a decision, a question and a review ask.
    submission = application_submit(application=world.sourced, by=world.rita, pitch="Strong.")
    question = submission_ask_question(submission=submission, by=world.hank, text="Visa?")
    ask = Ask.objects.filter(owner=world.hank, closed_at__isnull=True).first()
    message = Message.objects.filter(recipient=world.hank).first()
    if message is None:
        message = Message.objects.create(
            recipient=world.hank, template="fuzz", subject="Hello", body_text="Hello",
            message_id="fuzz@closeloop",
        )  # fmt: skip
    delivery = Delivery.objects.create(message=message, status=DeliveryStatus.FAILED)
    stage = world.job.stages.order_by("position")[1]
    application, job = world.interviewed, world.job
    # A tag on Carla and one of rita's saved views of the job's list.
    tag = candidate_tag_add(candidate=application.candidate, by=world.rita, name="python")
    saved = saved_view_create(
        owner=world.rita, job=job, name="Mine", query="view=list&move=me"
    ).view
    comment = comment_add(subject=comment_subject_of(job), by=world.rita, body="Fuzz @hank")
    pulse = pulse_round_open(job=job)  # rita (the recruiter) answers her side
    closure = OfficeClosure.objects.create(
        name="Offsite", first_day=dt.date(2027, 3, 1), last_day=dt.date(2027, 3, 1)
    )
    by_name: dict[str, dict[str, Any]] = {
        "pipeline:queue-list": {"slug": "waiting-on-you"},
        "pipeline:queue-job-group": {"job_pk": world.job.pk},
        "pipeline:person-overdue": {"pk": world.hank.pk},
        "pipeline:candidate-add": {"job_pk": job.pk},
        "pipeline:job-bulk": {"job_pk": job.pk},
        "pipeline:saved-view-create": {"job_pk": job.pk},
        "pipeline:saved-view-delete": {"pk": saved.pk},
        "pipeline:application-tag-remove": {"pk": application.pk, "tag_pk": tag.pk},
        "pipeline:question-answer": {"pk": question.pk},
        "followups:ask-snooze": {"pk": ask.pk},
        "followups:office-closure-delete": {"pk": closure.pk},
        "insights:wait-nudge": {"pk": ask.pk},
        "notify:message-detail": {"pk": message.pk},
        "notify:message-read": {"pk": message.pk},
        "notify:message-html": {"pk": message.pk},
        "notify:message-attachment": {"pk": message.pk, "index": 0},
        "notify:delivery-retry": {"pk": delivery.pk},
        "intake:draft-step": {"pk": job.pk, "step": "role"},
        "intake:version": {"pk": job.pk, "number": editing.agreement.number},
        "intake:sign": {"pk": job.pk, "number": editing.agreement.number},
        "intake:send": {"pk": job.pk, "number": draft.number},
        "pipeline:submission-decide": {"pk": world.sourced.pk},
        "pipeline:submission-question": {"pk": world.sourced.pk},
        "insights:person-record": {"pk": world.hank.pk},  # rita's hiring manager
        "insights:job-funnel": {"pk": job.pk},
        "interviews:job-interviews": {"pk": job.pk},
        "interviews:job-debriefs": {"pk": job.pk},
        "partnership:calibration-round": {"pk": job.pk},
        "partnership:calibration-person": {"pk": world.rita.pk},
        "partnership:pulse-job": {"pk": job.pk},
        "partnership:pulse-answer": {"pk": pulse.pk},
        "partnership:pulse-person": {"pk": world.rita.pk},
    }
    by_name.update(_people_objects(world))
    by_name.update(_surveys_objects(world))
    by_name.update(_mentorship_objects(world))
    by_prefix = [
        ("comments:candidate-", {"pk": application.candidate_id}),
        ("comments:application-", {"pk": application.pk}),
        ("comments:job-", {"pk": job.pk}),
        ("comments:touchbase-", {"pk": editing.touchbase.pk}),
        ("comments:comment-", {"pk": comment.pk}),
        ("pipeline:candidate-", {"pk": application.candidate_id}),
        ("pipeline:", {"pk": application.pk}),
        ("jobs:stage-", {"pk": stage.pk}),
        ("jobs:", {"pk": job.pk}),
        ("intake:", {"pk": job.pk}),
        ("interviews:interview-book", {"pk": application.pk}),
        ("interviews:interview-", {"pk": editing.interview.pk}),
        ("interviews:debrief-", {"pk": editing.debrief.pk}),
        ("touchbases:action-item-add", {"pk": editing.touchbase.pk}),
        ("touchbases:action-item", {"pk": editing.action_item.pk}),
        ("touchbases:job-", {"pk": job.pk}),
        ("touchbases:series-", {"pk": job.pk}),
        ("touchbases:", {"pk": editing.touchbase.pk}),
    ]
    kwargs: dict[str, dict[str, Any]] = {}
    for route in routes():
        if route.name in by_name:
            kwargs[route.name] = by_name[route.name]
            continue
        ints = [key for key, kind in route.converters.items() if kind == "IntConverter"]
        for prefix, values in by_prefix:
            if ints and route.name.startswith(prefix):
                kwargs[route.name] = values
                break
    return kwargs


@pytest.fixture(scope="module")
def fuzz(world_once, django_db_blocker) -> Fuzz:
    """The module's world (conftest builds it once, on the clock) and the extra objects, in
    the module's transaction."""
    assert world_once is not None, "the world is built once per module here (see conftest)"
    with django_db_blocker.unblock(), time_machine.travel(MONDAY_10, tick=False):
        kwargs = _objects(world_once)
        outsider = User.objects.create_user(
            "oscar@example.com", PASSWORD, full_name="Oscar Outsider", is_hiring_manager=True
        )
    w = world_once
    # olga coordinates the job and stands in for hank in tests/editing_world.py: the outsider
    # here is someone on no job at all.
    personas = {"rita": w.rita, "hank": w.hank, "ivy": w.ivy, "ada": w.ada, "outsider": outsider}
    return Fuzz(w, personas, kwargs, MEMBERS)


def _path(route: Route, fuzz: Fuzz, override: dict[str, str] | None = None) -> str | None:
    """The route's address with real objects (or `override`'s hostile values) in its path."""
    values: dict[str, Any] = {}
    for key, kind in route.converters.items():
        if kind == "IntConverter":
            values[key] = fuzz.kwargs.get(route.name, {}).get(key)
        elif kind == "SlugConverter":
            values[key] = fuzz.kwargs.get(route.name, {}).get(key, "x")
        else:
            values[key] = HOSTILE_TOKENS[0]  # tokens: never a real one
        if values[key] is None:
            return None
    values.update(override or {})
    try:
        return reverse(route.name, kwargs=values)
    except NoReverseMatch:  # a hostile value the converter would never route here
        return None


def fuzzed_routes() -> list[Route]:
    return [
        route
        for route in routes()
        if route.name and not route.name.startswith(SKIPPED_PREFIXES) and route.name not in SKIPPED
    ]


class Recorder:
    """Sends requests, each in a savepoint rolled back afterwards, and collects server errors."""

    def __init__(self, fuzz: Fuzz) -> None:
        self.fuzz = fuzz
        self.clients: dict[str, Client] = {}
        self.failures: list[str] = []
        self.sent = 0
        self.statuses: Counter[int] = Counter()

    def client(self, persona: str) -> Client:
        if persona not in self.clients:
            client = Client()
            if persona != "anonymous":
                client.force_login(self.fuzz.personas[persona])
            self.clients[persona] = client
        return self.clients[persona]

    def send(self, method: str, persona: str, path: str, data: dict, what: str) -> Any:
        client = self.client(persona)
        cookies = client.cookies
        client.cookies = type(cookies)(cookies)  # a logout or a password change keeps ours
        savepoint = transaction.savepoint()
        self.sent += 1
        try:
            response = getattr(client, method)(path, data)
        except Exception as error:  # the test client re-raises the view's exception
            self.failures.append(f"{method.upper()} {path} as {persona}, {what}: {error!r:.300}")
            return None
        finally:
            transaction.savepoint_rollback(savepoint)
            # Rolling back to a savepoint keeps it: released, each request's savepoint sits
            # where the last one did instead of one level deeper (thousands of nested
            # savepoints made every request slower than the one before, on both databases).
            transaction.savepoint_commit(savepoint)
            client.cookies = cookies
        self.statuses[response.status_code] += 1
        if response.status_code >= 500 and not self.expected(path, response.status_code):
            self.failures.append(
                f"{method.upper()} {path} as {persona}, {what}: {response.status_code}"
            )
        return response

    @staticmethod
    def expected(path: str, status: int) -> bool:
        """/readyz answers 503 by design while no worker has beaten (none runs in tests)."""
        return status == 503 and path == reverse("ops:readyz")

    def report(self) -> str:
        return (
            f"{len(self.failures)} server errors in {self.sent} requests ({self.statuses}):\n"
            + "\n".join(self.failures)
        )


def _personas(route: Route, fuzz: Fuzz) -> list[str]:
    return [fuzz.member.get(route.name, "rita"), "outsider", "anonymous"]


def _write_report(recorder: Recorder) -> None:
    # The full list, for a run with -s; the assertion message says the same.
    print(recorder.report())


def _short(value: str) -> str:
    return repr(value if len(value) < 40 else value[:10] + f"…({len(value)} chars)")


@contextmanager
def quiet() -> Iterator[None]:
    """4xx answers are expected by the thousand here; keep their warnings out of the log."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    # Thousands of pages are rendered and none of their templates or contexts is read: render
    # them as the server does, without the test runner's instrumentation (which copies every
    # context of every included template for `response.context`: a quarter of the time).
    instrumented = Template._render
    Template._render = _TestState.saved_data.template_render
    try:
        yield
    finally:
        Template._render = instrumented
        logger.setLevel(level)


@pytest.fixture
def quiet_requests() -> Iterator[None]:
    with quiet():
        yield


def _query_names(html: str) -> set[str]:
    """The fields of a page's GET forms (filters): query parameters its view reads."""
    return {name for form in forms_of(html) if form.method == "get" for name in form.names}


@contextmanager
def names_read() -> Iterator[set[str]]:
    """The query-string and form names a request's code reads (QueryDict lookups recorded)."""
    read: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__")}

    def recording(original: Any) -> Any:
        def lookup(self: QueryDict, key: str, *args: Any, **kwargs: Any) -> Any:
            read.add(key)
            return original(self, key, *args, **kwargs)

        return lookup

    for name, original in originals.items():
        setattr(QueryDict, name, recording(original))
    try:
        yield read
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


SHARDS = 6


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_query_string_is_a_server_error(shard, world, clock, fuzz, quiet_requests):
    recorder = Recorder(fuzz)
    hostile, core, each_name = hostile_values(), core_values(), each_name_values()
    shard_routes = fuzzed_routes()[shard::SHARDS]
    for route in shard_routes:
        path = _path(route, fuzz)
        if path is None:
            continue
        member = fuzz.member.get(route.name, "rita")
        # What this page reads, as its member sees it (the job board reads its sort, stage and
        # status only in its list view), and the fields of its filter forms.
        with names_read() as names:
            page = recorder.send("get", member, path, {}, "no query")
            recorder.send("get", member, path, {"view": "list"}, "view=list")
        if page is not None and page.get("Content-Type", "").startswith("text/html"):
            names |= _query_names(page.content.decode())
        names.discard("csrfmiddlewaretoken")
        for persona in _personas(route, fuzz):
            # Every usual name at once with a sample of values (a page that reads one we did
            # not see), then each name the page reads, one at a time, with every value.
            for value in core if persona == member else core[:3]:
                every = dict.fromkeys(QUERY_NAMES, value)
                recorder.send("get", persona, path, every, f"every usual name = {_short(value)}")
        # Every name the page reads at once, with every value (the list view's names too)…
        read = dict.fromkeys(sorted(names))
        for persona, values in ((member, hostile), ("outsider", core[:3])):
            for value in values if read else ():
                query = {**dict.fromkeys(read, value), "view": "list"}
                recorder.send("get", persona, path, query, f"each name read = {_short(value)}")
        # …and each one alone (a value refused early must not hide another name's parser):
        # the values every name gets and one more in turn from the rest of the table.
        rotation = [value for value in hostile if value not in each_name]
        for turn, name in enumerate(read):
            for value in [*each_name, rotation[turn % len(rotation)]]:
                query = {name: value, "view": "list"} if name != "view" else {name: value}
                recorder.send("get", member, path, query, f"{name}={_short(value)}")
    _write_report(recorder)
    assert not recorder.failures, recorder.report()
    # The pages themselves answered, not only the login redirect: the fuzz reached the views.
    assert recorder.statuses[200] > len(shard_routes), recorder.report()


def test_no_hostile_path_parameter_is_a_server_error(world, clock, fuzz, quiet_requests):
    recorder = Recorder(fuzz)
    for route in fuzzed_routes():
        for key, kind in route.converters.items():
            hostile = {"IntConverter": HOSTILE_PATH_IDS, "SlugConverter": HOSTILE_SLUGS}.get(
                kind, HOSTILE_TOKENS
            )
            for value in hostile:
                path = _path(route, fuzz, {key: value})
                if path is None:
                    continue
                for persona in _personas(route, fuzz):
                    for method in ("get", "post"):
                        recorder.send(method, persona, path, {}, f"{key}={_short(value)}")
    _write_report(recorder)
    assert not recorder.failures, recorder.report()


def _forms_by_route(recorder: Recorder, fuzz: Fuzz) -> dict[str, list[Form]]:
    """Every POST form on every page as its member sees it, by the route it posts to."""
    found: dict[str, list[Form]] = {}
    pages = [(route.name, _path(route, fuzz)) for route in fuzzed_routes()]
    # Sam's submission, where hank decides and asks, and rita answers.
    sam = reverse("pipeline:application-detail", args=[fuzz.world.sourced.pk])
    for name, path in [*pages, ("pipeline:application-detail", sam)]:
        if path is None:
            continue
        # Each side sees its own forms (ivy the scorecard, hank the decision, anonymous the
        # login).
        for persona in dict.fromkeys([fuzz.member.get(name, "rita"), "hank", "ivy", "anonymous"]):
            response = recorder.send("get", persona, path, {}, "crawl")
            if response is None or not response.get("Content-Type", "").startswith("text/html"):
                continue
            for form in forms_of(response.content.decode()):
                target = urlsplit(form.action).path if form.action else path
                if form.method != "post":
                    continue
                try:
                    match = resolve(target)
                except Resolver404:
                    continue
                found.setdefault(target, []).append(form)
                found.setdefault(f"name:{match.view_name}", []).append(form)
    return found


def _post_data(form: Form, name: str, value: str) -> dict[str, Any]:
    data: dict[str, Any] = {key: list(values) for key, values in form.fields.items()}
    if name in form.multiple:
        data[name] = [*data.get(name, []), value, value]
    else:
        data[name] = value
    return data


@dataclass
class Crawl:
    forms: dict[str, list[Form]]  # by the path they post to, and by "name:<route name>"
    failures: list[str]  # server errors met while crawling


@pytest.fixture(scope="module")
def crawl(fuzz, django_db_blocker) -> Crawl:
    """Every page's POST forms, crawled once per module (in its transaction, on the clock):
    each shard of the form fuzz needs the forms of every page, whichever route it posts."""
    recorder = Recorder(fuzz)
    with django_db_blocker.unblock(), time_machine.travel(MONDAY_10, tick=False), quiet():
        forms = _forms_by_route(recorder, fuzz)
    return Crawl(forms, recorder.failures)


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_form_post_is_a_server_error(shard, world, clock, fuzz, crawl, quiet_requests):
    recorder = Recorder(fuzz)
    recorder.failures.extend(crawl.failures)
    hostile, core, every_field = hostile_values(), core_values(), field_values()
    forms = crawl.forms
    shard_routes = fuzzed_routes()[shard::SHARDS]
    shard_forms = set()  # the keys of `forms` this shard posts to
    for route in shard_routes:
        path = _path(route, fuzz)
        if path is None:
            continue
        shard_forms |= {path, f"name:{route.name}"} & forms.keys()
        member = fuzz.member.get(route.name, "rita")
        probe = recorder.send("post", member, path, {}, "empty form")
        if probe is not None and probe.status_code == 405:
            continue  # a page that takes no POST
        # The forms that post here; a route whose form no page shows gets the usual names.
        route_forms = forms.get(path) or forms.get(f"name:{route.name}")
        if not route_forms:
            route_forms = [Form(None, "post", {}, list(QUERY_NAMES))]
        seen: set[tuple[str, ...]] = set()
        turn = itertools.count()
        rotation = [value for value in hostile if value not in every_field]
        for form in route_forms:
            signature = tuple(form.names)
            if signature in seen:
                continue
            seen.add(signature)
            for name in form.names:
                if name == "csrfmiddlewaretoken":
                    continue  # the test client does not check it
                # The values every field gets, and one more in turn from the rest.
                rotating = rotation[next(turn) % len(rotation)]
                for value in [*every_field, rotating]:
                    data = _post_data(form, name, value)
                    recorder.send("post", member, path, data, f"{name}={_short(value)}")
            # The outsider is refused before any field is read: every field hostile at once.
            data = {name: core[0] for name in form.names}
            recorder.send("post", "outsider", path, data, f"every field = {_short(core[0])}")
        recorder.send("post", "anonymous", path, {"page": "²"}, "anonymous")
    _write_report(recorder)
    assert not recorder.failures, recorder.report()
    # The forms read the hostile values and refused them (not only redirects and 405s).
    assert recorder.statuses[400] > len(shard_forms) // 2, recorder.report()


def test_the_fuzz_reaches_every_route(world, clock, fuzz):
    """A route left without a real object would be fuzzed only with a hostile path."""
    missing = [route.name for route in fuzzed_routes() if _path(route, fuzz) is None]
    assert not missing
