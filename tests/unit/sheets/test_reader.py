import codecs
import io
import re
import zipfile
from datetime import date, datetime, time, timedelta

import openpyxl
import pytest
from openpyxl import Workbook

from competitions.sheets import reader
from competitions.sheets.reader import Row, SheetError, Table, column_letter, read_table
from tests.unit.sheets.files import SHEET, declare_size, make_xlsx, rewrite_members, with_sheet_data

HEADER = "赛项代码,姓名,身份证号,手机号"
ROW = "ROBOT,张伟,11010519491231002X,13800138000"


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


# --- CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_in_the_encodings_chinese_spreadsheets_are_saved_in(encoding):
    table = read_table(csv_bytes(f"{HEADER}\r\n{ROW}\r\n", encoding), "名单.csv")
    assert table.headers == ("赛项代码", "姓名", "身份证号", "手机号")
    assert table.rows == (Row(2, ("ROBOT", "张伟", "11010519491231002X", "13800138000")),)


def test_utf8_bom_does_not_stick_to_the_first_header():
    table = read_table(codecs.BOM_UTF8 + b"a,b\n1,2\n", "x.csv")
    assert table.headers == ("a", "b")


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_csv_separator_is_sniffed(separator):
    text = f"{HEADER}\n{ROW}\n".replace(",", separator)
    table = read_table(text.encode(), "x.csv")
    assert table.rows[0].cells == ("ROBOT", "张伟", "11010519491231002X", "13800138000")


def test_commas_inside_quotes_do_not_decide_the_separator_wrongly():
    text = 'name;note\n张伟;"a, b, c"\n'
    assert read_table(text.encode(), "x.csv").rows[0].cells == ("张伟", "a, b, c")


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them():
    text = 'a,b\n\n1,"two\nlines"\n,\n3,4\n'
    table = read_table(text.encode(), "x.csv")
    # Row 2 is blank and row 4 holds only empty cells: both are dropped but counted.
    assert [row.number for row in table.rows] == [3, 5]
    assert table.rows[0].cells == ("1", "two\nlines")


def test_header_is_the_first_non_empty_row():
    table = read_table(b"\n\n,,\nname,phone\nx,y\n", "x.csv")
    assert table.header_row == 4
    assert table.headers == ("name", "phone")
    assert table.rows[0].number == 5


def test_cells_are_stripped_of_spaces_and_invisible_characters():
    text = "name,phone\n  张伟\u3000, \u200b13800138000\ufeff \n"
    assert read_table(text.encode(), "x.csv").rows[0].cells == ("张伟", "13800138000")


def test_rows_are_padded_to_the_widest_row():
    table = read_table(b"a,b\n1\n1,2,3\n", "x.csv")
    assert table.headers == ("a", "b", "")
    assert [row.cells for row in table.rows] == [("1", "", ""), ("1", "2", "3")]


def test_trailing_empty_cells_do_not_widen_the_table():
    table = read_table(b"a,b,,,,\n1,2,,,,,,,\n", "x.csv")
    assert table.headers == ("a", "b")


def test_empty_file_is_refused():
    with pytest.raises(SheetError, match="empty"):
        read_table(b"\n ,\n", "x.csv")


def test_undecodable_csv_is_refused():
    with pytest.raises(SheetError, match="encoding"):
        read_table(b"\xff\xfe\x00\xd8", "x.csv")  # UTF-16 BOM, then a lone surrogate


def test_xlsx_saved_as_csv_is_refused_with_advice():
    with pytest.raises(SheetError, match="rename it"):
        read_table(make_xlsx([["a"]]), "x.csv")


def test_csv_field_too_large_is_refused():
    with pytest.raises(SheetError, match="not valid CSV"):
        read_table(b"a\n" + b"x" * 200_000 + b"\n", "x.csv", max_bytes=10**6)


def test_csv_over_max_rows_is_refused():
    text = "a\n" + "x\n" * 6
    assert len(read_table(text.encode(), "x.csv", max_rows=6).rows) == 6
    with pytest.raises(SheetError, match="more than 5 rows of data"):
        read_table(text.encode(), "x.csv", max_rows=5)


def test_csv_with_a_million_empty_lines_is_refused_without_reading_them(monkeypatch):
    monkeypatch.setattr(reader, "EMPTY_ROW_ALLOWANCE", 100)
    data = b"a\nx\n" + b"\n" * 1_000_000
    with pytest.raises(SheetError, match="past row 106"):
        read_table(data, "x.csv", max_rows=5)


def test_csv_trailing_empty_lines_within_the_allowance_are_ignored(monkeypatch):
    monkeypatch.setattr(reader, "EMPTY_ROW_ALLOWANCE", 100)
    table = read_table(b"a\nx\n" + b",,\n" * 100, "x.csv", max_rows=5)
    assert len(table.rows) == 1


def test_too_many_columns_are_refused():
    with pytest.raises(SheetError, match="Row 2 has a value in column D; at most 3 columns"):
        read_table(b"a,b,c\n1,2,3,4\n", "x.csv", max_columns=3)


# --- size and type --------------------------------------------------------------------------


def test_file_over_max_bytes_is_refused():
    with pytest.raises(SheetError, match=r"The file is 2 KB; files up to 1 KB"):
        read_table(b"a\n" * 1024, "x.csv", max_bytes=1024)


@pytest.mark.parametrize("name", ["名单.xls", "x.et", "x.ods", "x.xlsm", "x.XLS"])
def test_other_spreadsheet_types_are_refused_with_advice(name):
    with pytest.raises(SheetError, match=r"Save it as an Excel workbook \(.xlsx\) or as CSV"):
        read_table(b"whatever", name)


@pytest.mark.parametrize("name", ["x.pdf", "x", "x.docx"])
def test_unknown_types_are_refused(name):
    with pytest.raises(SheetError, match=r"Only .xlsx and .csv files"):
        read_table(b"whatever", name)


def test_old_xls_or_password_protected_xlsx_is_recognised():
    with pytest.raises(SheetError, match=r"old-format Excel workbook \(.xls\) or is protected"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "x.xlsx")


@pytest.mark.parametrize("data", [b"not a zip", b"PK\x03\x04broken", b""])
def test_damaged_xlsx_is_refused(data):
    with pytest.raises(SheetError, match="not a valid .xlsx"):
        read_table(data, "x.xlsx")


def test_zip_without_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(SheetError, match="not a valid .xlsx"):
        read_table(buffer.getvalue(), "x.xlsx")


def test_damaged_sheet_xml_is_refused():
    data = rewrite_members(
        make_xlsx([["a"], ["b"]]),
        lambda name, content: content[: len(content) // 2] if name == SHEET else content,
    )
    with pytest.raises(SheetError, match="could not be read"):
        read_table(data, "x.xlsx")


# --- XLSX cells -----------------------------------------------------------------------------


def test_xlsx_cells_come_back_as_text():
    data = make_xlsx(
        [
            ["身份证号", "手机号", "日期", "时间", "分数", "布尔", "小数"],
            [
                "11010519491231002X",
                13800138000.0,
                date(2026, 10, 10),
                datetime(2026, 10, 10, 8, 30),  # noqa: DTZ001 (Excel has no time zones)
                0.1 + 0.2,
                True,
                1e-5,
            ],
            [" 张伟 ", 13800138000, datetime(2026, 10, 10), time(8, 30), 87.35, False, -2.5],  # noqa: DTZ001
        ]
    )
    table = read_table(data, "x.xlsx")
    assert table.rows[0].cells == (
        "11010519491231002X",
        "13800138000",
        "2026-10-10",
        "2026-10-10 08:30:00",
        "0.3",
        "TRUE",
        "0.00001",
    )
    assert table.rows[1].cells == (
        "张伟",
        "13800138000",
        "2026-10-10",
        "08:30:00",
        "87.35",
        "FALSE",
        "-2.5",
    )
    assert table.rows[0].lossy == frozenset()


def test_exact_integer_cells_keep_all_their_digits():
    # Some programs write an 18-digit integer exactly; Excel never does.
    data = with_sheet_data(
        make_xlsx([["a"]]),
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
        b'<row r="2"><c r="A2"><v>110105194912310020</v></c></row></sheetData>',
    )
    row = read_table(data, "x.xlsx").rows[0]
    assert row == Row(2, ("110105194912310020",))


def test_id_number_typed_into_a_number_cell_is_marked_lossy():
    # Excel stores 110105194912310020 typed into a General cell as 1.10105194912310E+17.
    data = make_xlsx([["身份证号", "手机号"], [1.1010519491231e17, 13800138000.0]])
    row = read_table(data, "x.xlsx").rows[0]
    assert row.cells == ("110105194912310000", "13800138000")
    assert row.lossy == frozenset({0})


def test_zero_padded_number_format_keeps_leading_zeros():
    data = make_xlsx([["工位号", "编号"], [7, 17]], formats={(2, 1): "000", (2, 2): "General"})
    assert read_table(data, "x.xlsx").rows[0].cells == ("007", "17")


def test_formula_cells_give_their_cached_value_not_their_formula():
    data = make_xlsx([["a", "b"], [1, "=A2*2"]])
    # openpyxl stores no cached value, so the cell reads empty; it never reads as "=A2*2".
    assert read_table(data, "x.xlsx").rows[0].cells == ("1", "")


def test_xlsx_first_sheet_is_read_and_blank_rows_keep_their_numbers():
    data = make_xlsx([["a", "b"], [], ["1", "2"], [None, None], ["3"]])
    table = read_table(data, "x.xlsx")
    assert table == Table(("a", "b"), (Row(3, ("1", "2")), Row(5, ("3", ""))), 1)


# --- XLSX defences --------------------------------------------------------------------------


def _no_openpyxl(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl must not be reached")

    monkeypatch.setattr(reader, "load_workbook", refuse)


def test_zip_bomb_by_declared_size_is_refused_before_openpyxl(monkeypatch):
    _no_openpyxl(monkeypatch)
    data = declare_size(make_xlsx([["a"]]), SHEET, 4_000_000_000)
    with pytest.raises(SheetError, match="zip bomb"):
        read_table(data, "x.xlsx")


def test_zip_bomb_by_compression_ratio_is_refused_before_openpyxl(monkeypatch):
    _no_openpyxl(monkeypatch)
    # 50 MB of one repeated empty row inflates about a thousand times.
    rows = b'<row r="2"><c r="A2" s="0"/></row>' * 1_500_000

    data = rewrite_members(
        make_xlsx([["a"]]),
        lambda name, content: (
            content.replace(b"</sheetData>", rows + b"</sheetData>") if name == SHEET else content
        ),
    )
    assert len(data) < 1_000_000
    with pytest.raises(SheetError, match="zip bomb"):
        read_table(data, "x.xlsx")


def test_workbook_unpacking_past_the_total_limit_is_refused(monkeypatch):
    _no_openpyxl(monkeypatch)
    data = make_xlsx([["a"], ["b" * 5000]])
    with pytest.raises(SheetError, match="unpacks to"):
        read_table(data, "x.xlsx", max_uncompressed_bytes=5000)


def test_zip_with_too_many_members_is_refused(monkeypatch):
    _no_openpyxl(monkeypatch)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(reader.MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"f{index}", "")
    with pytest.raises(SheetError, match="too many parts"):
        read_table(buffer.getvalue(), "x.xlsx")


def test_sheet_with_a_row_at_the_bottom_of_the_sheet_is_refused_early(monkeypatch):
    # Data in rows 1 and 2, then one cell in Excel's last row: openpyxl would fill the gap
    # with empty rows; the sheet is refused without reading a million rows down.
    rows_seen = []
    original = reader._cell_text
    monkeypatch.setattr(reader, "_cell_text", lambda *a: rows_seen.append(a) or original(*a))
    monkeypatch.setattr(reader, "EMPTY_ROW_ALLOWANCE", 1000)
    data = with_sheet_data(
        make_xlsx([["a"]]),
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        b'<row r="2"><c r="A2"><v>1</v></c></row>'
        b'<row r="1048576"><c r="A1048576"><v>2</v></c></row></sheetData>',
    )
    with pytest.raises(SheetError, match="goes on past row 1006"):
        read_table(data, "x.xlsx", max_rows=5)
    assert rows_seen == []  # refused by the scan, before openpyxl parsed a row


def test_a_million_empty_rows_are_refused_after_the_allowance(monkeypatch):
    monkeypatch.setattr(reader, "EMPTY_ROW_ALLOWANCE", 1000)
    empty_rows = b"".join(b'<row r="%d" s="1" customFormat="1"/>' % n for n in range(3, 1_000_001))
    data = with_sheet_data(
        make_xlsx([["a"]]),
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        b'<row r="2"><c r="A2"><v>1</v></c></row>' + empty_rows + b"</sheetData>",
    )
    with pytest.raises(SheetError, match="past row 1006.*delete them"):
        read_table(data, "x.xlsx", max_rows=5)


def test_sheet_without_dimension_going_on_too_far_is_refused_before_openpyxl(monkeypatch):
    # Without a <dimension>, openpyxl would parse the whole sheet just to open the workbook.
    _no_openpyxl(monkeypatch)
    monkeypatch.setattr(reader, "EMPTY_ROW_ALLOWANCE", 1000)
    empty_rows = b"".join(b'<row r="%d"/>' % n for n in range(2, 1_000_001))
    data = with_sheet_data(
        make_xlsx([["a"]]), b"<sheetData>" + empty_rows + b"</sheetData>", dimension=False
    )
    with pytest.raises(SheetError, match="The sheet goes on past row 1006"):
        read_table(data, "x.xlsx", max_rows=5)


def test_any_sheet_without_dimension_is_bounded(monkeypatch):
    _no_openpyxl(monkeypatch)
    monkeypatch.setattr(reader, "EMPTY_ROW_ALLOWANCE", 10)
    workbook = Workbook()
    workbook.create_sheet("codes").append(["x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    empty_rows = b"".join(b'<row r="%d"/>' % n for n in range(1, 100))
    data = rewrite_members(
        buffer.getvalue(),
        lambda name, content: (
            re.sub(
                rb"<dimension[^>]*>|<sheetData>.*</sheetData>",
                lambda m: (
                    b"<sheetData>" + empty_rows + b"</sheetData>"
                    if m[0].startswith(b"<sheetData")
                    else b""
                ),
                content,
                flags=re.S,
            )
            if name == "xl/worksheets/sheet2.xml"
            else content
        ),
    )
    with pytest.raises(SheetError, match="The sheet goes on past row 16"):
        read_table(data, "x.xlsx", max_rows=5)


def test_sheet_without_dimension_within_limits_is_read():
    data = with_sheet_data(
        make_xlsx([["a"]]),
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        b'<row r="3"><c r="A3"><v>7</v></c></row></sheetData>',
        dimension=False,
    )
    assert read_table(data, "x.xlsx").rows == (Row(3, ("7",)),)


def test_trailing_empty_rows_within_the_allowance_are_ignored(monkeypatch):
    monkeypatch.setattr(reader, "EMPTY_ROW_ALLOWANCE", 1000)
    empty_rows = b"".join(b'<row r="%d"><c r="A%d" s="1"/></row>' % (n, n) for n in range(3, 900))
    data = with_sheet_data(
        make_xlsx([["a"]]),
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        b'<row r="2"><c r="A2"><v>1</v></c></row>' + empty_rows + b"</sheetData>",
    )
    assert read_table(data, "x.xlsx", max_rows=5).rows == (Row(2, ("1",)),)


def test_xlsx_over_max_rows_is_refused():
    data = make_xlsx([["a"]] + [[n] for n in range(6)])
    assert len(read_table(data, "x.xlsx", max_rows=6).rows) == 6
    with pytest.raises(SheetError, match="more than 5 rows of data"):
        read_table(data, "x.xlsx", max_rows=5)


def test_xlsx_value_far_to_the_right_is_refused():
    data = with_sheet_data(
        make_xlsx([["a"]]),
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c>'
        b'<c r="XFD1"><v>1</v></c></row></sheetData>',
    )
    with pytest.raises(SheetError, match="Row 1 has a value in column XFD; at most 10 columns"):
        read_table(data, "x.xlsx", max_columns=10)


def test_xlsx_row_with_more_cells_than_excel_allows_is_refused():
    cells = b'<c s="1"/>' * (reader.MAX_CELLS_PER_ROW + 1)
    data = with_sheet_data(
        make_xlsx([["a"]]), b'<sheetData><row r="1">' + cells + b"</row></sheetData>"
    )
    with pytest.raises(SheetError, match="more cells than Excel allows"):
        read_table(data, "x.xlsx")


@pytest.mark.parametrize("chunk", [4096, 4099, 1 << 20])
def test_cell_scan_counts_tags_across_chunk_boundaries(monkeypatch, chunk):
    monkeypatch.setattr(reader, "_SCAN_CHUNK", chunk)
    cells = b'<c s="1"/>' * reader.MAX_CELLS_PER_ROW
    sheet = b'<sheetData><row r="1"><c r="A1"><v>1</v></c>' + cells + b"</row></sheetData>"
    with pytest.raises(SheetError, match="more cells than Excel allows"):
        read_table(with_sheet_data(make_xlsx([["a"]]), sheet), "x.xlsx")
    far = (
        b'<sheetData><row r="1">'
        + b'<c r="A1" s="1"/>' * 1000
        + b'<c r="Z1"><v>1</v></c></row></sheetData>'
    )
    with pytest.raises(SheetError, match="column Z"):
        read_table(with_sheet_data(make_xlsx([["a"]]), far), "x.xlsx", max_columns=25)


def test_xml_entities_are_refused():
    # A "billion laughs" document type: defusedxml makes openpyxl refuse any DTD.
    def change(name, content):
        if name != SHEET:
            return content
        return (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
            + content.split(b"?>", 1)[-1]
        )

    with pytest.raises(SheetError, match="not a valid .xlsx"):
        read_table(rewrite_members(make_xlsx([["a"]]), change), "x.xlsx")


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_column_letter():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_bytes_that_are_neither_utf8_nor_gb18030_are_refused():
    with pytest.raises(SheetError, match="encoding is not recognised"):
        read_table(b"name\n\x80\xff\n", "x.csv")


def test_a_long_second_sheet_with_a_dimension_does_not_matter(monkeypatch):
    monkeypatch.setattr(reader, "EMPTY_ROW_ALLOWANCE", 10)
    workbook = Workbook()
    workbook.active.append(["a"])
    workbook.active.append(["1"])
    for n in range(100):
        workbook.create_sheet("long") if n == 0 else None
        workbook["long"].append([n])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table(buffer.getvalue(), "x.xlsx", max_rows=5).rows == (Row(2, ("1",)),)


def test_duration_cells_come_back_as_text():
    data = make_xlsx([["用时"], [timedelta(hours=1, minutes=30)]])
    assert read_table(data, "x.xlsx").rows[0].cells == ("1:30:00",)
