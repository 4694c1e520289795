"""Enumerations shared by models, forms and the scoring core's callers."""

from enum import StrEnum


class Role(StrEnum):
    """What an account may do; organisers and judges are further scoped."""

    ADMIN = "admin"
    ORGANISER = "organiser"
    JUDGE = "judge"
    CONTESTANT = "contestant"


class Level(StrEnum):
    ENTERPRISE = "enterprise"
    DISTRICT = "district"
    MUNICIPAL = "municipal"
    PROVINCIAL = "provincial"
    NATIONAL = "national"


class CompetitionKind(StrEnum):
    SKILL = "skill"
    LABOUR = "labour"


class CompetitionStatus(StrEnum):
    """A competition's lifecycle, in order."""

    DRAFT = "draft"
    REGISTRATION_OPEN = "registration_open"
    REGISTRATION_CLOSED = "registration_closed"
    IN_PROGRESS = "in_progress"
    MARKING_CLOSED = "marking_closed"
    RESULTS_PUBLISHED = "results_published"
    ARCHIVED = "archived"


class EventStatus(StrEnum):
    """An event's lifecycle, in order.

    ``marking`` is open marking; ``signed_off`` means the chief judge has
    locked the marks; ``published`` starts the publicity period; ``final``
    results never change again.
    """

    DRAFT = "draft"
    REGISTRATION_OPEN = "registration_open"
    REGISTRATION_CLOSED = "registration_closed"
    MARKING = "marking"
    SIGNED_OFF = "signed_off"
    PUBLISHED = "published"
    FINAL = "final"


class CriterionType(StrEnum):
    MARKS = "marks"
    JUDGEMENT = "judgement"
    DEDUCTION = "deduction"


class Aggregation(StrEnum):
    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED_MEAN = "trimmed_mean"


class EntryStatus(StrEnum):
    REGISTERED = "registered"
    CHECKED_IN = "checked_in"
    COMPETING = "competing"
    FINISHED = "finished"
    ABSENT = "absent"
    WITHDRAWN = "withdrawn"
    DISQUALIFIED = "disqualified"

    @property
    def ranked(self) -> bool:
        """Absent, withdrawn and disqualified entries are not ranked."""
        return self not in UNRANKED_STATUSES


UNRANKED_STATUSES = frozenset({EntryStatus.ABSENT, EntryStatus.WITHDRAWN, EntryStatus.DISQUALIFIED})


class AppealStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class CertificateStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"


class CertificateKind(StrEnum):
    AWARD = "award"
    PARTICIPATION = "participation"
