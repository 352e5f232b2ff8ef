"""The recruiter's notice of a pass: the HM's own words are labelled as his, and what she
should do now stands on its own line — in the text and in the HTML."""

from __future__ import annotations

from closeloop.notify.models import Message
from closeloop.pipeline.models import Closeness
from closeloop.pipeline.services import Calibration, submission_decide


def _passed(world, submitted):
    submission_decide(
        submission=submitted,
        by=world.hank,
        decision="passed",
        reason="skills",
        note="Not for now",
        calibration=Calibration(Closeness.SOME_WAY_OFF, ("Python",), "Wanted more Postgres"),
    )
    return Message.objects.filter(recipient=world.rita).latest("pk")


def test_the_text_labels_hanks_words_and_puts_the_instruction_apart(world, submitted):
    text = _passed(world, submitted).body_text
    assert "Hank's note: Not for now." in text
    assert (
        "Closeness: Some way off. Missed: PostgreSQL, On-call experience.\n"
        "Hank's words on the fit: “Wanted more Postgres”\n\nLet the candidate know."
    ) in text


def test_the_html_gives_each_part_its_own_paragraph(world, submitted):
    html = _passed(world, submitted).body_html
    assert "<p>Hank&#x27;s note: Not for now.</p>" in html
    assert "Missed: PostgreSQL, On-call experience.<br>Hank&#x27;s words on the fit" in html
    assert "<p>Let the candidate know.</p>" in html
