"""Every model, imported in one place so that metadata and migrations see them all."""

from .accounts.models import User
from .audit import AuditEntry
from .certificates.models import (
    Certificate,
    CertificateClaimCode,
    CertificateImage,
    CertificateRevision,
)
from .contests.models import AwardTier, Competition, Criterion, Event, Organisation, Section
from .judging.models import (
    ConflictDeclaration,
    JudgeAssignment,
    Mark,
    MarkExcuse,
    MarkRevision,
    RemarkRequest,
)
from .registration.models import Draw, Entry, Person, TeamMember
from .results.models import Appeal

__all__ = [
    "Appeal",
    "AuditEntry",
    "AwardTier",
    "Certificate",
    "CertificateClaimCode",
    "CertificateImage",
    "CertificateRevision",
    "Competition",
    "ConflictDeclaration",
    "Criterion",
    "Draw",
    "Entry",
    "Event",
    "JudgeAssignment",
    "Mark",
    "MarkExcuse",
    "MarkRevision",
    "Organisation",
    "Person",
    "RemarkRequest",
    "Section",
    "TeamMember",
    "User",
]
