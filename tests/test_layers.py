"""The apps' layers hold: each app imports only the layers below it, and no import hides
inside a function to dodge a cycle (docs/architecture.md, "Layers")."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "closeloop"


def test_the_import_linter_contract_in_pyproject_is_kept():
    # lint-imports configures logging with dictConfig, which disables every logger that
    # exists already (closeloop.*, django.*): switch them back on, or the tests that run
    # after this one in the same process read no log lines.
    enabled = [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.disabled
    ]
    try:
        code = lint_imports(
            config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True
        )
    finally:
        for logger in enabled:
            logger.disabled = False
    assert code == 0, "lint-imports found an import across layers (see the output above)"


# Inside one app, not across layers; each says why it is still there. The list only shrinks.
DOCUMENTED: set[tuple[str, str]] = set()


def _hidden_imports(path: Path) -> list[str]:
    """Imports of closeloop modules inside functions, except where Django wants them:
    `AppConfig.ready()` (models load after the registry) and management commands."""
    tree = ast.parse(path.read_text())
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if path.name == "apps.py" and function.name == "ready":
            continue
        for node in ast.walk(function):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if isinstance(node, ast.Import):
                module = node.names[0].name
            where = str(path.relative_to(SOURCE))
            if module and module.startswith("closeloop") and (where, module) not in DOCUMENTED:
                found.append(f"{where}:{node.lineno} {module}")
    return found


def test_no_module_imports_another_inside_a_function():
    hidden = [
        line
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
        for line in _hidden_imports(path)
    ]
    assert hidden == []
