"""Random contest packages, imported and exported, against the scoring rules read afresh.

The reference below is written from DESIGN.md's "Scoring rules" alone, without
``competitions.scoring``: plain Fractions, its own half-up rounding, its own sort. Each
seed builds a package of events with every kind of criterion, aggregation method, tie-break
key, award tier and entry status, with marks missing here and there and ties made likely;
the package goes through the real import and the results export, and every total, section
score, rank and award must agree to the cent.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from competitions.contests.models import Competition
from competitions.extensions import db
from competitions.results.exports import competition_results_json

UNRANKED = {"absent", "withdrawn", "disqualified"}
STATUSES = ["registered", "checked_in", "competing", "finished", "finished", "finished"]
STATUSES += sorted(UNRANKED)


# ----------------------------------------------------------------------------- reference


def half_up(value: Fraction) -> int:
    whole, rest = divmod(value.numerator, value.denominator)
    return whole + (1 if 2 * rest >= value.denominator else 0)


def shown(value: Fraction) -> Decimal:
    """Two decimals, half up, as people see it (values here are never negative)."""
    return Decimal(half_up(value * 100)) / 100


def aggregate(values: list[Fraction], method: str, min_to_trim: int) -> Fraction:
    values = sorted(values)
    count = len(values)
    if method == "median":
        middle = count // 2
        return values[middle] if count % 2 else (values[middle - 1] + values[middle]) / 2
    if method == "trimmed_mean" and count >= min_to_trim:
        values = values[1:-1]
    return sum(values, Fraction(0)) / len(values)


def reference_results(event: dict) -> dict[str, dict]:
    method = event["aggregation"]["method"]
    min_to_trim = event["aggregation"].get("min_judges_to_trim", 5)
    criteria = {c["code"]: c for s in event["sections"] for c in s["criteria"]}
    given: dict[tuple[str, str], list[Fraction]] = {}
    for mark in event["marks"]:
        key = (mark["entry"], mark["criterion"])
        given.setdefault(key, []).append(Fraction(str(mark["value"])))

    scored = {}
    for entry in event["entries"]:
        if entry["status"] in UNRANKED:
            continue
        marks, sections = {}, {}
        for section in event["sections"]:
            raw, maximum = Fraction(0), 0
            for c in section["criteria"]:
                values = given.get((entry["ref"], c["code"]))
                if c["type"] != "deduction":
                    maximum += c["max"]
                if not values:
                    continue  # nobody marked it: it adds nothing
                if c["type"] == "judgement":
                    mark = sum(values, Fraction(0)) / len(values) / 3 * c["max"]
                else:
                    mark = aggregate(values, method, min_to_trim)
                marks[c["code"]] = mark
                raw += -mark if c["type"] == "deduction" else mark
            sections[section["code"]] = (
                Fraction(section["weight"]) * max(raw, Fraction(0)) / maximum
            )
        scored[entry["ref"]] = {
            "total": sum(sections.values(), Fraction(0)),
            "sections": sections,
            "marks": marks,
            "time": entry.get("finish_seconds"),
        }

    def order(ref: str) -> tuple:
        one = scored[ref]
        key: list = [-shown(one["total"])]
        for tie_break in event["tie_break"]:
            if tie_break == "time":
                key.append((0, one["time"]) if one["time"] is not None else (1, 0))
                continue
            kind, code = tie_break.split(":")
            if kind == "section":
                key.append(-shown(one["sections"][code]))
            else:
                mark = shown(one["marks"].get(code, Fraction(0)))
                # a deduction is a penalty: fewer points win (docs/design.md)
                key.append(mark if criteria[code]["type"] == "deduction" else -mark)
        return tuple(key)

    ranked = sorted(scored, key=order)
    ranks: dict[str, int] = {}
    for position, ref in enumerate(ranked, start=1):
        earlier = ranked[position - 2] if position > 1 else None
        same = earlier is not None and order(earlier) == order(ref)
        ranks[ref] = ranks[earlier] if same else position

    quotas, shares, counts = [], Fraction(0), 0
    for tier in event["awards"]:
        shares += Fraction(str(tier.get("share", 0)))
        counts += tier.get("count", 0)
        quotas.append(half_up(shares * len(ranked)) + counts)

    results = {}
    for ref in ranked:
        total = shown(scored[ref]["total"])
        award = next(
            (
                tier["code"]
                for tier, quota in zip(event["awards"], quotas, strict=True)
                if ranks[ref] <= quota and total >= Decimal(str(tier.get("min_total", 0)))
            ),
            None,
        )
        results[ref] = {
            "total": f"{total:.2f}",
            "rank": ranks[ref],
            "award": award,
            "sections": {code: f"{shown(v):.2f}" for code, v in scored[ref]["sections"].items()},
        }
    for entry in event["entries"]:
        if entry["status"] in UNRANKED:
            results[entry["ref"]] = {"total": None, "rank": None, "award": None}
    return results


# ----------------------------------------------------------------------------- packages


def random_section_weights(rng: random.Random, count: int) -> list[int]:
    cuts = sorted(rng.sample(range(1, 100), count - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]


def coarse_value(rng: random.Random, criterion: dict, choice: int, level: Decimal):
    """None, half or all of it, the same from every judge: equal totals come easily."""
    if criterion["type"] == "judgement":
        return 3 * choice // 2
    value = Decimal(criterion["max"]) * choice / 2
    return value / 4 if criterion["type"] == "deduction" else value  # penalties are small


def fine_value(rng: random.Random, criterion: dict, choice: int, level: Decimal):
    """A judge's own value, near the entry's standard (``level``) or anywhere in range."""
    top = Decimal(criterion["max"])
    if criterion["type"] == "judgement":
        return rng.choice([0, 1, 2, 3, min(3, int(level * 4))])
    if criterion["type"] == "marks":
        value = rng.choice([top, top / 2, Decimal(rng.randint(0, criterion["max"] * 4)) / 4])
        return rng.choice([value, (top * level).quantize(Decimal("0.01"))])
    return rng.choice([Decimal(0), Decimal(0), Decimal(rng.randint(0, 2 * criterion["max"])) / 2])


def random_event(rng: random.Random, index: int) -> dict:
    sections = []
    for s, weight in enumerate(random_section_weights(rng, rng.randint(1, 3))):
        kinds = [rng.choice(["marks", "marks", "judgement", "deduction"]) for _ in range(3)]
        kinds = kinds[: rng.randint(1, 3)]
        if all(kind == "deduction" for kind in kinds):
            kinds[0] = "marks"  # a section needs something to deduct from
        criteria = [
            {"code": f"S{s}C{c}", "type": kind, "max": rng.choice([7, 10, 15, 30, 40, 100])}
            for c, kind in enumerate(kinds)
        ]
        sections.append({"code": f"S{s}", "weight": weight, "criteria": criteria})
    all_criteria = [c for section in sections for c in section["criteria"]]

    aggregation = {"method": rng.choice(["mean", "median", "trimmed_mean"])}
    if aggregation["method"] == "trimmed_mean" and rng.random() < 0.5:
        aggregation["min_judges_to_trim"] = rng.randint(3, 6)
    judges = [
        {"ref": f"J{j}", "name": f"Judge {index}-{j}", "employer": f"Judging body {j}"}
        for j in range(rng.randint(1, 7))
    ]
    entries = []
    for e in range(rng.randint(1, 20)):
        entry = {
            "ref": f"E{e}",
            "name": f"Contestant {index}-{e}",
            "employer": f"Works {e}",
            "number": f"{e + 1:03d}",
            "status": rng.choice(STATUSES),
        }
        if rng.random() < 0.7:
            entry["finish_seconds"] = rng.choice([3000, 3600, 5400])
        entries.append(entry)

    # In a coarse event many totals are equal, told apart (or not) by the tie-break keys.
    coarse = rng.random() < 0.4
    marks = []
    twin = None
    for entry in entries:
        if entry["status"] in ("absent", "withdrawn") and rng.random() < 0.7:
            continue
        if twin is not None and rng.random() < 0.2:
            # the same marks as the one before: only the finish time can tell them apart
            marks += [dict(mark, entry=entry["ref"]) for mark in marks if mark["entry"] == twin]
            continue
        twin = entry["ref"]
        level = Decimal(rng.randint(0, 100)) / 100  # the entry's own standard
        for c in all_criteria:
            if rng.random() < 0.03:
                continue  # a criterion nobody marked
            choice = rng.choice([0, 1, 2])
            for judge in judges:
                if rng.random() < 0.08:
                    continue  # a judge who did not mark it
                value = (coarse_value if coarse else fine_value)(rng, c, choice, level)
                marks.append(
                    {
                        "entry": entry["ref"],
                        "judge": judge["ref"],
                        "criterion": c["code"],
                        "value": value,
                    }
                )

    keys = [
        f"section:{rng.choice(sections)['code']}",
        f"criterion:{rng.choice(all_criteria)['code']}",
        "time",
    ]
    rng.shuffle(keys)
    awards = []
    for k in range(rng.randint(1, 3)):
        tier = {"code": f"A{k}"}
        if rng.random() < 0.6:
            tier["share"] = Decimal(rng.choice(["0.05", "0.1", "0.15", "0.2", "0.25", "0.3"]))
        else:
            tier["count"] = rng.randint(0, 4)
        if rng.random() < 0.4:
            tier["min_total"] = Decimal(rng.choice(["30", "50", "60", "72.5"]))
        awards.append(tier)
    for part in (*sections, *all_criteria, *awards):
        part["name"] = {"en": part["code"]}
    return {
        "code": f"EV{index}",
        "name": {"en": f"Event {index}"},
        "aggregation": aggregation,
        "sections": sections,
        "tie_break": keys[: rng.randint(0, 3)],
        "awards": awards,
        "judges": judges,
        "entries": entries,
        "marks": marks,
    }


def random_package(seed: int, events: int = 8) -> dict:
    rng = random.Random(seed)
    return {
        "format": "contest-package",
        "version": 1,
        "competition": {
            "code": f"REF-{seed}",
            "name": {"en": f"Reference {seed}"},
            "level": "district",
            "kind": "skill",
            "organiser": "Reference",
            "starts_on": "2026-10-10",
            "ends_on": "2026-10-12",
        },
        "events": [random_event(rng, index) for index in range(events)],
    }


def package_text(package: dict) -> str:
    # Values have at most two decimals, so a float's shortest text is the decimal itself.
    return json.dumps(package, default=float)


# ----------------------------------------------------------------------------- the test


@pytest.mark.parametrize("seed", range(10))
def test_imported_results_agree_with_the_rules_read_afresh(app, import_package, seed):
    package = random_package(seed)
    competition_id = import_package(package_text(package))
    with app.app_context():
        exported = competition_results_json(db.session.get(Competition, competition_id))

    for event, got in zip(package["events"], exported["events"], strict=True):
        assert got["code"] == event["code"]
        want = reference_results(event)
        rows = got["results"]
        assert sorted(row["entry"] for row in rows) == sorted(want)
        ranks = [row["rank"] for row in rows if row["rank"] is not None]
        assert ranks == sorted(ranks), "ranked entries come first, in rank order"
        assert all(row["rank"] is None for row in rows[len(ranks) :])
        for row in rows:
            expected = want[row["entry"]]
            actual = {key: row.get(key) for key in expected}
            assert actual == expected, (event["code"], row["entry"])
