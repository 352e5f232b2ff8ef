"""Hank is deactivated while a version awaits his signature: the ask goes to Olga (his
manager), who signs in his place, and every intake page names her as covering for him."""

from __future__ import annotations

import datetime as dt
from html import unescape

from django.urls import reverse

from closeloop.accounts.people import user_deactivate
from closeloop.intake.models import IntakeStatus
from closeloop.intake.selectors import intake_overview
from closeloop.intake.services import (
    intake_draft_save,
    intake_draft_start,
    intake_propose,
    intake_sign,
)

COVERING = "Olga Outsider, covering for Hank Manager (deactivated)"


def _amend_and_leave(world):
    draft = intake_draft_start(job=world.job, by=world.rita, source="last")
    draft = intake_draft_save(
        version=draft, by=world.rita, step="role", data={"compensation_max": 110000}
    )
    version = intake_propose(version=draft, by=world.rita)
    world.hank.manager = world.olga
    world.hank.save(update_fields=["manager"])
    user_deactivate(user=world.hank, by=world.ada)
    return version


def test_the_intake_pages_name_who_holds_the_signature(signed, world, login):
    version = _amend_and_leave(world)
    client = login(world.rita)
    job = world.job.pk
    page = unescape(client.get(reverse("intake:version", args=[job, version.number])).text)
    assert "Olga Outsider, covering for Hank Manager (hiring manager, deactivated)" in page
    overview = unescape(client.get(reverse("intake:overview", args=[job])).text)
    assert f"waiting for {COVERING}." in overview
    assert "awaiting Olga, covering for Hank (deactivated)." in overview
    assert "waiting for Hank Manager." not in overview
    summary_url = reverse("intake:summary", args=[job]) + f"?version={version.number}"
    summary = unescape(client.get(summary_url).text)
    assert f"Awaiting {COVERING}" in summary


def test_the_one_covering_reads_you_and_signs_in_his_place(signed, world, login):
    version = _amend_and_leave(world)
    line = intake_overview(job=world.job, reader=world.olga).status_line
    assert "awaiting you, covering for Hank (deactivated)." in line
    intake_sign(version=version, by=world.olga)
    version.refresh_from_db()
    assert version.status == IntakeStatus.SIGNED
    signature = version.signatures.get(side="hiring_manager")
    assert (signature.signed_by, signature.signed_for) == (world.olga, world.hank)


def test_a_delegate_holding_the_signature_of_an_away_manager_says_until_when(world, clock):
    # As every page names a delegate: "covering for Hank (out of office until Fri 11 Dec)".
    from closeloop.intake.selectors import Signer

    world.hank.out_of_office_from = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    world.hank.out_of_office_until = dt.datetime(2026, 12, 11, tzinfo=dt.UTC)
    world.hank.delegate = world.olga
    world.hank.save()
    signer = Signer(side="hiring_manager", owner=world.hank, holder=world.olga)
    assert signer.named(world.rita, short=True) == (
        "Olga, covering for Hank (out of office until Fri 11 Dec)"
    )
    assert signer.named_with_side(world.rita) == (
        "Olga Outsider, covering for Hank Manager (hiring manager, out of office until Fri 11 Dec)"
    )
