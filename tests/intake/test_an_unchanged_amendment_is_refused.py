"""An amendment that differs in nothing from the version in force is not proposed: both
sides would sign terms they agreed already, after an ask and an email with no differences.
Nor one that differs in nothing from the version still awaiting signatures: it would ask for
the same signatures again."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.followups.models import Ask
from closeloop.intake.models import IntakeStatus
from closeloop.intake.services import intake_draft_save, intake_draft_start, intake_propose
from closeloop.notify.models import Message

REFUSAL = "Nothing differs from version 1: change something before proposing it."


def test_the_service_refuses_a_copy_of_the_version_in_force(signed, world):
    draft = intake_draft_start(job=world.job, by=world.hank, source="last")
    asks, messages = Ask.objects.count(), Message.objects.count()
    with pytest.raises(ValidationError) as caught:
        intake_propose(version=draft, by=world.hank)
    assert caught.value.messages == [REFUSAL]
    draft.refresh_from_db()
    assert draft.status == IntakeStatus.DRAFT and not draft.signatures.exists()
    assert (Ask.objects.count(), Message.objects.count()) == (asks, messages)


def test_the_review_page_says_so_and_the_proposal_changes_nothing(signed, world, login):
    draft = intake_draft_start(job=world.job, by=world.hank, source="last")
    client = login(world.hank)
    review = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "review"})
    page = client.get(review).content.decode()
    assert REFUSAL in page
    assert "Propose and sign</button>" not in page
    response = client.post(reverse("intake:propose", kwargs={"pk": world.job.pk}), follow=True)
    assert REFUSAL in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == IntakeStatus.DRAFT
    assert not Message.objects.filter(template="intake-sign", recipient=world.rita).exists()


def test_a_change_may_be_proposed(signed, world):
    draft = intake_draft_start(job=world.job, by=world.hank, source="last")
    intake_draft_save(
        version=draft, by=world.hank, step="requirements", data={"nice_to_haves": "Go\nRust"}
    )
    assert intake_propose(version=draft, by=world.hank).status == IntakeStatus.PROPOSED


PENDING = (
    "Nothing differs from version {}, which awaits signatures: "
    "change something before proposing it."
)


def test_a_copy_of_the_first_version_awaiting_signatures_is_refused(proposed, world):
    draft = intake_draft_start(job=world.job, by=world.hank, source="last")
    asks, messages = Ask.objects.count(), Message.objects.count()
    with pytest.raises(ValidationError) as caught:
        intake_propose(version=draft, by=world.hank)
    assert caught.value.messages == [PENDING.format(1)]
    proposed.refresh_from_db()
    assert proposed.status == IntakeStatus.PROPOSED  # still the one to sign, not withdrawn
    assert (Ask.objects.count(), Message.objects.count()) == (asks, messages)


def test_a_copy_of_an_amendment_awaiting_signatures_is_refused_on_the_review_page_too(
    signed, world, login
):
    amendment = intake_draft_start(job=world.job, by=world.hank, source="last")
    intake_draft_save(
        version=amendment, by=world.hank, step="requirements", data={"nice_to_haves": "Go\nRust"}
    )
    intake_propose(version=amendment, by=world.hank)
    copy = intake_draft_start(job=world.job, by=world.hank, source="last")
    client = login(world.hank)
    review = reverse("intake:draft-step", kwargs={"pk": world.job.pk, "step": "review"})
    page = client.get(review).content.decode()
    assert PENDING.format(2) in page and "Propose and sign</button>" not in page
    with pytest.raises(ValidationError) as caught:
        intake_propose(version=copy, by=world.hank)
    assert caught.value.messages == [PENDING.format(2)]
