"""Setup services on a real database: every scheme rule, every transition, the draw, check-in."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from competitions.audit import AuditEntry
from competitions.contests import lifecycle, services
from competitions.contests.models import Competition, Criterion, Event, Section
from competitions.enums import (
    Aggregation,
    CompetitionKind,
    CompetitionStatus,
    EntryStatus,
    EventStatus,
    Level,
)
from competitions.errors import DomainError, NotAllowed
from competitions.extensions import db
from competitions.judging.models import Mark
from competitions.registration.models import Draw, Entry

COMPETITION = dict(
    code="LH-2026",
    name_zh="2026年龙华区职业技能竞赛",
    name_en=None,
    level=Level.DISTRICT,
    kind=CompetitionKind.SKILL,
    starts_on=date(2026, 10, 10),
    ends_on=date(2026, 10, 12),
    organisation="龙华区总工会",
    self_registration=False,
)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def organiser(app, make_user):
    from competitions.accounts.models import User

    user = make_user("organiser")
    return lambda: db.session.get(User, user.id)


def _event(event) -> Event:
    return db.session.get(Event, event.id)


def _refused(call, field=None, kind=DomainError, text=None):
    """Expect ``call`` to be refused; what happened before it is committed first."""
    db.session.commit()
    with pytest.raises(kind) as caught:
        call()
    if field is not None:
        assert caught.value.field == field, caught.value.message
    if text is not None:
        assert text in caught.value.message, caught.value.message
    db.session.rollback()
    return caught.value


# --------------------------------------------------------------------------- competitions


def test_create_competition_adds_the_creator_and_records_it(ctx, organiser, make_user):
    colleague = make_user("organiser")
    from competitions.accounts.models import User

    competition = services.create_competition(
        actor=organiser(), organisers=[db.session.get(User, colleague.id)], **COMPETITION
    )
    db.session.commit()
    assert {u.id for u in competition.organisers} == {organiser().id, colleague.id}
    assert competition.status is CompetitionStatus.DRAFT
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "competition_created"))
    assert entry.actor_id == organiser().id and entry.target_id == competition.id


@pytest.mark.parametrize(
    "change,field,text",
    [
        ({"code": "bad code!"}, "code", "letters, digits"),
        ({"code": ""}, "code", None),
        ({"name_zh": " ", "name_en": None}, "name_zh", "Chinese or an English name"),
        ({"name_zh": "x" * 201}, "name_zh", "At most 200"),
        ({"ends_on": date(2026, 10, 1)}, "ends_on", "before the first day"),
        ({"organisation": "  "}, "organisation", "organising body"),
    ],
)
def test_competition_rules_name_the_field(ctx, organiser, change, field, text):
    _refused(
        lambda: services.create_competition(actor=organiser(), **{**COMPETITION, **change}),
        field,
        text=text,
    )
    assert db.session.scalar(select(func.count(Competition.id))) == 0


def test_competition_codes_are_unique_and_organisers_are_organisers(ctx, organiser, make_user):
    from competitions.accounts.models import User

    services.create_competition(actor=organiser(), **COMPETITION)
    db.session.commit()
    _refused(lambda: services.create_competition(actor=organiser(), **COMPETITION), "code")
    judge = make_user("judge")
    _refused(
        lambda: services.create_competition(
            actor=organiser(),
            organisers=[db.session.get(User, judge.id)],
            **{**COMPETITION, "code": "OTHER"},
        ),
        "organisers",
        text="not an organiser",
    )


def test_the_organising_body_is_found_or_created(ctx, organiser):
    first = services.create_competition(actor=organiser(), **COMPETITION)
    second = services.create_competition(actor=organiser(), **{**COMPETITION, "code": "B"})
    assert first.organisation is second.organisation


def test_an_archived_competition_cannot_change(ctx, organiser, make_competition):
    competition = db.session.get(
        Competition, make_competition(status=CompetitionStatus.ARCHIVED).id
    )
    _refused(
        lambda: services.update_competition(competition, actor=organiser(), **COMPETITION),
        kind=NotAllowed,
    )


# --------------------------------------------------------------------------- events

EVENT = dict(code="ROBOT", name_zh="工业机器人系统运维", name_en=None)


def test_create_event_places_it_last_in_draft(ctx, organiser, make_competition):
    competition = db.session.get(Competition, make_competition().id)
    first = services.create_event(competition, actor=organiser(), **EVENT)
    second = services.create_event(competition, actor=organiser(), code="ELEC", name_zh="电工")
    assert (first.position, second.position) == (0, 1)
    assert second.status is EventStatus.DRAFT


@pytest.mark.parametrize(
    "change,field,text",
    [
        ({"code": "A B"}, "code", None),
        ({"name_zh": None}, "name_zh", None),
        ({"min_judges_to_trim": 2}, "min_judges_to_trim", "At least 3"),
        ({"discrepancy_share": Decimal(0)}, "discrepancy_share", "above 0"),
        ({"discrepancy_share": Decimal("1.5")}, "discrepancy_share", "at most 1"),
        ({"discrepancy_share": Decimal("0.12345")}, "discrepancy_share", "decimal places"),
        ({"tie_break": ["section:P"]}, "tie_break", "no section P"),
        ({"tie_break": ["criterion:P1"]}, "tie_break", "no criterion P1"),
        ({"tie_break": ["fastest"]}, "tie_break", "section:CODE, criterion:CODE or time"),
        ({"tie_break": ["time", "time"]}, "tie_break", "more than once"),
        ({"venue": "x" * 201}, "venue", None),
    ],
)
def test_event_rules_name_the_field(ctx, organiser, make_competition, change, field, text):
    competition = db.session.get(Competition, make_competition().id)
    _refused(
        lambda: services.create_event(competition, actor=organiser(), **{**EVENT, **change}),
        field,
        text=text,
    )
    assert db.session.scalar(select(func.count(Event.id))) == 0


def test_event_codes_are_unique_within_a_competition(ctx, organiser, make_competition):
    competition = db.session.get(Competition, make_competition().id)
    other = db.session.get(Competition, make_competition().id)
    services.create_event(competition, actor=organiser(), **EVENT)
    services.create_event(other, actor=organiser(), **EVENT)  # another competition: fine
    db.session.commit()
    _refused(lambda: services.create_event(competition, actor=organiser(), **EVENT), "code")


def test_events_cannot_be_added_once_the_competition_started(ctx, organiser, make_competition):
    competition = db.session.get(
        Competition, make_competition(status=CompetitionStatus.IN_PROGRESS).id
    )
    _refused(
        lambda: services.create_event(competition, actor=organiser(), **EVENT), kind=NotAllowed
    )


def test_tie_break_keys_name_sections_and_criteria_of_the_scheme(ctx, organiser, make_event):
    event = _event(make_event(status=EventStatus.DRAFT))
    fields = dict(EVENT, tie_break=["section:P", "criterion:P3", "time"])
    services.update_event(event, actor=organiser(), **fields)
    assert event.tie_break == ["section:P", "criterion:P3", "time"]
    assert services.parse_tie_break("section:P，criterion:P2; time") == [
        "section:P",
        "criterion:P2",
        "time",
    ]


def test_rules_are_frozen_once_marking_started_but_names_are_not(ctx, organiser, make_event):
    event = _event(make_event(status=EventStatus.MARKING, aggregation=Aggregation.MEAN))
    same = dict(code=event.code, name_zh="新名称", name_en=None, aggregation=Aggregation.MEAN)
    services.update_event(event, actor=organiser(), **same)
    assert event.name_zh == "新名称"
    _refused(
        lambda: services.update_event(
            event, actor=organiser(), **{**same, "aggregation": Aggregation.MEDIAN}
        ),
        kind=NotAllowed,
        text="frozen",
    )


def test_a_team_flag_cannot_change_under_entries(ctx, organiser, make_event, make_entry):
    made = make_event(status=EventStatus.DRAFT)
    make_entry(made)
    event = _event(made)
    _refused(
        lambda: services.update_event(
            event, actor=organiser(), code=event.code, name_zh="x", name_en=None, is_team=True
        ),
        "is_team",
    )


# --------------------------------------------------------------------------- scheme rules


@pytest.fixture
def draft(ctx, make_event):
    """An empty draft event."""
    return lambda **kw: _event(make_event(status=EventStatus.DRAFT, scheme=[], awards=[], **kw))


def _section(event, actor, code="T", weight="30", **kw):
    return services.add_section(
        event,
        actor=actor,
        code=code,
        name_zh=kw.get("name_zh", code),
        name_en=None,
        weight=Decimal(weight),
    )


def _criterion(section, actor, code="T1", kind="marks", maximum="100"):
    return services.add_criterion(
        section,
        actor=actor,
        code=code,
        name_zh=code,
        name_en=None,
        type=kind,
        max_mark=Decimal(maximum),
    )


def test_a_complete_scheme_has_weights_of_100_and_a_criterion_per_section(draft, organiser):
    event = draft()
    assert [p.where for p in services.scheme_problems(event)] == ["sections"]
    theory = _section(event, organiser(), "T", "30")
    practical = _section(event, organiser(), "P", "70")
    problems = services.scheme_problems(event)
    assert [p.where for p in problems] == ["section:T", "section:P"]
    _criterion(theory, organiser(), "T1")
    _criterion(practical, organiser(), "P3", "deduction", "10")
    assert [p.where for p in services.scheme_problems(event)] == ["section:P"]
    _criterion(practical, organiser(), "P2", "judgement", "30")
    assert services.scheme_problems(event) == []


def test_weights_never_exceed_100_and_say_why(draft, organiser):
    event = draft()
    _section(event, organiser(), "T", "60")
    error = _refused(lambda: _section(event, organiser(), "P", "50"), "weight")
    assert "110" in error.message and "60" in error.message
    event = _event(event)
    assert "weights add up to 60" in services.scheme_problems(event)[0].message


@pytest.mark.parametrize(
    "weight,text",
    [("0", "above 0"), ("-5", "above 0"), ("101", "at most 100"), ("10.1234", "decimal places")],
)
def test_section_weight_rules(draft, organiser, weight, text):
    event = draft()
    _refused(lambda: _section(event, organiser(), "T", weight), "weight", text=text)


def test_section_codes_are_unique_and_valid(draft, organiser):
    event = draft()
    _section(event, organiser(), "T", "30")
    _refused(lambda: _section(event, organiser(), "T", "30"), "code", text="already has")
    _refused(lambda: _section(event, organiser(), "-T", "30"), "code")


def test_criterion_codes_are_unique_across_sections(draft, organiser):
    event = draft()
    theory = _section(event, organiser(), "T", "30")
    practical = _section(event, organiser(), "P", "70")
    _criterion(theory, organiser(), "X1")
    _refused(lambda: _criterion(practical, organiser(), "X1"), "code", text="across sections")


@pytest.mark.parametrize(
    "kind,maximum,field,text",
    [
        ("marks", "0", "max_mark", "above 0"),
        ("judgement", "-3", "max_mark", "above 0"),
        ("deduction", "10.0001", "max_mark", "decimal places"),
        ("bonus", "10", "type", "marks, judgement or deduction"),
    ],
)
def test_criterion_rules(draft, organiser, kind, maximum, field, text):
    section = _section(draft(), organiser())
    _refused(lambda: _criterion(section, organiser(), "C1", kind, maximum), field, text=text)


def test_a_judgement_criterion_takes_any_positive_maximum(draft, organiser):
    """Judges give 0–3; the maximum is what the criterion counts for (mean / 3 × max)."""
    section = _section(draft(), organiser())
    assert _criterion(section, organiser(), "J1", "judgement", "30").max_mark == 30


def _tier(event, actor, code="first", **kw):
    return services.add_award_tier(event, actor=actor, code=code, name_zh=code, name_en=None, **kw)


@pytest.mark.parametrize(
    "fields,field,text",
    [
        ({}, "share", "not both"),
        ({"share": Decimal("0.1"), "count": 3}, "share", "not both"),
        ({"share": Decimal("1.01")}, "share", "at most 1"),
        ({"share": Decimal("-0.1")}, "share", "at least 0"),
        ({"share": Decimal("0.1234567")}, "share", "decimal places"),
        ({"count": -1}, "count", "at least 0"),
        ({"share": Decimal("0.1"), "min_total": Decimal(101)}, "min_total", "at most 100"),
        ({"share": Decimal("0.1"), "recognition_zh": "x" * 201}, "recognition_zh", None),
    ],
)
def test_award_tier_rules(draft, organiser, fields, field, text):
    event = draft()
    _refused(lambda: _tier(event, organiser(), **fields), field, text=text)


def test_award_shares_add_up_to_at_most_one_and_codes_are_unique(draft, organiser):
    event = draft()
    _tier(event, organiser(), "first", share=Decimal("0.5"))
    _tier(event, organiser(), "second", share=Decimal("0.5"), min_total=Decimal(60))
    _tier(event, organiser(), "merit", count=10, recognition_zh="推荐深圳工匠")
    _refused(
        lambda: _tier(event, organiser(), "third", share=Decimal("0.01")), "share", text="1.01"
    )
    _refused(lambda: _tier(event, organiser(), "first", count=1), "code")
    assert _event(event).award_tiers[2].recognition == {"zh": "推荐深圳工匠"}


def test_a_tie_break_key_protects_what_it_names(draft, organiser):
    event = draft()
    section = _section(event, organiser(), "P", "100")
    criterion = _criterion(section, organiser(), "P1")
    services.update_event(
        event,
        actor=organiser(),
        code=event.code,
        name_zh="x",
        name_en=None,
        tie_break=["criterion:P1", "section:P"],
    )
    _refused(lambda: services.delete_criterion(criterion, actor=organiser()), text="criterion:P1")
    event = _event(event)
    section = event.sections[0]
    _refused(lambda: services.delete_section(section, actor=organiser()), text="section:P")
    event = _event(event)
    section = event.sections[0]
    _refused(
        lambda: services.update_section(
            section, actor=organiser(), code="Q", name_zh="Q", name_en=None, weight=Decimal(100)
        ),
        "code",
    )


def test_deleting_a_section_takes_its_criteria(draft, organiser):
    event = draft()
    section = _section(event, organiser(), "P", "100")
    _criterion(section, organiser(), "P1")
    db.session.commit()
    services.delete_section(_event(event).sections[0], actor=organiser())
    db.session.commit()
    assert db.session.scalar(select(func.count(Criterion.id))) == 0
    assert db.session.scalar(select(func.count(Section.id))) == 0


def test_items_move_up_and_down(draft, organiser):
    event = draft()
    for code in ("a", "b", "c"):
        _tier(event, organiser(), code, count=1)
    db.session.commit()
    event = _event(event)
    services.move_item(event.award_tiers[2], -1, actor=organiser())
    db.session.commit()
    assert [t.code for t in _event(event).award_tiers] == ["a", "c", "b"]
    services.move_item(_event(event).award_tiers[0], -1, actor=organiser())  # already first
    assert [t.code for t in _event(event).award_tiers] == ["a", "c", "b"]


@pytest.mark.parametrize("status", [EventStatus.MARKING, EventStatus.SIGNED_OFF, EventStatus.FINAL])
def test_the_scheme_is_frozen_once_marking_started(ctx, organiser, make_event, status):
    event = _event(make_event(status=status))
    section = event.sections[0]
    for call in (
        lambda event, section: _section(event, organiser(), "X", "1"),
        lambda event, section: _criterion(section, organiser(), "X1"),
        lambda event, section: _tier(event, organiser(), "x", count=1),
        lambda event, section: services.delete_section(section, actor=organiser()),
        lambda event, section: services.delete_award_tier(event.award_tiers[0], actor=organiser()),
    ):
        _refused(lambda c=call, e=event, s=section: c(e, s), kind=NotAllowed, text="frozen")
        event = _event(event)
        section = event.sections[0]


def test_the_scheme_is_frozen_while_the_event_has_marks(
    ctx, organiser, make_event, make_entry, make_judge
):
    made = make_event(status=EventStatus.REGISTRATION_CLOSED)
    entry = make_entry(made)
    judge, _assignment = make_judge(made)
    event = _event(made)
    db.session.add(
        Mark(
            entry_id=entry.id,
            criterion_id=event.sections[0].criteria[0].id,
            judge_id=judge.id,
            value=Decimal(50),
        )
    )
    db.session.commit()
    event = _event(made)
    _refused(lambda: _section(event, organiser(), "X", "1"), kind=NotAllowed, text="marks")


def test_scheme_changes_raise_the_marks_version(draft, organiser):
    event = draft()
    db.session.commit()
    before = _event(event).marks_version
    _section(_event(event), organiser(), "T", "30")
    db.session.commit()
    assert _event(event).marks_version > before


# --------------------------------------------------------------------------- copy, files


def test_copy_scheme_replaces_everything(ctx, organiser, make_event):
    source = _event(
        make_event(
            status=EventStatus.DRAFT,
            tie_break=["section:P", "time"],
            aggregation=Aggregation.TRIMMED_MEAN,
            min_judges_to_trim=7,
        )
    )
    target = _event(make_event(status=EventStatus.DRAFT, scheme=[("X", 100, [("X1", "marks", 5)])]))
    services.copy_scheme(source, target, actor=organiser())
    db.session.commit()
    target = db.session.get(Event, target.id)
    assert [s.code for s in target.sections] == ["T", "P"]
    assert [c.code for s in target.sections for c in s.criteria] == ["T1", "P1", "P2", "P3"]
    assert [t.code for t in target.award_tiers] == ["first", "second", "third"]
    assert (target.tie_break, target.aggregation, target.min_judges_to_trim) == (
        ["section:P", "time"],
        Aggregation.TRIMMED_MEAN,
        7,
    )
    assert services.scheme_dict(target) == services.scheme_dict(db.session.get(Event, source.id))
    _refused(lambda: services.copy_scheme(target, target, actor=organiser()), "source")


def test_copy_refuses_a_frozen_target(ctx, organiser, make_event):
    source = _event(make_event(status=EventStatus.DRAFT))
    target = _event(make_event(status=EventStatus.MARKING))
    _refused(lambda: services.copy_scheme(source, target, actor=organiser()), kind=NotAllowed)


def test_scheme_file_round_trip_is_lossless(ctx, organiser, make_event):
    source = _event(
        make_event(
            status=EventStatus.DRAFT,
            tie_break=["criterion:P2", "time"],
            aggregation=Aggregation.TRIMMED_MEAN,
        )
    )
    services.add_award_tier(
        source,
        actor=organiser(),
        code="craft",
        name_zh="工匠",
        name_en="Craftsman",
        count=1,
        min_total=Decimal("85.5"),
        recognition_zh="推荐深圳工匠",
        recognition_en="Shenzhen craftsman",
    )
    db.session.commit()
    text = services.export_scheme(source)
    document = json.loads(text)
    assert document["awards"][-1]["recognition"] == {
        "zh": "推荐深圳工匠",
        "en": "Shenzhen craftsman",
    }
    target = _event(make_event(status=EventStatus.DRAFT, scheme=[], awards=[]))
    services.import_scheme(target, text.encode(), actor=organiser())
    db.session.commit()
    assert services.export_scheme(db.session.get(Event, target.id)) == text


@pytest.mark.parametrize(
    "change,problem",
    [
        ({"sections": []}, "sections: must not be empty"),
        ({"aggregation": {"method": "mode"}}, 'aggregation.method: "mode" is not one of'),
        ({"tie_break": ["section:Z"]}, "tie_break[0]: there is no section Z in this event"),
        (
            {
                "awards": [
                    {"code": "a", "name": {"en": "A"}, "share": 0.7},
                    {"code": "b", "name": {"en": "B"}, "share": 0.4},
                ]
            },
            "awards: the shares add up",
        ),
        ({"awards": [{"code": "a", "name": {"en": "A"}}]}, "awards[0]: needs a share or a count"),
        ({"version": 2}, "version: 2 is not supported"),
        ({"extra": 1}, "extra: unknown field"),
    ],
)
def test_a_bad_scheme_file_lists_its_problems_and_changes_nothing(
    ctx, organiser, make_event, change, problem
):
    source = _event(make_event(status=EventStatus.DRAFT))
    document = json.loads(services.export_scheme(source)) | change
    target = _event(make_event(status=EventStatus.DRAFT, scheme=[("X", 100, [("X1", "marks", 5)])]))
    error = _refused(
        lambda: services.import_scheme(target, json.dumps(document), actor=organiser()),
        kind=services.SchemeFileError,
    )
    assert any(p.startswith(problem) for p in error.problems), error.problems
    assert [s.code for s in db.session.get(Event, target.id).sections] == ["X"]


@pytest.mark.parametrize("source", [b"\xff\xfe", b"{", b"[]", b'{"weight": NaN}'])
def test_a_scheme_file_that_is_not_json_is_refused(ctx, organiser, make_event, source):
    target = _event(make_event(status=EventStatus.DRAFT))
    error = _refused(
        lambda: services.import_scheme(target, source, actor=organiser()),
        kind=services.SchemeFileError,
    )
    assert error.problems


# --------------------------------------------------------------------------- lifecycle


def test_event_transitions_follow_the_table(ctx, organiser, make_event, make_entry, make_judge):
    made = make_event(status=EventStatus.DRAFT)
    entry = make_entry(made, number=None, status="registered")
    event = _event(made)
    _refused(
        lambda: services.apply_event_action(event, "close_registration", actor=organiser()),
        kind=NotAllowed,
        text="not possible",
    )
    services.apply_event_action(event, "open_registration", actor=organiser())
    services.apply_event_action(event, "close_registration", actor=organiser())
    services.apply_event_action(event, "reopen_registration", actor=organiser())
    services.apply_event_action(event, "close_registration", actor=organiser())
    _refused(
        lambda: services.apply_event_action(event, "start_marking", actor=organiser()),
        kind=NotAllowed,
        text="draw lots first",
    )
    event = _event(made)
    services.draw_lots(event, actor=organiser())
    _refused(
        lambda: services.apply_event_action(_event(made), "start_marking", actor=organiser()),
        kind=NotAllowed,
        text="No judge",
    )
    make_judge(made, chief=True)
    event = _event(made)
    services.apply_event_action(event, "start_marking", actor=organiser())
    db.session.commit()
    assert _event(made).status is EventStatus.MARKING
    assert db.session.get(Entry, entry.id).number == "001"
    _refused(
        lambda: services.apply_event_action(_event(made), "sign_off", actor=organiser()),
        kind=NotAllowed,
        text="Unknown",
    )
    trail = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "event_transition").order_by(AuditEntry.id)
    ).all()
    assert [t.detail["transition"] for t in trail] == [
        "open_registration",
        "close_registration",
        "reopen_registration",
        "close_registration",
        "start_marking",
    ]
    assert all(t.actor_id == organiser().id and t.at is not None for t in trail)


def test_other_domains_call_transition_event_for_their_steps(ctx, organiser, make_event):
    event = _event(make_event(status=EventStatus.MARKING))
    services.transition_event(event, "sign_off", actor=organiser())
    services.transition_event(event, "publish", actor=organiser())
    services.transition_event(event, "finalise", actor=organiser())
    assert event.status is EventStatus.FINAL
    _refused(
        lambda: services.transition_event(event, "sign_off", actor=organiser()), kind=NotAllowed
    )


def test_registration_needs_a_complete_scheme(ctx, organiser, make_event):
    event = _event(make_event(status=EventStatus.DRAFT, scheme=[("T", 50, [("T1", "marks", 5)])]))
    error = _refused(
        lambda: services.apply_event_action(event, "open_registration", actor=organiser()),
        kind=NotAllowed,
    )
    assert "add up to 50" in error.message


def test_start_marking_needs_competing_entries(ctx, organiser, make_event, make_entry):
    made = make_event(status=EventStatus.REGISTRATION_CLOSED)
    _refused(
        lambda: services.apply_event_action(_event(made), "start_marking", actor=organiser()),
        kind=NotAllowed,
        text="no entries",
    )
    make_entry(made, number=None, status="withdrawn")
    _refused(
        lambda: services.apply_event_action(_event(made), "start_marking", actor=organiser()),
        kind=NotAllowed,
        text="no entries",
    )


def test_competition_lifecycle_cascades_to_its_events(ctx, organiser, make_competition, make_event):
    made = make_competition()
    first = make_event(made, status=EventStatus.DRAFT)
    second = make_event(made, status=EventStatus.DRAFT)
    competition = db.session.get(Competition, made.id)
    services.transition_competition(competition, "open_registration", actor=organiser())
    assert {e.status for e in competition.events} == {EventStatus.REGISTRATION_OPEN}
    services.transition_competition(competition, "close_registration", actor=organiser())
    assert {e.status for e in competition.events} == {EventStatus.REGISTRATION_CLOSED}
    services.transition_competition(competition, "reopen_registration", actor=organiser())
    services.transition_competition(competition, "close_registration", actor=organiser())
    services.transition_competition(competition, "start", actor=organiser())
    assert competition.status is CompetitionStatus.IN_PROGRESS
    error = _refused(
        lambda: services.transition_competition(competition, "close_marking", actor=organiser()),
        kind=NotAllowed,
    )
    assert first.code in error.message and second.code in error.message
    competition = db.session.get(Competition, made.id)
    for event in competition.events:
        event.status = EventStatus.SIGNED_OFF
    services.transition_competition(competition, "close_marking", actor=organiser())
    _refused(
        lambda: services.transition_competition(competition, "publish_results", actor=organiser()),
        kind=NotAllowed,
        text="published",
    )
    competition = db.session.get(Competition, made.id)
    for event in competition.events:
        event.status = EventStatus.PUBLISHED
    services.transition_competition(competition, "publish_results", actor=organiser())
    _refused(
        lambda: services.transition_competition(competition, "archive", actor=organiser()),
        kind=NotAllowed,
        text="final",
    )
    competition = db.session.get(Competition, made.id)
    for event in competition.events:
        event.status = EventStatus.FINAL
    services.transition_competition(competition, "archive", actor=organiser())
    assert competition.status is CompetitionStatus.ARCHIVED
    assert lifecycle.competition_transitions(competition) == []


def test_opening_a_competition_names_events_with_incomplete_schemes(
    ctx, organiser, make_competition, make_event
):
    made = make_competition()
    make_event(made, status=EventStatus.DRAFT, code="GOOD")
    make_event(made, status=EventStatus.DRAFT, code="BAD", scheme=[])
    competition = db.session.get(Competition, made.id)
    error = _refused(
        lambda: services.transition_competition(
            competition, "open_registration", actor=organiser()
        ),
        kind=NotAllowed,
    )
    assert "BAD: The scheme has no section yet." in error.message
    assert "GOOD" not in error.message
    empty = db.session.get(Competition, make_competition().id)
    _refused(
        lambda: services.transition_competition(empty, "open_registration", actor=organiser()),
        kind=NotAllowed,
        text="Add an event first",
    )


# --------------------------------------------------------------------------- draw


def test_the_draw_is_recorded_and_reproducible(ctx, organiser, make_event, make_entry):
    made = make_event(status=EventStatus.REGISTRATION_CLOSED)
    entries = [make_entry(made, number=None, status="registered") for _ in range(12)]
    make_entry(made, number=None, status="withdrawn")
    event = _event(made)
    draw = services.draw_lots(event, actor=organiser(), stations=services.parse_stations("A1-A14"))
    db.session.commit()
    assert len(draw.seed) == 32 and draw.method == "sha256-v1"
    assert draw.performed_by_id == organiser().id and draw.performed_at is not None
    assert services.verify_draw(draw)
    numbers = sorted(db.session.get(Entry, e.id).number for e in entries)
    assert numbers == [f"{n:03d}" for n in range(1, 13)]
    stations = {db.session.get(Entry, e.id).station for e in entries}
    assert len(stations) == 12 and stations <= {f"A{n}" for n in range(1, 15)}
    withdrawn = db.session.scalar(select(Entry).where(Entry.status == EntryStatus.WITHDRAWN))
    assert withdrawn.number is None and withdrawn.station is None
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "lots_drawn"))
    assert audit.detail["seed"] == draw.seed and audit.detail["entries"] == 12
    tampered = Draw(
        event_id=event.id,
        seed=draw.seed,
        method=draw.method,
        outcome=json.loads(json.dumps(draw.outcome)),
    )
    first_key = next(iter(tampered.outcome["entries"]))
    tampered.outcome["entries"][first_key]["number"] = "999"
    assert not services.verify_draw(tampered)


def test_redrawing_keeps_the_history_and_swaps_numbers_safely(
    ctx, organiser, make_event, make_entry
):
    made = make_event(status=EventStatus.REGISTRATION_OPEN)
    for _ in range(20):
        make_entry(made, number=None, status="registered")
    services.draw_lots(_event(made), actor=organiser())
    db.session.commit()
    services.draw_lots(_event(made), actor=organiser(), seed="0" * 32)
    db.session.commit()
    assert db.session.scalar(select(func.count(Draw.id))) == 2
    again = services.latest_draw(_event(made))
    assert again.seed == "0" * 32 and services.verify_draw(again)


def test_the_draw_is_refused_before_registration_and_once_marking_started(
    ctx, organiser, make_event, make_entry
):
    draft = make_event(status=EventStatus.DRAFT)
    make_entry(draft)
    _refused(
        lambda: services.draw_lots(_event(draft), actor=organiser()),
        kind=NotAllowed,
        text="Open registration",
    )
    marking = make_event(status=EventStatus.MARKING)
    make_entry(marking)
    _refused(
        lambda: services.draw_lots(_event(marking), actor=organiser()),
        kind=NotAllowed,
        text="marking has started",
    )
    empty = make_event(status=EventStatus.REGISTRATION_CLOSED)
    _refused(lambda: services.draw_lots(_event(empty), actor=organiser()), "stations")


def test_too_few_stations_are_refused(ctx, organiser, make_event, make_entry):
    made = make_event(status=EventStatus.REGISTRATION_CLOSED)
    for _ in range(3):
        make_entry(made, number=None)
    _refused(
        lambda: services.draw_lots(_event(made), actor=organiser(), stations=["A", "B"]),
        "stations",
        text="2 stations for 3 entries",
    )


@pytest.mark.parametrize(
    "text,expected",
    [
        ("A1-A3, B1", ["A1", "A2", "A3", "B1"]),
        ("1-3", ["1", "2", "3"]),
        ("01 - 03", ["01", "02", "03"]),
        ("工位1，工位2\n工位3", ["工位1", "工位2", "工位3"]),
        ("", []),
    ],
)
def test_stations_are_read_from_lists_and_ranges(ctx, text, expected):
    assert services.parse_stations(text) == expected


@pytest.mark.parametrize(
    "text,message",
    [
        ("A5-A1", "backwards"),
        ("A1, A1", "more than once"),
        ("X" * 17, "at most 16"),
        ("1-9999", "more than 5000"),
    ],
)
def test_bad_stations_are_named(ctx, text, message):
    _refused(lambda: services.parse_stations(text), "stations", text=message)


def test_the_draw_sheet_lists_numbers_and_stations_without_names(
    ctx, organiser, make_event, make_entry
):
    made = make_event(status=EventStatus.REGISTRATION_CLOSED, name_zh="电工", name_en="Electrician")
    for name in ("张伟", "李娜"):
        make_entry(made, name=name, number=None)
    draw = services.draw_lots(_event(made), actor=organiser(), stations=["B1", "B2"])
    sheet = services.draw_sheet(_event(made), draw, performed_by="王芳")
    assert [row[0] for row in sheet.rows] == ["001", "002"]
    assert {row[1] for row in sheet.rows} == {"B1", "B2"}
    assert "电工 / Electrician" in sheet.subtitle and draw.seed in sheet.subtitle
    assert "张伟" not in repr(sheet)
    from competitions.pdf.table import render_table

    assert render_table(sheet).startswith(b"%PDF")


# --------------------------------------------------------------------------- check-in


def test_check_in_and_statuses(ctx, organiser, make_event, make_entry):
    made = make_event(status=EventStatus.REGISTRATION_CLOSED)
    entry = db.session.get(Entry, make_entry(made, status="registered").id)
    services.set_entry_status(entry, EntryStatus.CHECKED_IN, actor=organiser())
    assert entry.checked_in_at is not None
    services.set_entry_status(entry, EntryStatus.ABSENT, actor=organiser(), reason="未到场")
    assert entry.status_reason == "未到场"
    _refused(
        lambda: services.set_entry_status(
            entry, EntryStatus.DISQUALIFIED, actor=organiser(), reason=" "
        ),
        "reason",
        text="reason",
    )
    entry = db.session.get(Entry, entry.id)
    services.set_entry_status(
        entry, EntryStatus.DISQUALIFIED, actor=organiser(), reason="携带违禁物品"
    )
    services.set_entry_status(entry, EntryStatus.REGISTERED, actor=organiser())
    assert entry.status_reason is None and entry.checked_in_at is None
    _refused(
        lambda: services.set_entry_status(entry, EntryStatus.FINISHED, actor=organiser()), "status"
    )
    db.session.commit()
    trail = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "entry_status_changed")
    ).all()
    assert [(t.detail["before"], t.detail["after"]) for t in trail] == [
        ("registered", "checked_in"),
        ("checked_in", "absent"),
        ("absent", "disqualified"),
        ("disqualified", "registered"),
    ]


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.SIGNED_OFF, EventStatus.FINAL])
def test_entry_status_is_frozen_outside_registration_and_marking(
    ctx, organiser, make_event, make_entry, status
):
    entry = db.session.get(Entry, make_entry(make_event(status=status)).id)
    _refused(
        lambda: services.set_entry_status(entry, EntryStatus.ABSENT, actor=organiser()),
        kind=NotAllowed,
    )
    _refused(
        lambda: services.record_finish_time(entry, Decimal(60), actor=organiser()), kind=NotAllowed
    )


def test_finish_times(ctx, organiser, make_event, make_entry):
    made = make_event(status=EventStatus.MARKING)
    entry = db.session.get(Entry, make_entry(made, status="checked_in").id)
    before = _event(made).marks_version
    services.record_finish_time(entry, services.parse_duration("1:25:30"), actor=organiser())
    db.session.commit()
    entry = db.session.get(Entry, entry.id)
    assert entry.finish_seconds == 5130 and entry.status is EntryStatus.FINISHED
    assert _event(made).marks_version > before
    services.record_finish_time(entry, None, actor=organiser())
    assert entry.finish_seconds is None
    db.session.commit()
    absent = db.session.get(Entry, make_entry(made, status="absent").id)
    _refused(lambda: services.record_finish_time(absent, Decimal(1), actor=organiser()), "finish")


@pytest.mark.parametrize(
    "text,seconds",
    [
        ("1:25:30", 5130),
        ("90:05", 5405),
        ("5400", 5400),
        ("0:00:01.5", Decimal("1.5")),
        ("１:00:00".replace("１", "1"), 3600),
        ("", None),
        ("1：00", 60),
    ],
)
def test_durations_are_read(ctx, text, seconds):
    assert services.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["1:75", "abc", "1:2:3:4", "-5", "1.5:00", "200:00:00"])
def test_bad_durations_are_named(ctx, text):
    _refused(lambda: services.parse_duration(text), "finish")


def test_format_duration():
    assert services.format_duration(Decimal(5130)) == "1:25:30"
    assert services.format_duration(Decimal("61.5")) == "0:01:01.5"
    assert services.format_duration(None) == ""
