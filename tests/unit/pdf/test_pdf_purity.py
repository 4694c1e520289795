"""The PDF package only renders: no web framework, no database, no other domain."""

from __future__ import annotations

import ast
from pathlib import Path

import competitions.pdf

PACKAGE = Path(competitions.pdf.__file__).parent
FORBIDDEN = ("flask", "flask_", "sqlalchemy", "werkzeug", "jinja2", "alembic")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_pdf_modules_import_no_framework_or_database():
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) >= 6
    for path in modules:
        for name in _imports(path):
            assert not name.lower().startswith(FORBIDDEN), f"{path.name} imports {name}"
            if name.startswith("competitions"):
                assert name.startswith("competitions.pdf"), f"{path.name} imports {name}"
