"""In a real browser: judge accounts by form and by spreadsheet, at every width."""

import re

import pytest
from playwright.sync_api import expect

from ..conftest import DESKTOP, PHONE, TABLET, collect_errors, login, no_horizontal_overflow

PASSWORD = "correct horse battery"  # tests/conftest.py DEFAULT_PASSWORD

HEADER = "姓名,用户名,工作单位,手机号\n李明,liming,深圳技师学院,13900139001\n"
BAD = HEADER + "王芳,x,深圳大学,1390013\n"
GOOD = HEADER + "王芳,wangfang,深圳大学,13900139002\n"


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET, PHONE], ids=["desktop", "tablet", "phone"])
@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_create_and_import_judges(
    browser, live_server, make_user, viewport, locale, shoot, tmp_path
):
    chinese = locale.startswith("zh")
    width = viewport["width"]
    make_user("organiser", username="wangfang-org", display_name="王芳")
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    errors = collect_errors(page)
    login(page, live_server, "wangfang-org", PASSWORD)

    page.goto(f"{live_server}/judging/judges/new")
    page.fill("#display_name", "周敏")
    page.fill("#username", "zhoumin")
    page.fill("#employer", "深圳职业技术大学")
    page.click("main button[type=submit]")
    expect(page.locator(".credential-slip")).to_have_count(1)
    expect(page.locator(".credential-password")).to_have_text(re.compile(r"^[A-Za-z2-9]{12}$"))
    assert no_horizontal_overflow(page)
    shoot(page, f"judges-credentials-{locale}-{width}")

    page.goto(f"{live_server}/judging/judges/import")
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    page.set_input_files("#file", str(bad))
    page.click("form[enctype] button[type=submit]")
    problems = page.locator("table tbody tr")
    expect(problems).to_have_count(2)  # row 3: username and phone
    expect(page.locator(".invalid-feedback")).to_contain_text(
        "未导入任何数据" if chinese else "Nothing was imported"
    )
    assert no_horizontal_overflow(page)
    shoot(page, f"judges-import-problems-{locale}-{width}")

    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    page.set_input_files("#file", str(good))
    page.click("form[enctype] button[type=submit]")
    expect(page.locator(".credential-slip")).to_have_count(2)

    page.goto(f"{live_server}/judging/judges")
    expect(page.locator("tbody tr")).to_have_count(3)
    assert no_horizontal_overflow(page)
    shoot(page, f"judges-list-{locale}-{width}")
    page.goto(f"{live_server}/judging/")
    assert no_horizontal_overflow(page)
    # The import page answers 422 on purpose; Chromium logs every 4xx page load.
    assert [e for e in errors if "status of 422" not in e] == []
    context.close()
