"""The weekly-update preview (own; admins anyone's) and the settings form on the profile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.touchbases.models import WeeklyUpdateSchedule


def test_an_hm_previews_his_own_update(world, submitted, login):
    response = login(world.hank).get(reverse("touchbases:weekly-update-preview"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Your weekly update" in text and reverse("touchbases:weekly-update-html") in text
    assert "Preview for" not in text  # no picker for non-admins


def test_the_frame_is_the_email_html_under_the_outbox_policy(world, submitted, login):
    response = login(world.hank).get(reverse("touchbases:weekly-update-html"))
    assert response.status_code == 200
    assert "default-src 'none'" in response["Content-Security-Policy"]
    text = response.content.decode()
    assert "Follow-ups you owe (1)" in text and "Review Carla Candidate" in text
    assert "/act/" not in text and "one-click buttons" in text  # the preview issues no links


def test_the_frame_may_be_measured_by_its_page_but_runs_nothing(world, submitted, login):
    """The page gives the frame its email's height (frames.js), which needs the frame's
    origin; the email still runs nothing: no script source, no `allow-scripts`."""
    client = login(world.hank)
    policy = client.get(reverse("touchbases:weekly-update-html"))["Content-Security-Policy"]
    sandbox = policy.split("sandbox", 1)[1].split(";")[0].split()
    assert "allow-same-origin" in sandbox and "allow-scripts" not in sandbox
    assert "default-src 'none'" in policy and "script-src" not in policy
    page = client.get(reverse("touchbases:weekly-update-preview")).content.decode()
    assert '<iframe class="message-frame" data-fit-content ' in page
    assert 'sandbox="allow-same-origin allow-popups ' in page and "allow-scripts" not in page
    assert "closeloop/frames.js" in page


def test_previewing_issues_no_links_and_sends_nothing(world, submitted, login):
    from closeloop.followups.models import ActionLink
    from closeloop.notify.models import Message

    client = login(world.hank)
    client.get(reverse("touchbases:weekly-update-preview"))
    client.get(reverse("touchbases:weekly-update-html"))
    assert not ActionLink.objects.exists()
    assert not Message.objects.filter(template="weekly-update").exists()


def test_someone_with_nothing_to_say_is_told_so(world, login):
    response = login(world.ivy).get(reverse("touchbases:weekly-update-preview"))
    assert b"Nothing to say this week" in response.content


def test_an_admin_previews_anyones(world, submitted, login):
    client = login(world.ada)
    response = client.get(reverse("touchbases:weekly-update-preview"), {"person": world.hank.pk})
    assert response.status_code == 200
    assert (
        b"Weekly update for Hank Manager" in response.content and b"Preview for" in response.content
    )
    html = client.get(reverse("touchbases:weekly-update-html"), {"person": world.hank.pk})
    assert b"Hi Hank" in html.content


@pytest.mark.parametrize("persona", ["rita", "hank", "ivy", "olga"])
def test_others_cannot_preview_someone_else(world, login, persona):
    client = login(getattr(world, persona))
    target = world.ada if persona != "ada" else world.hank
    for name in ("touchbases:weekly-update-preview", "touchbases:weekly-update-html"):
        assert client.get(reverse(name), {"person": target.pk}).status_code == 404


# "²" and "٣" pass str.isdigit() but not int(); 19 digits would overflow the database.
@pytest.mark.parametrize("value", ["abc", "999999", "-1", "²", "٣", "1" * 19])
@pytest.mark.parametrize("persona", ["rita", "hank", "ivy", "olga", "ada"])
def test_a_bad_person_parameter_is_404(world, login, value, persona):
    client = login(getattr(world, persona))
    for name in ("touchbases:weekly-update-preview", "touchbases:weekly-update-html"):
        assert client.get(reverse(name), {"person": value}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("touchbases:weekly-update-preview"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_changing_the_day_and_time(world, login):
    client = login(world.hank)
    url = reverse("touchbases:weekly-update-settings")
    response = client.post(url, {"enabled": "on", "weekday": "2", "send_time": "07:30"})
    assert response.url == reverse("accounts:profile")
    schedule = WeeklyUpdateSchedule.objects.get(person=world.hank)
    assert (schedule.enabled, schedule.weekday, schedule.send_time) == (True, 2, dt.time(7, 30))
    assert schedule.next_run_at == dt.datetime(2026, 11, 25, 7, 30, tzinfo=dt.UTC)


def test_turning_it_off(world, login):
    login(world.hank).post(
        reverse("touchbases:weekly-update-settings"), {"weekday": "0", "send_time": "08:00"}
    )
    schedule = WeeklyUpdateSchedule.objects.get(person=world.hank)
    assert not schedule.enabled and schedule.next_run_at is None


@pytest.mark.parametrize(
    "data", [{"weekday": "9", "send_time": "08:00"}, {"weekday": "0", "send_time": "25:00"}, {}]
)
def test_bad_settings_are_refused_with_a_message(world, login, data):
    response = login(world.hank).post(
        reverse("touchbases:weekly-update-settings"), data, follow=True
    )
    assert b"were not saved" in response.content
    assert not WeeklyUpdateSchedule.objects.exists()


def test_refused_settings_come_back_as_chosen_with_the_problem_beside_them(world, login):
    """Friday with no time: the profile shows Friday still chosen, and says what is missing."""
    client = login(world.hank)
    url = reverse("touchbases:weekly-update-settings")
    back = client.post(url, {"enabled": "on", "weekday": "4", "send_time": ""}, follow=True).text
    assert '<option value="4" selected>' in back
    assert "This field is required." in back
    again = client.get(reverse("accounts:profile")).text  # a later visit starts as saved
    assert '<option value="4" selected>' not in again
