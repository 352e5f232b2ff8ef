"""A criterion is a must-have, a nice-to-have or a deal-breaker, never two of them: the
requirements step refuses one listed twice (case and spaces aside) and nothing changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from intake_helpers import REQUIREMENTS

from closeloop.intake.models import IntakeVersion
from closeloop.intake.services import intake_draft_save


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"must_haves": "Python\nKafka", "nice_to_haves": "  kafka "},
            "nice_to_haves",
            "“kafka” is a must-have already: list each criterion once.",
        ),
        (
            {"nice_to_haves": "Go", "deal_breakers": "Needs visa sponsorship\nGO"},
            "deal_breakers",
            "“GO” is a nice-to-have already: list each criterion once.",
        ),
        (
            {"must_haves": "On-call experience", "deal_breakers": "on-call experience"},
            "deal_breakers",
            "“on-call experience” is a must-have already: list each criterion once.",
        ),
    ],
)
def test_a_criterion_in_two_lists_is_refused_and_nothing_changes(
    drafted, world, data, field, message
):
    before = IntakeVersion.objects.get(pk=drafted.pk)
    with pytest.raises(ValidationError) as refusal:
        intake_draft_save(
            version=drafted, by=world.rita, step="requirements", data={**REQUIREMENTS, **data}
        )
    assert refusal.value.message_dict == {field: [message]}
    after = IntakeVersion.objects.get(pk=drafted.pk)
    assert (after.must_haves, after.nice_to_haves, after.deal_breakers) == (
        before.must_haves,
        before.nice_to_haves,
        before.deal_breakers,
    )


def test_the_requirements_step_says_which_criterion_is_listed_twice(drafted, world, login):
    url = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "requirements"})
    post = {**REQUIREMENTS, "nice_to_haves": "Go\npostgresql", "go": "next"}
    response = login(world.rita).post(url, post)
    assert response.status_code == 400
    assert "“postgresql” is a must-have already" in response.content.decode()
