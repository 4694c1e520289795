"""A contest package, written out by hand, whose results were worked out by hand.

``PACKAGE`` is the document; ``EXPECTED`` the results export it must give,
to the cent. The comments show the arithmetic (DESIGN.md, "Scoring rules").
"""

from __future__ import annotations

import json


def _marks(entry, criterion, values, judges=("J1", "J2", "J3", "J4", "J5", "J6")):
    return [
        {"entry": entry, "judge": judge, "criterion": criterion, "value": value}
        for judge, value in zip(judges, values, strict=False)
    ]


def _entry(ref, name, number, status="finished", **extra):
    return {
        "ref": ref,
        "name": name,
        "employer": "某某精密制造有限公司",
        "number": number,
        "status": status,
        **extra,
    }


# ---------------------------------------------------------------- event TRIM
# trimmed_mean, min_judges_to_trim 5. T 40 % (T1 marks /50);
# P 60 % (P1 marks /20, P2 judgement /30, P3 deduction /10): P max = 50.
TRIM_MARKS = [
    # E1, marked by 4 judges: fewer than 5, so plain means.
    # T1 (40+42+44+50)/4 = 44 → T = 40 × 44/50 = 35.2
    # P1 (10+12+14+16)/4 = 13; P2 mean(3,2,2,3) = 2.5 → 2.5/3 × 30 = 25; P3 mean(0,0,1,1) = 0.5
    # P raw = 13 + 25 − 0.5 = 37.5 → P = 60 × 37.5/50 = 45 → total 80.20
    *_marks("E1", "T1", [40, 42, 44, 50]),
    *_marks("E1", "P1", [10, 12, 14, 16]),
    *_marks("E1", "P2", [3, 2, 2, 3]),
    *_marks("E1", "P3", [0, 0, 1, 1]),
    # E2, 5 judges: the highest and lowest are dropped (not for judgement: always the mean).
    # T1 drop 30, 50 → (40+41+42)/3 = 41 → T = 32.8
    # P1 drop 0, 20 → 16; P2 mean(3,3,3,3,0) = 2.4 → 24; P3 drop 0, 10 → 1
    # P raw = 16 + 24 − 1 = 39 → P = 46.8 → total 79.60
    *_marks("E2", "T1", [30, 40, 41, 42, 50]),
    *_marks("E2", "P1", [0, 15, 16, 17, 20]),
    *_marks("E2", "P2", [3, 3, 3, 3, 0]),
    *_marks("E2", "P3", [0, 1, 1, 1, 10]),
    # E3, 6 judges: still only one highest and one lowest dropped.
    # T1 drop 45, 49 → (45+46+47+48)/4 = 46.5 → T = 37.2
    # P1 drop 10, 20 → (11+12+13+14)/4 = 12.5; P2 all 1 → 10; P3 all 0
    # P raw = 22.5 → P = 27 → total 64.20
    *_marks("E3", "T1", [45, 45, 46, 47, 48, 49]),
    *_marks("E3", "P1", [10, 11, 12, 13, 14, 20]),
    *_marks("E3", "P2", [1, 1, 1, 1, 1, 1]),
    *_marks("E3", "P3", [0, 0, 0, 0, 0, 0]),
    # E4: deductions outweigh the marks: P raw = 2 + 0 − 10 = −8 → floored at 0.
    # T1 10 → T = 8 → total 8.00
    *_marks("E4", "T1", [10, 10, 10, 10]),
    *_marks("E4", "P1", [2, 2, 2, 2]),
    *_marks("E4", "P2", [0, 0, 0, 0]),
    *_marks("E4", "P3", [10, 10, 10, 10]),
    # E5 is absent: no marks, not ranked, not counted in N.
]

# N = 4 ranked. first: count 1 → Q1 = 1. second: share 0.5, min_total 70 → Q2 = round(0.5 × 4)
# + 1 = 3. third: share 0.25, min_total 10 → Q3 = round(0.75 × 4) + 1 = 4.
# E1 rank 1 first; E2 rank 2 second (79.60 ≥ 70); E3 rank 3 is within Q2 but 64.20 < 70, so
# third; E4 rank 4 is within Q3 but 8.00 < 10: no award.
TRIM = {
    "code": "TRIM",
    "name": {"zh": "去极值", "en": "Trimmed means"},
    "aggregation": {"method": "trimmed_mean", "min_judges_to_trim": 5},
    "sections": [
        {
            "code": "T",
            "name": {"zh": "理论", "en": "Theory"},
            "weight": 40,
            "criteria": [{"code": "T1", "name": {"en": "Exam"}, "type": "marks", "max": 50}],
        },
        {
            "code": "P",
            "name": {"zh": "实操", "en": "Practical"},
            "weight": 60,
            "criteria": [
                {"code": "P1", "name": {"en": "Build"}, "type": "marks", "max": 20},
                {"code": "P2", "name": {"en": "Workmanship"}, "type": "judgement", "max": 30},
                {"code": "P3", "name": {"en": "Safety"}, "type": "deduction", "max": 10},
            ],
        },
    ],
    "tie_break": [],
    "awards": [
        {"code": "first", "name": {"zh": "一等奖"}, "count": 1},
        {"code": "second", "name": {"zh": "二等奖"}, "share": 0.5, "min_total": 70},
        {"code": "third", "name": {"zh": "三等奖"}, "share": 0.25, "min_total": 10},
    ],
    "judges": [
        {"ref": f"J{n}", "name": f"裁判{n}", "employer": "深圳技师学院", "chief": n == 1}
        for n in range(1, 7)
    ],
    "entries": [
        _entry("E1", "张伟", "001"),
        _entry("E2", "李娜", "002"),
        _entry("E3", "王强", "003"),
        _entry("E4", "赵敏", "004"),
        _entry("E5", "刘洋", "005", status="absent"),
    ],
    "marks": TRIM_MARKS,
}

# ---------------------------------------------------------------- event TIES
# mean of 2 judges. A 50 % (A1 marks /10); B 50 % (B1 marks /10, B2 deduction /5).
# A = 5 × A1; B = 5 × max(0, B1 − B2). Tie-break: section:B, criterion:B2, time.
TWO = ("J1", "J2")
TIES_MARKS = [
    # F1: A 40 + B 45 = 85; F2: A 45 + B 40 = 85 → section B decides: F1 first.
    *_marks("F1", "A1", [8, 8], TWO),
    *_marks("F1", "B1", [9, 9], TWO),
    *_marks("F2", "A1", [9, 9], TWO),
    *_marks("F2", "B1", [8, 8], TWO),
    # F3: A 35 + B 5 × (9 − 1) = 75; F4: A 35 + B 5 × (8 − 0) = 75; sections equal →
    # criterion B2 is a deduction: fewer penalty points win → F4 before F3.
    *_marks("F3", "A1", [7, 7], TWO),
    *_marks("F3", "B1", [9, 9], TWO),
    *_marks("F3", "B2", [1, 1], TWO),
    *_marks("F4", "A1", [7, 7], TWO),
    *_marks("F4", "B1", [8, 8], TWO),
    *_marks("F4", "B2", [0, 0], TWO),
    # F5 and F6: 30 + 30 = 60 each, equal in every mark → the shorter time wins: F6.
    *_marks("F5", "A1", [6, 6], TWO),
    *_marks("F5", "B1", [6, 6], TWO),
    *_marks("F6", "A1", [6, 6], TWO),
    *_marks("F6", "B1", [6, 6], TWO),
    # F7 and F8: 25 + 25 = 50 each, no finish time either: still equal → they share rank 7.
    *_marks("F7", "A1", [5, 5], TWO),
    *_marks("F7", "B1", [5, 5], TWO),
    *_marks("F8", "A1", [5, 5], TWO),
    *_marks("F8", "B1", [5, 5], TWO),
    # F9: A1 mean(6.665, 6.665) → A = 33.325, B 0 → shown half up as 33.33 (not 33.32).
    *_marks("F9", "A1", [6.665, 6.665], TWO),  # written "6.665", read as Decimal
    *_marks("F9", "B1", [0, 0], TWO),
    # F11 is disqualified: marked, but no total, rank or award.
    *_marks("F11", "A1", [10, 10], TWO),
    *_marks("F11", "B1", [10, 10], TWO),
]

# N = 9 ranked. first 0.2 → Q1 = round(1.8) = 2; second +0.2 → round(3.6) = 4;
# third +0.35 → round(6.75) = 7. The third prize's boundary falls inside the tie at
# rank 7: F7 and F8 both get it (4 third prizes for a quota of 3). F9 (rank 9): none.
TIES = {
    "code": "TIES",
    "name": {"zh": "并列", "en": "Ties"},
    "aggregation": {"method": "mean"},
    "sections": [
        {
            "code": "A",
            "name": {"en": "A"},
            "weight": 50,
            "criteria": [{"code": "A1", "name": {"en": "A1"}, "type": "marks", "max": 10}],
        },
        {
            "code": "B",
            "name": {"en": "B"},
            "weight": 50,
            "criteria": [
                {"code": "B1", "name": {"en": "B1"}, "type": "marks", "max": 10},
                {"code": "B2", "name": {"en": "B2"}, "type": "deduction", "max": 5},
            ],
        },
    ],
    "tie_break": ["section:B", "criterion:B2", "time"],
    "awards": [
        {"code": "first", "name": {"zh": "一等奖"}, "share": 0.2},
        {"code": "second", "name": {"zh": "二等奖"}, "share": 0.2},
        {"code": "third", "name": {"zh": "三等奖"}, "share": 0.35},
    ],
    "judges": [
        {"ref": "J1", "name": "裁判甲", "chief": True},
        {"ref": "J2", "name": "裁判乙"},
    ],
    "entries": [
        _entry("F1", "选手一", "101"),
        _entry("F2", "选手二", "102"),
        _entry("F3", "选手三", "103"),
        _entry("F4", "选手四", "104"),
        _entry("F5", "选手五", "105", finish_seconds=3600),
        _entry("F6", "选手六", "106", finish_seconds=3000),
        _entry("F7", "选手七", "107"),
        _entry("F8", "选手八", "108"),
        _entry("F9", "选手九", "109"),
        _entry("F10", "选手十", "110", status="withdrawn"),
        _entry("F11", "=HYPERLINK(1)", "111", status="disqualified"),
    ],
    "marks": TIES_MARKS,
}

PACKAGE = {
    "format": "contest-package",
    "version": 1,
    "competition": {
        "code": "HAND-2026",
        "name": {"zh": "手算核对赛", "en": "Worked by hand"},
        "level": "district",
        "kind": "skill",
        "organiser": "龙华区总工会",
        "starts_on": "2026-10-10",
        "ends_on": "2026-10-12",
    },
    "events": [TRIM, TIES],
}
PACKAGE_TEXT = json.dumps(PACKAGE, ensure_ascii=False)


def _ranked(entry, number, total, rank, award, sections):
    return {
        "entry": entry,
        "number": number,
        "total": total,
        "rank": rank,
        "award": award,
        "sections": sections,
    }


def _unranked(entry, number, status):
    return {
        "entry": entry,
        "number": number,
        "total": None,
        "rank": None,
        "award": None,
        "status": status,
    }


EXPECTED = {
    "competition": "HAND-2026",
    "events": [
        {
            "code": "TRIM",
            "status": "provisional",
            "results": [
                _ranked("E1", "001", "80.20", 1, "first", {"T": "35.20", "P": "45.00"}),
                _ranked("E2", "002", "79.60", 2, "second", {"T": "32.80", "P": "46.80"}),
                _ranked("E3", "003", "64.20", 3, "third", {"T": "37.20", "P": "27.00"}),
                _ranked("E4", "004", "8.00", 4, None, {"T": "8.00", "P": "0.00"}),
                _unranked("E5", "005", "absent"),
            ],
        },
        {
            "code": "TIES",
            "status": "provisional",
            "results": [
                _ranked("F1", "101", "85.00", 1, "first", {"A": "40.00", "B": "45.00"}),
                _ranked("F2", "102", "85.00", 2, "first", {"A": "45.00", "B": "40.00"}),
                _ranked("F4", "104", "75.00", 3, "second", {"A": "35.00", "B": "40.00"}),
                _ranked("F3", "103", "75.00", 4, "second", {"A": "35.00", "B": "40.00"}),
                _ranked("F6", "106", "60.00", 5, "third", {"A": "30.00", "B": "30.00"}),
                _ranked("F5", "105", "60.00", 6, "third", {"A": "30.00", "B": "30.00"}),
                _ranked("F7", "107", "50.00", 7, "third", {"A": "25.00", "B": "25.00"}),
                _ranked("F8", "108", "50.00", 7, "third", {"A": "25.00", "B": "25.00"}),
                _ranked("F9", "109", "33.33", 9, None, {"A": "33.33", "B": "0.00"}),
                _unranked("F10", "110", "withdrawn"),
                _unranked("F11", "111", "disqualified"),
            ],
        },
    ],
}
