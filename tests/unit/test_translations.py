"""Every user-facing string has a Chinese translation, and the compiled catalog is current."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "competitions/translations/zh/LC_MESSAGES/messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "_l": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
}
METHODS = [("competitions/**.py", "python"), ("templates/**.html", "jinja2")]


def _catalog():
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh")


def _extracted_ids():
    ids = set()
    for method_dir in (ROOT,):
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            method_dir, METHODS, keywords=KEYWORDS
        ):
            ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def test_every_string_is_in_the_catalog():
    catalog = _catalog()
    missing = sorted(msgid for msgid in _extracted_ids() if msgid and msgid not in catalog)
    assert missing == [], "run scripts/i18n.sh and translate: " + repr(missing[:10])


def test_every_catalog_entry_is_translated():
    untranslated = [
        message.id
        for message in _catalog()
        if message.id
        and (
            not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
            or message.fuzzy
        )
    ]
    assert untranslated == []


def test_compiled_catalog_is_current():
    with MO.open("rb") as handle:
        compiled = read_mo(handle)

    def entries(catalog):
        return {
            tuple(m.id) if isinstance(m.id, list | tuple) else m.id: (
                tuple(m.string) if isinstance(m.string, list | tuple) else m.string
            )
            for m in catalog
            if m.id
        }

    source, built = entries(_catalog()), entries(compiled)
    assert built == source, "run scripts/i18n.sh to compile"
