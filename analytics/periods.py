"""Review periods: a quarter ("2026Q3"), a year ("2025") or a date range
("2019-01-01..2025-12-31"). Pure: parse, name, bound, step.

A period's canonical name is what URLs, stored reviews and the command use. Quarters stay the
default (the beat job reviews the quarter just ended), so everything written for quarters
keeps working.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")
# The longest canonical name ("2019-01-01..2025-12-31"); model fields are this wide.
MAX_NAME = 22
URL_PATTERN = r"\d{4}Q[1-4]|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}|\d{4}"
HINT = "write a quarter (2026Q3), a year (2025) or a date range (2019-01-01..2025-12-31)"


@dataclass(frozen=True)
class Period:
    """A span of incident start dates, both ends included."""

    name: str
    kind: str  # "quarter", "year" or "range"
    start: dt.date
    end: dt.date

    def quarters(self) -> list[str]:
        """The calendar quarters the period touches, oldest first."""
        out, year, number = [], self.start.year, (self.start.month - 1) // 3 + 1
        while (year, number) <= (self.end.year, (self.end.month - 1) // 3 + 1):
            out.append(f"{year}Q{number}")
            year, number = (year + 1, 1) if number == 4 else (year, number + 1)
        return out

    def shifted(self, steps: int) -> Period | None:
        """The period ``steps`` before/after of the same kind (None for a date range)."""
        if self.kind == "quarter":
            index = self.start.year * 4 + (self.start.month - 1) // 3 + steps
            return parse_period(f"{index // 4}Q{index % 4 + 1}")
        if self.kind == "year":
            return parse_period(str(self.start.year + steps))
        return None

    def index(self) -> int | None:
        """A number that grows by one from one period of this kind to the next (not ranges)."""
        if self.kind == "quarter":
            return self.start.year * 4 + (self.start.month - 1) // 3
        if self.kind == "year":
            return self.start.year
        return None


def parse_period(text: str) -> Period:
    """The period named by ``text``; ValueError with a message saying what to write."""
    value = (text or "").strip()
    match = _QUARTER.match(value)
    if match:
        year, number = int(match.group(1)), int(match.group(2))
        start = dt.date(year, 3 * number - 2, 1)
        end = dt.date(year + 1, 1, 1) if number == 4 else dt.date(year, 3 * number + 1, 1)
        return Period(f"{year}Q{number}", "quarter", start, end - dt.timedelta(days=1))
    match = _YEAR.match(value)
    if match:
        year = int(match.group(1))
        return Period(str(year), "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
    match = _RANGE.match(value)
    if match:
        try:
            start, end = (dt.date.fromisoformat(match.group(i)) for i in (1, 2))
        except ValueError:
            raise ValueError(f"{text!r} has a date that does not exist: {HINT}.") from None
        if end < start:
            raise ValueError(f"{text!r} ends before it starts: put the earlier date first.")
        return Period(f"{start.isoformat()}..{end.isoformat()}", "range", start, end)
    raise ValueError(f"{text!r} is not a period: {HINT}.")


def period_name(text: str) -> str:
    """The canonical name of a period ("2026q3" -> "2026Q3"); ValueError when malformed."""
    return parse_period(text).name
