"""Timeline lines: ``HH:MM UTC — what happened — who did it``.

A line may carry its own day (``2026-08-15 00:10 UTC — ...``); otherwise it takes the
incident date. The separator is an em dash, en dash, ``--`` or `` - ``; the actor part is
optional. A phase set by hand is written as a trailing ``[phase: stop_bleed]`` and only when
it differs from what the words suggest, so ordinary timelines stay plain.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from .lines import NumberedLines, logical_lines, numbered, strip_bullet
from .model import TimelineEntry
from .phases import PHASES

EXPECTED = 'expected "HH:MM UTC — what happened — who did it"'

_PHASE_SUFFIX = re.compile(r"\s*\[phase:\s*([^\]]*)\]\s*$", re.IGNORECASE)
_EMPHASIS = re.compile(r"^(\*\*|__|`)(\d[^*_`]*?)\1")
_TIME_START = re.compile(
    r"^(?:(?P<date>\d+-\d+-\d+)(?:\s+|T))?(?P<time>\d+:\d+(?::\d+)?)(?P<after>.*)$", re.DOTALL
)
_DATE_ONLY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}\b")
_AM_PM = re.compile(r"^\s*[ap]\.?m\.?(?!\w)", re.IGNORECASE)
_UTC = re.compile(
    r"^(?:\s*(?:UTC|GMT)(?:\s*[+±]\s*0+(?::?00)?)?(?!\w)|Z(?!\w)|\s*[+-]00:?00)", re.IGNORECASE
)
# Checked before _UTC, so "UTC+2" is refused rather than read as UTC followed by "+2".
_OTHER_ZONE = re.compile(
    r"^\s*((?:UTC|GMT)[+\-−]0*[1-9][\d:]*|[A-Z]{2,4}T(?!\w)|[+-](?!00:?00)\d\d:?\d\d)"
)
_LEAD_SEPARATOR = re.compile(r"^\s*(—|–|--|-|:)\s*")
_ALL_TIMES_UTC = re.compile(r"^\W*all times(?: are)?(?: in)? (?:utc|gmt)\W*$", re.IGNORECASE)

# Separator kinds, strongest first, with the pattern that splits on them and the text that
# joins parts back. " - " needs spaces around it, or "roll-back" would split.
_SEPARATORS = {
    "—": (re.compile(r"\s*—\s*"), " — "),
    "–": (re.compile(r"\s*–\s*"), " – "),
    "--": (re.compile(r"\s+--\s+"), " -- "),
    "-": (re.compile(r"\s+-\s+"), " - "),
}

# A time earlier than the previous event by more than this is read as the next day:
# "23:58 UTC" followed by "00:04 UTC" crosses midnight; "14:10" then "14:05" is just
# an event written out of order.
_MIDNIGHT_GAP = timedelta(hours=12)


def parse_timeline_line(line: str, *, default_date: date | None) -> TimelineEntry:
    """Read one timeline line; raise ValueError with a message a person can act on."""
    entry, _ = _parse_line(line, default_date=default_date, assume_utc=False)
    return entry


def parse_timeline(
    text: str, *, default_date: date | None
) -> tuple[list[TimelineEntry], list[tuple[int, str]]]:
    """Read a whole timeline section; never raises.

    Returns the entries and ``(line_number, message)`` errors, line numbers counted from 1
    within ``text``. A line that does not parse is still returned, as an entry with
    ``at=None`` holding the line's text, so nothing written is lost. Indented lines that are
    not bullets continue the entry above. A line "All times UTC" lets the lines without a
    zone be read as UTC.
    """
    return read_timeline(numbered(text), default_date=default_date)


def read_timeline(
    lines: NumberedLines, *, default_date: date | None
) -> tuple[list[TimelineEntry], list[tuple[int, str]]]:
    """``parse_timeline`` for lines that already carry their numbers in a larger file."""
    entries: list[TimelineEntry] = []
    errors: list[tuple[int, str]] = []
    logical = logical_lines(lines, lazy=False)
    assume_utc = any(_ALL_TIMES_UTC.match(strip_bullet(content)) for _, content in logical)
    previous: datetime | None = None
    for number, content in logical:
        if _ALL_TIMES_UTC.match(strip_bullet(content)):
            entries.append(_untimed(content))
            continue
        try:
            entry, had_date = _parse_line(content, default_date=default_date, assume_utc=assume_utc)
        except ValueError as error:
            errors.append((number, str(error)))
            entries.append(_untimed(content))
            continue
        if not had_date and previous is not None and entry.at is not None:
            at = _next_day_if_wrapped(entry.at, previous)
            if at != entry.at:
                entry = _replace_at(entry, at)
        if entry.at is not None:
            previous = entry.at
        entries.append(entry)
    return entries, errors


def format_timeline_line(entry: TimelineEntry, *, default_date: date | None = None) -> str:
    """Write an entry back as ``HH:MM UTC — what happened — who did it``.

    The day is written (``YYYY-MM-DD HH:MM UTC``) unless it equals ``default_date``, so the
    line reads back to the same moment; without a ``default_date`` the day is always written.
    """
    phase_suffix = f" [phase: {entry.phase}]" if entry.phase else ""
    if entry.at is None:
        body = entry.text + (f" — {entry.actor}" if entry.actor else "")
        return body + phase_suffix
    at = _as_utc(entry.at)
    clock = at.strftime("%H:%M:%S" if at.second else "%H:%M")
    stamp = f"{clock} UTC" if at.date() == default_date else f"{at.date():%Y-%m-%d} {clock} UTC"
    line = f"{stamp} — {entry.text}"
    if entry.actor:
        line += f" — {entry.actor}"
    elif _SEPARATORS["—"][0].search(entry.text):
        # The last part would be read as the actor; an empty last part keeps it text.
        line += " —"
    return line + phase_suffix


def format_timeline(entries: list[TimelineEntry] | tuple[TimelineEntry, ...], *, default_date):
    """Format a whole timeline so that ``parse_timeline`` reads back the same moments.

    Like ``format_timeline_line``, but also writes the day where the reader's midnight
    rule would otherwise move an entry to the next day.
    """
    lines = []
    previous: datetime | None = None
    for entry in entries:
        line = format_timeline_line(entry, default_date=default_date)
        if entry.at is not None:
            at = _as_utc(entry.at)
            wraps = previous is not None and _next_day_if_wrapped(at, previous) != at
            if at.date() == default_date and wraps:
                line = format_timeline_line(entry, default_date=None)
            previous = at
        lines.append(line)
    return lines


def _parse_line(
    line: str, *, default_date: date | None, assume_utc: bool
) -> tuple[TimelineEntry, bool]:
    raw = line.strip()
    content, phase = _split_phase(strip_bullet(raw))
    content = _EMPHASIS.sub(r"\2", content)
    match = _TIME_START.match(content)
    if match is None:
        raise ValueError(f"no time found — {EXPECTED}")
    clock = _read_clock(match["time"], match["after"])
    after = match["after"]

    other = _OTHER_ZONE.match(after)
    if other:
        raise ValueError(
            f'time zone "{other[1].strip()}" is not UTC; convert the time and write it '
            f'as "HH:MM UTC"'
        )
    zone = _UTC.match(after)
    if zone:
        after = after[zone.end() :]
    elif not assume_utc:
        raise ValueError(f'time has no timezone; write "{clock:%H:%M} UTC"')

    day = _read_date(match["date"]) if match["date"] else default_date
    if day is None:
        raise ValueError(
            'no date: write the line as "YYYY-MM-DD HH:MM UTC — ..." or give the '
            "postmortem an incident_date"
        )

    lead = _LEAD_SEPARATOR.match(after)
    separator = lead[1] if lead and lead[1] in _SEPARATORS else None
    rest = after[lead.end() :] if lead else after.strip()
    if not rest.strip():
        raise ValueError(f"nothing after the time — {EXPECTED}")
    text, actor = _split_actor(rest.strip(), separator)
    at = datetime.combine(day, clock, tzinfo=UTC)
    entry = TimelineEntry(at=at, text=text, actor=actor, phase=phase, raw=raw)
    return entry, bool(match["date"])


def _read_clock(written: str, after: str) -> time:
    parts = written.split(":")
    if _AM_PM.match(after):
        raise ValueError(
            f'time "{written}{_AM_PM.match(after)[0].strip()}" is not HH:MM; use 24-hour time'
        )
    if len(parts[0]) > 2 or any(len(part) != 2 for part in parts[1:]):
        raise ValueError(f'time "{written}" is not HH:MM')
    hour, minute, second = (int(part) for part in [*parts, "0"][:3])
    if hour > 23:
        raise ValueError(f'time "{written}": hour must be 00–23')
    if minute > 59:
        raise ValueError(f'time "{written}": minute must be 00–59')
    if second > 59:
        raise ValueError(f'time "{written}": second must be 00–59')
    return time(hour, minute, second)


def _read_date(written: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", written):
        raise ValueError(f'date "{written}" is not YYYY-MM-DD')
    try:
        return date.fromisoformat(written)
    except ValueError:
        raise ValueError(f'date "{written}" is not a real date') from None


def _split_actor(rest: str, separator: str | None) -> tuple[str, str]:
    if separator is None:
        separator = next((kind for kind, (p, _) in _SEPARATORS.items() if p.search(rest)), None)
    if separator is None:
        return rest, ""
    pattern, joiner = _SEPARATORS[separator]
    parts = [part.strip() for part in pattern.split(rest)]
    if len(parts) < 2:
        return rest, ""
    return joiner.join(parts[:-1]), parts[-1]


def _split_phase(content: str) -> tuple[str, str | None]:
    match = _PHASE_SUFFIX.search(content)
    if match is None:
        return content, None
    phase = re.sub(r"[\s-]+", "_", match[1].strip().lower())
    if phase not in PHASES:
        raise ValueError(f'unknown phase "{match[1].strip()}"; use one of {", ".join(PHASES)}')
    return content[: match.start()], phase


def _untimed(content: str) -> TimelineEntry:
    raw = content.strip()
    text = strip_bullet(raw)
    try:
        text, phase = _split_phase(text)
    except ValueError:
        phase = None
    return TimelineEntry(at=None, text=text.strip(), actor="", phase=phase, raw=raw)


def _next_day_if_wrapped(at: datetime, previous: datetime) -> datetime:
    while at < previous - _MIDNIGHT_GAP:
        at += timedelta(days=1)
    return at


def _replace_at(entry: TimelineEntry, at: datetime) -> TimelineEntry:
    return TimelineEntry(
        at=at, text=entry.text, actor=entry.actor, phase=entry.phase, raw=entry.raw
    )


def _as_utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
