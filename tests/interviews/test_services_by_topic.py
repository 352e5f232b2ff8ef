"""The interview services live one module per topic; the package re-exports the public names,
so `closeloop.interviews.services.X` keeps working for every caller."""

from __future__ import annotations

import ast
from pathlib import Path

from closeloop.interviews import services

PACKAGE = Path(services.__file__).parent
TOPICS = {
    "booking",
    "closing",
    "common",
    "debriefs",
    "holds",
    "panels",
    "rounds",
    "scorecards",
    "settling",
    "steps",
}


def test_each_topic_is_a_module_of_a_readable_size():
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    assert modules == TOPICS
    sizes = {path.name: len(path.read_text().splitlines()) for path in PACKAGE.glob("*.py")}
    assert max(sizes.values()) <= 400, sizes


def test_every_public_service_is_re_exported_from_the_package():
    public = set()
    for topic in TOPICS:
        tree = ast.parse((PACKAGE / f"{topic}.py").read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                public.add(node.name)
    assert public <= set(services.__all__)
    assert all(callable(getattr(services, name)) for name in public)


def test_the_worker_steps_are_the_packages_own():
    assert services.interviews_complete.__module__ == "closeloop.interviews.services.steps"
    assert services.debriefs_open_due.__module__ == "closeloop.interviews.services.steps"
