"""The input/output modules are pure: they import neither Flask nor SQLAlchemy."""

import subprocess
import sys

PURE = [
    "competitions.sheets.validators",
    "competitions.sheets.reader",
    "competitions.sheets.writer",
    "competitions.sheets.columns",
    "competitions.sheets.contestants",
    "competitions.sheets.judges",
    "competitions.package.schema",
    "competitions.package.serialize",
]


def test_pure_modules_import_no_web_or_database_framework():
    # A fresh interpreter, so that modules other tests imported do not count.
    code = (
        "import sys\n"
        f"for name in {PURE!r}: __import__(name)\n"
        "roots = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(roots & {'flask', 'sqlalchemy', 'werkzeug'}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "[]"
