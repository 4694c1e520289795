"""Font discovery, the fallback chain and the refusal of undrawable characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from competitions.pdf import fonts

# 𪚥 (U+2A6A5, CJK Extension B) is a real but rare character that the packaged
# font lacks; the other rare name characters below are all covered.
MISSING = "𪚥"
RARE_NAME_CHARACTERS = "堃喆昇珺玥媛赟燊龑䶮𬌗𬭚𫖮"


def _gb2312_hanzi() -> str:
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def test_the_packaged_font_is_found_without_configuration(fresh_fonts):
    chain = fonts.font_chain()

    assert chain.primary.origin.startswith("weblate-fonts")
    assert chain.primary.path.suffix == ".ttf"
    assert chain.bold[0] is not None


def test_the_fonts_are_registered_once_per_process(fresh_fonts):
    assert fonts.font_chain() is fonts.font_chain()


def test_the_font_covers_gb2312_and_rare_name_characters():
    hanzi = _gb2312_hanzi()

    assert len(hanzi) == 6763
    assert fonts.missing_glyphs(hanzi + RARE_NAME_CHARACTERS) == set()
    assert fonts.missing_glyphs("Zhang Wei, Ltd. (No. 12) — “一等奖”，《》") == set()


def test_missing_glyphs_names_the_characters_no_font_has():
    assert fonts.missing_glyphs(f"王{MISSING}明") == {MISSING}


def test_check_text_refuses_a_name_naming_field_and_character():
    with pytest.raises(fonts.MissingGlyphError) as caught:
        fonts.check_text("person_name", f"王{MISSING}")

    assert caught.value.field == "person_name"
    assert caught.value.characters == (MISSING,)
    assert "person_name" in str(caught.value)
    assert MISSING in str(caught.value)
    assert "U+2A6A5" in str(caught.value)


def test_check_text_accepts_empty_and_drawable_text():
    fonts.check_text("employer", None)
    fonts.check_text("employer", "")
    fonts.check_text("person_name", "李堃喆")


def test_a_font_path_may_name_a_face_of_a_collection():
    assert fonts._parse_spec("/fonts/wqy-zenhei.ttc#1") == (Path("/fonts/wqy-zenhei.ttc"), 1)
    assert fonts._parse_spec("/fonts/simhei.ttf") == (Path("/fonts/simhei.ttf"), 0)
    assert fonts._parse_spec("/fonts/C#/x.ttf") == (Path("/fonts/C#/x.ttf"), 0)


def test_a_configured_font_comes_first_with_the_packaged_font_behind_it(fresh_fonts):
    packaged = fonts.font_chain().primary.path
    fonts.reset_font_cache()
    fresh_fonts.setenv(fonts.FONT_ENV, str(packaged.with_name("KurintoSansSC-Bd.ttf")))

    chain = fonts.font_chain()

    assert [face.origin for face in chain.regular][0] == fonts.FONT_ENV
    assert chain.regular[1].origin.startswith("weblate-fonts")
    # No CERTIFICATE_FONT_BOLD: bold text in that face is drawn by stroking.
    assert chain.bold[0] is None
    assert fonts.split_runs("张伟", bold=True)[0].fake_bold


def test_a_configured_font_that_does_not_exist_is_an_error(fresh_fonts, tmp_path):
    fresh_fonts.setenv(fonts.FONT_ENV, str(tmp_path / "nothing.ttf"))

    with pytest.raises(fonts.FontConfigError, match="CERTIFICATE_FONT"):
        fonts.font_chain()


def test_a_configured_font_with_cff_outlines_is_an_error(fresh_fonts):
    noto = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if not noto.is_file():
        pytest.skip("fonts-noto-cjk is not installed")
    fresh_fonts.setenv(fonts.FONT_ENV, f"{noto}#2")

    with pytest.raises(fonts.FontConfigError, match="postscript outlines"):
        fonts.font_chain()


def test_a_configured_font_without_chinese_is_an_error(fresh_fonts):
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    fresh_fonts.setenv(fonts.FONT_ENV, str(vera))

    with pytest.raises(fonts.FontConfigError, match="no Chinese glyphs"):
        fonts.font_chain()


def test_without_any_font_the_error_says_what_to_install(fresh_fonts):
    fresh_fonts.setattr(fonts, "_package_faces", lambda: None)
    fresh_fonts.setattr(fonts, "system_font_candidates", lambda env=None: iter(()))

    with pytest.raises(fonts.FontNotFoundError) as caught:
        fonts.font_chain()

    message = str(caught.value)
    assert "weblate-fonts" in message
    assert "fonts-wqy-zenhei" in message
    assert fonts.FONT_ENV in message


def test_a_system_font_is_used_when_the_package_is_missing(fresh_fonts):
    packaged = fonts.font_chain().primary.path
    fonts.reset_font_cache()
    fresh_fonts.setattr(fonts, "_package_faces", lambda: None)
    fresh_fonts.setattr(fonts, "system_font_candidates", lambda env=None: iter([packaged]))

    chain = fonts.font_chain()

    assert chain.primary.origin.startswith("system font")
    assert chain.bold == (None,)


def test_runs_switch_face_only_where_needed(fresh_fonts):
    runs = fonts.split_runs("张伟 Zhang Wei")

    assert len(runs) == 1
    assert runs[0].text == "张伟 Zhang Wei"
    assert fonts.string_width("张伟", 10) == pytest.approx(20, rel=0.1)


def test_markup_escapes_text_for_paragraphs():
    markup = fonts.markup("A & B <c>")

    assert "&amp;" in markup
    assert "&lt;c&gt;" in markup
    assert markup.startswith("<font face=")
