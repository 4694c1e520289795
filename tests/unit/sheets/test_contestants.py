import io
from datetime import date

import pytest
from openpyxl import load_workbook

from competitions.sheets.columns import Problem
from competitions.sheets.contestants import (
    ContestantRow,
    EventChoice,
    parse_contestants,
    template_csv_bytes,
    template_workbook,
)
from competitions.sheets.reader import read_table
from tests.unit.sheets.files import make_xlsx
from tests.unit.sheets.ids import make_id_number

EVENTS = {"ROBOT": False, "WELD": False, "TEAM3D": True}
HEADER = "赛项代码,姓名,工作单位,身份证号,手机号,团队名称,工位号,备注"
ID1 = make_id_number(date(1990, 1, 1), sequence=1)
ID2 = make_id_number(date(1991, 2, 2), sequence=2)
ID3 = make_id_number(date(1992, 3, 3), sequence=3)
ID4 = make_id_number(date(1993, 4, 4), sequence=4)


def parse(*lines, header=HEADER, existing=None, events=None):
    table = read_table("\n".join([header, *lines]).encode(), "报名表.csv")
    return parse_contestants(
        table, events=events or EVENTS, existing_id_numbers_by_event=existing or {}
    )


def messages(result):
    return [str(problem) for problem in result.problems]


def test_valid_individual_rows():
    result = parse(
        f"ROBOT,张伟,某某精密,{ID1.lower()},+86 138 0013 8000,,A01,左撇子",
        f"robot,李娜,某某科技,{ID2},0755-12345678,,,",
    )
    assert result.ok
    assert result.individuals == (
        ContestantRow(2, "ROBOT", "张伟", "某某精密", ID1, "13800138000", None, "A01", "左撇子"),
        ContestantRow(3, "ROBOT", "李娜", "某某科技", ID2, "0755-12345678"),
    )
    assert result.teams == ()
    assert (result.person_count, result.entry_count) == (2, 2)


def test_headers_in_english_with_marks_and_notes_and_extra_columns():
    result = parse(
        f"1,ROBOT,Zhang Wei,ACME,{ID1},13800138000,x",
        header="序号,Event code*,NAME,Employer (required),id number,手机号（必填）,",
    )
    assert result.ok
    assert result.individuals[0].name == "Zhang Wei"
    assert result.ignored_columns == ("序号", "column G (no header)")


def test_missing_and_doubled_columns_are_reported_on_the_header_row():
    result = parse(f"ROBOT,张伟,{ID1},{ID2}", header="赛项代码,姓名,身份证号,身份证号码")
    assert messages(result) == [
        "row 1, 身份证号码: columns C and D both hold 身份证号 (ID number); keep one",
        "row 1: the column 工作单位 (Employer) is missing from the header row",
        "row 1: the column 手机号 (Phone) is missing from the header row",
    ]


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_returned():
    result = parse(
        f"ROBOT,张伟,某某精密,{ID1},13800138000,,,",
        f"ROBOT,李娜,某某科技,{ID2},13800138001,,,",
        f"ROBOT,王芳,某某科技,{ID3[:-1]}0,13800138002,,,",
    )
    assert not result.ok
    assert result.individuals == ()
    assert messages(result) == [
        f"row 4, 身份证号: {ID3[:4]}**********{ID3[-4:-1]}0: check digit should be {ID3[-1]}"
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            f"CNC,张伟,某某精密,{ID1},13800138000,,,",
            "row 2, 赛项代码: unknown event code CNC (valid codes: ROBOT, TEAM3D, WELD)",
        ),
        (f"ROBOT,,某某精密,{ID1},13800138000,,,", "row 2, 姓名: is required"),
        (f",张伟,某某精密,{ID1},13800138000,,,", "row 2, 赛项代码: is required"),
        (f"ROBOT,张伟,,{ID1},13800138000,,,", "row 2, 工作单位: is required"),
        ("ROBOT,张伟,某某精密,,13800138000,,,", "row 2, 身份证号: is required"),
        (f"ROBOT,张伟,某某精密,{ID1},,,,", "row 2, 手机号: is required"),
        (
            f"ROBOT,张伟,某某精密,{ID1},12345,,,",
            "row 2, 手机号: 12345 is not a mobile number (11 digits starting with 13 to 19) "
            "or a landline with its area code, like 0755-12345678",
        ),
        (
            "ROBOT,张伟,某某精密,11010519491231,13800138000,,,",
            "row 2, 身份证号: 1101******1231: must have 18 characters, not 14",
        ),
        (
            "ROBOT,张伟,某某精密,1.10105E+17,13800138000,,,",
            "row 2, 身份证号: was stored as a number, and Excel keeps only 15 digits, so the "
            "last digits are lost: format the column as Text and type the ID numbers again",
        ),
        (
            f"ROBOT,{'张' * 51},某某精密,{ID1},13800138000,,,",
            "row 2, 姓名: is longer than 50 characters",
        ),
        (
            f"ROBOT,张伟,某某精密,{ID1},13800138000,一队,,",
            "row 2, 团队名称: ROBOT is an individual event: leave the team name empty",
        ),
        (
            f"TEAM3D,张伟,某某精密,{ID1},13800138000,,,",
            "row 2, 团队名称: TEAM3D is a team event, so the team name is required (if the "
            "team name is one merged cell over several rows, unmerge it and fill every row)",
        ),
        (
            "ROBOT,张伟,某某精密制造有限公司,11010519491231002X,13800138000,,A01,",
            "row 2: this is the template's example row: delete it",
        ),
    ],
)
def test_row_problems(line, expected):
    result = parse(line)
    assert messages(result) == [expected]


def test_all_problems_of_one_row_are_reported():
    result = parse("CNC,,,123,456,,,")
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "赛项代码"),
        (2, "姓名"),
        (2, "工作单位"),
        (2, "身份证号"),
        (2, "手机号"),
    ]


def test_duplicate_person_in_one_event_names_both_rows():
    result = parse(
        f"ROBOT,张伟,某某精密,{ID1},13800138000,,,",
        f"WELD,张伟,某某精密,{ID1},13800138000,,,",  # another event: allowed
        f"ROBOT,张伟,某某精密,{ID1.lower()},13800138000,,,",
    )
    masked = f"{ID1[:4]}**********{ID1[-4:]}"
    assert messages(result) == [f"row 4, 身份证号: {masked} is also in row 2 for ROBOT"]


def test_one_id_number_with_two_names_is_reported():
    result = parse(
        f"ROBOT,张伟,某某精密,{ID1},13800138000,,,",
        f"WELD,张 伟,某某精密,{ID1},13800138000,,,",  # the same name, spaced: fine
        f"WELD,李娜,某某精密,{ID1},13800138000,,,",
    )
    masked = f"{ID1[:4]}**********{ID1[-4:]}"
    assert messages(result) == [
        f"row 4, 身份证号: {masked} is given for 张伟 in row 2 and for 李娜 here",
        f"row 4, 身份证号: {masked} is also in row 3 for WELD",
    ]


def test_already_registered_person_is_reported():
    result = parse(f"ROBOT,张伟,某某精密,{ID1},13800138000,,,", existing={"ROBOT": {ID1}})
    assert messages(result) == [
        f"row 2, 身份证号: {ID1[:4]}**********{ID1[-4:]} is already registered for ROBOT"
    ]
    assert parse(f"ROBOT,张伟,某某精密,{ID1},13800138000,,,", existing={"WELD": {ID1}}).ok


def test_station_given_to_two_entries_of_one_event():
    result = parse(
        f"ROBOT,张伟,某某精密,{ID1},13800138000,,A01,",
        f"WELD,李娜,某某精密,{ID2},13800138000,,A01,",  # another event: fine
        f"ROBOT,王芳,某某精密,{ID3},13800138000,,a01,",
    )
    assert messages(result) == ["row 4, 工位号: station a01 is also given in row 2"]


def test_team_rows_form_teams():
    result = parse(
        f"TEAM3D,张伟,某某精密,{ID1},13800138000,精密一队,,",
        f"TEAM3D,李娜,某某精密,{ID2},13800138001,精密二队,B02,",
        f"TEAM3D,王芳,某某精密,{ID3},13800138002,精密 一队,B01,",
        f"ROBOT,赵强,某某精密,{ID4},13800138003,,B01,",
    )
    assert result.ok, messages(result)
    assert [(t.name, t.station, [m.row for m in t.members]) for t in result.teams] == [
        ("精密一队", "B01", [2, 4]),
        ("精密二队", "B02", [3]),
    ]
    assert [row.row for row in result.individuals] == [5]
    assert (result.person_count, result.entry_count) == (4, 3)


def test_person_in_two_teams_or_twice_in_a_team():
    result = parse(
        f"TEAM3D,张伟,某某精密,{ID1},13800138000,一队,,",
        f"TEAM3D,张伟,某某精密,{ID1},13800138000,二队,,",
        f"TEAM3D,李娜,某某精密,{ID2},13800138000,一队,,",
        f"TEAM3D,李娜,某某精密,{ID2},13800138000,一队,,",
    )
    masked1 = f"{ID1[:4]}**********{ID1[-4:]}"
    masked2 = f"{ID2[:4]}**********{ID2[-4:]}"
    assert messages(result) == [
        f"row 3, 身份证号: {masked1} is already in team 一队 (row 2); "
        "a person can be in one team of TEAM3D only",
        f"row 5, 身份证号: {masked2} is listed twice in team 一队 (rows 4 and 5)",
    ]


def test_team_with_two_stations_and_a_station_shared_by_two_teams():
    result = parse(
        f"TEAM3D,张伟,某某精密,{ID1},13800138000,一队,C01,",
        f"TEAM3D,李娜,某某精密,{ID2},13800138000,一队,C02,",
        f"TEAM3D,王芳,某某精密,{ID3},13800138000,二队,C01,",
    )
    assert messages(result) == [
        "row 3, 工位号: team 一队 has station C01 in row 2: a team has one station",
        "row 4, 工位号: station C01 is also given in row 2",
    ]


def test_team_events_without_a_team_column():
    result = parse(
        f"TEAM3D,张伟,某某精密,{ID1},13800138000",
        header="赛项代码,姓名,工作单位,身份证号,手机号",
    )
    assert [(p.row, p.column) for p in result.problems] == [(2, "赛项代码")]


def test_id_number_typed_as_a_number_in_excel_is_explained():
    data = make_xlsx(
        [HEADER.split(","), ["ROBOT", "张伟", "某某精密", 4.40305199001011e17, 13800138000.0]]
    )
    result = parse_contestants(read_table(data, "x.xlsx"), events=EVENTS)
    assert [p.message for p in result.problems] == [
        "was stored as a number, and Excel keeps only 15 digits, so the last digits are lost: "
        "format the column as Text and type the ID numbers again"
    ]


def test_problem_text():
    assert str(Problem(3, "姓名", "is required")) == "row 3, 姓名: is required"
    assert str(Problem(None, None, "oops")) == "oops"
    assert str(Problem(1, None, "x")) == "row 1: x"


CHOICES = [EventChoice("ROBOT", "工业机器人系统运维"), EventChoice("TEAM3D", "3D打印", team=True)]


def test_template_reads_back_and_its_example_row_is_refused():
    data = template_workbook(CHOICES)
    table = read_table(data, "template.xlsx")
    assert table.headers == (
        "赛项代码",
        "姓名",
        "工作单位",
        "身份证号",
        "手机号",
        "团队名称 (团体赛项必填)",
        "工位号 (选填)",
        "备注 (选填)",
    )
    result = parse_contestants(table, events={"ROBOT": False, "TEAM3D": True})
    assert messages(result) == ["row 2: this is the template's example row: delete it"]


def test_template_lists_events_offers_them_and_keeps_ids_as_text():
    workbook = load_workbook(io.BytesIO(template_workbook(CHOICES)))
    assert workbook.sheetnames == ["报名表", "赛项代码"]
    sheet, codes = workbook.worksheets
    assert [[c.value for c in row] for row in codes.iter_rows()] == [
        ["赛项代码", "赛项名称", "类型"],
        ["ROBOT", "工业机器人系统运维", "个人"],
        ["TEAM3D", "3D打印", "团体"],
    ]
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == "'赛项代码'!$A$2:$A$3"
    assert str(validation.sqref) == "A2:A1001"
    assert sheet["D2"].number_format == "@"
    assert sheet.column_dimensions["D"].number_format == "@"
    assert sheet.freeze_panes == "A2"


def test_template_in_english_and_as_csv():
    table = read_table(template_workbook(CHOICES[1:], language="en"), "t.xlsx")
    assert table.headers[0] == "Event code"
    assert table.rows[0].cells[0] == "TEAM3D"
    assert table.rows[0].cells[5] == "某某精密一队"
    csv_table = read_table(template_csv_bytes(CHOICES), "t.csv")
    assert csv_table.headers == read_table(template_workbook(CHOICES), "t.xlsx").headers
    assert (
        parse_contestants(csv_table, events=EVENTS)
        .problems[0]
        .message.startswith("this is the template's example row")
    )
