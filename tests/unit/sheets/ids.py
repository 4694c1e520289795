"""Valid Chinese resident ID numbers for tests."""

from datetime import date

from competitions.sheets.validators import id_check_character


def make_id_number(born: date, *, region: str = "440305", sequence: int = 123) -> str:
    """Return a valid 18-character ID number for a person born on ``born``."""
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    return body + id_check_character(body)
