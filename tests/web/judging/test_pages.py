"""The marking pages: who may open them, and that they carry no inline code."""

from __future__ import annotations

import html
import json
import re

import pytest

from ...conftest import DEFAULT_PASSWORD


@pytest.fixture
def pages(make_event, make_entry, make_judge):
    event = make_event()
    make_entry(event, name="张伟", number="017")
    make_judge(event, username="judge-p")
    other = make_event()
    return {"event": event, "other": other}


def _login(client, username):
    assert (
        client.post("/login", data={"username": username, "password": DEFAULT_PASSWORD})
    ).status_code == 302


@pytest.mark.parametrize(
    "who,url,status",
    [
        (None, "/marking/", 302),
        (None, "/marking/events/{event}", 302),
        ("judge-p", "/marking/", 200),
        ("judge-p", "/marking/events/{event}", 200),
        ("judge-p", "/marking/events/{other}", 403),
        ("judge-p", "/marking/events/999999", 404),
        ("organiser", "/marking/", 403),
        ("organiser", "/marking/events/{event}", 403),
        ("contestant", "/marking/events/{event}", 403),
        ("admin", "/marking/events/{event}", 403),
        (None, "/marking/sw.js", 200),
    ],
)
def test_who_may_open_what(client, auth, pages, who, url, status):
    if who == "judge-p":
        _login(client, who)
    elif who:
        auth.login_as(who)
    url = url.format(event=pages["event"].id, other=pages["other"].id)
    assert client.get(url).status_code == status


def test_marking_pages_have_no_inline_code_or_names(client, pages):
    _login(client, "judge-p")
    for url in ("/marking/", f"/marking/events/{pages['event'].id}", "/"):
        page = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert " style=" not in page, url
        assert not re.search(r"\son[a-z]+=", page), url
        assert "张伟" not in page, url


def test_marking_page_texts_follow_the_language(client, pages):
    _login(client, "judge-p")
    url = f"/marking/events/{pages['event'].id}"
    english = client.get(url, headers={"Accept-Language": "en"}).text
    assert "marks waiting to send" in english and "Save marks" in english
    client.get("/language/zh")
    chinese = client.get(url).text
    assert "保存评分" in chinese
    strings = json.loads(html.unescape(re.search(r'data-i18n="([^"]+)"', chinese).group(1)))
    assert strings["queue_other"] == "%(num)s 个评分待发送"
    assert strings["progress"] == "已评 %(marked)d / %(total)d 名选手"


def test_progress_on_the_list_page_and_nav(client, pages):
    _login(client, "judge-p")
    html = client.get("/marking/").text
    assert "0 of 1 entries marked" in html
    assert 'href="/marking/"' in client.get("/").text


def test_service_worker_scope_header(client):
    response = client.get("/marking/sw.js")
    assert response.headers["Service-Worker-Allowed"] == "/marking/"
    assert response.mimetype in ("text/javascript", "application/javascript")
    assert "no-cache" in response.headers["Cache-Control"]
