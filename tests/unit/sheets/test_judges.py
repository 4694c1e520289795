import pytest

from competitions.sheets.judges import (
    JudgeRow,
    judge_template_csv_bytes,
    judge_template_workbook,
    parse_judges,
)
from competitions.sheets.reader import read_table

HEADER = "姓名,用户名,工作单位,手机号,电子邮箱"


def parse(*lines, header=HEADER, existing=()):
    table = read_table("\n".join([header, *lines]).encode(), "裁判.csv")
    return parse_judges(table, existing_usernames=existing)


def messages(result):
    return [str(problem) for problem in result.problems]


def test_valid_judges():
    result = parse(
        "李明,liming,某某科技,138 0013 8000,LiMing@Example.COM",
        "王强,wang.qiang,某某大学,0755-12345678,",
    )
    assert result.ok
    assert result.judges == (
        JudgeRow(2, "李明", "liming", "某某科技", "13800138000", "LiMing@example.com"),
        JudgeRow(3, "王强", "wang.qiang", "某某大学", "0755-12345678"),
    )


def test_email_column_is_optional_and_english_headers_work():
    result = parse("李明,liming,某某科技,13800138000", header="Name,Login,Employer,Mobile")
    assert result.ok
    assert result.judges[0].email is None


def test_missing_column():
    result = parse("李明,某某科技,13800138000", header="姓名,工作单位,手机号")
    assert messages(result) == [
        "row 1: the column 用户名 (Username) is missing from the header row"
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("李明,,某某科技,13800138000,", "row 2, 用户名: is required"),
        (
            "李明,li ming,某某科技,13800138000,",
            "row 2, 用户名: li ming is not a valid username: use 3 to 32 letters, digits, "
            "dots, underscores or hyphens",
        ),
        (
            "李明,李明,某某科技,13800138000,",
            "row 2, 用户名: 李明 is not a valid username: use 3 to 32 letters, digits, dots, "
            "underscores or hyphens",
        ),
        (
            "李明,liming,某某科技,123,",
            "row 2, 手机号: 123 is not a mobile number (11 digits starting with 13 to 19) or a "
            "landline with its area code, like 0755-12345678",
        ),
        (
            "李明,liming,某某科技,13800138000,liming@",
            "row 2, 电子邮箱: liming@ is not an email address",
        ),
        ("李明,liming,,13800138000,", "row 2, 工作单位: is required"),
        (
            "李明,liming,深圳市某某科技有限公司,13900139000,",
            "row 2: this is the template's example row: delete it",
        ),
    ],
)
def test_row_problems(line, expected):
    assert messages(parse(line)) == [expected]


def test_duplicates_within_the_file_and_against_existing_accounts():
    result = parse(
        "李明,liming,某某科技,13800138000,",
        "李明,LiMing,某某大学,13800138001,",
        "王强,wangqiang,某某大学,13800138000,",
        "赵六,admin,某某大学,13800138002,",
        existing=["Admin"],
    )
    assert messages(result) == [
        "row 3, 用户名: LiMing is also in row 2",
        "row 4, 手机号: 13800138000 is also in row 2",
        "row 5, 用户名: admin is already taken",
    ]
    assert result.judges == ()


def test_judge_template():
    table = read_table(judge_template_workbook(), "t.xlsx")
    assert table.headers == ("姓名", "用户名", "工作单位", "手机号", "电子邮箱 (选填)")
    assert messages(parse_judges(table)) == ["row 2: this is the template's example row: delete it"]
    english = read_table(judge_template_csv_bytes(language="en"), "t.csv")
    assert english.headers == ("Name", "Username", "Employer", "Phone", "Email (optional)")
