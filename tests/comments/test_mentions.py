"""Finding @mentions in plain text and showing a comment: escaped, line breaks kept, the
people mentioned highlighted by name, anything else left as typed."""

from __future__ import annotations

from types import SimpleNamespace

from closeloop.comments.mentions import mention_handles, mention_html

RITA = SimpleNamespace(email="rita@example.com", full_name="Rita Recruiter")


def test_it_finds_each_handle_once_in_order_and_lower_cased():
    text = "@Hank can you look? cc @rita, and @hank again. Thanks @ivy."
    assert mention_handles(text) == ["hank", "rita", "ivy"]


def test_an_address_written_out_is_not_a_mention_but_a_whole_address_after_at_is():
    assert mention_handles("write to bob@example.com") == []
    assert mention_handles("ask @rita@example.com.") == ["rita@example.com"]


def test_the_text_is_escaped_and_only_known_people_are_highlighted():
    html = mention_html("<b>hi</b> @rita & @nobody\nsecond line", [RITA])
    assert "<b>" not in html and "&lt;b&gt;hi&lt;/b&gt;" in html
    assert '<strong class="cl-mention" title="Rita Recruiter">@rita</strong>' in html
    assert "@nobody" in html and "cl-mention" not in html.split("@nobody")[0].split("@rita")[1]
    assert "<br>second line" in html


def test_a_name_with_quotes_cannot_break_out_of_its_attribute():
    evil = SimpleNamespace(email="eve@example.com", full_name='Eve" onmouseover="x')
    html = mention_html("@eve", [evil])
    assert 'title="Eve&quot; onmouseover=&quot;x"' in html
