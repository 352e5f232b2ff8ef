"""A round's name said once: kept as named when it already says "interview" or "round", the
caller's noun added only to a bare name."""

from __future__ import annotations

import pytest

from closeloop.lib.text import round_label


@pytest.mark.parametrize(
    ("name", "noun", "label"),
    [
        ("Technical interview", "round", "Technical interview"),
        ("Technical interview", "interview", "Technical interview"),
        ("Final round", "interview", "Final round"),
        ("Final Round", "round", "Final Round"),
        ("Onsite", "round", "Onsite round"),
        ("Onsite", "interview", "Onsite interview"),
        ("Onsite interviews", "round", "Onsite interviews"),
        ("Phone-interview", "interview", "Phone-interview"),
    ],
)
def test_it_says_the_round_name_once(name, noun, label):
    assert round_label(name, noun) == label


def test_a_name_only_ending_in_the_letters_is_still_a_bare_name():
    assert round_label("Background", "round") == "Background round"
    assert round_label("Preinterview", "interview") == "Preinterview interview"
