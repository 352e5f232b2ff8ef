"""An ask's subject has one codec (`followups.subjects`): every app builds "noun:key[:key]"
with `subject_key`, reads it with `subject_parse`, and the stored strings stay as they were.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse, set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

from closeloop.accounts.models import User
from closeloop.followups.models import Ask
from closeloop.followups.selectors import ASK_URLS, ask_url
from closeloop.followups.subjects import Subject, subject_key, subject_parse
from closeloop.intake.models import IntakeVersion
from closeloop.intake.services import ask_subject
from closeloop.interviews.models import Debrief, Interview
from closeloop.interviews.services import scorecard_subject
from closeloop.pipeline.models import Application, Question, Submission
from closeloop.pipeline.services import question_subject, submission_subject, update_subject
from closeloop.touchbases.models import ActionItem, Touchbase
from closeloop.touchbases.services import _hold_subject

SOURCE = Path(__file__).resolve().parent.parent.parent / "src" / "closeloop"
THE_CODEC = "followups/subjects.py"


# --- The stored strings are the ones the apps wrote before the codec ----------------------


def test_every_apps_subject_is_byte_identical_to_its_old_hand_written_form():
    assert submission_subject(Submission(pk=12)) == "submission:12"
    assert update_subject(Application(pk=4)) == "application:4"
    assert question_subject(Question(pk=8)) == "question:8"
    assert scorecard_subject(Interview(pk=5), 7) == "scorecard:5:7"
    assert Debrief(pk=3).subject == "debrief:3"
    assert ask_subject(IntakeVersion(pk=3), "hiring_manager") == "intake:3:hiring_manager"
    assert ActionItem(pk=9).subject == "action:9"
    assert _hold_subject(Touchbase(pk=2)) == "touchbase:2"


def test_a_scorecard_subject_takes_the_interviewer_or_their_pk():
    interview = Interview(pk=5)
    assert scorecard_subject(interview, User(pk=7)) == scorecard_subject(interview, 7)


def test_parse_gives_the_noun_the_keys_and_the_first_key_as_pk():
    subject = subject_parse("intake:3:hiring_manager")
    assert subject == Subject("intake", ("3", "hiring_manager"))
    assert subject.pk == 3
    assert str(subject) == "intake:3:hiring_manager"
    assert subject_parse("action:t12").pk is None  # a key that is not a row's pk
    assert subject_parse("action:²").pk is None  # a digit to isdigit, not to int


# --- Refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("noun", "keys", "says"),
    [
        ("", (1,), "noun is empty"),
        ("sub:mission", (1,), "noun may not contain ':'"),
        ("submission", (), "has no key"),
        ("submission", ("",), "key is empty"),
        ("intake", (3, "hiring:manager"), "key may not contain ':'"),
        ("submission", (None,), "not None"),  # an unsaved row's pk
        ("submission", (True,), "not True"),
    ],
)
def test_subject_key_refuses_what_it_could_not_read_back(noun, keys, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        subject_key(noun, *keys)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("", "has no ':'"),
        ("submission", "has no ':'"),
        (":12", "noun is empty"),
        ("submission:", "key is empty"),
        ("scorecard:5::7", "key is empty"),
        ("scorecard:5:", "key is empty"),
    ],
)
def test_subject_parse_refuses_a_malformed_string_and_names_it(value, says):
    with pytest.raises(ValueError, match=re.escape(says)) as refused:
        subject_parse(value)
    assert repr(value) in str(refused.value)


def test_a_subject_built_directly_is_checked_too():
    with pytest.raises(ValueError, match="may not contain"):
        Subject("a:b", ("1",))


# --- Properties --------------------------------------------------------------------------

parts = st.text(min_size=1, max_size=12).filter(lambda text: ":" not in text)
keys = st.lists(st.one_of(parts, st.integers(min_value=0)), min_size=1, max_size=4)


@given(noun=parts, keys=keys)
def test_what_subject_key_builds_parses_back_to_the_same_noun_and_keys(noun, keys):
    built = subject_key(noun, *keys)
    assert subject_parse(built) == Subject(noun, tuple(str(key) for key in keys))


@given(value=st.text(alphabet=st.sampled_from("ab1:²"), max_size=10))
def test_any_string_is_refused_or_read_back_byte_for_byte(value):
    try:
        subject = subject_parse(value)
    except ValueError:
        assert value.count(":") == 0 or "::" in value or value[0] == ":" or value[-1] == ":"
    else:
        assert str(subject) == value
        assert subject_key(subject.noun, *subject.keys) == value


# --- The registry hands builders the parsed subject --------------------------------------


def test_ask_url_hands_the_registered_builder_the_parsed_subject():
    seen: list[Subject] = []
    ASK_URLS["test-noun"] = lambda subject: seen.append(subject) or f"/seen/{subject.pk}"
    try:
        assert ask_url(Ask(subject="test-noun:41:extra")) == "/seen/41"
    finally:
        del ASK_URLS["test-noun"]
    assert seen == [Subject("test-noun", ("41", "extra"))]


def test_a_subject_that_names_no_page_links_to_the_queue():
    queue = reverse("pipeline:queue")
    assert ask_url(Ask(subject="touchbase:7")) == reverse("touchbases:touchbase-detail", args=[7])
    assert ask_url(Ask(subject="touchbase:seven")) == queue  # the builder says None
    assert ask_url(Ask(subject="not a subject")) == queue  # the codec refuses it


def test_an_ask_about_an_application_links_to_its_page_under_any_script_prefix():
    # The application's path is reversed once and reused with each id (a message links ten).
    for pk in (7, 123456, 987654321987):
        ask = Ask(subject=f"submission:{pk}", application_id=pk)
        assert ask_url(ask) == reverse("pipeline:application-detail", args=[pk])
    set_script_prefix("/closeloop/")
    try:
        url = ask_url(Ask(subject="submission:8", application_id=8))
        assert url.startswith("/closeloop/")
        assert url == reverse("pipeline:application-detail", args=[8])
    finally:
        set_script_prefix("/")


# --- Nothing else builds or splits a subject ---------------------------------------------

SPLITS = {"split", "rsplit", "partition", "rpartition"}
NOUN = re.compile(r"([a-z][a-z0-9_-]*):$")
# ":"-splits that are not of subjects, each with what it splits. The list only shrinks.
NOT_SUBJECTS = {
    ("notify/models.py", "new_message_id"): "SITE_URL's host from its port",
    ("pipeline/models.py", "closing_reason_code"): "a closing reason's code from its note",
}


def _sources() -> dict[str, ast.AST]:
    return {
        str(path.relative_to(SOURCE)): ast.parse(path.read_text())
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
    }


def _nouns(trees: list[ast.AST]) -> set[str]:
    """The nouns the apps build with the codec or register a page for."""
    return {
        node.args[0].value
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", ""))
        in {"subject_key", "register_ask_url"}
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def _colon_text(node: ast.AST) -> str | None:
    """The text before a value where a string is glued together with ":" ("submission:")."""
    if isinstance(node, ast.JoinedStr):
        pieces = node.values
        for at, piece in enumerate(pieces[:-1]):
            glued = isinstance(pieces[at + 1], ast.FormattedValue)
            if glued and isinstance(piece, ast.Constant) and str(piece.value).endswith(":"):
                return str(piece.value)
    if isinstance(node, ast.BinOp) and isinstance(node.left, ast.Constant):
        text = str(node.left.value)
        if isinstance(node.op, ast.Add) and text.endswith(":"):
            return text
        if isinstance(node.op, ast.Mod) and ":%" in text:
            return text[: text.index(":%") + 1]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        receiver = node.func.value
        if isinstance(receiver, ast.Constant) and isinstance(receiver.value, str):
            if node.func.attr == "format" and ":{" in receiver.value:
                return receiver.value[: receiver.value.index(":{") + 1]
            if node.func.attr == "join" and receiver.value == ":":
                return ":"
    return None


def _subject_codecs(tree: ast.AST, nouns: set[str]) -> list[tuple[int, str, str]]:
    """(line, enclosing function, what) of every subject made or split by hand: a ":"-split;
    a string glued with ":" after a known noun; any glued with ":" where a subject is made
    (a function named *subject*, a `subject=` argument)."""
    found: list[tuple[int, str, str]] = []

    def visit(node: ast.AST, function: str, making: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function, making = node.name, "subject" in node.name
        text = _colon_text(node)
        noun = NOUN.search(text) if text is not None else None
        # ":".join(...) is only ever a subject here
        joined = isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "join"
        if text is not None and (making or joined or (noun and noun[1] in nouns)):
            found.append((node.lineno, function, f"builds {text!r}…"))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            colon = node.args and isinstance(node.args[0], ast.Constant)
            if node.func.attr in SPLITS and colon and node.args[0].value == ":":
                found.append((node.lineno, function, f".{node.func.attr}(':')"))
        for child in ast.iter_child_nodes(node):
            in_argument = isinstance(child, ast.keyword) and child.arg == "subject"
            visit(child, function, making or in_argument)

    visit(tree, "", False)
    return found


def test_only_the_codec_builds_or_splits_a_subject():
    sources = _sources()
    nouns = _nouns(list(sources.values()))
    assert nouns >= {"submission", "application", "question", "scorecard", "debrief", "intake"}
    assert nouns >= {"action", "touchbase"}
    elsewhere = [
        f"{name}:{line} in {function or 'module'}: {what}"
        for name, tree in sources.items()
        if name != THE_CODEC
        for line, function, what in _subject_codecs(tree, nouns)
        if (name, function) not in NOT_SUBJECTS
    ]
    assert elsewhere == []


def test_the_scan_finds_each_hand_made_subject():
    planted = ast.parse(
        "def elsewhere(ask, pk, noun):\n"
        "    a = f'submission:{pk}'\n"
        "    b = 'question:' + str(pk)\n"
        "    c = 'debrief:%s' % pk\n"
        "    d = 'action:{}'.format(pk)\n"
        "    e = ':'.join([noun, str(pk)])\n"
        "    f = ask.subject.split(':')[1]\n"
        "    g = ask.subject.partition(':')\n"
        "    ask_open(kind='k', subject=f'room:{pk}')\n"
        "    ok = f'mailto:{pk}', f'Closed with the application: {pk}', f'{noun}:{pk}'\n"
        "def room_subject(pk):\n"
        "    return f'room:{pk}'\n"
    )
    nouns = {"submission", "question", "debrief", "action"}
    assert [line for line, _, _ in _subject_codecs(planted, nouns)] == [2, 3, 4, 5, 6, 7, 8, 9, 12]
