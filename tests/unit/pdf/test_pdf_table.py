"""Printable tables: paging with repeated headers, page numbers, wrapping, refusals."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from competitions.pdf import Column, MissingGlyphError, TableDocument, render_table

COLUMNS = (
    Column("参赛号 No.", 1, "center"),
    Column("工位 Station", 1, "center"),
    Column("姓名 Name", 2),
    Column("工作单位 Employer", 3.5),
    Column("总分 Total", 1.2, "right"),
)
EMPLOYERS = ("深圳市龙华区某某智能装备科技股份有限公司第三分公司工业机器人事业部", "Foxconn")
NAMES = ("张伟", "欧阳娜娜", "李堃喆", "Jean-Baptiste Grenouille", "王珺玥")


def _results(count: int) -> TableDocument:
    rows = tuple(
        (f"{i:03d}", f"A-{i % 40 + 1:02d}", NAMES[i % 5], EMPLOYERS[i % 2], f"{95 - i * 0.1:.2f}")
        for i in range(1, count + 1)
    )
    return TableDocument(
        title="2026年龙华区职业技能竞赛 工业机器人系统运维 成绩表 Results",
        subtitle="2026 Longhua District Vocational Skills Competition",
        columns=COLUMNS,
        rows=rows,
        footer="裁判长签字 Chief judge: ____________",
        generated_at=datetime(2026, 5, 20, 14, 30, tzinfo=timezone(timedelta(hours=8))),
    )


def _page_texts(run_tool, pdf) -> list[str]:
    pages = int(re.search(r"Pages:\s+(\d+)", run_tool("pdfinfo", pdf)).group(1))
    return [
        run_tool("pdftotext", "-raw", "-f", str(n), "-l", str(n), pdf, "-")
        for n in range(1, pages + 1)
    ]


@pytest.fixture(scope="module")
def results_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("table") / "results.pdf"
    path.write_bytes(render_table(_results(400)))
    return path


def test_hundreds_of_rows_page_with_the_header_on_every_page(results_pdf, run_tool):
    pages = _page_texts(run_tool, results_pdf)

    assert len(pages) > 5
    for number, text in enumerate(pages, start=1):
        assert "工作单位 Employer" in text, number
        # The narrow header wraps between its Chinese and English words only.
        assert "工位\nStation" in text, number
        assert f"第 {number} / {len(pages)} 页 · Page {number} of {len(pages)}" in text
        assert "生成于 Generated 2026-05-20 14:30" in text
        assert "裁判长签字 Chief judge" in text


def test_every_row_is_printed_once(results_pdf, run_tool):
    text = "".join(_page_texts(run_tool, results_pdf))

    for i in (1, 57, 200, 400):
        assert len(re.findall(rf"(?m)^{i:03d} ", text)) == 1


def test_long_chinese_cells_wrap_inside_their_column(results_pdf, run_tool):
    html = run_tool("pdftotext", "-bbox", "-f", "1", "-l", "1", results_pdf, "-")
    boxes = [
        tuple(map(float, m))
        for m in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', html)
    ]
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))

    margin = 15 * 72 / 25.4  # 15 mm
    assert all(x0 >= margin - 1 and x1 <= width - margin + 1 for x0, x1 in boxes)
    # The employer name is longer than its column, so it took two lines.
    assert "深圳市龙华区某某智能装备科技股份有限公司第三分公司工业机器人事业部" not in html


def test_all_fonts_are_embedded(results_pdf, run_tool):
    rows = run_tool("pdffonts", results_pdf).splitlines()[2:]

    assert rows
    assert all(row.split()[-5:-3] == ["yes", "yes"] for row in rows)


def test_a_small_table_is_one_page_in_landscape(tmp_path, run_tool):
    doc = TableDocument(
        title="抽签结果 Draw sheet",
        columns=(Column("参赛号 No."), Column("工位 Station")),
        rows=(("001", "A-01"), ("002", "A-02")),
        landscape=True,
    )
    path = tmp_path / "draw.pdf"
    path.write_bytes(render_table(doc))

    info = run_tool("pdfinfo", path)
    assert "Pages:           1" in info
    assert "841.89 x 595.276 pts (A4)" in info


def test_a_cell_with_a_character_the_font_lacks_is_refused_by_row_and_column():
    doc = _results(5)
    rows = list(doc.rows)
    rows[2] = ("003", "A-03", "王𪚥", "Foxconn", "90.00")

    with pytest.raises(MissingGlyphError, match="row 3, 姓名 Name"):
        render_table(TableDocument(title=doc.title, columns=doc.columns, rows=tuple(rows)))


def test_rows_must_match_the_columns():
    with pytest.raises(ValueError, match="row 1 has 1 cells for 5 columns"):
        TableDocument(title="x", columns=COLUMNS, rows=(("only one",),))


def test_columns_are_checked():
    with pytest.raises(ValueError, match="width_weight"):
        Column("x", 0)
    with pytest.raises(ValueError, match="align"):
        Column("x", 1, "justify")  # type: ignore[arg-type]
