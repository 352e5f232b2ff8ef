"""A big organisation types an agreement's escalation contact (anyone active) instead of
picking them from a list of everyone (`accounts.selectors.PEOPLE_LISTED_MOST`)."""

from __future__ import annotations

from django.urls import reverse
from intake_helpers import cadence_post, complete_draft

from closeloop.accounts.models import User
from closeloop.accounts.selectors import PEOPLE_LISTED_MOST


def test_a_big_organisation_types_an_agreements_escalation_contact(world, login):
    User.objects.bulk_create(
        User(email=f"p{i}@crowd.example", full_name=f"Crowd Person {i:04d}")
        for i in range(PEOPLE_LISTED_MOST)
    )
    draft = complete_draft(world)
    url = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "cadence"})
    client = login(world.rita)
    html = client.get(url).content.decode()
    assert '<select name="escalation_contact"' not in html
    suggest = reverse("accounts:people-suggest")
    assert f'hx-get="{suggest}?field=escalation_contact"' in html
    refused = client.post(url, {**cadence_post(escalation_contact="Nobody Here"), "go": "save"})
    assert refused.status_code == 400
    assert "No one active has the email or name “Nobody Here”" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.escalation_contact is None
    saved = client.post(url, {**cadence_post(escalation_contact="Crowd Person 0003"), "go": "save"})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.escalation_contact.email == "p3@crowd.example"
