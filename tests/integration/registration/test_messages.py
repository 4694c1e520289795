"""Every problem the sheet checks report reads in Chinese for a Chinese organiser."""
# ruff: noqa: E501  (sheet rows read best one a line)

from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale

from competitions.registration.messages import translate_message, translate_reason
from competitions.sheets.contestants import parse_contestants
from competitions.sheets.reader import Row, Table
from competitions.sheets.validators import check_id_number, check_phone
from tests.unit.sheets.ids import make_id_number

HEADERS = ("赛项代码", "姓名", "工作单位", "身份证号", "手机号", "团队名称", "工位号", "备注")
A = make_id_number(date(1990, 1, 1), sequence=1)
B = make_id_number(date(1990, 1, 1), sequence=2)
C = make_id_number(date(1990, 1, 1), sequence=3)
CJK = re.compile(r"[\u4e00-\u9fff]")


def rows(*cells):
    return tuple(Row(n, tuple(row)) for n, row in enumerate(cells, start=2))


def all_kinds_of_problems():
    """A sheet that breaks every row rule of ``parse_contestants`` once."""
    table = Table(
        HEADERS,
        rows(
            ("NOPE", "甲", "单位", A, "13800138000", "", "", ""),
            ("ROBOT", "", "单位", A, "13800138000", "", "", ""),
            ("ROBOT", "乙", "单位", A[:-1] + ("0" if A[-1] != "0" else "1"), "1380", "", "", ""),
            ("ROBOT", "丙", "单位", "12345", "13800138000", "", "", ""),
            ("ROBOT", "丁" * 60, "单位", B, "13800138000", "", "", ""),
            ("TEAM", "戊", "单位", C, "13800138000", "", "", ""),
            ("ROBOT", "己", "单位", C, "13800138000", "一队", "", ""),
            ("ROBOT", "张伟", "某某", "11010519491231002X", "13800138000", "", "", ""),
            ("ROBOT", "庚", "单位", B, "13800138000", "", "S1", ""),
            ("ROBOT", "辛", "单位", B, "13800138000", "", "S1", ""),
            ("TEAM", "庚", "单位", B, "13800138000", "一队", "T1", ""),
            ("TEAM", "庚", "单位", B, "13800138000", "一队", "T2", ""),
            ("TEAM", "庚", "单位", B, "13800138000", "二队", "", ""),
            (
                "ROBOT",
                "壬",
                "单位",
                make_id_number(date(1991, 1, 1), sequence=9),
                "138",
                "",
                "",
                "",
            ),
            (
                "ROBOT",
                "癸",
                "单位",
                make_id_number(date(1991, 1, 1), sequence=8),
                "1.10105E+17",
                "",
                "",
                "",
            ),
        ),
    )
    existing = {"ROBOT": {make_id_number(date(1991, 1, 1), sequence=9)}}
    result = parse_contestants(
        table, events={"ROBOT": False, "TEAM": True}, existing_id_numbers_by_event=existing
    )
    missing = parse_contestants(Table(("姓名", "姓名"), ()), events={"ROBOT": False})
    return [p.message for p in (*result.problems, *missing.problems)]


def test_every_problem_of_a_sheet_is_translated(app):
    messages = all_kinds_of_problems()
    assert len(messages) >= 15
    with app.test_request_context(), force_locale("zh"):
        untranslated = [m for m in messages if not CJK.search(translate_message(m).split(": ")[-1])]
    assert untranslated == []


def test_english_stays_as_the_checks_wrote_it(app):
    with app.test_request_context(), force_locale("en"):
        for message in all_kinds_of_problems():
            assert translate_message(message) == message


@pytest.mark.parametrize(
    "text",
    ["", "110105194912310", "1101051949123100", "11010519491231002Y", "990105194912310026",
     "110105194913310023", "110105189912310021", "11010519491231002Y"],
)  # fmt: skip
def test_id_number_reasons_are_translated(app, text):
    try:
        check_id_number(text)
    except ValueError as error:
        reason = str(error)
    with app.test_request_context(), force_locale("zh"):
        assert CJK.search(translate_reason(reason)), reason


def test_phone_reason_and_unknown_messages(app):
    try:
        check_phone("12")
    except ValueError as error:
        reason = str(error)
    with app.test_request_context(), force_locale("zh"):
        assert CJK.search(translate_reason(reason))
        assert translate_message("something new") == "something new"


def test_reasons_a_file_cannot_be_read_are_translated(app):
    from competitions.registration.messages import translate_sheet_error
    from competitions.sheets.reader import SheetError, read_table

    cases = [
        (b"x", "list.xls"),
        (b"x", "list.pdf"),
        (b"x" * 2048, "big.csv"),
        (b"not a zip", "list.xlsx"),
        (b"\xd0\xcf\x11\xe0rest", "list.xlsx"),
        (b"PK\x03\x04rest", "list.csv"),
        (b"\n\n", "empty.csv"),
        (b"\xff\xfe\x00\xd8", "odd.csv"),
    ]
    messages = []
    for data, name in cases:
        with pytest.raises(SheetError) as raised:
            read_table(data, name, max_bytes=1024)
        messages.append(str(raised.value))
    with app.test_request_context(), force_locale("zh"):
        for message in messages:
            assert CJK.search(translate_sheet_error(message)), message
            assert not re.search(r"[A-Za-z]{4,} [a-z]{3,}", translate_sheet_error(message)), message
    with app.test_request_context(), force_locale("en"):
        assert [translate_sheet_error(m) for m in messages] == messages


def broken_package_problems() -> list[str]:
    import json

    from competitions.package.schema import PackageError, parse_package
    from tests.integration.package.test_importer import document

    doc = document()
    doc["format"] = "other"
    doc["version"] = 2
    competition = doc["competition"]
    competition["code"] = "bad code"
    competition["level"] = "galactic"
    competition["starts_on"] = "2026-13-01"
    competition["nmae"] = "x"
    robot, team = doc["events"]
    robot["aggregation"] = {"method": "mean", "min_judges_to_trim": 2}
    robot["sections"][0]["weight"] = 31
    robot["sections"][1]["criteria"][0]["max"] = 40.0001
    robot["sections"][1]["criteria"][1]["type"] = 5
    robot["tie_break"] = ["section:X", "criterion:Y", "fastest", 7]
    robot["awards"][0]["count"] = 3
    robot["awards"][1] = {"code": "second", "name": {}}
    robot["awards"][2]["min_total"] = 101
    robot["judges"].append({"ref": "J02", "name": "王", "chief": True})
    robot["judges"].append({"ref": "J02", "name": "\x07", "chief": "yes"})
    robot["entries"][0]["members"] = [{"name": "x"}]
    robot["entries"][0]["status"] = "gone"
    robot["entries"][0]["finish_seconds"] = -1
    robot["marks"] += [
        {"entry": "E404", "judge": "J404", "criterion": "Z", "value": 1},
        {"entry": "E001", "judge": "J01", "criterion": "P2", "value": 2},
        {"entry": "E001", "judge": "J01", "criterion": "P3", "value": "1"},
        {"entry": "E001", "judge": "J01", "criterion": "T1", "value": 1e12},
    ]
    team["entries"][0]["id_number"] = "11010519491231002X"
    team["entries"].append({"ref": "T2", "name": "二队", "status": "registered"})
    team["judges"] = "none"
    team["sections"][0]["criteria"] = [
        {"code": "D", "name": {"en": "d"}, "type": "deduction", "max": 5}
    ]
    doc["events"].append(
        {
            "code": "E3",
            "name": {"en": "x"},
            "aggregation": {"method": "trimmed_mean", "min_judges_to_trim": 2.5},
            "sections": [],
            "entries": [
                {"ref": "A", "name": "a", "status": "registered", "id_number": "1234"},
                {"ref": "A", "name": "b", "status": "registered"},
            ],
        }
    )
    try:
        parse_package(json.dumps(doc, ensure_ascii=False))
    except PackageError as error:
        problems = error.problems
    for text in ("[1,", b"\xff\xfe", "[]"):
        try:
            parse_package(text)
        except PackageError as error:
            problems += error.problems
    return problems


def test_every_package_problem_is_translated(app):
    from competitions.registration.messages import translate_package_problem

    problems = broken_package_problems()
    assert len(problems) >= 35
    with app.test_request_context(), force_locale("zh"):
        untranslated = [p for p in problems if not CJK.search(translate_package_problem(p)[1])]
    assert untranslated == []
    with app.test_request_context(), force_locale("en"):
        for problem in problems:
            path, message = translate_package_problem(problem)
            assert (f"{path}: {message}" if path else message) == problem
