#!/usr/bin/env bash
# Install the test extras into .venv and run the whole suite.
#   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test  runs it on PostgreSQL
#   extra arguments go to pytest, e.g.  bash scripts/test.sh tests/unit -x
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)")'
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" --dist loadfile "$@"
