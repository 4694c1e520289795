"""CJK font discovery and registration for the PDF renderers.

PDFs must show Chinese in every viewer, including viewers on machines without
any CJK font, so the renderers only ever use TrueType-outline fonts that
ReportLab embeds as subsets. ReportLab's built-in CID fonts (STSong-Light) are
never embedded, and it cannot read CFF-outline OpenType (Noto CJK, Source Han).

Where the fonts come from, in order:

1. ``CERTIFICATE_FONT`` (environment): a ``.ttf``/``.ttc`` path, optionally
   ``path#index`` for a face in a collection. ``CERTIFICATE_FONT_BOLD`` may
   name its bold face; without it bold is drawn by stroking the outlines.
   A font named here that cannot be used is an error, never silently skipped.
2. Kurinto Sans SC (Regular and Bold) from the ``weblate-fonts`` package, a
   dependency of this project, so a fresh ``pip install`` has it.
3. Only when neither is available: the first usable system CJK font at the
   usual Linux, macOS and Windows paths.

When a font from (1) is used, the packaged font stays behind it as a fallback
for characters the configured font lacks. A character neither has is reported
by :func:`missing_glyphs`, so callers refuse the text rather than print a
certificate with a blank where a character should be.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

# ReportLab wraps every stream in ASCII85 by default, a relic of 7-bit mail:
# it makes PDFs 25 % larger and, in pure Python, costs more time than the rest
# of a certificate. This application writes PDFs only through this package.
rl_config.useA85 = 0

__all__ = [
    "FONT_ENV",
    "FONT_BOLD_ENV",
    "FontChain",
    "FontConfigError",
    "FontFace",
    "FontNotFoundError",
    "MissingGlyphError",
    "Run",
    "check_text",
    "font_chain",
    "markup",
    "missing_glyphs",
    "render_lock",
    "reset_font_cache",
    "split_runs",
    "string_width",
]

FONT_ENV = "CERTIFICATE_FONT"
FONT_BOLD_ENV = "CERTIFICATE_FONT_BOLD"

# A font that cannot draw these is not a Chinese font, whatever its name says.
_PROBE = "荣誉证书张伟一等奖"

_PACKAGE = "weblate_fonts"
_PACKAGE_DIR = ("static", "weblate_fonts", "kurinto", "ttf")
_PACKAGE_REGULAR = "KurintoSansSC-Rg.ttf"
_PACKAGE_BOLD = "KurintoSansSC-Bd.ttf"

# TrueType-outline CJK fonts commonly present on servers and desktops, best
# first. CFF-outline files are left out: ReportLab cannot embed them.
_LINUX_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/TTF/wqy-zenhei.ttc",
)
_MACOS_FONTS = (
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
)
_WINDOWS_FONTS = ("msyh.ttc", "simsun.ttc", "simhei.ttf", "Deng.ttf", "simkai.ttf")

INSTALL_HINT = (
    "Install the Python package 'weblate-fonts' (a dependency of this project: "
    "pip install -e . installs it), or a TrueType CJK system font such as Debian's "
    "fonts-wqy-zenhei (apt-get install fonts-wqy-zenhei), or set "
    f"{FONT_ENV}=/path/to/font.ttf (or /path/to/fonts.ttc#0) to a CJK font with "
    "TrueType outlines. Noto CJK and Source Han fonts (CFF outlines) cannot be embedded."
)

# ReportLab's TTFont keeps per-document state and its docs warn against using
# one TTFont for two documents at the same time, so renders in one process are
# serialised. A render takes milliseconds; gunicorn workers are processes.
render_lock = threading.RLock()


class FontNotFoundError(RuntimeError):
    """No usable CJK TrueType font is available; the message says what to install."""


class FontConfigError(RuntimeError):
    """The font named in the environment cannot be used; the message says why."""


class MissingGlyphError(ValueError):
    """A text to print holds characters that no certificate font can draw.

    ``field`` names the data field and ``characters`` the offending
    characters, so a form can show the message beside the right input.
    """

    def __init__(self, field: str, characters: Iterable[str]) -> None:
        self.field = field
        self.characters = tuple(sorted(set(characters)))
        listed = ", ".join(f"{c} (U+{ord(c):04X})" for c in self.characters)
        super().__init__(
            f"{field}: the certificate font has no glyph for {listed}; "
            f"such a certificate would print a blank. Correct the text, or name a "
            f"font that has these characters in {FONT_ENV}."
        )


@dataclass(frozen=True)
class FontFace:
    """One registered TrueType face: its ReportLab name and where it came from."""

    name: str
    path: Path
    index: int
    origin: str
    codepoints: frozenset[int] = field(repr=False, compare=False)

    def has(self, char: str) -> bool:
        """Whether this face maps ``char`` to a glyph."""
        return ord(char) in self.codepoints


@dataclass(frozen=True)
class Run:
    """A stretch of text drawn with one face; ``fake_bold`` strokes the outlines."""

    face: FontFace
    fake_bold: bool
    text: str


@dataclass(frozen=True)
class FontChain:
    """The faces to try for each character, first match wins.

    ``bold[i]`` is the bold face matching ``regular[i]``, or ``None`` when that
    family has no bold face and bold is drawn by stroking the regular outlines.
    """

    regular: tuple[FontFace, ...]
    bold: tuple[FontFace | None, ...]

    @property
    def primary(self) -> FontFace:
        """The face used for text that every face could draw (spaces, digits)."""
        return self.regular[0]

    def face_for(self, char: str, bold: bool = False) -> tuple[FontFace, bool] | None:
        """The face for ``char`` and whether it needs fake bold, or None if none has it."""
        for regular, bold_face in zip(self.regular, self.bold, strict=True):
            if bold and bold_face is not None and bold_face.has(char):
                return bold_face, False
            if regular.has(char):
                return regular, bold
        return None

    def missing(self, text: str) -> set[str]:
        """Characters of ``text`` that no face of the chain can draw."""
        return {c for c in set(text) if not any(f.has(c) for f in self.regular)}


def _parse_spec(spec: str) -> tuple[Path, int]:
    """Split ``path#index`` into a path and a collection index (0 by default)."""
    path, sep, index = spec.strip().rpartition("#")
    if not sep:
        return Path(spec.strip()).expanduser(), 0
    if not index.isdigit():
        # A '#' that is part of the file name, not an index.
        return Path(spec.strip()).expanduser(), 0
    return Path(path).expanduser(), int(index)


def _register(path: Path, index: int, origin: str) -> FontFace:
    """Load, check and register one face with ReportLab; raise TTFError/OSError/ValueError."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist")
    digest = hashlib.sha1(f"{path.resolve()}#{index}".encode(), usedforsecurity=False)
    name = f"{path.stem}-{index}-{digest.hexdigest()[:8]}"
    # getFont() on an unknown name searches the disk for Type 1 fonts; ask first.
    if name in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(name)
    else:
        font = TTFont(name, str(path), subfontIndex=index)
        _cache_tables(font)
        pdfmetrics.registerFont(font)
    face = FontFace(name, path, index, origin, frozenset(font.face.charToGlyph))
    lacking = "".join(c for c in _PROBE if not face.has(c))
    if lacking:
        raise ValueError(f"{path}#{index} has no Chinese glyphs (lacks {lacking})")
    return face


def _cache_tables(font: TTFont) -> None:
    """Make the face return its (immutable) tables from memory.

    ReportLab slices each table out of the font file for every subset it
    writes; for a CJK font that is a copy of ~8 MB of glyph data per subset,
    almost half the time of rendering a certificate. Caching trades that for
    one copy of the tables per process.
    """
    face = font.face
    get_table = getattr(face, "get_table", None)
    if callable(get_table):
        face.get_table = functools.cache(get_table)


def _package_faces() -> tuple[FontFace, FontFace] | None:
    """Kurinto Sans SC Regular and Bold from weblate-fonts, if installed."""
    # find_spec locates the package without importing it (its import is empty
    # today, but nothing here needs its code).
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*_PACKAGE_DIR)
    try:
        regular = _register(folder / _PACKAGE_REGULAR, 0, "weblate-fonts (Kurinto Sans SC)")
        bold = _register(folder / _PACKAGE_BOLD, 0, "weblate-fonts (Kurinto Sans SC Bold)")
    except (OSError, TTFError, ValueError):
        return None
    return regular, bold


def system_font_candidates(env: Mapping[str, str] | None = None) -> Iterator[Path]:
    """Paths where CJK TrueType fonts usually live on Linux, macOS and Windows."""
    env = os.environ if env is None else env
    yield from map(Path, _LINUX_FONTS)
    yield from map(Path, _MACOS_FONTS)
    windir = env.get("WINDIR") or env.get("SystemRoot") or "C:\\Windows"
    for name in _WINDOWS_FONTS:
        yield Path(windir) / "Fonts" / name


def _system_face(env: Mapping[str, str]) -> FontFace | None:
    for path in system_font_candidates(env):
        if not path.is_file():
            continue
        try:
            return _register(path, 0, f"system font {path}")
        except (OSError, TTFError, ValueError):
            continue  # e.g. CFF outlines, or not a Chinese font: try the next
    return None


def _configured(env_name: str, spec: str) -> FontFace:
    path, index = _parse_spec(spec)
    try:
        return _register(path, index, env_name)
    except (OSError, TTFError, ValueError) as exc:
        raise FontConfigError(
            f"{env_name}={spec!r} cannot be used for certificates: {exc}. "
            "It must name a TrueType-outline CJK font (.ttf, or .ttc#index)."
        ) from exc


def _build_chain(env: Mapping[str, str]) -> FontChain:
    regular: list[FontFace] = []
    bold: list[FontFace | None] = []
    if spec := env.get(FONT_ENV, "").strip():
        regular.append(_configured(FONT_ENV, spec))
        bold_spec = env.get(FONT_BOLD_ENV, "").strip()
        bold.append(_configured(FONT_BOLD_ENV, bold_spec) if bold_spec else None)
    packaged = _package_faces()
    if packaged is not None:
        regular.append(packaged[0])
        bold.append(packaged[1])
    if not regular:
        system = _system_face(env)
        if system is None:
            raise FontNotFoundError(f"No CJK TrueType font found for PDFs. {INSTALL_HINT}")
        regular.append(system)
        bold.append(None)
    return FontChain(tuple(regular), tuple(bold))


_chain_lock = threading.Lock()
_chain: FontChain | None = None


def font_chain() -> FontChain:
    """The fonts for this process, discovered and registered on first use.

    Raises :class:`FontNotFoundError` when no CJK font is available and
    :class:`FontConfigError` when ``CERTIFICATE_FONT`` names an unusable font.
    """
    global _chain
    if _chain is None:
        with _chain_lock:
            if _chain is None:
                _chain = _build_chain(os.environ)
    return _chain


def reset_font_cache() -> None:
    """Forget the discovered fonts so the next call looks again (tests, reconfiguration)."""
    global _chain
    with _chain_lock:
        _chain = None


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` that no certificate font can draw."""
    return font_chain().missing(text)


def check_text(field_name: str, text: str | None) -> None:
    """Raise :class:`MissingGlyphError` naming ``field_name`` if ``text`` cannot be drawn."""
    if text and (missing := missing_glyphs(text)):
        raise MissingGlyphError(field_name, missing)


def split_runs(text: str, bold: bool = False) -> list[Run]:
    """Cut ``text`` into runs that one face each can draw.

    Characters no face has are left with the primary face (they will draw
    nothing); callers check texts with :func:`check_text` first.
    """
    chain = font_chain()
    runs: list[Run] = []
    for char in text:
        found = chain.face_for(char, bold)
        face, fake = found if found else (chain.primary, bold)
        if runs and runs[-1].face is face and runs[-1].fake_bold == fake:
            runs[-1] = Run(face, fake, runs[-1].text + char)
        else:
            runs.append(Run(face, fake, char))
    return runs


def string_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of ``text`` at ``size`` as :func:`split_runs` would draw it."""
    return sum(
        pdfmetrics.stringWidth(run.text, run.face.name, size) for run in split_runs(text, bold)
    )


def markup(text: str, bold: bool = False) -> str:
    """``text`` as Paragraph markup with each run in its face (for platypus)."""
    # Paragraphs cannot stroke outlines, so a family without a bold face
    # stays regular in tables; the header row is set apart by its shading.
    return "".join(
        f'<font face="{run.face.name}">{escape(run.text)}</font>' for run in split_runs(text, bold)
    )
