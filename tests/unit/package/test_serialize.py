import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competitions.package.schema import (
    CRITERION_TYPES,
    KINDS,
    LEVELS,
    METHODS,
    STATUSES,
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
    parse_package,
)
from competitions.package.serialize import dump_package, dumps
from tests.unit.sheets.ids import make_id_number

EXAMPLE = (Path(__file__).parent / "example.json").read_text(encoding="utf-8")


def test_example_round_trips():
    package = parse_package(EXAMPLE)
    text = dumps(package)
    assert parse_package(text) == package
    assert dumps(parse_package(text)) == text
    # The documented example is already in canonical form, so only the layout differs.
    assert json.loads(text) == json.loads(EXAMPLE)


def test_numbers_are_written_from_their_decimal_text():
    package = parse_package(EXAMPLE)
    event = package.events[0]
    mark = MarkData("E001", "J01", "P1", Decimal("0.1") + Decimal("0.2"))
    section = SectionData(
        "T", LocalizedText(en="Theory"), Decimal("3E+1"), event.sections[0].criteria
    )
    changed = Package(
        package.competition,
        (
            EventData(
                **{
                    **{f: getattr(event, f) for f in EventData.__dataclass_fields__},
                    "marks": (mark,),
                    "sections": (section, event.sections[1]),
                }
            ),
        ),
    )
    text = dumps(changed)
    assert '"value": 0.3}' in text
    assert '"weight": 30,' in text
    assert "E+" not in text
    assert dump_package(changed)["events"][0]["marks"][0]["value"] == Decimal("0.3")


def test_optional_fields_are_left_out_not_null():
    text = dumps(parse_package(EXAMPLE))
    assert "null" not in text
    package = parse_package(EXAMPLE)
    bare = dump_package(
        Package(
            package.competition,
            (
                EventData(
                    "X",
                    LocalizedText(zh="赛项"),
                    "mean",
                    package.events[0].sections,
                    min_judges_to_trim=5,  # not written: it applies to trimmed_mean only
                    judges=(JudgeData("J1", "李明"),),
                    entries=(EntryData("E1", "张伟", "registered"),),
                ),
            ),
        )
    )
    event = bare["events"][0]
    assert event["name"] == {"zh": "赛项"}
    assert event["aggregation"] == {"method": "mean"}
    assert "team" not in event
    assert event["judges"] == [{"ref": "J1", "name": "李明"}]
    assert event["entries"] == [{"ref": "E1", "name": "张伟", "status": "registered"}]


def test_non_finite_numbers_cannot_be_written():
    package = parse_package(EXAMPLE)
    event = package.events[0]
    broken = SectionData("T", LocalizedText(en="T"), Decimal("NaN"), event.sections[0].criteria)
    fields = {f: getattr(event, f) for f in EventData.__dataclass_fields__}
    with pytest.raises(ValueError, match="finite"):
        dumps(Package(package.competition, (EventData(**{**fields, "sections": (broken,)}),)))


def test_a_large_package_has_one_line_per_mark():
    package = parse_package(EXAMPLE)
    event = package.events[0]
    marks = tuple(MarkData("E001", "J01", code, Decimal(1)) for code in ("T1", "P1", "P2", "P3"))
    fields = {f: getattr(event, f) for f in EventData.__dataclass_fields__}
    text = dumps(Package(package.competition, (EventData(**{**fields, "marks": marks}),)))
    lines = [line for line in text.splitlines() if '"entry": "E001"' in line]
    assert len(lines) == 4
    assert lines[0].strip() == '{"entry": "E001", "judge": "J01", "criterion": "T1", "value": 1},'


# --- Hypothesis: any valid package survives dumps -> parse unchanged ---------------------------

CODE = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,8}", fullmatch=True)
TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\x85"),
    min_size=1,
    max_size=12,
).filter(str.strip)
NAME = st.one_of(
    st.builds(LocalizedText, zh=TEXT, en=st.none() | TEXT),
    st.builds(LocalizedText, zh=st.none(), en=TEXT),
)


def thousandths(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Decimals with at most three places from low/1000 to high/1000, in canonical form."""
    return st.integers(low, high).map(lambda n: canonical_decimal(Decimal(n).scaleb(-3)))


@st.composite
def sections(draw) -> tuple[SectionData, ...]:
    count = draw(st.integers(1, 3))
    cuts = sorted(draw(st.sets(st.integers(1, 99_999), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100_000]
    codes = draw(st.lists(CODE, min_size=count, max_size=count, unique=True))
    criterion_codes = iter(draw(st.lists(CODE, min_size=9, max_size=9, unique=True)))
    result = []
    for index, code in enumerate(codes):
        weight = canonical_decimal(Decimal(bounds[index + 1] - bounds[index]).scaleb(-3))
        types = draw(st.lists(st.sampled_from(CRITERION_TYPES), min_size=1, max_size=3))
        if set(types) == {"deduction"}:
            types[0] = "marks"
        criteria = tuple(
            CriterionData(next(criterion_codes), draw(NAME), kind, draw(thousandths(1, 200_000)))
            for kind in types
        )
        result.append(SectionData(code, draw(NAME), weight, criteria))
    return tuple(result)


@st.composite
def events(draw, code: str) -> EventData:
    scheme = draw(sections())
    criteria = [c for s in scheme for c in s.criteria]
    team = draw(st.booleans())
    method = draw(st.sampled_from(METHODS))
    tie_keys = (
        [f"section:{s.code}" for s in scheme] + [f"criterion:{c.code}" for c in criteria] + ["time"]
    )
    tie_break = tuple(draw(st.lists(st.sampled_from(tie_keys), unique=True, max_size=3)))
    award_codes = draw(st.lists(CODE, unique=True, max_size=3))
    awards = tuple(
        AwardTierData(
            c,
            draw(NAME),
            **draw(
                st.one_of(
                    st.builds(dict, share=thousandths(0, 1000)),
                    st.builds(dict, count=st.integers(0, 50)),
                )
            ),
            min_total=draw(st.none() | thousandths(0, 100_000)),
        )
        for c in award_codes
    )
    judge_refs = draw(st.lists(CODE, unique=True, max_size=3))
    chief = draw(st.none() | st.sampled_from(judge_refs)) if judge_refs else None
    judges = tuple(
        JudgeData(ref, draw(TEXT), draw(st.none() | TEXT), chief=ref == chief) for ref in judge_refs
    )
    entry_refs = draw(st.lists(CODE, unique=True, max_size=4))
    numbers = iter(
        draw(st.lists(TEXT, unique=True, min_size=len(entry_refs), max_size=len(entry_refs)))
    )
    people = iter(range(1, 1000))

    def id_number():
        return draw(st.none() | st.just(make_id_number(date(1990, 1, 1), sequence=next(people))))

    entries = tuple(
        EntryData(
            ref,
            draw(TEXT),
            draw(st.sampled_from(STATUSES)),
            employer=draw(st.none() | TEXT),
            id_number=None if team else id_number(),
            number=draw(st.none() | st.just(next(numbers))),
            station=draw(st.none() | st.just(f"S-{ref}")),
            finish_seconds=draw(st.none() | thousandths(0, 10**7)),
            members=tuple(
                MemberData(draw(TEXT), draw(st.none() | TEXT), id_number())
                for _ in range(draw(st.integers(1, 3)))
            )
            if team
            else (),
        )
        for ref in entry_refs
    )
    keys = [(e, j, c) for e in entry_refs for j in judge_refs for c in criteria]
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=8)) if keys else []
    marks = tuple(
        MarkData(
            e,
            j,
            c.code,
            draw(
                st.sampled_from([Decimal(n) for n in range(4)])
                if c.type == "judgement"
                else thousandths(0, int(c.max * 1000))
            ),
        )
        for e, j, c in chosen
    )
    return EventData(
        code=code,
        name=draw(NAME),
        method=method,
        min_judges_to_trim=draw(st.integers(3, 9)) if method == "trimmed_mean" else None,
        team=team,
        sections=scheme,
        tie_break=tie_break,
        awards=awards,
        judges=judges,
        entries=entries,
        marks=marks,
    )


@st.composite
def packages(draw) -> Package:
    starts = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
    competition = CompetitionData(
        code=draw(CODE),
        name=draw(NAME),
        level=draw(st.sampled_from(LEVELS)),
        kind=draw(st.sampled_from(KINDS)),
        organiser=draw(TEXT),
        starts_on=starts,
        ends_on=draw(st.dates(min_value=starts, max_value=date(2100, 12, 31))),
    )
    codes = draw(st.lists(CODE, unique=True, max_size=3))
    return Package(competition, tuple(draw(events(code)) for code in codes))


@settings(max_examples=100, deadline=None)
@given(packages())
def test_any_valid_package_round_trips(package):
    text = dumps(package)
    parsed = parse_package(text)
    assert parsed == package
    assert dumps(parsed) == text
    assert parse_package(text.encode()) == package


def test_a_float_cannot_sneak_into_a_package():
    package = parse_package(EXAMPLE)
    event = package.events[0]
    section = event.sections[0]
    criterion = CriterionData("T1", LocalizedText(en="T"), "marks", 100.0)  # type: ignore[arg-type]
    fields = {f: getattr(event, f) for f in EventData.__dataclass_fields__}
    sections = (SectionData("T", section.name, section.weight, (criterion,)), event.sections[1])
    with pytest.raises(TypeError, match="cannot write float"):
        dumps(Package(package.competition, (EventData(**{**fields, "sections": sections}),)))
