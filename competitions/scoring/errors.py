"""The one error the scoring core raises."""

from __future__ import annotations


class ScoringError(ValueError):
    """Marks, an entry or a marking scheme break a scoring rule.

    The message is fit to show to an organiser or a chief judge. ``entry`` and
    ``criterion`` name what the problem is about when it is about one mark, and
    ``problems`` lists every problem found when a whole scheme was refused.
    """

    def __init__(
        self,
        message: str,
        *,
        entry: str | None = None,
        criterion: str | None = None,
        problems: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.entry = entry
        self.criterion = criterion
        self.problems = problems
