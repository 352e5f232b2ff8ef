"""The application page's "Who owes what" names the reader "You": rita reads her own
answer owed as hers, and hank, away, reads his delegate covering for him."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from closeloop.pipeline.services import application_submit, submission_ask_question

AWAY_FROM = dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.UTC)
BACK_ON = dt.datetime(2026, 12, 11, 0, 0, tzinfo=dt.UTC)  # a Friday


def _panel(html: str) -> str:
    start = html.index('id="asks-title"')
    return html[start : html.index("</section>", start)]


def test_each_reader_is_you_in_who_owes_what(world, login, clock):
    world.hank.out_of_office_from, world.hank.out_of_office_until = AWAY_FROM, BACK_ON
    world.hank.delegate = world.olga
    world.hank.save()
    submission = application_submit(
        application=world.sourced, by=world.rita, pitch="Fit.", must_haves_met=["Python"]
    )
    submission_ask_question(submission=submission, by=world.olga, text="On call since when?")
    url = reverse("pipeline:application-detail", args=[world.sourced.pk])

    mine = _panel(login(world.rita).get(url).content.decode())
    assert "<strong>You</strong>: Answer Olga" in mine
    assert "Rita Recruiter" not in mine
    his = _panel(login(world.hank).get(url).content.decode())
    assert (
        "<strong>Olga Outsider</strong>, covering for you (out of office until Fri 11 Dec)" in his
    )
    assert "Hank Manager" not in his
