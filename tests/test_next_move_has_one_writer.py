"""Whose move it is has one writer: `pipeline.services.application_next_move_set`.

Every app that changes whose move it is (the pipeline's own services, the interview loop,
the demo seeder) goes through it, so the rule "no owner, no waiting time" lives once.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "closeloop"
FIELDS = {"next_move_owner", "next_move_owner_id", "next_move_since"}
# Calls that write the keywords they are given (filter/exclude only read them).
WRITING_CALLS = {"update", "create", "bulk_create", "get_or_create", "update_or_create"}
THE_DOOR = ("pipeline/services.py", "application_next_move_set")


def _writes(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, enclosing function) of every assignment to, or ORM write of, the fields."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for leaf in ast.walk(target):
                if isinstance(leaf, ast.Attribute) and leaf.attr in FIELDS:
                    found.append((node.lineno, function))
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            writes = name in WRITING_CALLS or name == "Application"
            if writes and any(keyword.arg in FIELDS for keyword in node.keywords):
                found.append((node.lineno, function))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "")
    return found


def test_only_the_pipelines_one_service_writes_whose_move_it_is():
    writers = [
        f"{path.relative_to(SOURCE)}:{line} in {function or 'module'}"
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
        for line, function in _writes(ast.parse(path.read_text()))
        if (str(path.relative_to(SOURCE)), function) != THE_DOOR
    ]
    assert writers == []


def test_the_scan_finds_a_plain_assignment_and_an_orm_update():
    planted = ast.parse(
        "def elsewhere(application):\n"
        "    application.next_move_owner = None\n"
        "    Application.objects.filter(pk=1).update(next_move_since=None)\n"
        "    Application.objects.filter(next_move_owner=None)\n"
    )
    assert _writes(planted) == [(2, "elsewhere"), (3, "elsewhere")]
