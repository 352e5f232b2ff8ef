"""The scrubber finds a person's strings in every stored form and replaces them whole."""

from __future__ import annotations

import json

import pytest

from closeloop.lib.scrub import Scrubber


def test_it_replaces_each_needle_without_regard_to_case_and_longest_first():
    scrub = Scrubber.of(["Zoë O'Brien", "zoe.obrien@x.example", None, " "], "[X]")
    assert scrub.text("Mail ZOE.OBRIEN@x.example about zoë o'brien") == "Mail [X] about [X]"


def test_it_finds_the_html_and_json_forms_a_column_stores():
    scrub = Scrubber.of(["Zoë O'Brien"], "[X]")
    assert scrub.text("<p>Zoë O&#x27;Brien</p>") == "<p>[X]</p>"
    stored = json.dumps({"who": "Zoë O'Brien"})  # SQLite keeps "\\u00eb"
    assert scrub.found_in(stored)
    assert scrub.json({"Zoë O'Brien": ["met Zoë O'Brien", 3]}) == {"[X]": ["met [X]", 3]}


def test_a_needle_with_pattern_characters_is_taken_literally():
    scrub = Scrubber.of(["a|b.c (x)"], "[X]")
    assert scrub.forms[0] == "a|b.c (x)"
    assert scrub.text("see a|b.c (x) and abxc") == "see [X] and abxc"


@pytest.mark.parametrize("needles", [[], ["Al"], ["", None]])
def test_nothing_to_search_for_changes_nothing(needles):
    scrub = Scrubber.of(needles, "[X]")
    assert scrub.text("Al was here") == "Al was here"
    assert not scrub.found_in("Al")
    assert scrub.forms == []
