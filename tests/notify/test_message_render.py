"""Plain-text parts of an email are plain text: nothing in them is HTML-escaped."""

from __future__ import annotations

from closeloop.notify.services import message_render


def test_the_text_and_subject_keep_apostrophes_and_ampersands_while_the_html_escapes_them():
    context = {
        "recipient": {"short_name": "Hank"},
        "job": {"title": "R&D Lead"},
        "item": {"description": "Call O'Brien <today>"},
        "by": "Rita",
        "url": "http://example.com/x",
    }
    subject, text, html = message_render(template="action-item-assigned", context=context)
    assert "Call O'Brien <today>" in text
    assert "R&D Lead" in text
    assert "&#x27;" not in text + subject and "&amp;" not in text + subject
    assert "O&#x27;Brien &lt;today&gt;" in html  # the HTML part still escapes


def test_a_subject_too_long_for_its_column_is_cut_at_a_word_with_an_ellipsis():
    description = "Send the revised offer letter with the relocation package " * 8
    context = {
        "recipient": {"short_name": "Hank"},
        "job": {"title": "Principal Platform Engineer"},
        "item": {"description": description},
        "by": "Rita",
        "url": "http://example.com/x",
    }
    subject, text, _ = message_render(template="action-item-assigned", context=context)
    assert len(subject) <= 300
    assert subject.startswith("Action item for you: Send the revised offer letter")
    assert subject.endswith("…") and not subject.endswith(" …")
    assert description.strip() in " ".join(text.split())  # the body keeps it whole


def test_a_subject_with_no_space_to_cut_at_still_fits_its_column():
    # Text with no spaces (a long link, Japanese) is cut by characters: ellipsis included.
    context = {
        "recipient": {"short_name": "Hank"},
        "job": {"title": "Platform"},
        "item": {"description": "候補者" * 150},
        "by": "Rita",
        "url": "http://example.com/x",
    }
    subject, _, _ = message_render(template="action-item-assigned", context=context)
    assert len(subject) == 300 and subject.endswith("…")
