"""Write a contest package back to JSON, exactly.

``dumps(parse_package(text))`` gives the package again, and parsing that gives the same
dataclasses: numbers are written from their ``Decimal`` text (``40``, ``87.35``), never through
a float, in the canonical form ``parse_package`` reads them into (no trailing fractional zeros,
no exponent). Optional fields that are absent (``None``, ``chief`` and ``team`` false) are
left out rather than written as ``null``.

The text is indented, but an object or array whose one-line form is short stays on one line,
so a package with 50,000 marks has one line per mark.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from competitions.package.schema import (
    FORMAT,
    VERSION,
    AwardTierData,
    CompetitionData,
    CriterionData,
    EntryData,
    EventData,
    JudgeData,
    LocalizedText,
    MarkData,
    MemberData,
    Package,
    SectionData,
    canonical_decimal,
)

__all__ = ["dump_package", "dumps"]

_LINE = 100  # the longest one-line form kept on one line


def dump_package(package: Package) -> dict[str, Any]:
    """Return the package as a JSON-shaped dict, numbers as canonical ``Decimal``.

    Dates become ISO text. Raises ``ValueError`` for a NaN or infinite number.
    """
    return {
        "format": FORMAT,
        "version": VERSION,
        "competition": _competition(package.competition),
        "events": [_event(event) for event in package.events],
    }


def dumps(package: Package) -> str:
    """Return the package as JSON text (UTF-8 characters unescaped, ending in a newline).

    Raises ``ValueError`` for a NaN or infinite number.
    """
    out: list[str] = []
    _write(dump_package(package), out, "")
    out.append("\n")
    return "".join(out)


def _text(text: LocalizedText) -> dict[str, str]:
    return _present({"zh": text.zh, "en": text.en})


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


def _number(value: Decimal | int | None) -> Decimal | int | None:
    return canonical_decimal(value) if isinstance(value, Decimal) else value


def _competition(competition: CompetitionData) -> dict[str, Any]:
    return {
        "code": competition.code,
        "name": _text(competition.name),
        "level": competition.level,
        "kind": competition.kind,
        "organiser": competition.organiser,
        "starts_on": competition.starts_on.isoformat(),
        "ends_on": competition.ends_on.isoformat(),
    }


def _event(event: EventData) -> dict[str, Any]:
    aggregation: dict[str, Any] = {"method": event.method}
    if event.method == "trimmed_mean" and event.min_judges_to_trim is not None:
        aggregation["min_judges_to_trim"] = event.min_judges_to_trim
    result: dict[str, Any] = {"code": event.code, "name": _text(event.name)}
    if event.team:
        result["team"] = True
    result |= {
        "aggregation": aggregation,
        "sections": [_section(section) for section in event.sections],
        "tie_break": list(event.tie_break),
        "awards": [_award(award) for award in event.awards],
        "judges": [_judge(judge) for judge in event.judges],
        "entries": [_entry(entry) for entry in event.entries],
        "marks": [_mark(mark) for mark in event.marks],
    }
    return result


def _section(section: SectionData) -> dict[str, Any]:
    return {
        "code": section.code,
        "name": _text(section.name),
        "weight": _number(section.weight),
        "criteria": [_criterion(criterion) for criterion in section.criteria],
    }


def _criterion(criterion: CriterionData) -> dict[str, Any]:
    return {
        "code": criterion.code,
        "name": _text(criterion.name),
        "type": criterion.type,
        "max": _number(criterion.max),
    }


def _award(award: AwardTierData) -> dict[str, Any]:
    return _present(
        {
            "code": award.code,
            "name": _text(award.name),
            "share": _number(award.share),
            "count": award.count,
            "min_total": _number(award.min_total),
        }
    )


def _judge(judge: JudgeData) -> dict[str, Any]:
    result = _present({"ref": judge.ref, "name": judge.name, "employer": judge.employer})
    if judge.chief:
        result["chief"] = True
    return result


def _member(member: MemberData) -> dict[str, Any]:
    return _present(
        {"name": member.name, "employer": member.employer, "id_number": member.id_number}
    )


def _entry(entry: EntryData) -> dict[str, Any]:
    result = _present(
        {
            "ref": entry.ref,
            "name": entry.name,
            "employer": entry.employer,
            "id_number": entry.id_number,
            "number": entry.number,
            "station": entry.station,
            "status": entry.status,
            "finish_seconds": _number(entry.finish_seconds),
        }
    )
    if entry.members:
        result["members"] = [_member(member) for member in entry.members]
    return result


def _mark(mark: MarkData) -> dict[str, Any]:
    return {
        "entry": mark.entry,
        "judge": mark.judge,
        "criterion": mark.criterion,
        "value": _number(mark.value),
    }


# --- JSON text ------------------------------------------------------------------------------


def _scalar(value: object) -> str:
    if value is None or isinstance(value, str | bool):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        # The exact decimal text: a float would turn 0.1 into 0.1000000000000000055511151231.
        return format(canonical_decimal(value), "f")
    if isinstance(value, int):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _compact(value: object, budget: int) -> str | None:
    """Return the one-line form of ``value``, or ``None`` once it grows past ``budget``."""
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            text = _compact(item, budget)
            if text is None:
                return None
            parts.append(f"{_scalar(key)}: {text}")
            budget -= len(parts[-1]) + 2
            if budget < 0:
                return None
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        parts = []
        for item in value:
            text = _compact(item, budget)
            if text is None:
                return None
            parts.append(text)
            budget -= len(text) + 2
            if budget < 0:
                return None
        return "[" + ", ".join(parts) + "]"
    text = _scalar(value)
    return text if len(text) <= budget else None


def _write(value: object, out: list[str], indent: str) -> None:
    if not isinstance(value, dict | list):
        out.append(_scalar(value))
        return
    one_line = _compact(value, _LINE - len(indent))
    if one_line is not None:
        out.append(one_line)
        return
    inner = indent + "  "
    if isinstance(value, dict):
        out.append("{")
        for position, (key, item) in enumerate(value.items()):
            out.append(("," if position else "") + "\n" + inner + _scalar(key) + ": ")
            _write(item, out, inner)
        out.append("\n" + indent + "}")
    else:
        out.append("[")
        for position, item in enumerate(value):
            out.append(("," if position else "") + "\n" + inner)
            _write(item, out, inner)
        out.append("\n" + indent + "]")
