#!/usr/bin/env bash
# Until the first release the schema is one reviewed migration. After changing
# models, rebuild it in place (same revision id) and read the result:
#   bash scripts/regen_initial_migration.sh
# Once a release has shipped, add new migrations with `flask db migrate` instead.
set -euo pipefail
cd "$(dirname "$0")/.."
REV=ea90ecd7c9b6
FILE=migrations/versions/${REV}_initial_schema.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FLASK_APP=wsgi DATABASE_URL="sqlite:///$tmp/empty.db"
rm -f migrations/versions/*.py
.venv/bin/flask db migrate -m "initial schema" --rev-id "$REV" >/dev/null 2>&1
test -f "$FILE" || { echo "migration was not generated" >&2; exit 1; }
sed -i '/^Create Date:/d' "$FILE"
.venv/bin/ruff format -q "$FILE" 2>/dev/null || true
echo "rebuilt $FILE — read it before committing"
