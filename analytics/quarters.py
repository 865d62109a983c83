"""Calendar quarters named like "2026Q3": parse, step, and find the one just ended."""

from __future__ import annotations

import datetime as dt
import re

FIRST_YEAR, LAST_YEAR = 1970, 2999
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$", re.IGNORECASE)


def parse_quarter(text: str) -> str:
    """The canonical name of a quarter ("2026q3" -> "2026Q3"); ValueError when malformed."""
    match = _QUARTER.match((text or "").strip())
    if not match:
        raise ValueError(
            f"{text!r} is not a quarter: write the year and the quarter number, e.g. 2026Q3."
        )
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        # Beyond these, a neighbouring quarter or the quarter's end date has no valid name.
        raise ValueError(f"{text!r} is out of range: reviews cover {FIRST_YEAR} to {LAST_YEAR}.")
    return f"{year}Q{match.group(2)}"


def shift_quarter(quarter: str, steps: int) -> str:
    """The quarter ``steps`` quarters after (or, negative, before) ``quarter``."""
    year, number = int(quarter[:4]), int(quarter[5])
    index = year * 4 + number - 1 + steps
    return f"{index // 4}Q{index % 4 + 1}"


def quarter_containing(moment: dt.date | dt.datetime) -> str:
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment.year}Q{(moment.month - 1) // 3 + 1}"


def previous_quarter(moment: dt.date | dt.datetime) -> str:
    """The quarter that ended before the one ``moment`` falls in (beat runs on its first day)."""
    return shift_quarter(quarter_containing(moment), -1)


def quarters_up_to(quarter: str, count: int) -> list[str]:
    """``count`` quarters ending with ``quarter``, oldest first."""
    return [shift_quarter(quarter, -steps) for steps in range(count - 1, -1, -1)]
