"""Dates, clock times and time zones as other teams write them."""

from __future__ import annotations

import re
from datetime import UTC, date, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"),
    re.compile(rf"(?<!\d)(?P<year>\d{{4}})[-/ ]{_MONTH}[-/ ]{_DAY}(?!\d)", re.IGNORECASE),
    re.compile(rf"{_WEEKDAY}{_MONTH}(?:\s+|-){_DAY}(?:,?\s+|-){_YEAR}", re.IGNORECASE),
    re.compile(rf"{_WEEKDAY}{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}", re.IGNORECASE),
    re.compile(r"(?<![\d-])(?P<a>\d{1,2})([/-])(?P<b>\d{1,2})\2(?P<year>\d{4})(?!\d)"),
    re.compile(r"(?<![\d-])(?P<year>20\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?!\d)"),
)
# A date at the very start of a timeline row, with the text after it.
_LEADING_DATE = re.compile(
    r"^(?:(?P<iso>\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}(?P<sep>[/-])\d{1,2}(?P=sep)\d{4})|(?P<named>"
    + _WEEKDAY
    + r"(?:[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?(?:,?\s+\d{4})?)))"
    r"(?:,|\s+at\b|T|\s+|$)\s*",
    re.IGNORECASE,
)
CLOCK = re.compile(
    r"^(?:~|ca\.?\s|approx\.?\s|around\s|about\s)?\s*(?P<hour>\d{1,2})(?::|h|\.(?=\d\d\b))(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\.\d+)?"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\.?(?![a-z]))?",
    re.IGNORECASE,
)
_HAS_DIGIT = re.compile(r"\d")
_UNTIL = re.compile(r"^\s*[-–]\s*(\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)(?!\d)", re.IGNORECASE)
UNKNOWN_CLOCK = re.compile(r"^(?:\?\?|xx|--|__):?(?:\?\?|xx|--|__)", re.IGNORECASE)

# Abbreviations name a fixed offset (PDT is always UTC-7); the spelled-out regional names
# follow daylight saving through the IANA database.
_FIXED = {
    "utc": 0, "gmt": 0, "z": 0, "zulu": 0, "wet": 0, "west": 1, "bst": 1, "cet": 1,
    "cest": 2, "met": 1, "mest": 2, "eet": 2, "eest": 3, "msk": 3, "ist": 5.5, "sgt": 8,
    "hkt": 8, "awst": 8, "jst": 9, "kst": 9, "acst": 9.5, "aest": 10, "aedt": 11,
    "nzst": 12, "nzdt": 13, "hst": -10, "akst": -9, "akdt": -8, "pst": -8, "pdt": -7,
    "mst": -7, "mdt": -6, "cst": -6, "cdt": -5, "est": -5, "edt": -4, "ast": -4, "adt": -3,
    "brt": -3,
}  # fmt: skip
_REGIONAL = {
    "pacific": "America/Los_Angeles", "pt": "America/Los_Angeles",
    "mountain": "America/Denver", "mt": "America/Denver",
    "central": "America/Chicago", "ct": "America/Chicago",
    "eastern": "America/New_York", "et": "America/New_York",
    "central european": "Europe/Berlin", "eastern european": "Europe/Helsinki",
    "western european": "Europe/Lisbon", "british": "Europe/London", "uk": "Europe/London",
    "london": "Europe/London", "berlin": "Europe/Berlin", "paris": "Europe/Paris",
    "amsterdam": "Europe/Amsterdam", "copenhagen": "Europe/Copenhagen",
    "new york": "America/New_York", "san francisco": "America/Los_Angeles",
    "india": "Asia/Kolkata", "japan": "Asia/Tokyo", "sydney": "Australia/Sydney",
}  # fmt: skip
_OFFSET = r"(?:utc|gmt)?\s*(?P<sign>[+\-−])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?"
_ZONE_WORD = (
    r"(?P<zone>(?:utc|gmt)\s*[+\-−]\s*\d{1,2}(?::?\d{2})?|[+\-]\d{2}:?\d{2}"
    r"|[a-z]+/[a-z_]+(?:/[a-z_]+)?"
    r"|(?:"
    + "|".join(sorted(_REGIONAL, key=len, reverse=True))
    + r")(?:\s+(?:standard|daylight))?\s+time"
    r"|" + "|".join(sorted(_FIXED, key=len, reverse=True)) + r")(?![a-z])"
)
ZONE_AT_START = re.compile(r"^\s*\(?\s*\+?" + _ZONE_WORD + r"\s*\)?", re.IGNORECASE)
# "All times in UTC", "times are CET", "Timezone: PDT", "(all times US Pacific time)",
# "Timestamp (UTC)", "Time (CEST)".
ZONE_NOTE = re.compile(
    r"(?:\btimes?\b(?:\s+(?:are|is|shown|listed|given|below|in|are\s+in|are\s+shown\s+in|are\s+listed\s+in|"
    r"are\s+given\s+in|reported\s+in|expressed\s+in))*\s*(?:in\s+)?(?:the\s+)?(?:us\s+)?"
    r"|\btime\s*zone\s*(?:is|:)?\s*|\btimestamps?\s*(?:are\s+in\s+)?|\(\s*)" + _ZONE_WORD,
    re.IGNORECASE,
)


def zone_named(word: str) -> tzinfo | None:
    """The zone a written name stands for: ``UTC``, ``CET``, ``UTC+2``, ``Pacific time``."""
    name = " ".join(word.lower().replace("−", "-").split())
    offset = re.fullmatch(_OFFSET, name)
    if offset:
        minutes = int(offset["oh"]) * 60 + int(offset["om"] or 0)
        minutes = -minutes if offset["sign"] in "-−" else minutes
        if abs(minutes) > 14 * 60:
            return None  # no zone is that far from UTC: a range or a count, not an offset
        return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))
    if name in _FIXED:
        hours = _FIXED[name]
        return UTC if hours == 0 else timezone(timedelta(hours=hours), name.upper())
    regional = re.sub(r"\s+(?:(?:standard|daylight)\s+)?time$", "", name)
    if regional in _REGIONAL:
        return ZoneInfo(_REGIONAL[regional])
    if "/" in name:
        try:
            return ZoneInfo("/".join(part.capitalize() for part in word.split("/")))
        except (KeyError, ValueError):
            return None
    return None


def zone_note(text: str) -> tzinfo | None:
    """The zone a note or heading states for every time below it, if it states one."""
    match = ZONE_NOTE.search(text)
    return zone_named(match["zone"]) if match else None


def find_date(text: str, *, year: int | None = None) -> date | None:
    """The first calendar date written in ``text``, in any of the common shapes."""
    if not _HAS_DIGIT.search(text):
        return None
    best: tuple[int, date] | None = None
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            found = _date_of(match)
            if found is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), found)
                break
    return best[1] if best else None


def leading_date(text: str, *, year: int | None) -> tuple[date | None, str]:
    """A date at the start of ``text`` ("2021-06-30", "June 30", "30 Jun 2021"), and the rest."""
    match = _LEADING_DATE.match(text)
    if not match:
        return None, text
    written = match["iso"] or match["named"]
    found = find_date(written)
    if found is None and match["named"] and year is not None:
        found = find_date(f"{written.rstrip(',')}, {year}")
    if found is None:
        return None, text
    return found, text[match.end() :]


_MILITARY = re.compile(r"^(?P<hour>[01]\d|2[0-3])(?P<minute>[0-5]\d)(?=\s*(?:UTC|GMT|Z)\b)")


def read_clock(text: str) -> tuple[time | None, str, bool]:
    """A clock time at the start of ``text``: ``(time, rest, unknown)``.

    ``unknown`` is True for ``??:??``-style placeholders: the row has a time slot but no time.
    """
    unknown = UNKNOWN_CLOCK.match(text)
    if unknown:
        return None, text[unknown.end() :], True
    match = CLOCK.match(text)
    if not match:
        military = _MILITARY.match(text)
        if military:
            return (
                time(int(military["hour"]), int(military["minute"])),
                text[military.end() :],
                False,
            )
        return None, text, False
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None, text, False
        hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None, text, False
    rest = text[match.end() :]
    until = _UNTIL.match(rest)
    if until:
        # "10:01-10:02: text": the row starts at the first time; the end stays in the text.
        rest = f"{rest[until.end() :]} (until {until[1]})"
    return time(hour, minute, second), rest, False


def _date_of(match: re.Match) -> date | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if not 1990 <= year <= 2099:
        return None  # a version or an id, not a postmortem's year
    if "a" in groups and groups.get("a"):
        first, second = int(groups["a"]), int(groups["b"])
        # 06/30/2021 is US month-first; 30/06/2021 can only be day-first.
        month, day = (second, first) if first > 12 else (first, second)
    else:
        written = groups["month"].lower().rstrip(".")
        month = int(written) if written.isdigit() else _MONTHS.get(written)
        day = int(groups["day"])
    try:
        return date(year, month, day)
    except (TypeError, ValueError):
        return None
