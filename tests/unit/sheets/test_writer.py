import io
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from competitions.sheets.reader import read_table
from competitions.sheets.writer import safe_cell, write_csv, write_xlsx


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+8613800138000", "'+8613800138000"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("张伟", "张伟"),
        ("a=1", "a=1"),
        ("", ""),
        (" =1", " =1"),
        (-5, -5),
        (Decimal("-1.5"), Decimal("-1.5")),
        (2.5, 2.5),
        (None, None),
        (True, True),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_csv_has_a_bom_crlf_and_escaped_formulas():
    data = write_csv(
        ["姓名", "分数", "备注"],
        [['=HYPERLINK("http://x")', Decimal("87.35"), "@x"], ["张伟", 3, None]],
    )
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == (
        '姓名,分数,备注\r\n"\'=HYPERLINK(""http://x"")",87.35,\'@x\r\n张伟,3,\r\n'
    )


def test_csv_writes_numbers_exactly_and_dates_as_iso():
    data = write_csv(
        ["a", "b", "c", "d", "e", "f"],
        [
            [
                Decimal("1E+2"),
                Decimal("0.1") + Decimal("0.2"),
                date(2026, 10, 10),
                datetime(2026, 10, 10, 8, 30),  # noqa: DTZ001 (spreadsheets have no zones)
                True,
                -4,
            ]
        ],
    )
    assert (
        data.decode("utf-8-sig").splitlines()[1] == "100,0.3,2026-10-10,2026-10-10 08:30:00,TRUE,-4"
    )


def test_csv_in_gb18030_reads_back():
    data = write_csv(["姓名"], [["张伟"]], encoding="gb18030")
    assert data == "姓名\r\n张伟\r\n".encode("gb18030")
    assert read_table(data, "x.csv").rows[0].cells == ("张伟",)


def test_xlsx_escapes_text_and_keeps_numbers_numeric():
    data = write_xlsx(
        [
            (
                "名单",
                ["姓名", "分数", "备注"],
                [["=1+1", Decimal("87.35"), "ok\x07"], ["张伟", 3, None]],
            )
        ]
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'=1+1"
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 87.35
    assert sheet["B2"].data_type == "n"
    assert sheet["C2"].value == "ok"  # the bell character cannot be stored in XML
    assert sheet["B3"].value == 3


def test_xlsx_header_is_bold_and_frozen_and_columns_are_sized():
    data = write_xlsx([("名单", ["姓名", "工作单位"], [["张伟", "某某精密制造有限公司" * 10]])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "名单"
    assert sheet["A1"].font.bold
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 6  # "姓名" is 4 wide + 2, at least 6
    assert sheet.column_dimensions["B"].width == 60  # capped


def test_xlsx_streams_many_rows_and_several_sheets():
    rows = ([n, f"名字{n}"] for n in range(1000))
    data = write_xlsx([("A", ["n", "name"], rows), ("B", ["x"], [])])
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == ["A", "B"]
    assert len(read_table(data, "x.xlsx").rows) == 1000
    workbook.close()


def test_xlsx_sheet_titles_are_made_valid_and_unique():
    data = write_xlsx(
        [
            ("a/b:c*d?[e]", ["x"], []),
            ("A/B:C*D?[E]", ["x"], []),
            ("2026年龙华区职业技能竞赛工业机器人系统运维赛项选手名单（决赛）", ["x"], []),
            ("", ["x"], []),
        ]
    )
    titles = load_workbook(io.BytesIO(data)).sheetnames
    assert titles[:2] == ["a_b_c_d__e_", "A_B_C_D__E_ (2)"]
    assert (
        titles[2] == "2026年龙华区职业技能竞赛工业机器人系统运维赛项选手名单（决"
    )  # 31 characters
    assert titles[3] == "Sheet"


def test_xlsx_needs_a_sheet():
    with pytest.raises(ValueError, match="at least one sheet"):
        write_xlsx([])


def test_written_xlsx_reads_back_as_the_same_text():
    rows = [["张伟", "11010519491231002X", "13800138000", "007", date(2026, 1, 2)]]
    data = write_xlsx([("x", ["姓名", "身份证号", "手机号", "工位号", "日期"], rows)])
    assert read_table(data, "x.xlsx").rows[0].cells == (
        "张伟",
        "11010519491231002X",
        "13800138000",
        "007",
        "2026-01-02",
    )


def test_other_values_are_written_as_escaped_text_and_long_rows_get_widths():
    data = write_xlsx([("x", ["a"], [[Fraction(1, 3), "extra", Fraction(-1, 2)]])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [cell.value for cell in sheet[2]] == ["1/3", "extra", "'-1/2"]
    assert sheet.column_dimensions["C"].width == 6
    assert write_csv(["a"], [[Fraction(-1, 2)]]).decode("utf-8-sig") == "a\r\n'-1/2\r\n"
