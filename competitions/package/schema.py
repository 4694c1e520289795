"""Read and validate a contest package (format version 1) into frozen dataclasses.

The format is described in contest-package.md; the scoring rules it must respect are in
DESIGN.md. ``parse_package`` checks the whole document before it returns anything and
reports every problem at once, each prefixed with its JSON path::

    events[0].marks[12].value: 42 is above the maximum 40 of criterion P1

Decisions where the format description is silent:

- Numbers are read as ``Decimal`` (never through binary floats) and must have at most three
  decimal places, since the database stores them with three (award shares: six); trailing
  zeros are dropped (``40.0`` is read as ``40``) and ``-0`` is read as ``0``. Numbers of a
  billion or more are refused. ``NaN`` and ``Infinity`` are not JSON and are refused.
- Unknown keys are problems, with a suggestion when one is close (``wieght`` -> ``weight``),
  so that a typo cannot silently drop data. A key given twice in one object is a problem.
- ``null`` for an optional key means the key is absent.
- An event has at most one chief judge (裁判长): the chief signs the event off, and two
  people signing off one event would make the lock ambiguous. Deputies are ordinary judges.
- ``ref``s are unique among an event's judges and among its entries; codes are unique among
  the competition's events, an event's sections, its criteria (across sections, since a
  tie-break or a mark names a criterion by code alone) and its award tiers.
- ``number`` (the anonymous number drawn by lot) is optional, since the draw may not have
  happened; ``number``, ``station`` and ``id_number`` are each unique within their event.
- ``aggregation.min_judges_to_trim`` applies to ``trimmed_mean`` only, is at least 3 (two
  marks are dropped, one must be left) and defaults to 5.
- Team events (an extension of format version 1, needed for lossless round trips): an event
  may say ``"team": true``; its entries are teams named by ``name`` and list their people in
  ``members`` (``name``, optional ``employer`` and ``id_number``). Entries of other events
  may not have members, and a team has no ``id_number`` of its own.
- Text must not contain control characters or unpaired surrogates (the database cannot store
  them); codes and refs are 1 to 32 letters, digits, ``.``, ``_`` or ``-``.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from competitions.sheets.validators import check_id_number

__all__ = [
    "AwardTierData",
    "CompetitionData",
    "CriterionData",
    "EventData",
    "FORMAT",
    "JudgeData",
    "LocalizedText",
    "MarkData",
    "MemberData",
    "Package",
    "PackageError",
    "SectionData",
    "VERSION",
    "EntryData",
    "canonical_decimal",
    "parse_package",
]

FORMAT = "contest-package"
VERSION = 1

LEVELS = ("enterprise", "district", "municipal", "provincial", "national")
KINDS = ("skill", "labour")
METHODS = ("mean", "median", "trimmed_mean")
CRITERION_TYPES = ("marks", "judgement", "deduction")
STATUSES = (
    "registered",
    "checked_in",
    "competing",
    "finished",
    "absent",
    "withdrawn",
    "disqualified",
)
DEFAULT_MIN_JUDGES_TO_TRIM = 5
DECIMAL_PLACES = 3
JUDGEMENT_SCORES = (0, 1, 2, 3)  # the WorldSkills judgement scale

SHARE_PLACES = 6  # award shares are stored with six places (e.g. 0.166667 for a sixth)
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
_CODE_RULE = "must be 1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# C0 and C1 controls, and surrogates, which PostgreSQL and UTF-8 cannot hold.
_BAD_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_TOO_LARGE = 8  # Decimal.adjusted() above this means 1,000,000,000 or more


class PackageError(ValueError):
    """The package is not valid; ``problems`` lists every problem with its JSON path."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the contest package:\n"
            + "\n".join(self.problems)
        )


@dataclass(frozen=True, slots=True)
class LocalizedText:
    """Text people read, in Chinese and English; either may be missing, not both."""

    zh: str | None = None
    en: str | None = None


@dataclass(frozen=True, slots=True)
class CompetitionData:
    """The competition itself."""

    code: str
    name: LocalizedText
    level: str
    kind: str
    organiser: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True, slots=True)
class CriterionData:
    """One criterion of a section: ``type`` is marks, judgement or deduction."""

    code: str
    name: LocalizedText
    type: str
    max: Decimal


@dataclass(frozen=True, slots=True)
class SectionData:
    """One section of a marking scheme; the weights of an event's sections sum to 100."""

    code: str
    name: LocalizedText
    weight: Decimal
    criteria: tuple[CriterionData, ...]


@dataclass(frozen=True, slots=True)
class AwardTierData:
    """One award tier: exactly one of ``share`` (0 to 1) and ``count`` is set."""

    code: str
    name: LocalizedText
    share: Decimal | None = None
    count: int | None = None
    min_total: Decimal | None = None


@dataclass(frozen=True, slots=True)
class JudgeData:
    """A judge of an event, named by ``ref`` within the package."""

    ref: str
    name: str
    employer: str | None = None
    chief: bool = False


@dataclass(frozen=True, slots=True)
class MemberData:
    """A person in a team entry."""

    name: str
    employer: str | None = None
    id_number: str | None = None


@dataclass(frozen=True, slots=True)
class EntryData:
    """An entry of an event, named by ``ref``; a team entry lists its ``members``."""

    ref: str
    name: str
    status: str
    employer: str | None = None
    id_number: str | None = None
    number: str | None = None
    station: str | None = None
    finish_seconds: Decimal | None = None
    members: tuple[MemberData, ...] = ()


@dataclass(frozen=True, slots=True)
class MarkData:
    """One judge's value for one criterion of one entry."""

    entry: str
    judge: str
    criterion: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class EventData:
    """An event with its marking scheme, rules, judges, entries and marks.

    ``min_judges_to_trim`` is set for the ``trimmed_mean`` method only.
    """

    code: str
    name: LocalizedText
    method: str
    sections: tuple[SectionData, ...]
    min_judges_to_trim: int | None = None
    team: bool = False
    tie_break: tuple[str, ...] = ()
    awards: tuple[AwardTierData, ...] = ()
    judges: tuple[JudgeData, ...] = ()
    entries: tuple[EntryData, ...] = ()
    marks: tuple[MarkData, ...] = ()

    def criteria(self) -> dict[str, CriterionData]:
        """Return the event's criteria by code, in scheme order."""
        return {c.code: c for section in self.sections for c in section.criteria}


@dataclass(frozen=True, slots=True)
class Package:
    """A whole competition as held in a contest package."""

    competition: CompetitionData
    events: tuple[EventData, ...] = ()


def canonical_decimal(value: Decimal) -> Decimal:
    """Return ``value`` without trailing fractional zeros or exponent (``4E+1`` -> ``40``).

    Exact for any finite decimal (no rounding to a context precision); ``-0`` becomes ``0``.
    Raises ``ValueError`` for NaN and infinities.
    """
    if not value.is_finite():
        raise ValueError(f"{value} is not a finite number")
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite, checked above
    if exponent > 0:
        digits, exponent = digits + (0,) * exponent, 0
    else:
        while exponent < 0 and len(digits) > 1 and digits[-1] == 0:
            digits, exponent = digits[:-1], exponent + 1
    if not any(digits):
        return Decimal(0)
    return Decimal((sign, digits, exponent))


def parse_package(source: bytes | str) -> Package:
    """Parse and validate a contest package.

    ``source`` is the JSON text, or its UTF-8 bytes (a byte-order mark is allowed). Returns
    the package only when the whole document is valid.

    Raises ``PackageError`` listing every problem, each as ``"<JSON path>: <message>"``
    (document-level problems, such as invalid JSON, have no path).
    """
    if isinstance(source, bytes | bytearray):
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PackageError([f"the file is not UTF-8 text (byte {error.start})"]) from None
    try:
        document = json.loads(
            source,
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=_refuse_constant,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as error:
        raise PackageError(
            [f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"]
        ) from None
    except RecursionError:
        raise PackageError(["not valid JSON: nested too deeply"]) from None
    except ValueError as error:  # from _refuse_constant
        raise PackageError([f"not valid JSON: {error}"]) from None
    checker = _Checker()
    package = checker.package(document)
    if checker.problems or package is None:
        raise PackageError(checker.problems)
    return package


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


class _DuplicateKeys(dict):
    """A JSON object in which some key was given more than once."""

    __slots__ = ("duplicates",)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of repeated keys silently; remember them to report them.
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    marked = _DuplicateKeys(result)
    counts: dict[str, int] = {}
    for key, _ in pairs:
        counts[key] = counts.get(key, 0) + 1
    marked.duplicates = [key for key, count in counts.items() if count > 1]
    return marked


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Missing:
    """Marks a value that is absent or invalid, so later checks skip it quietly."""


_BAD: Any = _Missing()


class _Anything(dict):
    """Stands for a scheme that could not be read: every code is in it, none has a type."""

    def __contains__(self, key: object) -> bool:
        return True


_ANYTHING: Any = _Anything()


class _Checker:
    """Walks the document, collecting problems and building dataclasses."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}" if path else message)

    # --- generic shapes ---------------------------------------------------------------

    def object(
        self,
        value: object,
        path: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> dict[str, Any] | None:
        """Check that ``value`` is an object with the required keys and no unknown key."""
        if not isinstance(value, dict):
            if path:
                self.add(path, f"must be an object, not {_describe(value)}")
            else:
                self.add("", f"the document must be a JSON object, not {_describe(value)}")
            return None
        for key in getattr(value, "duplicates", ()):
            self.add(_join(path, key), "is given more than once")
        known = required + optional
        for key in value:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"did you mean {close[0]}?" if close else f"expected {', '.join(known)}"
                self.add(_join(path, key), f"unknown field ({hint})")
        for key in required:
            if value.get(key) is None:
                self.add(_join(path, key), "is required")
        return value

    def array(self, obj: dict[str, Any], key: str, path: str, *, non_empty: bool = False) -> list:
        value = obj.get(key)
        path = _join(path, key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, f"must be an array, not {_describe(value)}")
            return []
        if non_empty and not value:
            self.add(path, "must not be empty")
        return value

    def text(self, obj: dict[str, Any], key: str, path: str, *, max_length: int = 200) -> Any:
        """Return the text at ``key``, ``None`` when absent, ``_BAD`` when invalid."""
        value = obj.get(key)
        if value is None:
            return None
        return self._text(value, _join(path, key), max_length)

    def _text(self, value: object, path: str, max_length: int) -> Any:
        if not isinstance(value, str):
            self.add(path, f"must be text, not {_describe(value)}")
            return _BAD
        if not value.strip():
            self.add(path, "must not be empty")
            return _BAD
        if len(value) > max_length:
            self.add(path, f"is longer than {max_length} characters")
            return _BAD
        if _BAD_TEXT.search(value):
            self.add(path, "contains a control character or an invalid character")
            return _BAD
        return value

    def code(self, obj: dict[str, Any], key: str, path: str) -> Any:
        value = obj.get(key)
        if value is None:
            return _BAD  # reported as required
        if not isinstance(value, str):
            self.add(_join(path, key), f"must be text, not {_describe(value)}")
            return _BAD
        if not _CODE.fullmatch(value):
            self.add(_join(path, key), f"{value!r} {_CODE_RULE}")
            return _BAD
        return value

    def choice(self, obj: dict[str, Any], key: str, path: str, choices: tuple[str, ...]) -> Any:
        value = obj.get(key)
        if value is None:
            return _BAD
        if value not in choices:
            shown = json.dumps(value, ensure_ascii=False, default=str)
            self.add(_join(path, key), f"{shown} is not one of {', '.join(choices)}")
            return _BAD
        return value

    def flag(self, obj: dict[str, Any], key: str, path: str) -> Any:
        value = obj.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.add(_join(path, key), f"must be true or false, not {_describe(value)}")
            return _BAD
        return value

    def number(
        self,
        obj: dict[str, Any],
        key: str,
        path: str,
        *,
        low: Decimal | int | None = 0,
        high: Decimal | int | None = None,
        above_low: bool = False,
        what: str = "numbers",
        places: int = DECIMAL_PLACES,
    ) -> Any:
        """Return the number at ``key`` as a canonical Decimal, ``None`` when absent."""
        value = obj.get(key)
        if value is None:
            return None
        return self._number(value, _join(path, key), low, high, above_low, what, places)

    def _number(
        self,
        value: object,
        path: str,
        low: Decimal | int | None,
        high: Decimal | int | None,
        above_low: bool,
        what: str,
        places: int = DECIMAL_PLACES,
    ) -> Any:
        if not isinstance(value, Decimal):
            self.add(path, f"must be a number, not {_describe(value)}")
            return _BAD
        if value.adjusted() > _TOO_LARGE:
            self.add(path, f"{value} is too large")
            return _BAD
        number = canonical_decimal(value)
        exponent = number.as_tuple().exponent
        assert isinstance(exponent, int)
        if exponent < -places:
            self.add(
                path,
                f"{number} has more than {places} decimal places ({what} are stored with {places})",
            )
            return _BAD
        if low is not None and (number <= low if above_low else number < low):
            self.add(path, f"{number} must be {'above' if above_low else 'at least'} {low}")
            return _BAD
        if high is not None and number > high:
            self.add(path, f"{number} must be at most {high}")
            return _BAD
        return number

    def integer(
        self, obj: dict[str, Any], key: str, path: str, *, low: int = 0, high: int | None = None
    ) -> Any:
        value = obj.get(key)
        if value is None:
            return None
        path = _join(path, key)
        if not isinstance(value, Decimal):
            self.add(path, f"must be a whole number, not {_describe(value)}")
            return _BAD
        if value.adjusted() > _TOO_LARGE:
            self.add(path, f"{value} is too large")
            return _BAD
        if value != value.to_integral_value():
            self.add(path, f"{value} must be a whole number")
            return _BAD
        number = int(value)
        if number < low or (high is not None and number > high):
            bound = f"from {low} to {high}" if high is not None else f"at least {low}"
            self.add(path, f"{number} must be {bound}")
            return _BAD
        return number

    def localized(self, obj: dict[str, Any], key: str, path: str) -> Any:
        value = obj.get(key)
        if value is None:
            return _BAD  # reported as required
        path = _join(path, key)
        checked = self.object(value, path, (), ("zh", "en"))
        if checked is None:
            return _BAD
        zh = self.text(checked, "zh", path)
        en = self.text(checked, "en", path)
        if zh is None and en is None:
            self.add(path, "needs zh or en")
            return _BAD
        if _BAD in (zh, en):
            return _BAD
        return LocalizedText(zh, en)

    def iso_date(self, obj: dict[str, Any], key: str, path: str) -> Any:
        value = obj.get(key)
        if value is None:
            return _BAD
        path = _join(path, key)
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.add(path, f"must be a date written YYYY-MM-DD, not {_shown(value)}")
        return _BAD

    def unique(
        self, seen: dict[Any, str], value: Any, path: str, field: str = "", *, show: bool = True
    ) -> None:
        """Report ``value`` when an earlier element (its path kept in ``seen``) has it too.

        ``show=False`` keeps the value (an ID number) out of the message.
        """
        if value is _BAD or value is None:
            return
        earlier = seen.setdefault(value, path)
        if earlier != path:
            shown = f"{_shown(value)} " if show else ""
            self.add(_join(path, field) if field else path, f"{shown}is also in {earlier}")

    # --- the document ----------------------------------------------------------------

    def package(self, document: object) -> Package | None:
        root = self.object(document, "", ("format", "version", "competition", "events"))
        if root is None:
            return None
        fmt = root.get("format")
        if fmt is not None and fmt != FORMAT:
            self.add("format", f'must be "{FORMAT}", not {_shown(fmt)}')
        version = root.get("version")
        if version is not None and version != VERSION:
            self.add("version", f"{_shown(version)} is not supported: this system reads {VERSION}")
        competition = self.competition(root.get("competition"))
        events = []
        codes: dict[Any, str] = {}
        for index, value in enumerate(self.array(root, "events", "")):
            path = _join("events", index)
            event = self.event(value, path)
            if event is not None:
                self.unique(codes, event.code, path, "code")
                events.append(event)
        if competition is None or self.problems:
            return None
        return Package(competition, tuple(events))

    def competition(self, value: object) -> CompetitionData | None:
        path = "competition"
        if value is None:
            return None  # reported as required
        obj = self.object(
            value, path, ("code", "name", "level", "kind", "organiser", "starts_on", "ends_on")
        )
        if obj is None:
            return None
        starts_on = self.iso_date(obj, "starts_on", path)
        ends_on = self.iso_date(obj, "ends_on", path)
        if _BAD not in (starts_on, ends_on) and ends_on < starts_on:
            self.add(_join(path, "ends_on"), f"{ends_on} is before starts_on {starts_on}")
        return CompetitionData(
            code=self.code(obj, "code", path),
            name=self.localized(obj, "name", path),
            level=self.choice(obj, "level", path, LEVELS),
            kind=self.choice(obj, "kind", path, KINDS),
            organiser=self.text(obj, "organiser", path),
            starts_on=starts_on,
            ends_on=ends_on,
        )

    def event(self, value: object, path: str) -> EventData | None:
        obj = self.object(
            value,
            path,
            ("code", "name", "aggregation", "sections"),
            ("team", "tie_break", "awards", "judges", "entries", "marks"),
        )
        if obj is None:
            return None
        code = self.code(obj, "code", path)
        method, min_judges = self.aggregation(obj.get("aggregation"), _join(path, "aggregation"))
        team = self.flag(obj, "team", path)
        sections = self.sections(obj, path)
        # Without a scheme, every tie-break and mark would repeat that its criterion is unknown.
        criteria = {c.code: c for s in sections for c in s.criteria if c.code is not _BAD}
        criteria = criteria if sections else _ANYTHING
        judges = self.judges(obj, path)
        entries = self.entries(obj, path, team)
        return EventData(
            code=code,
            name=self.localized(obj, "name", path),
            method=method,
            min_judges_to_trim=min_judges,
            team=team,
            sections=sections,
            tie_break=self.tie_break(obj, path, sections, criteria),
            awards=self.awards(obj, path),
            judges=judges,
            entries=entries,
            marks=self.marks(obj, path, code, criteria, judges, entries),
        )

    def aggregation(self, value: object, path: str) -> tuple[Any, Any]:
        if value is None:
            return _BAD, None  # reported as required
        obj = self.object(value, path, ("method",), ("min_judges_to_trim",))
        if obj is None:
            return _BAD, None
        method = self.choice(obj, "method", path, METHODS)
        min_judges = self.integer(obj, "min_judges_to_trim", path, low=3)
        if method == "trimmed_mean":
            return method, DEFAULT_MIN_JUDGES_TO_TRIM if min_judges is None else min_judges
        if min_judges is not None and method is not _BAD:
            self.add(_join(path, "min_judges_to_trim"), "applies to the trimmed_mean method only")
        return method, None

    def sections(self, obj: dict[str, Any], path: str) -> tuple[SectionData, ...]:
        sections = []
        section_codes: dict[Any, str] = {}
        criterion_codes: dict[Any, str] = {}
        all_weights_valid = True
        items = self.array(obj, "sections", path, non_empty="sections" in obj)
        for index, value in enumerate(items):
            section_path = _join(_join(path, "sections"), index)
            section = self.section(value, section_path, criterion_codes)
            if section is None:
                all_weights_valid = False
                continue
            self.unique(section_codes, section.code, section_path, "code")
            all_weights_valid &= section.weight is not _BAD
            sections.append(section)
        if sections and all_weights_valid:
            total = sum((section.weight for section in sections), Decimal(0))
            if total != 100:
                self.add(
                    _join(path, "sections"), f"the weights add up to {total}; they must total 100"
                )
        return tuple(sections)

    def section(
        self, value: object, path: str, criterion_codes: dict[Any, str]
    ) -> SectionData | None:
        obj = self.object(value, path, ("code", "name", "weight", "criteria"))
        if obj is None:
            return None
        weight = self.number(obj, "weight", path, low=0, above_low=True, high=100, what="weights")
        criteria = []
        items = self.array(obj, "criteria", path, non_empty="criteria" in obj)
        for index, item in enumerate(items):
            criterion_path = _join(_join(path, "criteria"), index)
            criterion = self.criterion(item, criterion_path)
            if criterion is not None:
                self.unique(criterion_codes, criterion.code, criterion_path, "code")
                criteria.append(criterion)
        types = {criterion.type for criterion in criteria}
        if criteria and types <= {"deduction", _BAD} and "deduction" in types:
            self.add(
                _join(path, "criteria"),
                "needs a marks or judgement criterion: deductions alone give the section "
                "no maximum",
            )
        return SectionData(
            code=self.code(obj, "code", path),
            name=self.localized(obj, "name", path),
            weight=_BAD if weight is None else weight,
            criteria=tuple(criteria),
        )

    def criterion(self, value: object, path: str) -> CriterionData | None:
        obj = self.object(value, path, ("code", "name", "type", "max"))
        if obj is None:
            return None
        maximum = self.number(obj, "max", path, low=0, above_low=True, what="maxima")
        return CriterionData(
            code=self.code(obj, "code", path),
            name=self.localized(obj, "name", path),
            type=self.choice(obj, "type", path, CRITERION_TYPES),
            max=_BAD if maximum is None else maximum,
        )

    def tie_break(
        self,
        obj: dict[str, Any],
        path: str,
        sections: Sequence[SectionData],
        criteria: dict[str, CriterionData],
    ) -> tuple[str, ...]:
        keys = []
        seen: dict[Any, str] = {}
        section_codes = {section.code for section in sections} if sections else _ANYTHING
        for index, key in enumerate(self.array(obj, "tie_break", path)):
            key_path = _join(_join(path, "tie_break"), index)
            if not isinstance(key, str):
                self.add(key_path, f"must be text, not {_describe(key)}")
                continue
            kind, _, code = key.partition(":")
            if key == "time":
                pass
            elif kind == "section" and code:
                if code not in section_codes:
                    self.add(key_path, f"there is no section {code} in this event")
            elif kind == "criterion" and code:
                if code not in criteria:
                    self.add(key_path, f"there is no criterion {code} in this event")
            else:
                self.add(key_path, f"{_shown(key)} must be section:CODE, criterion:CODE or time")
                continue
            self.unique(seen, key, key_path)
            keys.append(key)
        return tuple(keys)

    def awards(self, obj: dict[str, Any], path: str) -> tuple[AwardTierData, ...]:
        tiers = []
        codes: dict[Any, str] = {}
        for index, value in enumerate(self.array(obj, "awards", path)):
            tier_path = _join(_join(path, "awards"), index)
            tier = self.object(value, tier_path, ("code", "name"), ("share", "count", "min_total"))
            if tier is None:
                continue
            share = self.number(
                tier, "share", tier_path, low=0, high=1, what="shares", places=SHARE_PLACES
            )
            count = self.integer(tier, "count", tier_path, low=0)
            if share is None and count is None:
                self.add(tier_path, "needs a share or a count")
            elif share is not None and count is not None:
                self.add(tier_path, "has both share and count; give one of them")
            code = self.code(tier, "code", tier_path)
            self.unique(codes, code, tier_path, "code")
            tiers.append(
                AwardTierData(
                    code=code,
                    name=self.localized(tier, "name", tier_path),
                    share=share,
                    count=count,
                    min_total=self.number(
                        tier, "min_total", tier_path, low=0, high=100, what="totals"
                    ),
                )
            )
        return tuple(tiers)

    def judges(self, obj: dict[str, Any], path: str) -> tuple[JudgeData, ...]:
        judges = []
        refs: dict[Any, str] = {}
        chief: str | None = None
        for index, value in enumerate(self.array(obj, "judges", path)):
            judge_path = _join(_join(path, "judges"), index)
            judge = self.object(value, judge_path, ("ref", "name"), ("employer", "chief"))
            if judge is None:
                continue
            ref = self.code(judge, "ref", judge_path)
            self.unique(refs, ref, judge_path, "ref")
            is_chief = self.flag(judge, "chief", judge_path)
            if is_chief is True:
                if chief is not None:
                    self.add(
                        _join(judge_path, "chief"),
                        f"{chief} is already the chief judge: an event has one chief judge",
                    )
                else:
                    chief = judge_path
            judges.append(
                JudgeData(
                    ref=ref,
                    name=self.text(judge, "name", judge_path, max_length=50),
                    employer=self.text(judge, "employer", judge_path),
                    chief=is_chief,
                )
            )
        return tuple(judges)

    def entries(self, obj: dict[str, Any], path: str, team: Any) -> tuple[EntryData, ...]:
        entries = []
        refs: dict[Any, str] = {}
        numbers: dict[Any, str] = {}
        stations: dict[Any, str] = {}
        people: dict[Any, str] = {}
        for index, value in enumerate(self.array(obj, "entries", path)):
            entry_path = _join(_join(path, "entries"), index)
            entry = self.object(
                value,
                entry_path,
                ("ref", "name", "status"),
                ("employer", "id_number", "number", "station", "finish_seconds", "members"),
            )
            if entry is None:
                continue
            ref = self.code(entry, "ref", entry_path)
            number = self.text(entry, "number", entry_path, max_length=20)
            station = self.text(entry, "station", entry_path, max_length=20)
            self.unique(refs, ref, entry_path, "ref")
            self.unique(numbers, number, entry_path, "number")
            self.unique(stations, station, entry_path, "station")
            id_number = self.id_number(entry, entry_path)
            members: list[MemberData] = []
            if entry.get("members") is not None and team is False:
                self.add(_join(entry_path, "members"), "only entries of team events have members")
            elif team is True:
                if id_number is not None:
                    self.add(
                        _join(entry_path, "id_number"),
                        "a team has no ID number: give its members' ID numbers",
                    )
                members = self.members(entry, entry_path, people)
            self.unique(people, id_number, entry_path, "id_number", show=False)
            entries.append(
                EntryData(
                    ref=ref,
                    name=self.text(entry, "name", entry_path, max_length=100),
                    status=self.choice(entry, "status", entry_path, STATUSES),
                    employer=self.text(entry, "employer", entry_path),
                    id_number=id_number,
                    number=number,
                    station=station,
                    finish_seconds=self.number(
                        entry, "finish_seconds", entry_path, low=0, what="times"
                    ),
                    members=tuple(members),
                )
            )
        return tuple(entries)

    def members(self, entry: dict[str, Any], path: str, people: dict[Any, str]) -> list[MemberData]:
        members = []
        if entry.get("members") is None:
            self.add(_join(path, "members"), "is required for a team event")
            return members
        for index, value in enumerate(self.array(entry, "members", path, non_empty=True)):
            member_path = _join(_join(path, "members"), index)
            member = self.object(value, member_path, ("name",), ("employer", "id_number"))
            if member is None:
                continue
            id_number = self.id_number(member, member_path)
            self.unique(people, id_number, member_path, "id_number", show=False)
            members.append(
                MemberData(
                    name=self.text(member, "name", member_path, max_length=50),
                    employer=self.text(member, "employer", member_path),
                    id_number=id_number,
                )
            )
        return members

    def id_number(self, obj: dict[str, Any], path: str) -> Any:
        value = self.text(obj, "id_number", path, max_length=30)
        if value is None or value is _BAD:
            return value
        try:
            return check_id_number(value)
        except ValueError as error:
            self.add(_join(path, "id_number"), str(error))
            return _BAD

    def marks(
        self,
        obj: dict[str, Any],
        path: str,
        event_code: Any,
        criteria: dict[str, CriterionData],
        judges: Sequence[JudgeData],
        entries: Sequence[EntryData],
    ) -> tuple[MarkData, ...]:
        judge_refs = {judge.ref for judge in judges}
        entry_refs = {entry.ref for entry in entries}
        event = "this event" if event_code is _BAD else event_code
        seen: dict[tuple[Any, Any, Any], int] = {}
        marks = []
        marks_path = _join(path, "marks")
        for index, value in enumerate(self.array(obj, "marks", path)):
            mark_path = _join(marks_path, index)
            mark = self.object(value, mark_path, ("entry", "judge", "criterion", "value"))
            if mark is None:
                continue
            entry = self._reference(mark, "entry", mark_path, entry_refs, event)
            judge = self._reference(mark, "judge", mark_path, judge_refs, event)
            code = self._reference(mark, "criterion", mark_path, criteria, event)
            key = (entry, judge, code)
            if _BAD not in key:
                first = seen.setdefault(key, index)
                if first != index:
                    self.add(
                        mark_path,
                        f"entry {entry}, judge {judge} and criterion {code} already have a "
                        f"mark at marks[{first}]",
                    )
            value = self.mark_value(mark.get("value"), _join(mark_path, "value"), criteria, code)
            marks.append(MarkData(entry, judge, code, value))
        return tuple(marks)

    def _reference(self, mark: dict[str, Any], key: str, path: str, known: Any, event: str) -> Any:
        value = mark.get(key)
        if value is None:
            return _BAD  # reported as required
        if not isinstance(value, str):
            self.add(_join(path, key), f"must be text, not {_describe(value)}")
            return _BAD
        if value not in known:
            self.add(_join(path, key), f"there is no {key} {_shown(value)} in {event}")
            return _BAD
        return value

    def mark_value(
        self, value: object, path: str, criteria: dict[str, CriterionData], code: Any
    ) -> Any:
        if value is None:
            return _BAD  # reported as required
        criterion = criteria.get(code) if code is not _BAD else None
        number = self._number(value, path, 0, None, False, "marks")
        if number is _BAD or criterion is None:
            return number
        if criterion.type == "judgement":
            if number not in JUDGEMENT_SCORES:
                self.add(
                    path,
                    f"{number} is not a judgement score: criterion {code} takes a whole "
                    "number from 0 to 3",
                )
                return _BAD
        elif criterion.max is not _BAD and number > criterion.max:
            self.add(path, f"{number} is above the maximum {criterion.max} of criterion {code}")
            return _BAD
        return number


def _shown(value: object) -> str:
    """Show a JSON value as it would be written: text quoted, numbers bare."""
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)
