"""An organiser imports contestants in a real browser: errors first, then the fixed file."""
# ruff: noqa: E501  (rows of sample data read best one a line)

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from competitions.enums import EventStatus
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    TABLET,
    collect_errors,
    login,
    no_horizontal_overflow,
)
from tests.conftest import DEFAULT_PASSWORD
from tests.unit.sheets.files import make_xlsx
from tests.unit.sheets.ids import make_id_number

HEADERS = ["赛项代码", "姓名", "工作单位", "身份证号", "手机号", "团队名称", "工位号", "备注"]
GOOD = [
    ["ROBOT", "张伟", "龙华精密制造有限公司", make_id_number(date(1990, 5, 17), sequence=11), "13800138001", "", "A01", ""],
    ["ROBOT", "李娜", "华星智能装备股份有限公司", make_id_number(date(1992, 3, 1), sequence=12), "13900139002", "", "A02", ""],
    ["TEAM", "王强", "鹏城电力工程有限公司", make_id_number(date(1988, 8, 8), sequence=13), "13700137003", "鹏城一队", "", ""],
    ["TEAM", "赵敏", "鹏城电力工程有限公司", make_id_number(date(1995, 2, 2), sequence=14), "13600136004", "鹏城一队", "", ""],
]  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bad_rows():
    rows = [list(row) for row in GOOD]
    rows[0][3] = rows[0][3][:-1] + ("0" if rows[0][3][-1] != "0" else "1")  # check digit
    rows[1][4] = "1390013"  # phone too short
    rows[3][5] = ""  # a team member without team name, in the last row
    return rows


@pytest.fixture
def competition(make_user, make_competition, make_event):
    organiser = make_user("organiser", username="wangfang", display_name="王芳")
    competition = make_competition(
        organisers=[organiser], code="LH-2026", name_zh="2026年龙华区职业技能竞赛"
    )
    make_event(
        competition,
        code="ROBOT",
        name_zh="工业机器人系统运维",
        status=EventStatus.REGISTRATION_OPEN,
    )
    make_event(
        competition,
        code="TEAM",
        name_zh="电力线路团体赛",
        is_team=True,
        status=EventStatus.REGISTRATION_OPEN,
    )
    return competition


@pytest.mark.parametrize(("viewport", "language"), [(PHONE, "zh"), (TABLET, "en"), (DESKTOP, "en")])
def test_import_with_errors_then_fixed(page, live_server, competition, shoot, viewport, language):
    errors = collect_errors(page)
    page.set_viewport_size(viewport)
    name = f"{viewport['width']}-{language}"
    login(page, live_server, "wangfang", DEFAULT_PASSWORD)
    page.goto(f"{live_server}/language/{language}")
    page.goto(f"{live_server}/competitions/{competition.id}/entries")
    shoot(page, f"entries-empty-{name}")
    page.click("a[href$='/entries/import']")
    expect(page.locator("h1")).to_have_text(
        "导入参赛选手" if language == "zh" else "Import contestants"
    )
    assert no_horizontal_overflow(page)
    shoot(page, f"import-form-{name}")

    page.set_input_files(
        "input[type=file]",
        files=[
            {"name": "报名表.xlsx", "mimeType": XLSX, "buffer": make_xlsx([HEADERS, *bad_rows()])}
        ],
    )
    page.click("main button[type=submit]")
    problems = page.locator(".problem-table tbody tr")
    expect(problems).to_have_count(3)
    expect(problems.nth(0)).to_contain_text("2")
    zh = language == "zh"
    expect(problems.nth(0)).to_contain_text("校验位应为" if zh else "check digit should be")
    expect(problems.nth(1)).to_contain_text("3")
    expect(problems.nth(1)).to_contain_text("不是手机号" if zh else "is not a mobile number")
    expect(problems.nth(2)).to_contain_text("5")
    expect(problems.nth(2)).to_contain_text("TEAM 是团体赛项" if zh else "TEAM is a team event")
    assert no_horizontal_overflow(page)
    shoot(page, f"import-problems-{name}")

    page.set_input_files(
        "input[type=file]",
        files=[{"name": "报名表.xlsx", "mimeType": XLSX, "buffer": make_xlsx([HEADERS, *GOOD])}],
    )
    page.click("main button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(
        "已添加 3 个报名，共 4 名选手。"
        if language == "zh"
        else "3 entries with 4 contestants were added."
    )
    expect(page.locator(".entry-table tbody tr")).to_have_count(3)
    expect(page.locator(".member-list li")).to_have_count(2)
    assert no_horizontal_overflow(page)
    shoot(page, f"entries-imported-{name}")
    assert errors == []


def test_register_a_team_by_form(page, live_server, competition, shoot):
    errors = collect_errors(page)
    page.set_viewport_size(PHONE)
    login(page, live_server, "wangfang", DEFAULT_PASSWORD)
    page.goto(f"{live_server}/language/zh")
    page.goto(f"{live_server}/competitions/{competition.id}/entries")
    page.click("text=登记团队")
    page.fill("input[name=team_name]", "精密一队")
    for index, row in enumerate(GOOD[:2]):
        page.fill(f"input[name=members-{index}-name]", row[1])
        page.fill(f"input[name=members-{index}-employer]", row[2])
        page.fill(f"input[name=members-{index}-id_number]", row[3])
        page.fill(f"input[name=members-{index}-phone]", row[4])
    page.check("#captain-1")
    assert no_horizontal_overflow(page)
    shoot(page, "team-form-390-zh")
    page.click("main button[type=submit]:not([name=another])")
    expect(page.locator(".alert-success")).to_contain_text("精密一队")
    expect(page.locator(".member-list li").nth(1)).to_contain_text("队长")
    shoot(page, "team-registered-390-zh")
    assert errors == []


@pytest.mark.parametrize(("viewport", "language"), [(PHONE, "zh"), (DESKTOP, "en")])
def test_import_a_contest_package(page, live_server, make_user, shoot, viewport, language):
    import json

    from tests.integration.package.test_importer import document

    make_user("organiser", username="wangfang", display_name="王芳")
    errors = collect_errors(page)
    page.set_viewport_size(viewport)
    name = f"{viewport['width']}-{language}"
    login(page, live_server, "wangfang", DEFAULT_PASSWORD)
    page.goto(f"{live_server}/language/{language}")
    if viewport is DESKTOP:
        page.click("nav a[href='/competitions']")  # from the competitions page
        page.click("main a[href='/packages/import']")
    else:
        page.goto(f"{live_server}/packages/import")
    bad = document()
    bad["events"][0]["marks"][0]["value"] = 7
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "LH.json", "mimeType": "application/json",
                "buffer": json.dumps(bad, ensure_ascii=False).encode()}],
    )  # fmt: skip
    page.click("main button[type=submit]")
    expect(page.locator(".package-problems li")).to_have_count(1)
    expect(page.locator(".package-problems li")).to_contain_text("events[0].marks[0].value")
    assert no_horizontal_overflow(page)
    shoot(page, f"package-problems-{name}")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "LH.json", "mimeType": "application/json",
                "buffer": json.dumps(document(), ensure_ascii=False).encode()}],
    )  # fmt: skip
    page.click("main button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("LH-2026")
    expect(page.locator(".entry-table")).to_have_count(2)
    assert no_horizontal_overflow(page)
    shoot(page, f"package-imported-{name}")
    assert errors == []


@pytest.mark.parametrize(("viewport", "language"), [(TABLET, "zh"), (DESKTOP, "zh")])
def test_register_a_contestant_with_a_mistyped_id_number(
    page, live_server, competition, shoot, viewport, language
):
    errors = collect_errors(page)
    page.set_viewport_size(viewport)
    login(page, live_server, "wangfang", DEFAULT_PASSWORD)
    page.goto(f"{live_server}/language/{language}")
    page.goto(f"{live_server}/competitions/{competition.id}/entries")
    page.click("text=登记选手")
    row = GOOD[0]
    page.fill("input[name=name]", row[1])
    page.fill("input[name=employer]", row[2])
    page.fill("input[name=id_number]", row[3][:-1] + ("0" if row[3][-1] != "0" else "1"))
    page.fill("input[name=phone]", row[4])
    page.click("main button[type=submit]:not([name=another])")
    expect(page.locator("#id_number ~ .invalid-feedback")).to_contain_text("校验位应为")
    assert no_horizontal_overflow(page)
    shoot(page, f"contestant-form-error-{viewport['width']}-{language}")
    page.fill("input[name=id_number]", row[3])
    page.click("main button[type=submit]:not([name=another])")
    expect(page.locator(".alert-success")).to_contain_text(row[1])
    expect(page.locator(".entry-table tbody tr")).to_have_count(1)
    shoot(page, f"contestant-registered-{viewport['width']}-{language}")
    assert errors == []


@pytest.mark.parametrize(("viewport", "language"), [(PHONE, "zh"), (DESKTOP, "en")])
def test_find_a_contestant_in_a_long_list(
    app, page, live_server, competition, make_entry, viewport, language
):
    from sqlalchemy import select

    from competitions.contests.models import Event
    from competitions.extensions import db

    with app.app_context():
        event = db.session.scalars(
            select(Event).where(Event.competition_id == competition.id, Event.code == "ROBOT")
        ).one()
    for i in range(14):
        make_entry(
            event, number=f"{i + 1:03d}", name=f"选手{i:02d}", employer="龙华精密制造有限公司"
        )
    make_entry(event, number="015", name="欧阳娜娜", employer="华星智能装备股份有限公司")
    errors = collect_errors(page)
    page.set_viewport_size(viewport)
    login(page, live_server, "wangfang", DEFAULT_PASSWORD)
    page.goto(f"{live_server}/language/{language}")
    page.goto(f"{live_server}/competitions/{competition.id}/entries")
    rows = page.locator(".entry-table tbody tr:visible")
    expect(rows).to_have_count(15)
    page.fill("#entry-filter", "欧阳")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("015")
    page.fill("#entry-filter", "华星")  # by employer, shown or not at this width
    expect(rows).to_have_count(1)
    page.fill("#entry-filter", "选手07")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("008")
    page.fill("#entry-filter", "")
    expect(rows).to_have_count(15)
    assert no_horizontal_overflow(page)
    assert errors == []
