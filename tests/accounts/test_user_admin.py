"""The Django admin for people: list with role filters, search, add with a password, edit."""

from __future__ import annotations

from django.urls import reverse

from closeloop.accounts.models import User
from closeloop.followups.models import WorkerHeartbeat

CHANGELIST = reverse("admin:accounts_user_changelist")


def test_ada_lists_people_with_role_filters(world, login):
    response = login(world.ada).get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "hank@example.com" in html
    for flag in ("is_recruiter", "is_hiring_manager", "is_interviewer", "is_admin"):
        assert f"{flag}__exact" in html


def test_the_role_filter_narrows_the_list(world, login):
    response = login(world.ada).get(CHANGELIST, {"is_hiring_manager__exact": "1"})
    people = {user.email for user in response.context["cl"].result_list}
    assert people == {"hank@example.com", "olga@example.com"}


def test_ada_searches_people_by_name(world, login):
    response = login(world.ada).get(CHANGELIST, {"q": "rita"})
    assert [user.email for user in response.context["cl"].result_list] == ["rita@example.com"]


def test_ada_adds_a_person_with_a_password_and_roles(world, login):
    client = login(world.ada)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Nina@Example.com",
            "full_name": "Nina New",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "is_recruiter": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    nina = User.objects.get(email="nina@example.com")
    assert nina.check_password("a-long-enough-passphrase")
    assert nina.is_recruiter and not nina.is_admin


def test_a_duplicate_email_is_refused(world, login):
    response = login(world.ada).post(
        reverse("admin:accounts_user_add"),
        {"email": "hank@example.com", "full_name": "Another Hank", "usable_password": "false"},
    )
    assert response.status_code == 200
    assert User.objects.filter(email="hank@example.com").count() == 1


def _hanks_form(client, url, **changes):
    """Hank's change form as the admin page fills it, with `changes`."""
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "groups", "user_permissions")
    }
    data.update(
        work_days="[0, 1, 2, 3, 4]", work_start="09:00", work_end="17:00",
    )  # fmt: skip
    for name in ("date_joined", "last_login", "is_staff", "sees_all_jobs", "is_admin"):
        data.pop(name, None)
    data.update(changes)
    return data


def test_the_admin_keeps_the_people_pages_rules(world, login):
    """Roles change on the People page only (which keeps a live job's hiring manager); a
    holiday country that does not exist is refused as on the profile, changing nothing."""
    client = login(world.ada)
    url = reverse("admin:accounts_user_change", args=[world.hank.pk])
    data = _hanks_form(client, url)
    data.pop("is_hiring_manager", None)  # unticked, were the box there
    assert client.post(url, data).status_code == 302
    world.hank.refresh_from_db()
    assert world.hank.is_hiring_manager
    response = client.post(
        url, _hanks_form(client, url, holiday_country="ZZ", manager=world.ada.pk)
    )
    assert response.status_code == 200
    assert "holiday_country" in response.context["adminform"].form.errors
    world.hank.refresh_from_db()
    assert (world.hank.holiday_country, world.hank.manager) != ("ZZ", world.ada)


def test_ada_opens_hanks_change_form_and_sets_his_manager(world, login):
    client = login(world.ada)
    url = reverse("admin:accounts_user_change", args=[world.hank.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "groups", "user_permissions")
    }
    data.update(
        {
            "work_days": "[0, 1, 2, 3, 4]",
            "work_start": "09:00",
            "work_end": "17:00",
            "date_joined_0": world.hank.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": world.hank.date_joined.strftime("%H:%M:%S"),
            "manager": str(world.ada.pk),
        }
    )
    for flag in ("is_admin", "is_recruiter", "is_interviewer", "sees_all_jobs", "is_staff"):
        data.pop(flag, None)
    data["is_hiring_manager"] = "on"
    data["is_active"] = "on"
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.hank.refresh_from_db()
    assert world.hank.manager == world.ada


def test_people_without_admin_access_cannot_open_it(world, login):
    response = login(world.rita).get(CHANGELIST)
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_worker_heartbeats_are_read_only_in_the_admin(world, login):
    beat = WorkerHeartbeat.objects.create(name="host:1", pid=1)
    client = login(world.ada)
    assert client.get(reverse("admin:followups_workerheartbeat_changelist")).status_code == 200
    assert client.get(reverse("admin:followups_workerheartbeat_add")).status_code == 403
    detail = client.get(reverse("admin:followups_workerheartbeat_change", args=[beat.pk]))
    assert detail.status_code == 200
    assert 'name="pid"' not in detail.content.decode()
    delete = reverse("admin:followups_workerheartbeat_delete", args=[beat.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert WorkerHeartbeat.objects.filter(pk=beat.pk).exists()
