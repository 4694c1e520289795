"""How long the scoring core takes for one large event.

One event: 1,000 entries, 10 judges, 40 criteria (400,000 marks), built with a
fixed seed. Prints the best of three runs of compute_results. The whole results
computation, database reading included, should take at most 2 s; the core
should stay well under 1 s.

    python bench/scoring_core.py
"""

from __future__ import annotations

import random
import time
from decimal import Decimal

from competitions.scoring import (
    Aggregation,
    AwardTierSpec,
    CriterionSpec,
    CriterionType,
    EntryInput,
    SchemeSpec,
    SectionSpec,
    compute_results,
    validate_scheme,
)

ENTRIES = 1_000
JUDGES = 10
SECTIONS = 4
CRITERIA_PER_SECTION = 10
RUNS = 3
SEED = 20261010


def build_scheme() -> SchemeSpec:
    """Four sections of ten criteria: mostly marks, two judgements and a deduction each."""
    sections = []
    for s in range(SECTIONS):
        criteria = []
        for c in range(CRITERIA_PER_SECTION):
            code = f"S{s}C{c}"
            if c == CRITERIA_PER_SECTION - 1:
                criteria.append(CriterionSpec(code, CriterionType.DEDUCTION, Decimal(5)))
            elif c >= CRITERIA_PER_SECTION - 3:
                criteria.append(CriterionSpec(code, CriterionType.JUDGEMENT, Decimal(10)))
            else:
                criteria.append(CriterionSpec(code, CriterionType.MARKS, Decimal(20)))
        sections.append(SectionSpec(f"S{s}", Decimal(25), tuple(criteria)))
    return SchemeSpec(
        sections=tuple(sections),
        aggregation=Aggregation.TRIMMED_MEAN,
        tie_break=("section:S3", "criterion:S3C0", "time"),
        awards=(
            AwardTierSpec("first", share=Decimal("0.1")),
            AwardTierSpec("second", share=Decimal("0.2")),
            AwardTierSpec("third", share=Decimal("0.3"), min_total=Decimal(60)),
        ),
    )


def _value(rng: random.Random, criterion: CriterionSpec) -> Decimal:
    if criterion.type == CriterionType.JUDGEMENT:
        return Decimal(rng.randint(0, 3))
    if criterion.type == CriterionType.DEDUCTION:
        return Decimal(rng.choice((0, 0, 0, 0, 1, 2)))
    # Marks in halves, as judges enter them.
    return Decimal(rng.randint(0, int(criterion.max) * 2)) / 2


def build_entries(scheme: SchemeSpec, rng: random.Random) -> list[EntryInput]:
    """Entries with every judge's mark on every criterion; a few absent."""
    criteria = [c for section in scheme.sections for c in section.criteria]
    entries = []
    for n in range(ENTRIES):
        marks = {c.code: tuple(_value(rng, c) for _ in range(JUDGES)) for c in criteria}
        entries.append(
            EntryInput(
                key=f"E{n:04d}",
                status="absent" if n % 97 == 0 else "finished",
                finish_seconds=Decimal(rng.randint(3000, 7200)),
                marks=marks,
            )
        )
    return entries


def main() -> None:
    """Build the event, run compute_results RUNS times and print the best time."""
    scheme = build_scheme()
    assert not validate_scheme(scheme)
    entries = build_entries(scheme, random.Random(SEED))
    marks = sum(len(values) for entry in entries for values in entry.marks.values())
    timings = []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        results = compute_results(scheme, entries)
        timings.append((time.perf_counter() - started, time.process_time() - started_cpu))
    wall, cpu = min(timings)
    print(
        f"compute_results: {len(results)} entries, {marks} marks: best of {RUNS} "
        f"{wall:.3f} s ({cpu:.3f} s CPU); runs: {', '.join(f'{w:.3f}' for w, _ in timings)} s"
    )


if __name__ == "__main__":
    main()
