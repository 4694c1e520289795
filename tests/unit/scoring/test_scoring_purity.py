"""The scoring core stays plain Python: no Flask, no database, nothing but the stdlib."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import competitions.scoring

PACKAGE = Path(competitions.scoring.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))
# Standard library modules that would still bring a database in.
FORBIDDEN_STDLIB = {"sqlite3", "dbm", "shelve"}
FORBIDDEN = ["flask", "werkzeug", "jinja2", "sqlalchemy", "flask_sqlalchemy", "alembic"]
FORBIDDEN += ["psycopg", "redis", *FORBIDDEN_STDLIB]


def imported_modules(path: Path) -> list[tuple[str, int]]:
    """(module name, relative level) for every import statement in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_the_package_has_modules():
    assert {path.stem for path in MODULES} >= {"__init__", "model", "results", "rounding"}


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_modules_import_only_the_standard_library_and_each_other(path):
    for name, level in imported_modules(path):
        if level:
            continue  # relative: another module of the scoring package
        top = name.partition(".")[0]
        assert top in sys.stdlib_module_names, f"{path.name} imports {name}"
        assert top not in FORBIDDEN_STDLIB, f"{path.name} imports {name}"


def test_importing_the_package_loads_no_web_or_database_library():
    # The parent package may grow a Flask app factory; stand in for it so that
    # only the scoring package's own imports are measured.
    script = f"""
import importlib, pkgutil, sys, types
parent = types.ModuleType("competitions")
parent.__path__ = [{str(PACKAGE.parent)!r}]
sys.modules["competitions"] = parent
import competitions.scoring as scoring
for module in pkgutil.iter_modules(scoring.__path__):
    importlib.import_module("competitions.scoring." + module.name)
loaded = {{name.partition(".")[0] for name in sys.modules}}
print(",".join(sorted(loaded & set({FORBIDDEN!r}))))
"""
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout.strip() == ""
