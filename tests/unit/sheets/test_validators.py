from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competitions.sheets.validators import (
    birth_date_from_id,
    check_id_number,
    check_phone,
    id_check_character,
    mask_id_number,
    mask_phone,
)
from tests.unit.sheets.ids import make_id_number

VALID_ID = "11010519491231002X"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID_ID, VALID_ID),
        ("11010519491231002x", VALID_ID),
        (" 110105 19491231 002X ", VALID_ID),
        ("１１０１０５１９４９１２３１００２Ｘ", VALID_ID),  # full-width, as some IMEs type
        ("440305199001011248", "440305199001011248"),
    ],
)
def test_id_number_is_normalised(text, expected):
    assert check_id_number(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "is empty"),
        ("110105194912310", "15-digit first-generation"),
        ("1101051949123100", "must have 18 characters, not 16"),
        ("11010519491231002X1", "must have 18 characters, not 19"),
        ("1101051949123100X2", "the first 17 characters must be digits"),
        ("11010519491231002Y", "the last character must be a digit or X"),
        ("99010519491231002X", "99 is not a province code"),
        ("110105194913310025", "birth date 19491331 is not a real date"),
        ("110105190002290020", "birth date 19000229 is not a real date"),  # 1900: no leap day
        ("110105189912310020", "birth date 18991231 is not plausible"),
        ("110105194912310021", "check digit should be X"),
        ("440305199001011240", "check digit should be 8"),
    ],
)
def test_id_number_errors_give_the_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        check_id_number(text)


def test_id_number_birth_date_may_not_be_in_the_future():
    number = make_id_number(date(2030, 1, 1))
    with pytest.raises(ValueError, match="not plausible"):
        check_id_number(number, today=date(2026, 1, 1))
    assert check_id_number(number, today=date(2030, 1, 1)) == number


def test_id_number_rejects_non_text():
    with pytest.raises(ValueError, match="must be text"):
        check_id_number(110105194912310020)  # type: ignore[arg-type]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)), st.integers(0, 999))
def test_every_generated_id_number_is_valid_and_reads_back_its_birth_date(born, sequence):
    number = make_id_number(born, sequence=sequence)
    assert check_id_number(number) == number
    assert birth_date_from_id(number) == born


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)), st.integers(0, 16))
def test_changing_one_digit_breaks_the_check_digit_or_the_date(born, position):
    number = make_id_number(born)
    digit = int(number[position])
    changed = number[:position] + str((digit + 1) % 10) + number[position + 1 :]
    with pytest.raises(ValueError):
        check_id_number(changed)


def test_birth_date_from_id():
    assert birth_date_from_id(VALID_ID) == date(1949, 12, 31)
    with pytest.raises(ValueError, match="check digit"):
        birth_date_from_id("110105194912310021")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("19912345678", "19912345678"),
        ("0755-12345678", "0755-12345678"),
        ("075512345678", "0755-12345678"),
        ("(0755) 12345678", "0755-12345678"),
        ("010-12345678", "010-12345678"),
        ("021 1234 5678", "021-12345678"),
        ("0571-1234567", "0571-1234567"),
        ("+86 755 12345678", "0755-12345678"),
        ("0755-12345678-123", "0755-12345678-123"),
        ("0755-12345678转123", "0755-12345678-123"),
    ],
)
def test_phone_is_normalised(text, expected):
    assert check_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "12345", "12800138000", "1380013800", "138001380001", "0755-123", "755-12345678", "abc"],
)
def test_phone_errors(text):
    with pytest.raises(ValueError, match="mobile number|is empty"):
        check_phone(text)


def test_phone_rejects_non_text():
    with pytest.raises(ValueError, match="must be text"):
        check_phone(13800138000)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID_ID, "1101**********002X"),
        ("440305199001011248", "4403**********1248"),
        ("123456789", "1234*6789"),
        ("12345678", "********"),
        ("", ""),
    ],
)
def test_mask_id_number(text, expected):
    assert mask_id_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13800138000", "138****8000"),
        ("0755-12345678", "0755-****5678"),
        ("010-1234567", "010-***4567"),
        ("0755-12345678-123", "0755-****5678-123"),
        ("1234567", "*******"),
        ("", ""),
    ],
)
def test_mask_phone(text, expected):
    assert mask_phone(text) == expected


@pytest.mark.parametrize(
    "text", ["", "1234567890123456", "1234567890123456X", "１２３４５６７８９０１２３４５６７"]
)
def test_id_check_character_needs_17_digits(text):
    with pytest.raises(ValueError, match="17 digits"):
        id_check_character(text)
