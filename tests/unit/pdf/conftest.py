"""Fixtures for the PDF tests: sample data and the poppler/zbar command-line tools.

The tools are optional: a test that needs one is skipped, with the reason,
where it is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from competitions.pdf import fonts


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: poppler-utils / zbar-tools)")
    return path


@pytest.fixture
def run_tool() -> Callable[..., str]:
    """Run a command-line tool and return its standard output; skip if it is absent."""

    def run(name: str, *args: str | Path, env: dict[str, str] | None = None) -> str:
        command = [_tool(name), *map(str, args)]
        result = subprocess.run(command, capture_output=True, check=False, env=env, timeout=60)
        # zbarimg exits with 4 when it finds no code: the test judges that.
        if result.returncode != 0 and not (name == "zbarimg" and result.returncode == 4):
            raise AssertionError(f"{name} failed: {result.stderr.decode(errors='replace')}")
        return result.stdout.decode()

    return run


@pytest.fixture
def write_pdf(tmp_path: Path) -> Callable[[bytes, str], Path]:
    """Save PDF bytes under the test's temporary folder."""

    def write(pdf: bytes, name: str = "out.pdf") -> Path:
        path = tmp_path / name
        path.write_bytes(pdf)
        return path

    return write


@pytest.fixture
def render_png(run_tool: Callable[..., str], tmp_path: Path) -> Callable[..., Path]:
    """Render page 1 of a PDF file to PNG with pdftoppm."""

    def render(pdf: Path, dpi: int = 150, env: dict[str, str] | None = None) -> Path:
        stem = tmp_path / f"{pdf.stem}-{dpi}"
        run_tool("pdftoppm", "-r", str(dpi), "-png", "-singlefile", pdf, stem, env=env)
        return stem.with_suffix(".png")

    return render


@pytest.fixture
def fresh_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Let a test change the font settings; the fonts are looked up again after it."""
    monkeypatch.delenv(fonts.FONT_ENV, raising=False)
    monkeypatch.delenv(fonts.FONT_BOLD_ENV, raising=False)
    fonts.reset_font_cache()
    yield monkeypatch
    monkeypatch.undo()
    fonts.reset_font_cache()
