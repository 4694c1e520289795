import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from competitions.package.schema import (
    AwardTierData,
    CriterionData,
    EntryData,
    JudgeData,
    LocalizedText,
    MarkData,
    MemberData,
    PackageError,
    canonical_decimal,
    parse_package,
)

EXAMPLE = (Path(__file__).parent / "example.json").read_text(encoding="utf-8")


@pytest.fixture
def doc():
    """The example package of contest-package.md as plain JSON data, to be changed by a test."""
    return json.loads(EXAMPLE)


def problems(document) -> list[str]:
    text = (
        document if isinstance(document, str | bytes) else json.dumps(document, ensure_ascii=False)
    )
    with pytest.raises(PackageError) as caught:
        parse_package(text)
    return caught.value.problems


def test_the_documented_example_parses():
    package = parse_package(EXAMPLE)
    competition = package.competition
    assert competition.code == "LH-2026"
    assert competition.name == LocalizedText(
        "2026年龙华区职业技能竞赛", "2026 Longhua District Vocational Skills Competition"
    )
    assert (competition.level, competition.kind) == ("district", "skill")
    assert (competition.starts_on, competition.ends_on) == (date(2026, 10, 10), date(2026, 10, 12))
    (event,) = package.events
    assert (event.code, event.method, event.min_judges_to_trim, event.team) == (
        "ROBOT",
        "trimmed_mean",
        5,
        False,
    )
    assert [s.weight for s in event.sections] == [30, 70]
    assert event.sections[1].criteria[1] == CriterionData(
        "P2", LocalizedText(None, "Workmanship"), "judgement", Decimal(30)
    )
    assert event.tie_break == ("section:P", "criterion:P2", "time")
    assert event.awards[2] == AwardTierData(
        "third", LocalizedText("三等奖", "Third prize"), share=Decimal("0.3"), min_total=Decimal(60)
    )
    assert event.judges == (JudgeData("J01", "李明", "深圳市某某科技有限公司", chief=True),)
    assert event.entries == (
        EntryData(
            "E001",
            "张伟",
            "finished",
            employer="某某精密制造有限公司",
            id_number="11010519491231002X",
            number="017",
            station="A3",
            finish_seconds=Decimal(5400),
        ),
    )
    assert event.marks == (MarkData("E001", "J01", "P2", Decimal(2)),)
    assert list(event.criteria()) == ["T1", "P1", "P2", "P3"]


def test_bytes_with_a_bom_are_accepted():
    assert parse_package(b"\xef\xbb\xbf" + EXAMPLE.encode()) == parse_package(EXAMPLE)


# --- numbers ------------------------------------------------------------------------------


def test_numbers_are_exact_decimals(doc):
    doc["events"][0]["sections"][0]["weight"] = "WEIGHT_T"
    doc["events"][0]["sections"][1]["weight"] = "WEIGHT_P"
    text = json.dumps(doc).replace('"WEIGHT_T"', "0.1").replace('"WEIGHT_P"', "99.9")
    # 0.1 + 99.9 is exactly 100 as decimals; the sum of 0.1 + 0.2 shows the floats' drift.
    assert 0.1 + 0.2 != 0.3
    weights = [s.weight for s in parse_package(text).events[0].sections]
    assert weights == [Decimal("0.1"), Decimal("99.9")]
    assert all(type(w) is Decimal for w in weights)


def test_three_decimals_sum_exactly(doc):
    text = (
        json.dumps(doc)
        .replace('"weight": 30', '"weight": 33.333')
        .replace('"weight": 70', '"weight": 66.667')
    )
    assert sum(s.weight for s in parse_package(text).events[0].sections) == 100


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("40", "40"),
        ("40.0", "40"),
        ("4E+1", "40"),
        ("4.000E1", "40"),
        ("0.250", "0.25"),
        ("-0", "0"),
        ("-0.000", "0"),
        ("0.001", "0.001"),
        ("1.2300", "1.23"),
    ],
)
def test_canonical_decimal(text, expected):
    assert str(canonical_decimal(Decimal(text))) == expected


def test_canonical_decimal_is_exact_beyond_the_context_precision():
    long = Decimal("1.000000000000000000000000000000001")
    assert canonical_decimal(long) == long


def test_canonical_decimal_refuses_nan():
    with pytest.raises(ValueError, match="finite"):
        canonical_decimal(Decimal("NaN"))


def test_trailing_zeros_are_dropped(doc):
    text = (
        json.dumps(doc)
        .replace('"max": 40', '"max": 40.000')
        .replace('"weight": 70', '"weight": 7.0E1')
    )
    event = parse_package(text).events[0]
    assert str(event.sections[1].criteria[0].max) == "40"
    assert str(event.sections[1].weight) == "70"


# --- document level -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "{",
            "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2",
        ),
        ('{"a": NaN}', "not valid JSON: NaN is not a number"),
        ('{"a": -Infinity}', "not valid JSON: -Infinity is not a number"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON: nested too deeply"),
        ("[]", "the document must be a JSON object, not an array"),
    ],
)
def test_document_problems(text, expected):
    assert problems(text) == [expected]


def test_bytes_that_are_not_utf8():
    assert problems("{}".encode("utf-16")) == ["the file is not UTF-8 text (byte 0)"]


def test_empty_object_names_every_required_field():
    assert problems("{}") == [
        "format: is required",
        "version: is required",
        "competition: is required",
        "events: is required",
    ]


def test_format_and_version(doc):
    doc["format"] = "contest"
    doc["version"] = 2
    assert problems(doc) == [
        'format: must be "contest-package", not "contest"',
        "version: 2 is not supported: this system reads 1",
    ]


def test_unknown_keys_are_reported_with_a_suggestion(doc):
    doc["events"][0]["sections"][1]["wieght"] = doc["events"][0]["sections"][1].pop("weight")
    doc["competition"]["colour"] = "red"
    assert problems(doc) == [
        "competition.colour: unknown field (expected code, name, level, kind, organiser, "
        "starts_on, ends_on)",
        "events[0].sections[1].wieght: unknown field (did you mean weight?)",
        "events[0].sections[1].weight: is required",
    ]


def test_a_key_given_twice_is_reported(doc):
    text = json.dumps(doc, ensure_ascii=False).replace(
        '"code": "LH-2026"', '"code": "A", "code": "B"'
    )
    assert problems(text) == ["competition.code: is given more than once"]


def test_every_problem_is_reported_at_once(doc):
    event = doc["events"][0]
    event["code"] = "ROBOT ARM"
    event["sections"][0]["weight"] = 20
    event["entries"][0]["status"] = "done"
    event["marks"][0]["value"] = 4
    assert problems(doc) == [
        "events[0].code: 'ROBOT ARM' must be 1 to 32 letters, digits, '.', '_' or '-', "
        "starting with a letter or digit",
        "events[0].sections: the weights add up to 90; they must total 100",
        'events[0].entries[0].status: "done" is not one of registered, checked_in, competing, '
        "finished, absent, withdrawn, disqualified",
        "events[0].marks[0].value: 4 is not a judgement score: criterion P2 takes a whole "
        "number from 0 to 3",
    ]


def test_package_error_text(doc):
    doc["version"] = 3
    doc["format"] = 1
    with pytest.raises(
        PackageError, match=r"^2 problems in the contest package:\nformat: .*\nversion: "
    ):
        parse_package(json.dumps(doc))


# --- competition --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("code", 2026, "competition.code: must be text, not a number"),
        (
            "code",
            "",
            "competition.code: '' must be 1 to 32 letters, digits, '.', '_' or '-', starting with "
            "a letter or digit",
        ),
        (
            "code",
            "龙华2026",
            "competition.code: '龙华2026' must be 1 to 32 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit",
        ),
        (
            "level",
            "city",
            'competition.level: "city" is not one of enterprise, district, municipal, provincial, '
            "national",
        ),
        ("kind", None, "competition.kind: is required"),
        ("organiser", "  ", "competition.organiser: must not be empty"),
        ("organiser", "x" * 201, "competition.organiser: is longer than 200 characters"),
        (
            "organiser",
            "龙华\x00区",
            "competition.organiser: contains a control character or an invalid character",
        ),
        ("organiser", ["a"], "competition.organiser: must be text, not an array"),
        (
            "starts_on",
            "2026/10/10",
            'competition.starts_on: must be a date written YYYY-MM-DD, not "2026/10/10"',
        ),
        (
            "starts_on",
            "2026-02-30",
            'competition.starts_on: must be a date written YYYY-MM-DD, not "2026-02-30"',
        ),
        ("ends_on", "2026-10-09", "competition.ends_on: 2026-10-09 is before starts_on 2026-10-10"),
        ("name", {}, "competition.name: needs zh or en"),
        ("name", {"zh": ""}, "competition.name.zh: must not be empty"),
        ("name", {"zh": "龙华", "fr": "x"}, "competition.name.fr: unknown field (expected zh, en)"),
        ("name", "龙华", "competition.name: must be an object, not text"),
    ],
)
def test_competition_problems(doc, field, value, expected):
    doc["competition"][field] = value
    assert problems(doc) == [expected]


def test_competition_must_be_an_object(doc):
    doc["competition"] = []
    assert problems(doc) == ["competition: must be an object, not an array"]


def test_name_in_one_language_only(doc):
    doc["competition"]["name"] = {"en": "Longhua"}
    assert parse_package(json.dumps(doc)).competition.name == LocalizedText(None, "Longhua")


def test_null_means_absent_for_optional_fields(doc):
    doc["events"][0]["entries"][0]["station"] = None
    assert parse_package(json.dumps(doc)).events[0].entries[0].station is None


# --- events, sections and criteria ----------------------------------------------------------


def test_event_codes_are_unique(doc):
    doc["events"].append(copy.deepcopy(doc["events"][0]))
    assert problems(doc) == ['events[1].code: "ROBOT" is also in events[0]']


def test_events_must_be_an_array(doc):
    doc["events"] = {}
    assert problems(doc) == ["events: must be an array, not an object"]


def test_competition_without_events(doc):
    doc["events"] = []
    assert parse_package(json.dumps(doc)).events == ()


@pytest.mark.parametrize(
    ("aggregation", "method", "min_judges", "expected"),
    [
        ({"method": "trimmed_mean"}, "trimmed_mean", 5, None),
        ({"method": "trimmed_mean", "min_judges_to_trim": 3}, "trimmed_mean", 3, None),
        ({"method": "median"}, "median", None, None),
        ({"method": "mean"}, "mean", None, None),
        (
            {"method": "mode"},
            None,
            None,
            'events[0].aggregation.method: "mode" is not one of mean, median, trimmed_mean',
        ),
        (
            {"method": "trimmed_mean", "min_judges_to_trim": 2},
            None,
            None,
            "events[0].aggregation.min_judges_to_trim: 2 must be at least 3",
        ),
        (
            {"method": "trimmed_mean", "min_judges_to_trim": 4.5},
            None,
            None,
            "events[0].aggregation.min_judges_to_trim: 4.5 must be a whole number",
        ),
        ({"method": "trimmed_mean", "min_judges_to_trim": 5.0}, "trimmed_mean", 5, None),
        (
            {"method": "mean", "min_judges_to_trim": 5},
            None,
            None,
            "events[0].aggregation.min_judges_to_trim: applies to the trimmed_mean method only",
        ),
        ({}, None, None, "events[0].aggregation.method: is required"),
    ],
)
def test_aggregation(doc, aggregation, method, min_judges, expected):
    doc["events"][0]["aggregation"] = aggregation
    if expected:
        assert problems(doc) == [expected]
    else:
        event = parse_package(json.dumps(doc)).events[0]
        assert (event.method, event.min_judges_to_trim) == (method, min_judges)


def test_sections_are_required_and_not_empty(doc):
    doc["events"][0]["sections"] = []
    assert problems(doc) == ["events[0].sections: must not be empty"]
    del doc["events"][0]["sections"]
    assert problems(doc) == ["events[0].sections: is required"]


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ((30, 60), ["events[0].sections: the weights add up to 90; they must total 100"]),
        ((30, 70.5), ["events[0].sections: the weights add up to 100.5; they must total 100"]),
        ((0, 100), ["events[0].sections[0].weight: 0 must be above 0"]),
        (
            (-30, 130),
            [
                "events[0].sections[0].weight: -30 must be above 0",
                "events[0].sections[1].weight: 130 must be at most 100",
            ],
        ),
        (
            (30.0001, 69.9999),
            [
                "events[0].sections[0].weight: 30.0001 has more than 3 decimal places (weights "
                "are stored with 3)",
                "events[0].sections[1].weight: 69.9999 has more than 3 decimal places (weights "
                "are stored with 3)",
            ],
        ),
        (("30", 70), ["events[0].sections[0].weight: must be a number, not text"]),
        ((True, 70), ["events[0].sections[0].weight: must be a number, not true"]),
    ],
)
def test_section_weights(doc, weights, expected):
    for section, weight in zip(doc["events"][0]["sections"], weights, strict=True):
        section["weight"] = weight
    assert problems(doc) == expected


def test_codes_unique_within_their_parent(doc):
    sections = doc["events"][0]["sections"]
    sections[1]["code"] = "T"
    sections[1]["criteria"][0]["code"] = "T1"
    sections[1]["criteria"][2]["code"] = "P2"
    assert problems(doc) == [
        'events[0].sections[1].criteria[0].code: "T1" is also in events[0].sections[0].criteria[0]',
        'events[0].sections[1].criteria[2].code: "P2" is also in events[0].sections[1].criteria[1]',
        'events[0].sections[1].code: "T" is also in events[0].sections[0]',
        "events[0].tie_break[0]: there is no section P in this event",
    ]


def test_a_section_needs_a_criterion_that_is_not_a_deduction(doc):
    doc["events"][0]["sections"][0]["criteria"][0]["type"] = "deduction"
    assert problems(doc) == [
        "events[0].sections[0].criteria: needs a marks or judgement criterion: deductions "
        "alone give the section no maximum"
    ]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("max", 0, "events[0].sections[0].criteria[0].max: 0 must be above 0"),
        ("max", -5, "events[0].sections[0].criteria[0].max: -5 must be above 0"),
        ("max", 1e10, "events[0].sections[0].criteria[0].max: 10000000000.0 is too large"),
        ("max", 10**9, "events[0].sections[0].criteria[0].max: 1000000000 is too large"),
        (
            "max",
            12.3456,
            "events[0].sections[0].criteria[0].max: 12.3456 has more than 3 decimal places "
            "(maxima are stored with 3)",
        ),
        (
            "type",
            "points",
            'events[0].sections[0].criteria[0].type: "points" is not one of marks, judgement, '
            "deduction",
        ),
        ("code", None, "events[0].sections[0].criteria[0].code: is required"),
    ],
)
def test_criterion_problems(doc, field, value, expected):
    doc["events"][0]["sections"][0]["criteria"][0][field] = value
    assert problems(doc) == [expected]


def test_criteria_must_not_be_empty(doc):
    doc["events"][0]["sections"][0]["criteria"] = []
    assert problems(doc) == ["events[0].sections[0].criteria: must not be empty"]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["section:P", "criterion:P3", "time"], []),
        ([], []),
        (["section:X"], ["events[0].tie_break[0]: there is no section X in this event"]),
        (["criterion:X"], ["events[0].tie_break[0]: there is no criterion X in this event"]),
        (["criterion:P"], ["events[0].tie_break[0]: there is no criterion P in this event"]),
        (
            ["speed"],
            ['events[0].tie_break[0]: "speed" must be section:CODE, criterion:CODE or time'],
        ),
        (
            ["section:"],
            ['events[0].tie_break[0]: "section:" must be section:CODE, criterion:CODE or time'],
        ),
        ([1], ["events[0].tie_break[0]: must be text, not a number"]),
        (["time", "time"], ['events[0].tie_break[1]: "time" is also in events[0].tie_break[0]']),
    ],
)
def test_tie_break(doc, keys, expected):
    doc["events"][0]["tie_break"] = keys
    if expected:
        assert problems(doc) == expected
    else:
        assert parse_package(json.dumps(doc)).events[0].tie_break == tuple(keys)


# --- awards, judges, entries ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "expected"),
    [
        (
            {"share": 0.5, "count": 3},
            "events[0].awards[0]: has both share and count; give one of them",
        ),
        ({}, "events[0].awards[0]: needs a share or a count"),
        ({"share": 1.5}, "events[0].awards[0].share: 1.5 must be at most 1"),
        (
            {"share": 0.1234567},
            "events[0].awards[0].share: 0.1234567 has more than 6 decimal places "
            "(shares are stored with 6)",
        ),
        ({"share": -0.1}, "events[0].awards[0].share: -0.1 must be at least 0"),
        ({"count": -1}, "events[0].awards[0].count: -1 must be at least 0"),
        ({"count": 1.5}, "events[0].awards[0].count: 1.5 must be a whole number"),
        ({"count": "3"}, "events[0].awards[0].count: must be a whole number, not text"),
        ({"count": 3, "min_total": 101}, "events[0].awards[0].min_total: 101 must be at most 100"),
        ({"count": 3, "min_total": -1}, "events[0].awards[0].min_total: -1 must be at least 0"),
    ],
)
def test_award_problems(doc, tier, expected):
    award = doc["events"][0]["awards"][0]
    award.pop("share")
    award.update(tier)
    assert problems(doc) == [expected]


def test_award_by_count_and_edge_shares(doc):
    awards = doc["events"][0]["awards"]
    awards[0] = {"code": "first", "name": {"zh": "一等奖"}, "count": 0}
    awards[1]["share"] = 0
    awards[2]["share"] = 1
    parsed = parse_package(json.dumps(doc)).events[0].awards
    assert [(a.share, a.count) for a in parsed] == [(None, 0), (0, None), (1, None)]


def test_award_codes_are_unique(doc):
    doc["events"][0]["awards"][2]["code"] = "first"
    assert problems(doc) == ['events[0].awards[2].code: "first" is also in events[0].awards[0]']


def test_judges(doc):
    judges = doc["events"][0]["judges"]
    judges.append({"ref": "J02", "name": "王强", "chief": True})
    judges.append({"ref": "J01", "name": "赵六", "chief": "yes"})
    assert problems(doc) == [
        "events[0].judges[1].chief: events[0].judges[0] is already the chief judge: an event "
        "has one chief judge",
        'events[0].judges[2].ref: "J01" is also in events[0].judges[0]',
        "events[0].judges[2].chief: must be true or false, not text",
    ]


def test_judges_without_employer_or_chief(doc):
    doc["events"][0]["judges"] = [{"ref": "J01", "name": "李明"}]
    assert parse_package(json.dumps(doc)).events[0].judges == (JudgeData("J01", "李明"),)


def _second_entry(**fields):
    entry = {"ref": "E002", "name": "李娜", "status": "registered"}
    entry.update(fields)
    return entry


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            _second_entry(ref="E001"),
            ['events[0].entries[1].ref: "E001" is also in events[0].entries[0]'],
        ),
        (
            _second_entry(number="017"),
            ['events[0].entries[1].number: "017" is also in events[0].entries[0]'],
        ),
        (_second_entry(number=17), ["events[0].entries[1].number: must be text, not a number"]),
        (
            _second_entry(station="A3"),
            ['events[0].entries[1].station: "A3" is also in events[0].entries[0]'],
        ),
        (
            _second_entry(id_number="11010519491231002x"),
            ["events[0].entries[1].id_number: is also in events[0].entries[0]"],
        ),
        (
            _second_entry(id_number="110105194912310021"),
            ["events[0].entries[1].id_number: check digit should be X"],
        ),
        (
            _second_entry(status="gone"),
            [
                'events[0].entries[1].status: "gone" is not one of registered, checked_in, '
                "competing, finished, absent, withdrawn, disqualified"
            ],
        ),
        (
            _second_entry(finish_seconds=-1),
            ["events[0].entries[1].finish_seconds: -1 must be at least 0"],
        ),
        (_second_entry(finish_seconds=61.5), []),
        (
            _second_entry(members=[{"name": "x"}]),
            ["events[0].entries[1].members: only entries of team events have members"],
        ),
        (
            {"ref": "E002"},
            ["events[0].entries[1].name: is required", "events[0].entries[1].status: is required"],
        ),
    ],
)
def test_entry_problems(doc, entry, expected):
    doc["events"][0]["entries"].append(entry)
    if expected:
        assert problems(doc) == expected
    else:
        assert parse_package(json.dumps(doc)).events[0].entries[1].finish_seconds == Decimal("61.5")


def test_id_number_is_normalised(doc):
    doc["events"][0]["entries"][0]["id_number"] = "11010519491231002x"
    assert parse_package(json.dumps(doc)).events[0].entries[0].id_number == "11010519491231002X"


def test_optional_entry_fields(doc):
    doc["events"][0]["entries"] = [_second_entry()]
    doc["events"][0]["marks"] = []
    assert parse_package(json.dumps(doc)).events[0].entries == (
        EntryData("E002", "李娜", "registered"),
    )


# --- team events (extension) -----------------------------------------------------------------


def _team_event(doc):
    event = doc["events"][0]
    event["team"] = True
    event["entries"] = [
        {
            "ref": "T01",
            "name": "精密一队",
            "employer": "某某精密",
            "status": "registered",
            "members": [
                {"name": "张伟", "id_number": "11010519491231002X"},
                {"name": "李娜", "employer": "某某科技"},
            ],
        }
    ]
    event["marks"] = [{"entry": "T01", "judge": "J01", "criterion": "P1", "value": 38.5}]
    return event


def test_team_event(doc):
    _team_event(doc)
    event = parse_package(json.dumps(doc)).events[0]
    assert event.team
    assert event.entries[0].members == (
        MemberData("张伟", id_number="11010519491231002X"),
        MemberData("李娜", employer="某某科技"),
    )


def test_team_event_problems(doc):
    event = _team_event(doc)
    event["entries"].append({"ref": "T02", "name": "二队", "status": "registered"})
    event["entries"].append(
        {
            "ref": "T03",
            "name": "三队",
            "status": "registered",
            "id_number": "11010519491231002X",
            "members": [],
        }
    )
    event["entries"].append(
        {
            "ref": "T04",
            "name": "四队",
            "status": "registered",
            "members": [{"name": "张伟", "id_number": "11010519491231002X"}, {"employer": "x"}],
        }
    )
    assert problems(doc) == [
        "events[0].entries[1].members: is required for a team event",
        "events[0].entries[2].id_number: a team has no ID number: give its members' ID numbers",
        "events[0].entries[2].members: must not be empty",
        "events[0].entries[2].id_number: is also in events[0].entries[0].members[0]",
        "events[0].entries[3].members[0].id_number: is also in events[0].entries[0].members[0]",
        "events[0].entries[3].members[1].name: is required",
    ]


def test_team_must_be_a_flag(doc):
    doc["events"][0]["team"] = "yes"
    assert problems(doc) == ["events[0].team: must be true or false, not text"]


# --- marks --------------------------------------------------------------------------------


def _marks(doc, *marks):
    event = doc["events"][0]
    event["judges"].append({"ref": "J02", "name": "王强"})
    event["entries"].append(_second_entry())
    event["marks"] = [
        dict(zip(("entry", "judge", "criterion", "value"), m, strict=True)) for m in marks
    ]


def test_the_documented_mark_message(doc):
    valid = [("E001", "J01", "P1", 30), ("E002", "J01", "P1", 31), ("E001", "J01", "P2", 1)]
    valid += [("E002", "J01", "P2", 2)]
    filler = [(e, j, c, 1) for e in ("E001", "E002") for j in ("J01", "J02") for c in ("T1", "P3")]
    _marks(doc, *valid, *filler[:4], *filler[4:6], *filler[6:], ("E001", "J02", "P1", 42))
    assert problems(doc) == [
        "events[0].marks[12].value: 42 is above the maximum 40 of criterion P1"
    ]


@pytest.mark.parametrize(
    ("mark", "expected"),
    [
        (("E001", "J01", "P1", 40), []),
        (("E001", "J01", "P1", 0), []),
        (("E001", "J01", "P3", 10), []),
        (("E001", "J01", "P1", 39.125), []),
        (("E001", "J01", "P2", 3), []),
        (("E001", "J01", "P2", 3.0), []),
        (
            ("E001", "J01", "P1", 40.001),
            ["events[0].marks[0].value: 40.001 is above the maximum 40 of criterion P1"],
        ),
        (
            ("E001", "J01", "P3", 11),
            ["events[0].marks[0].value: 11 is above the maximum 10 of criterion P3"],
        ),
        (("E001", "J01", "P1", -1), ["events[0].marks[0].value: -1 must be at least 0"]),
        (
            ("E001", "J01", "P1", 39.1234),
            [
                "events[0].marks[0].value: 39.1234 has more than 3 decimal places (marks are "
                "stored with 3)"
            ],
        ),
        (
            ("E001", "J01", "P2", 2.5),
            [
                "events[0].marks[0].value: 2.5 is not a judgement score: criterion P2 takes a "
                "whole number from 0 to 3"
            ],
        ),
        (
            ("E001", "J01", "P2", 4),
            [
                "events[0].marks[0].value: 4 is not a judgement score: criterion P2 takes a whole "
                "number from 0 to 3"
            ],
        ),
        (("E001", "J01", "P1", "30"), ["events[0].marks[0].value: must be a number, not text"]),
        (("E001", "J01", "P1", None), ["events[0].marks[0].value: is required"]),
        (("E404", "J01", "P1", 1), ['events[0].marks[0].entry: there is no entry "E404" in ROBOT']),
        (("E001", "J99", "P1", 1), ['events[0].marks[0].judge: there is no judge "J99" in ROBOT']),
        (
            ("E001", "J01", "P", 1),
            ['events[0].marks[0].criterion: there is no criterion "P" in ROBOT'],
        ),
        (("E001", 1, "P1", 1), ["events[0].marks[0].judge: must be text, not a number"]),
    ],
)
def test_mark_problems(doc, mark, expected):
    _marks(doc, mark)
    if expected:
        assert problems(doc) == expected
    else:
        assert parse_package(json.dumps(doc)).events[0].marks[0].value == Decimal(str(mark[3]))


def test_one_mark_per_entry_judge_and_criterion(doc):
    _marks(doc, ("E001", "J01", "P1", 1), ("E001", "J02", "P1", 1), ("E001", "J01", "P1", 2))
    assert problems(doc) == [
        "events[0].marks[2]: entry E001, judge J01 and criterion P1 already have a mark at marks[0]"
    ]


def test_marks_name_things_of_their_own_event(doc):
    other = copy.deepcopy(doc["events"][0])
    other["code"] = "WELD"
    other["judges"][0]["ref"] = "W01"
    other["marks"][0]["judge"] = "W01"
    doc["events"].append(other)
    doc["events"][0]["marks"][0]["judge"] = "W01"
    assert problems(doc) == ['events[0].marks[0].judge: there is no judge "W01" in ROBOT']


def test_mark_with_an_unknown_field(doc):
    doc["events"][0]["marks"][0]["comment"] = "neat"
    assert problems(doc) == [
        "events[0].marks[0].comment: unknown field (expected entry, judge, criterion, value)"
    ]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (lambda d: d["events"].__setitem__(0, 5), "events[0]: must be an object, not a number"),
        (
            lambda d: d["events"][0].__setitem__("aggregation", "mean"),
            "events[0].aggregation: must be an object, not text",
        ),
        (
            lambda d: d["events"][0]["sections"].__setitem__(0, "T"),
            "events[0].sections[0]: must be an object, not text",
        ),
        (
            lambda d: d["events"][0]["sections"][0]["criteria"].__setitem__(0, []),
            "events[0].sections[0].criteria[0]: must be an object, not an array",
        ),
        (
            lambda d: d["events"][0]["awards"].__setitem__(0, True),
            "events[0].awards[0]: must be an object, not true",
        ),
        (
            lambda d: d["events"][0]["judges"].append(False),
            "events[0].judges[1]: must be an object, not false",
        ),
        (
            lambda d: d["events"][0]["entries"].append("E002"),
            "events[0].entries[1]: must be an object, not text",
        ),
        (
            lambda d: d["events"][0]["marks"].append(1),
            "events[0].marks[1]: must be an object, not a number",
        ),
        (
            lambda d: d["events"][0]["tie_break"].append(None),
            "events[0].tie_break[3]: must be text, not null",
        ),
        (
            lambda d: d["events"][0]["awards"].__setitem__(
                0, {"code": "first", "name": {"en": "First"}, "count": 10**12}
            ),
            "events[0].awards[0].count: 1000000000000 is too large",
        ),
        (
            lambda d: d["events"][0].pop("name"),
            "events[0].name: is required",
        ),
        (
            lambda d: d["events"][0].pop("aggregation"),
            "events[0].aggregation: is required",
        ),
        (
            lambda d: d["competition"].pop("starts_on"),
            "competition.starts_on: is required",
        ),
        (
            lambda d: d["events"][0]["marks"][0].pop("entry"),
            "events[0].marks[0].entry: is required",
        ),
    ],
)
def test_shapes(doc, where, expected):
    where(doc)
    assert problems(doc) == [expected]


def test_team_member_must_be_an_object(doc):
    event = _team_event(doc)
    event["entries"][0]["members"].append("王芳")
    assert problems(doc) == ["events[0].entries[0].members[2]: must be an object, not text"]


def test_broken_section_does_not_hide_other_problems(doc):
    sections = doc["events"][0]["sections"]
    sections[0] = "T"
    sections[1]["weight"] = 80
    assert problems(doc) == ["events[0].sections[0]: must be an object, not text"]


def test_a_share_keeps_six_decimal_places(doc):
    """A sixth of the entries is written 0.166667; shares are stored with six places."""
    doc["events"][0]["awards"][0]["share"] = Decimal("0.166667")
    package = parse_package(json.dumps(doc, default=str).replace('"0.166667"', "0.166667"))
    assert package.events[0].awards[0].share == Decimal("0.166667")
