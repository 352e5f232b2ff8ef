"""The discard confirmation reloaded (a GET on its address) shows the confirmation again;
after the draft went, the reload lands on the intake page saying so, never a bare 405."""

from __future__ import annotations

from html import unescape

from django.urls import reverse

from closeloop.intake.models import IntakeVersion


def test_reloading_the_confirmation_shows_it_again_and_discards_nothing(world, login, drafted):
    url = reverse("intake:discard", kwargs={"pk": world.job.pk})

    page = login(world.hank).get(url)

    assert page.status_code == 200
    text = unescape(page.content.decode())
    assert "Discard the draft of version 1?" in text
    assert "This is Rita's draft, started" in text and "Discard Rita's draft" in text
    assert 'name="confirm" value="yes"' in text
    assert IntakeVersion.objects.filter(pk=drafted.pk).exists()


def test_reloading_after_the_discard_says_there_is_no_draft_any_more(world, login, drafted):
    client = login(world.rita)
    url = reverse("intake:discard", kwargs={"pk": world.job.pk})
    client.post(url, {"confirm": "yes"})

    page = client.get(url, follow=True)

    assert page.redirect_chain[-1][0] == reverse("intake:overview", kwargs={"pk": world.job.pk})
    assert "There is no draft to discard" in unescape(page.content.decode())


def test_the_reload_is_refused_to_whoever_may_not_edit(world, login, drafted):
    url = reverse("intake:discard", kwargs={"pk": world.job.pk})

    assert login(world.ivy).get(url).status_code == 404
