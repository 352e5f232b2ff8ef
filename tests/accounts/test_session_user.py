"""A request reads its session and its user in one query, and every check Django makes on a
session still holds: logout, a changed password, an inactive or deleted person."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.accounts.middleware import SessionUserMiddleware
from closeloop.accounts.models import Session
from closeloop.accounts.sessions import session_user_id

QUEUE = reverse("pipeline:queue")


def _user_of(client):
    """The user a request with the client's cookies gets, and the queries it took."""
    request = RequestFactory().get("/")
    request.COOKIES = {key: morsel.value for key, morsel in client.cookies.items()}
    seen = {}

    def view(request):
        seen["pk"] = request.user.pk
        return HttpResponse()

    stack = SessionMiddleware(SessionUserMiddleware(view))
    with CaptureQueriesContext(connection) as queries:
        stack(request)
    return request.user, len(queries)


def test_the_session_and_its_user_cost_one_query(client, world):
    client.force_login(world.hank)
    user, queries = _user_of(client)
    assert user == world.hank
    assert queries == 1


def test_a_signed_out_visitor_costs_no_query(client, db):
    user, queries = _user_of(client)
    assert isinstance(user, AnonymousUser)
    assert queries == 0


def test_signing_in_stores_the_user_with_the_session_and_signing_out_removes_it(client, world):
    client.force_login(world.hank)
    row = Session.objects.get(session_key=client.session.session_key)
    assert row.user_id == world.hank.pk
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(pk=row.pk).exists()
    assert client.get(QUEUE).status_code == 302


def test_a_changed_password_ends_the_other_sessions(client, world):
    client.force_login(world.hank)
    world.hank.set_password("a brand new secret 123")
    world.hank.save()
    user, _ = _user_of(client)
    assert isinstance(user, AnonymousUser)


def test_an_inactive_person_is_signed_out(client, world):
    client.force_login(world.hank)
    type(world.hank).objects.filter(pk=world.hank.pk).update(is_active=False)
    user, _ = _user_of(client)
    assert isinstance(user, AnonymousUser)


def test_deleting_a_person_ends_their_sessions(client, world):
    person = type(world.hank).objects.create_user("gone@example.com", "x", full_name="Gone")
    client.force_login(person)
    key = client.session.session_key
    person.delete()
    assert not Session.objects.filter(session_key=key).exists()
    user, _ = _user_of(client)
    assert isinstance(user, AnonymousUser)


def test_the_session_data_decides_who_is_signed_in_not_the_column(client, world):
    """Should the column ever disagree with the signed data, the data wins (one more query)."""
    client.force_login(world.hank)
    Session.objects.filter(session_key=client.session.session_key).update(user=world.rita)
    user, queries = _user_of(client)
    assert user == world.hank
    assert queries == 2


def test_only_a_whole_number_is_taken_for_an_id():
    assert session_user_id({"_auth_user_id": "12"}) == 12
    for value in ("", "abc", "1²", "-3", "1.5", None):
        assert session_user_id({"_auth_user_id": value}) is None
    assert session_user_id({}) is None
