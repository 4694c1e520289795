"""Translated labels for enum values, shown in pages, exports and certificates."""

from flask_babel import lazy_gettext as _l

from .enums import (
    Aggregation,
    AppealStatus,
    CertificateStatus,
    CompetitionKind,
    CompetitionStatus,
    CriterionType,
    EntryStatus,
    EventStatus,
    Level,
    Role,
)

LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.ORGANISER: _l("Organiser"),
    Role.JUDGE: _l("Judge"),
    Role.CONTESTANT: _l("Contestant"),
    Level.ENTERPRISE: _l("Enterprise"),
    Level.DISTRICT: _l("District"),
    Level.MUNICIPAL: _l("Municipal"),
    Level.PROVINCIAL: _l("Provincial"),
    Level.NATIONAL: _l("National"),
    CompetitionKind.SKILL: _l("Vocational skill competition"),
    CompetitionKind.LABOUR: _l("Labour competition"),
    CompetitionStatus.DRAFT: _l("Draft"),
    CompetitionStatus.REGISTRATION_OPEN: _l("Registration open"),
    CompetitionStatus.REGISTRATION_CLOSED: _l("Registration closed"),
    CompetitionStatus.IN_PROGRESS: _l("In progress"),
    CompetitionStatus.MARKING_CLOSED: _l("Marking closed"),
    CompetitionStatus.RESULTS_PUBLISHED: _l("Results published"),
    CompetitionStatus.ARCHIVED: _l("Archived"),
    EventStatus.MARKING: _l("Marking open"),
    EventStatus.SIGNED_OFF: _l("Signed off"),
    EventStatus.PUBLISHED: _l("Publicity period"),
    EventStatus.FINAL: _l("Final results"),
    CriterionType.MARKS: _l("Marks"),
    CriterionType.JUDGEMENT: _l("Judgement (0–3)"),
    CriterionType.DEDUCTION: _l("Deduction"),
    Aggregation.MEAN: _l("Mean"),
    Aggregation.MEDIAN: _l("Median"),
    Aggregation.TRIMMED_MEAN: _l("Trimmed mean"),
    EntryStatus.REGISTERED: _l("Registered"),
    EntryStatus.CHECKED_IN: _l("Checked in"),
    EntryStatus.COMPETING: _l("Competing"),
    EntryStatus.FINISHED: _l("Finished"),
    EntryStatus.ABSENT: _l("Absent"),
    EntryStatus.WITHDRAWN: _l("Withdrawn"),
    EntryStatus.DISQUALIFIED: _l("Disqualified"),
    AppealStatus.OPEN: _l("Open"),
    AppealStatus.UPHELD: _l("Upheld"),
    AppealStatus.DISMISSED: _l("Dismissed"),
    CertificateStatus.VALID: _l("Valid"),
    CertificateStatus.REVOKED: _l("Revoked"),
}

# Values shared by several enums (e.g. "draft") resolve by value as well.
_BY_VALUE = {}
for _member, _label in LABELS.items():
    _BY_VALUE.setdefault(_member.value, _label)


def label(value) -> str:
    """The translated label of an enum member (or its value); the value itself if unknown."""
    if value is None:
        return ""
    found = LABELS.get(value)
    if found is None:
        found = _BY_VALUE.get(getattr(value, "value", value))
    return str(found) if found is not None else str(getattr(value, "value", value))
