"""Creating the calendar address redirects after the POST: a refresh shows the profile, not
a second address, and the secret never travels in a URL (address bar, history, logs)."""

from __future__ import annotations

from django.urls import reverse

from closeloop.calendars.models import CalendarFeed


def test_the_new_address_is_shown_once_on_the_page_the_post_redirects_to(world, login):
    client = login(world.ivy)
    response = client.post(reverse("calendars:feed-create"))
    assert response.status_code == 302
    shown_at = response["Location"]
    assert shown_at == reverse("calendars:feed-create")
    stored = CalendarFeed.objects.get(user=world.ivy).token_hash

    page = client.get(shown_at)
    assert page.status_code == 200
    body = page.content.decode()
    assert "/calendar/feed/" in body and ".ics" in body and "shown only this once" in body

    again = client.get(shown_at)  # the browser's refresh: no new address, no old one shown
    assert again.status_code == 302 and again["Location"] == reverse("accounts:profile")
    assert CalendarFeed.objects.get(user=world.ivy).token_hash == stored
    profile = client.get(again["Location"]).content.decode()
    assert ".ics" not in profile and "shown only once" in profile
