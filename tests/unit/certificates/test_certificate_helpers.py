"""Small pure helpers of the certificate package: recognition settings, file names, codes."""

import pytest

from competitions.certificates import services
from competitions.certificates.recognition import recognition_parts


@pytest.mark.parametrize(
    "setting,expected",
    [
        (
            {"zh": "推荐申报区级技术能手", "en": "Recommend", "skill_levels": 1},
            ("推荐申报区级技术能手", "Recommend", 1),
        ),
        (
            {"en": "Promote one skill level"},
            ("Promote one skill level", "Promote one skill level", None),
        ),
        ({"zh": "晋升一级"}, ("晋升一级", "晋升一级", None)),
        ({}, ("", "", None)),
        (None, ("", "", None)),
        ({"skill_levels": True}, ("", "", None)),  # a boolean is not a number of levels
        ({"skill_levels": "2"}, ("", "", None)),
    ],
)
def test_recognition_parts(setting, expected):
    assert recognition_parts(setting) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("LH-2026-ROBOT-0001-张伟", "LH-2026-ROBOT-0001-张伟"),
        ("A-0001-../../etc/passwd", "A-0001-.._.._etc_passwd"),
        ('A-0001-a:b*c?"<>|', "A-0001-a_b_c_"),
        ("A-0001-\x00\x1f名", "A-0001-_名"),
        ("...", "certificate"),
    ],
)
def test_safe_filename(text, expected):
    assert services._safe_filename(text) == expected


def test_claim_codes_hash_and_normalise():
    stored = services._hash_code("ABCDE-FGH23")
    assert "ABCDEFGH23" not in stored and stored.startswith("pbkdf2_sha256$")
    assert services._code_matches(stored, "abcde fgh23")
    assert services._code_matches(stored, "ABCDEFGH23")
    assert not services._code_matches(stored, "ABCDEFGH24")
    assert not services._code_matches("garbage", "ABCDEFGH23")
    assert services._format_code("ABCDEFGH23") == "ABCDE-FGH23"
    assert not set("01OIL") & set(services.CLAIM_ALPHABET)


def test_verification_codes_are_random_and_long():
    codes = {services.new_verification_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 24 for code in codes)  # 18 random bytes = 144 bits
