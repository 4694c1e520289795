#!/usr/bin/env bash
# Refresh the translation catalog after changing any user-facing string:
#   bash scripts/i18n.sh           extract, merge into zh, compile
# then translate the new entries in competitions/translations/zh/LC_MESSAGES/messages.po
# (or with scripts/po_fill.py) and run it again to compile.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
$PYBABEL extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --no-location --sort-output \
  --project competitions -o competitions/translations/messages.pot . >/dev/null 2>&1
$PYBABEL update -i competitions/translations/messages.pot -d competitions/translations \
  --no-fuzzy-matching -w 100 >/dev/null 2>&1
$PYBABEL compile -d competitions/translations --statistics
