"""Line breaking and shrink-to-fit for the certificate text."""

from __future__ import annotations

import pytest

from competitions.pdf.layout import Block, Span, fit_blocks, wrap

LONG_ZH = (
    "2026年粤港澳大湾区暨深圳市龙华区第十五届“龙华工匠杯”职工职业技能竞赛总决赛（智能制造专项）"
)
LONG_EN = "Final of the 15th Longhua Craftsman Cup Employee Vocational Skills Competition"


def _texts(lines):
    return ["".join(p.text for p in line.pieces) for line in lines]


@pytest.mark.parametrize("width", [60, 150, 400])
def test_no_line_is_wider_than_the_box(width):
    lines = wrap([Span(LONG_ZH), Span(" "), Span(LONG_EN, bold=True)], 14, width)

    assert len(lines) > 1
    assert all(line.width <= width + 1e-6 for line in lines)
    assert "".join(_texts(lines)).replace(" ", "") == (LONG_ZH + LONG_EN).replace(" ", "")


def test_english_breaks_between_words():
    lines = wrap([Span(LONG_EN)], 12, 200)

    words = set(LONG_EN.split())
    for text in _texts(lines):
        assert set(text.split()) <= words


def test_closing_punctuation_does_not_start_a_line():
    text = "甲乙丙丁戊己庚辛壬癸，子丑寅卯辰巳午未申酉戌亥。"
    for width in range(40, 200, 7):
        for line in _texts(wrap([Span(text)], 10, width))[1:]:
            assert line[0] not in "，。"


def test_a_kept_span_moves_whole_to_the_next_line():
    lines = wrap([Span("在这里获得了"), Span("赛项中荣获", keep=True)], 10, 90)

    assert "赛项中荣获" in _texts(lines)[-1]


def test_a_word_longer_than_the_line_is_cut_to_fit():
    lines = wrap([Span("x" * 200)], 10, 100)

    assert all(line.width <= 100 for line in lines)
    assert "".join(_texts(lines)) == "x" * 200


def test_blocks_shrink_until_they_fit():
    blocks = [Block((Span(LONG_ZH * 3),), size=20), Block((Span(LONG_EN * 3),), size=12)]

    scale, laid = fit_blocks(blocks, 300, 120)

    assert scale < 1
    height = sum(line.height * block.leading for block, lines in laid for line in lines)
    assert height <= 120


def test_blocks_that_fit_keep_their_size():
    scale, laid = fit_blocks([Block((Span("张伟"),), size=20)], 300, 120)

    assert scale == 1
    assert _texts(laid[0][1]) == ["张伟"]
