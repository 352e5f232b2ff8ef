"""Scorecard notes are a plain textarea whose help text promises bold, italics and lists:
the Markdown typed there is shown formatted on the briefing, and nothing else gets through."""

from __future__ import annotations

from interview_helpers import end, score

from closeloop.interviews.models import notes_html

TYPED = "**Solid** on *design*.\n\n- Knows indexes\n- Weak on queues"


def test_the_briefing_shows_the_bold_and_the_list_ivy_typed(world, login, clock, interview):
    end(clock, interview)
    score(interview, world.ivy, notes=TYPED)
    body = login(world.ivy).get(f"/interviews/{interview.pk}/").content.decode()
    assert "<strong>Solid</strong> on <em>design</em>." in body
    assert "<li>Knows indexes</li>" in body
    assert "**Solid**" not in body


def test_the_help_text_names_what_is_shown_formatted(world, login, clock, interview):
    end(clock, interview)
    body = login(world.ivy).get(f"/interviews/{interview.pk}/").content.decode()
    assert "Write **bold**, *italics* and lists" in body


def test_notes_typed_as_lines_keep_their_line_breaks():
    assert notes_html("First line\nsecond line") == "<p>First line<br>\nsecond line</p>"


def test_markdown_adds_no_link_image_or_script():
    shown = notes_html("[x](javascript:alert(1)) ![i](https://x.test/i.png) <script>y()</script>")
    assert "<a" not in shown and "<img" not in shown and "<script" not in shown


def test_html_typed_in_notes_is_shown_as_typed_not_as_markup():
    assert notes_html("<p><strong>Raw</strong> & kept</p>") == (
        "<p>&lt;p&gt;&lt;strong&gt;Raw&lt;/strong&gt; &amp; kept&lt;/p&gt;</p>"
    )
