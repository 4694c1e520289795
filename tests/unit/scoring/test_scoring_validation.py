"""Refusing unusable schemes and bad marks, with messages that say what is wrong."""

from dataclasses import replace
from decimal import Decimal

import pytest

from competitions.scoring import (
    AwardTierSpec,
    CriterionSpec,
    EntryInput,
    ScoringError,
    SectionSpec,
    compute_results,
    validate_scheme,
)

D = Decimal


def test_the_package_scheme_is_valid(make_scheme):
    scheme = make_scheme(
        aggregation="trimmed_mean",
        tie_break=["section:P", "criterion:P2", "time"],
        awards=[
            AwardTierSpec("first", share=D("0.1")),
            AwardTierSpec("second", share=D("0.2")),
            AwardTierSpec("third", share=D("0.3"), min_total=D(60)),
            AwardTierSpec("merit", count=5),
        ],
    )
    assert validate_scheme(scheme) == []


@pytest.mark.parametrize(
    ("sections", "options", "problem"),
    [
        ({"T": (30, {"T1": ("marks", 10)})}, {}, "section weights add up to 30, not 100"),
        (
            {"T": ("30.5", {"T1": ("marks", 10)}), "P": (70, {"P1": ("marks", 10)})},
            {},
            "section weights add up to 100.5, not 100",
        ),
        (
            {"T": (-10, {"T1": ("marks", 10)}), "P": (110, {"P1": ("marks", 10)})},
            {},
            "section 'T': weight must be a number of at least 0, got Decimal('-10')",
        ),
        (
            {"T": (30, {"T1": ("deduction", 10)}), "P": (70, {"P1": ("marks", 10)})},
            {},
            "section 'T' has no marks or judgement criterion",
        ),
        (
            {"T": (30, {}), "P": (70, {"P1": ("marks", 10)})},
            {},
            "section 'T' has no marks or judgement criterion",
        ),
        (
            {"S": (100, {"C1": ("marks", 0)})},
            {},
            "criterion 'C1' of section 'S': maximum must be a number above 0, got Decimal('0')",
        ),
        (
            {"S": (100, {"C1": ("judgement", -5)})},
            {},
            "criterion 'C1' of section 'S': maximum must be a number above 0, got Decimal('-5')",
        ),
        (
            {"T": (30, {"C1": ("marks", 10)}), "P": (70, {"C1": ("marks", 10)})},
            {},
            "criterion code 'C1' is used more than once",
        ),
        (
            {"S": (100, {"C1": ("marks", 10)})},
            {"tie_break": ["section:X"]},
            "tie-break key 'section:X' names no section of the scheme",
        ),
        (
            {"S": (100, {"C1": ("marks", 10)})},
            {"tie_break": ["criterion:C9"]},
            "tie-break key 'criterion:C9' names no criterion of the scheme",
        ),
        (
            {"S": (100, {"C1": ("marks", 10)})},
            {"tie_break": ["fastest"]},
            "tie-break key 'fastest' is not section:CODE, criterion:CODE or time",
        ),
        (
            {"S": (100, {"C1": ("marks", 10)})},
            {"tie_break": ["time", "section:S", "time"]},
            "tie-break key 'time' is given more than once",
        ),
        (
            {"S": (100, {"C1": ("marks", 10)})},
            {"aggregation": "trimmed_mean", "min_judges_to_trim": 2},
            "min_judges_to_trim must be a whole number of at least 3 for a trimmed mean, got 2",
        ),
        ({}, {}, "the scheme has no section"),
    ],
)
def test_validate_scheme_names_each_problem(make_scheme, sections, options, problem):
    assert validate_scheme(make_scheme(sections, **options)) == [problem]


@pytest.mark.parametrize(
    ("tier", "problem"),
    [
        (AwardTierSpec("a", share=D("0.1"), count=1), "award tier 'a': give exactly one of"),
        (AwardTierSpec("a"), "award tier 'a': give exactly one of share or count"),
        (AwardTierSpec("a", share=D("1.5")), "award tier 'a': share must be a number from 0 to 1"),
        (AwardTierSpec("a", share=D("-0.1")), "share must be a number from 0 to 1"),
        (AwardTierSpec("a", share=0.1), "share must be a number from 0 to 1, got 0.1"),
        (AwardTierSpec("a", count=-1), "award tier 'a': count must be a whole number of at least"),
        (AwardTierSpec("a", count=True), "count must be a whole number"),
        (AwardTierSpec("a", count=D(2)), "count must be a whole number"),
        (
            AwardTierSpec("a", count=1, min_total=D(101)),
            "award tier 'a': min_total must be a number from 0 to 100",
        ),
        (AwardTierSpec("a", count=1, min_total=D(-1)), "min_total must be a number from 0 to 100"),
        (AwardTierSpec("", count=1), "an award tier has no code"),
    ],
)
def test_validate_scheme_checks_award_tiers(make_scheme, tier, problem):
    problems = validate_scheme(make_scheme(awards=[tier]))
    assert len(problems) == 1
    assert problem in problems[0]


def test_validate_scheme_checks_tiers_together(make_scheme):
    tiers = [
        AwardTierSpec("a", share=D("0.6")),
        AwardTierSpec("a", share=D("0.5")),
        AwardTierSpec("b", share=D("0.1")),
    ]
    assert validate_scheme(make_scheme(awards=tiers)) == [
        "award tier code 'a' is used more than once",
        "award shares add up to 1.2, more than 1",
    ]


def test_validate_scheme_reports_every_problem_and_wrong_types(make_scheme):
    scheme = make_scheme({"S": (100, {"C1": ("marks", 10)})})
    broken = replace(
        scheme,
        aggregation="average",
        sections=(
            SectionSpec(" ", 50.0, (CriterionSpec("", "points", 10.0),)),
            SectionSpec(" ", D(50), (CriterionSpec("C1", "marks", D("NaN")),)),
        ),
        tie_break=(7,),
    )
    assert validate_scheme(broken) == [
        "aggregation 'average' is not one of mean, median, trimmed_mean",
        "a section has no code",
        "section ' ': weight must be a number of at least 0, got 50.0",
        "section ' ' has no marks or judgement criterion",
        "a criterion of section ' ' has no code",
        "criterion '' of section ' ': type 'points' is not one of marks, judgement, deduction",
        "criterion '' of section ' ': maximum must be a number above 0, got 10.0",
        "a section has no code",
        "criterion 'C1' of section ' ': maximum must be a number above 0, got Decimal('NaN')",
        "section code ' ' is used more than once",
        "tie-break key 7 is not text",
    ]


def test_min_judges_to_trim_only_matters_for_a_trimmed_mean(make_scheme):
    assert validate_scheme(make_scheme(aggregation="median", min_judges_to_trim=0)) == []


def test_compute_results_refuses_an_invalid_scheme(make_scheme, make_entry):
    scheme = make_scheme({"S": (90, {"C1": ("marks", 0)})})
    with pytest.raises(ScoringError, match="the marking scheme cannot be used: ") as raised:
        compute_results(scheme, [make_entry("E1")])
    assert raised.value.problems == (
        "criterion 'C1' of section 'S': maximum must be a number above 0, got Decimal('0')",
        "section weights add up to 90, not 100",
    )


@pytest.mark.parametrize(
    ("entry", "message", "criterion"),
    [
        (
            EntryInput("E7", marks={"P1": (D(41),)}),
            "entry E7, criterion P1: value 41 is above the maximum 40",
            "P1",
        ),
        (
            EntryInput("E7", marks={"P3": (D(-1),)}),
            "entry E7, criterion P3: value -1 is below 0",
            "P3",
        ),
        (
            EntryInput("E7", marks={"P2": (D(2), D("2.5"))}),
            "entry E7, criterion P2: judgement value 2.5 is not an integer from 0 to 3",
            "P2",
        ),
        (
            EntryInput("E7", marks={"T1": (D(50), 50.0)}),
            "entry E7, criterion T1: value 50.0 is not a finite Decimal or integer",
            "T1",
        ),
        (
            EntryInput("E7", marks={"X9": (D(1),)}),
            "entry E7 has marks for 'X9', which is no criterion of the scheme",
            "X9",
        ),
        (
            EntryInput("E7", status="gone"),
            "entry E7: status 'gone' is not one of registered, checked_in, competing",
            None,
        ),
        (
            EntryInput("E7", finish_seconds=D(-1)),
            "entry E7: finish time Decimal('-1') is not a number of seconds of at least 0",
            None,
        ),
        (EntryInput("E7", finish_seconds=D("NaN")), "entry E7: finish time", None),
        (EntryInput("E7", finish_seconds=61.5), "entry E7: finish time 61.5 is not", None),
        (
            EntryInput("E7", marks={"T1": D(90)}),
            "entry E7, criterion T1: expected a list of judges' values, got Decimal('90')",
            "T1",
        ),
    ],
)
def test_compute_results_refuses_bad_entries_naming_entry_and_criterion(
    make_scheme, entry, message, criterion
):
    with pytest.raises(ScoringError) as raised:
        compute_results(make_scheme(), [EntryInput("E1"), entry])
    assert str(raised.value).startswith(message)
    assert (raised.value.entry, raised.value.criterion) == ("E7", criterion)


def test_unranked_entries_are_checked_too(make_scheme):
    with pytest.raises(ScoringError, match="entry E7, criterion P1"):
        compute_results(make_scheme(), [EntryInput("E7", "absent", marks={"P1": (D(99),)})])


def test_compute_results_refuses_an_entry_given_twice(make_scheme):
    with pytest.raises(ScoringError, match="entry E1 is given more than once"):
        compute_results(make_scheme(), [EntryInput("E1"), EntryInput("E2"), EntryInput("E1")])


@pytest.mark.parametrize("key", ["", None, 7])
def test_compute_results_refuses_an_entry_without_a_key(make_scheme, key):
    with pytest.raises(ScoringError, match="an entry has no key"):
        compute_results(make_scheme(), [EntryInput(key)])


def test_marks_may_come_as_lists(make_scheme):
    (result,) = compute_results(make_scheme(), [EntryInput("E1", marks={"T1": [D(90)]})])
    assert result.criteria["T1"] == 90


def test_integer_finish_times_and_marks_are_accepted(make_scheme):
    entry = EntryInput("E1", finish_seconds=5400, marks={"T1": (90, 80), "P2": (2,)})
    (result,) = compute_results(make_scheme(), [entry])
    assert result.criteria["T1"] == 85
    assert result.criteria["P2"] == 20
