"""Checks and masks for the personal data people type into forms and spreadsheets.

Chinese resident ID numbers follow GB 11643-1999: six digits of region code, eight of birth
date (YYYYMMDD), three of sequence and one check character computed with ISO 7064 MOD 11-2.
Numbers come from spreadsheets with full-width digits, a lower-case x and stray spaces, so the
checks normalise before they validate and return the normalised text.

Every function is pure; the checks raise ``ValueError`` with a reason fit to show to the person
who typed the value.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = [
    "birth_date_from_id",
    "check_id_number",
    "check_phone",
    "id_check_character",
    "mask_id_number",
    "mask_phone",
]

_CHINA = ZoneInfo("Asia/Shanghai")

# GB 11643-1999: weight of position i is 2**(17 - i) mod 11; the sum of weighted digits mod 11
# picks the check character from this table.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# First two digits (province level) of GB/T 2260 region codes. 71 is Taiwan province and
# 81, 82 and 83 are the residence permits of Hong Kong, Macao and Taiwan residents, which
# share the 18-character format.
_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)

_SPACES = re.compile(r"\s+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# Area codes are 0 + two digits for 10 and 2X (Beijing, Shanghai, Guangzhou, ...) and 0 + three
# digits elsewhere, so the split between area code and number is never ambiguous.
_LANDLINE = re.compile(
    r"(?P<area>0(?:10|2\d|[3-9]\d{2}))-?(?P<local>\d{7,8})(?:(?:-|转|ext\.?|x)(?P<ext>\d{1,6}))?"
)


def _normalise(text: str) -> str:
    """Fold full-width characters to ASCII and drop all white space."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def check_id_number(text: str, *, today: date | None = None) -> str:
    """Validate a Chinese resident ID number and return it normalised.

    Full-width characters are folded, white space removed and a final ``x`` upper-cased.
    ``today`` (default: today in China) bounds the birth date.

    Raises ``ValueError`` naming the first thing wrong: length, characters, region, birth date
    or check digit (``"check digit should be X"``).
    """
    if not isinstance(text, str):
        raise ValueError("must be text")
    number = _normalise(text).upper()
    if not number:
        raise ValueError("is empty")
    if len(number) == 15 and number.isdigit():
        raise ValueError("is a 15-digit first-generation ID number; give the 18-character number")
    if len(number) != 18:
        raise ValueError(f"must have 18 characters, not {len(number)}")
    if not (number[:17].isascii() and number[:17].isdigit()):
        raise ValueError("the first 17 characters must be digits")
    if not (number[17].isdigit() or number[17] == "X"):
        raise ValueError("the last character must be a digit or X")
    if int(number[:2]) not in _PROVINCES:
        raise ValueError(f"{number[:2]} is not a province code: the first digits are wrong")
    birth = number[6:14]
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        raise ValueError(f"birth date {birth} is not a real date") from None
    today = today or datetime.now(_CHINA).date()
    if born.year < 1900 or born > today:
        raise ValueError(f"birth date {birth} is not plausible")
    expected = id_check_character(number[:17])
    if number[17] != expected:
        raise ValueError(f"check digit should be {expected}")
    return number


def id_check_character(first_17: str) -> str:
    """Return the GB 11643 check character (0-9 or X) for the first 17 digits of an ID number.

    Raises ``ValueError`` unless ``first_17`` is 17 ASCII digits.
    """
    if len(first_17) != 17 or not (first_17.isascii() and first_17.isdigit()):
        raise ValueError("needs the first 17 digits of an ID number")
    return _ID_CHECK[sum(w * int(d) for w, d in zip(_ID_WEIGHTS, first_17, strict=True)) % 11]


def birth_date_from_id(text: str) -> date:
    """Return the birth date encoded in a valid ID number.

    Raises ``ValueError`` (as ``check_id_number``) when the number is not valid.
    """
    number = check_id_number(text)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def check_phone(text: str) -> str:
    """Validate a mainland China phone number and return it normalised.

    Mobile numbers (``1[3-9]`` and nine digits, optionally after +86, 86 or 0086) come back as
    eleven digits. Landlines come back as ``0755-12345678``, with an extension as
    ``0755-12345678-123``; ``+86 755 12345678`` is read as the landline ``0755-12345678``.

    Raises ``ValueError`` when the text is neither.
    """
    if not isinstance(text, str):
        raise ValueError("must be text")
    number = _normalise(text).replace("(", "").replace(")", "")
    if not number:
        raise ValueError("is empty")
    international = False
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            number, international = number[len(prefix) :].lstrip("-"), True
            break
    else:
        # A bare 86 is a country code only in front of a full mobile number (13 digits in all).
        if len(number) == 13 and number.startswith("86") and _MOBILE.fullmatch(number[2:]):
            number = number[2:]
    if _MOBILE.fullmatch(number.replace("-", "")):
        return number.replace("-", "")
    if international and not number.startswith("0"):
        number = "0" + number  # the trunk prefix is dropped after a country code
    landline = _LANDLINE.fullmatch(number)
    if landline:
        parts = [landline["area"], landline["local"]]
        if landline["ext"]:
            parts.append(landline["ext"])
        return "-".join(parts)
    raise ValueError(
        "is not a mobile number (11 digits starting with 13 to 19) "
        "or a landline with its area code, like 0755-12345678"
    )


def mask_id_number(text: str) -> str:
    """Mask an ID number for display, keeping the first four and last four characters.

    ``11010519491231002X`` becomes ``1101**********002X``. Text of eight characters or fewer is
    masked entirely, so nothing of a short value leaks. Never raises.
    """
    text = text.strip()
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def mask_phone(text: str) -> str:
    """Mask a phone number for display, keeping its first three and last four digits.

    ``13800138000`` becomes ``138****8000``; a landline keeps its area code and last four
    digits (``0755-****5678``). Text of seven characters or fewer is masked entirely. Never
    raises.
    """
    text = text.strip()
    head, sep, local = text.partition("-")
    if sep and head.startswith("0") and len(local) > 4:
        local, sep2, ext = local.partition("-")
        masked = "*" * (len(local) - 4) + local[-4:]
        return f"{head}-{masked}" + (f"-{ext}" if sep2 else "")
    if len(text) <= 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]
