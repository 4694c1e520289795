"""The draw of lots as a pure, reproducible function of a seed (method ``sha256-v1``).

Anybody can check a recorded draw with a few lines of code in any language:

1. The *seed* is 32 hexadecimal characters from :func:`secrets.token_hex` (128 bits),
   stored with the draw before anything is assigned.
2. Every entry that competes is known by its ``ref`` (unique within the event).
3. **Numbers**: order the refs by ``SHA-256("<seed>|number|<ref>")`` written as lowercase
   hexadecimal (ties, which never happen in practice, by ref). The first gets number 1, the
   next 2, and so on; numbers are written with leading zeros to at least three digits
   (``001``), more when there are more than 999 entries.
4. **Stations**: order the refs by ``SHA-256("<seed>|station|<ref>")`` in the same way; the
   first gets the first station of the list the organiser gave, the next the second, and so
   on. Stations beyond the number of entries stay free.

The two orders use different keys, so a number says nothing about a station. No
Python ``random`` is involved, so the outcome does not depend on a library version.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

METHOD = "sha256-v1"
SEED_HEX_CHARS = 32


@dataclass(frozen=True)
class Lot:
    """What one entry drew."""

    ref: str
    number: str
    station: str | None


def new_seed() -> str:
    """A fresh unpredictable seed (128 bits, hexadecimal)."""
    return secrets.token_hex(SEED_HEX_CHARS // 2)


def _order(seed: str, purpose: str, refs: Sequence[str]) -> list[str]:
    def key(ref: str) -> tuple[str, str]:
        digest = hashlib.sha256(f"{seed}|{purpose}|{ref}".encode()).hexdigest()
        return digest, ref

    return sorted(refs, key=key)


def number_width(count: int) -> int:
    """Digits in a drawn number: at least three, more for 1,000 entries or more."""
    return max(3, len(str(count)))


def draw_lots(seed: str, refs: Sequence[str], stations: Sequence[str] = ()) -> dict[str, Lot]:
    """Assign numbers (and stations, when given) to ``refs`` from ``seed``; ref -> :class:`Lot`.

    Raises ``ValueError`` when refs repeat or there are fewer stations than refs.
    """
    if len(set(refs)) != len(refs):
        raise ValueError("refs must be unique")
    if stations and len(stations) < len(refs):
        raise ValueError(f"{len(stations)} stations for {len(refs)} entries")
    width = number_width(len(refs))
    ordered = _order(seed, "number", refs)
    numbers = {ref: f"{index:0{width}d}" for index, ref in enumerate(ordered, 1)}
    places: dict[str, str | None] = dict.fromkeys(refs)
    if stations:
        for ref, station in zip(_order(seed, "station", refs), stations, strict=False):
            places[ref] = station
    return {ref: Lot(ref, numbers[ref], places[ref]) for ref in refs}
