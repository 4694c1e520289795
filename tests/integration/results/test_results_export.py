"""The JSON results export of an imported contest package, checked to the cent by hand."""

import json

from competitions.contests.models import Competition
from competitions.extensions import db
from competitions.results.exports import competition_results_json

from .packages import EXPECTED, PACKAGE_TEXT


def test_json_export_matches_the_hand_worked_results(app, import_package):
    competition_id = import_package(PACKAGE_TEXT)
    with app.app_context():
        exported = competition_results_json(db.session.get(Competition, competition_id))
    for got, want in zip(exported["events"], EXPECTED["events"], strict=True):
        assert got["code"] == want["code"]
        for got_row, want_row in zip(got["results"], want["results"], strict=True):
            assert got_row == want_row, want_row["entry"]
    assert exported == EXPECTED


def test_cli_export_writes_the_same_json(app, runner, import_package, tmp_path):
    import_package(PACKAGE_TEXT)
    target = tmp_path / "results.json"
    result = runner.invoke(args=["results", "export", "HAND-2026", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8")) == EXPECTED

    to_stdout = runner.invoke(args=["results", "export", "HAND-2026"])
    assert json.loads(to_stdout.stdout) == EXPECTED


def test_cli_export_names_an_unknown_code(runner):
    result = runner.invoke(args=["results", "export", "NOPE"])
    assert result.exit_code != 0
    assert "NOPE" in result.output
