"""Scorecard notes and a debrief's rationale are kept exactly as typed: text that looks
like HTML ("List<String>", "a<b>c") is words, stored as such and shown escaped."""

from __future__ import annotations

from html import escape

from interview_helpers import end, score

from closeloop.interviews.models import Debrief, notes_html
from closeloop.interviews.services import Decision, debrief_decide

TYPED = (
    "Uses List<String> and Map<K,V> daily; p99 latency <5ms and >2 nodes; a<b>c. "
    "Said 'x < y' & R&D."
)


def test_a_draft_keeps_the_notes_ivy_typed_and_her_form_shows_them_again(
    world, login, clock, interview
):
    end(clock, interview)
    card = score(interview, world.ivy, notes=TYPED, submit=False)
    card.refresh_from_db()
    assert card.notes == TYPED
    body = login(world.ivy).get(f"/interviews/{interview.pk}/").content.decode()
    assert escape(TYPED, quote=False) in body or escape(TYPED) in body


def test_the_notes_are_shown_escaped_never_as_tags():
    shown = notes_html(TYPED)
    assert "List&lt;String&gt;" in shown and "Map&lt;K,V&gt;" in shown
    assert "a&lt;b&gt;c" in shown and "<b>" not in shown and "</b>" not in shown
    assert "&lt;5ms" in shown and "R&amp;D" in shown


def test_notes_stored_escaped_before_read_back_as_their_characters():
    assert notes_html("latency &lt;5ms &amp; R&amp;D") == "<p>latency &lt;5ms &amp; R&amp;D</p>"


def test_the_rationale_and_the_move_it_gives_keep_the_words_typed(world, debrief):
    offer = world.job.stages.get(kind="offer")
    debrief_decide(
        debrief=debrief, by=world.hank, decision=Decision("advance", TYPED, to_stage=offer)
    )
    assert Debrief.objects.get().rationale == TYPED
    change = world.interviewed.stage_changes.latest("at", "pk")
    assert change.reason == f"After the Technical debrief: {TYPED}"
