"""Award tiers: who gets first, second, third prize.

Tier k covers ranks up to Q_k = round_half_up((Σ shares of tiers 1..k) × N)
+ Σ counts of tiers 1..k, where N is the number of ranked entries. An entry
gets the first tier whose Q_k its rank does not exceed and whose min_total its
rounded total reaches. Awards depend only on rank and rounded total, so entries
that share a rank always share an award, even past a tier's quota.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from .model import AwardTierSpec
from .rounding import round2, round_half_up


def award_quotas(tiers: Sequence[AwardTierSpec], ranked_count: int) -> tuple[int, ...]:
    """Q_k for each tier: the lowest rank (largest number) tier k can cover.

    Shares are accumulated before rounding, so 10 % + 20 % of 25 entries gives
    Q = 3 (2.5 rounded up) then 8 (7.5 rounded up), never a drift from rounding
    each tier on its own. Tiers must be valid (see validate_scheme); raises nothing.
    """
    quotas: list[int] = []
    shares = Fraction(0)
    counts = 0
    for tier in tiers:
        if tier.share is not None:
            shares += Fraction(tier.share)
        if tier.count is not None:
            counts += tier.count
        quotas.append(round_half_up(shares * ranked_count) + counts)
    return tuple(quotas)


def award_for(
    tiers: Sequence[AwardTierSpec],
    quotas: Sequence[int],
    rank: int,
    total: Fraction,
) -> str | None:
    """The code of the award for an entry of this rank and total, or None.

    ``total`` is compared with ``min_total`` rounded to 2 decimals half up, as
    it is shown. Raises nothing.
    """
    shown_total = round2(total)
    for tier, quota in zip(tiers, quotas, strict=True):
        if rank <= quota and (tier.min_total is None or shown_total >= tier.min_total):
            return tier.code
    return None
