"""PDF rendering: certificates and printable tables.

Pure rendering code: no Flask and no database. Services build the frozen
data objects; views send the bytes these functions return.
"""

from competitions.pdf.certificate import CertificateData, render_certificate, render_certificates
from competitions.pdf.fonts import (
    FontConfigError,
    FontNotFoundError,
    MissingGlyphError,
    check_text,
    missing_glyphs,
)
from competitions.pdf.image import validate_image
from competitions.pdf.table import Column, TableDocument, render_table

__all__ = [
    "CertificateData",
    "Column",
    "FontConfigError",
    "FontNotFoundError",
    "MissingGlyphError",
    "TableDocument",
    "check_text",
    "missing_glyphs",
    "render_certificate",
    "render_certificates",
    "render_table",
    "validate_image",
]
