"""The input/output and rendering modules are pure: they import neither Flask nor SQLAlchemy."""

import subprocess
import sys
from pathlib import Path

import competitions

PACKAGE_DIR = Path(competitions.__file__).parent
PURE = [
    "competitions.sheets.validators",
    "competitions.sheets.reader",
    "competitions.sheets.writer",
    "competitions.sheets.columns",
    "competitions.sheets.contestants",
    "competitions.sheets.judges",
    "competitions.package.schema",
    "competitions.package.serialize",
    "competitions.pdf.certificate",
    "competitions.pdf.table",
]


def test_pure_modules_import_no_web_or_database_framework():
    # A fresh interpreter, so that modules other tests imported do not count; the
    # parent package (the Flask app factory) is stood in for by an empty module.
    code = (
        "import sys, types\n"
        "parent = types.ModuleType('competitions')\n"
        f"parent.__path__ = [{str(PACKAGE_DIR)!r}]\n"
        "sys.modules['competitions'] = parent\n"
        f"for name in {PURE!r}: __import__(name)\n"
        "roots = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(roots & {'flask', 'sqlalchemy', 'werkzeug', 'flask_sqlalchemy'}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert output.stdout.strip() == "[]"
