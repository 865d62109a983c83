"""Reading and writing times the way the house standard shows them: UTC, with the suffix."""

from __future__ import annotations

import datetime as dt
import re

_DATETIME = re.compile(
    r"^\s*(?:(?P<date>\d{4}-\d{2}-\d{2})[ T])?(?P<hh>\d{1,2}):(?P<mm>\d{2})(?::(?P<ss>\d{2}))?"
    r"\s*(?P<zone>UTC|Z|\+00:?00)?\s*$",
    re.IGNORECASE,
)


def parse_utc(text: str, *, default_date: dt.date | None = None) -> dt.datetime:
    """Parse "2026-08-14 14:05", "2026-08-14T14:05Z", "14:05 UTC" (day from default_date).

    Raises ValueError with a message meant for the person who typed it.
    """
    match = _DATETIME.match(text or "")
    if not match:
        raise ValueError(
            'Write the time as "YYYY-MM-DD HH:MM" (UTC), or "HH:MM" for the incident day.'
        )
    hour, minute = int(match["hh"]), int(match["mm"])
    if hour > 23:
        raise ValueError(f"Hour {hour} is not 00–23.")
    if minute > 59:
        raise ValueError(f"Minute {minute} is not 00–59.")
    if match["date"]:
        try:
            day = dt.date.fromisoformat(match["date"])
        except ValueError:
            raise ValueError(f'"{match["date"]}" is not a real date (YYYY-MM-DD).') from None
    elif default_date is not None:
        day = default_date
    else:
        raise ValueError("Give the date too (YYYY-MM-DD HH:MM): the incident start is not set.")
    return dt.datetime(
        day.year, day.month, day.day, hour, minute, int(match["ss"] or 0), tzinfo=dt.UTC
    )


def format_utc(moment: dt.datetime | None) -> str:
    """ "2026-08-14 14:05" for a form field (the UTC suffix is shown beside the field)."""
    if moment is None:
        return ""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
