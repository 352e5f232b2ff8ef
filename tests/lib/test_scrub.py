"""The scrubber finds a person's strings in every stored form and replaces them whole."""

from __future__ import annotations

import json

import pytest

from closeloop.lib.scrub import Names, Scrubber


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


DRIFT = (
    "Agreed range EUR 85,000–105,000: Bianca Zhang (79,000), Hannah Ito (82,000), "
    "Isaac Lang (117,000), Samir Petrov (122,000)."
)


def test_a_line_about_several_people_keeps_only_the_persons_part():
    """An export keeps the lines naming the person: another candidate on the same line is
    replaced, with the figure in brackets after their name."""
    others = Names.of(
        ["Hannah Ito", "Isaac Lang", "Samir Petrov", "Bianca Zhang", "Cher"],
        "[other]",
        besides=["Bianca Zhang"],
    )
    scrub = Scrubber.of(["Bianca Zhang"], "[X]").with_others(others)
    notes = f"Budget agreed.\n{DRIFT}\nHannah Ito (82,000) signed."
    assert scrub.lines_naming(notes) == [
        "Agreed range EUR 85,000–105,000: Bianca Zhang (79,000), [other], [other], [other]."
    ]
    assert scrub.lines_naming("hannah   ITO's offer beat bianca zhang's") == [
        "[other]'s offer beat bianca zhang's"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zoë O’Brien (EUR 80k) and Jean-Luc Picard", "[other] and [other]"),
        ("Zoe O'Brien (2 interviews)", "[other] (2 interviews)"),
        ("Hannah, Ito and Cher", "Hannah, Ito and Cher"),  # not a name; one word never is
        ("Mary J. Blige (75–80,000 EUR).", "[other]."),
    ],
)
def test_other_names_are_found_whatever_joins_their_words(text, expected):
    others = Names.of(["Zoë O'Brien", "Zoe O'Brien", "Jean Luc Picard", "Mary J Blige"], "[other]")
    assert others.text(text) == expected


def test_a_figure_in_brackets_after_the_name_goes_with_it():
    scrub = Scrubber.of(["Bianca Zhang"], "[X]")
    assert scrub.text(DRIFT) == (
        "Agreed range EUR 85,000–105,000: [X], Hannah Ito (82,000), "
        "Isaac Lang (117,000), Samir Petrov (122,000)."
    )
    assert scrub.text("Bianca Zhang (EUR 79k) and Bianca Zhang (2 interviews)") == (
        "[X] and [X] (2 interviews)"
    )


def test_details_read_removed_and_a_bracket_of_nothing_else_goes():
    scrub = Scrubber.of(["Hugo Walsh"], "[X]", details=["hugo.walsh@x.example", "+49 30 1234567"])
    assert scrub.text("Hugo Walsh (hugo.walsh@x.example, +49 30 1234567) compares well.") == (
        "[X] compares well."
    )
    assert scrub.text("Write to HUGO.WALSH@x.example (or +49 30 1234567 and Hugo Walsh).") == (
        "Write to [removed] (or [removed] and [X])."
    )
    assert scrub.found_in("call +49 30 1234567")


def test_a_needle_inside_a_longer_word_is_someone_else():
    """Erasing Ann Lee must not touch Joann Leek, whose events and comments name her."""
    scrub = Scrubber.of(["Ann Lee"], "[X]", details=["5550100"])
    assert scrub.text("Joann Leek met Ann Lee; call 5550100, not 15550100.") == (
        "Joann Leek met [X]; call [removed], not 15550100."
    )
