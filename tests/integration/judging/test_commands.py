"""``flask judges import``."""

from sqlalchemy import func, select

from competitions.accounts.models import User
from competitions.extensions import db


def test_import_prints_passwords_once_and_refuses_bad_files(app, runner, tmp_path):
    good = tmp_path / "judges.csv"
    good.write_text(
        "姓名,用户名,工作单位,手机号\n李明,liming,深圳技师学院,13900139001\n", encoding="utf-8"
    )
    result = runner.invoke(args=["judges", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 judge accounts created" in result.output and "liming\t" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,用户名,工作单位,手机号\n王芳,liming,深圳大学,13900139002\n", "utf-8")
    result = runner.invoke(args=["judges", "import", str(bad)])
    assert result.exit_code != 0
    assert "row 2" in result.output and "already taken" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1
