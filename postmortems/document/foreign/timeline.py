"""Timelines in the shapes people write them, read into house entries with UTC times.

Tables (time and event columns found by header or content, other columns kept in the
text), bullets, ``HH:MM - text``, ``YYYY-MM-DD HH:MM text``, day lines ("June 30") that set
the day for the rows below, a zone stated once ("All times in CET") or per row, and
``??:??`` rows kept without a time. A time that goes back by more than twelve hours
crosses midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from ..lines import BULLET, NumberedLines, strip_bullet
from ..model import TimelineEntry
from .dates import ZONE_AT_START, find_date, leading_date, read_clock, zone_named, zone_note
from .tables import cells, column_named, is_separator, is_table_line

_TIME_WORDS = ("time", "timestamp", "when", "utc", "clock", "hour")
_DATE_WORDS = ("date", "day")
_EVENT_WORDS = ("event", "events", "description", "what", "happened", "action", "actions",
                "details", "activity", "summary", "update", "message", "note", "notes",
                "status")  # fmt: skip
_ACTOR_WORDS = ("who", "actor", "by", "person", "owner", "responder", "author", "people")
_EMPHASIS = re.compile(r"^(\*\*|__|`|\*|_)(.+?)\1(?=\s|:|-|—|–|$)")
_BRACKET = re.compile(r"^\[([^\]]{3,40})\]")
_SEPARATOR = re.compile(r"^\s*(?:—|–|--|-|:|\||,|>|→|=>)?\s*")
_MIDNIGHT_GAP = timedelta(hours=12)
NO_EVENT = "(no event written)"
_TIME_LIKE = re.compile(r"^[\d?x]", re.IGNORECASE)
_WEEKDAY_WORD = re.compile(
    r"\(?\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b\)?", re.IGNORECASE
)
_SAME_MOMENT = re.compile(
    r"^\s*/\s*\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?\s*[A-Za-z]{2,5}\b", re.IGNORECASE
)
_MOMENT_INSIDE = re.compile(
    r"(?:(?P<date>\d{4}-\d{2}-\d{2}|[A-Za-z]{3,9}[- ]\d{1,2}[-, ]+\d{4})\s+(?:at\s+)?)?"
    r"(?P<clock>\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)"
    r"(?:\s*\+?(?P<zone>UTC|GMT|Z|[A-Z]{2,4}T)\b)?"
)


@dataclass
class TimelineReading:
    entries: list[TimelineEntry] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    zone: tzinfo | None = None
    zone_stated: bool = False
    note: str = ""
    unzoned_rows: int = 0
    dated_rows: int = 0


def first_timeline_date(lines: NumberedLines, *, year: int | None = None) -> date | None:
    """The day of the first dated row, for a document that gives its date nowhere else."""
    for _, line in lines:
        text = _unwrap(strip_bullet(line))
        if is_table_line(line):
            for cell in cells(line):
                found, _ = leading_date(_unwrap(cell), year=year)
                if found:
                    return found
            continue
        found, _ = leading_date(text, year=year)
        if found:
            return found
    return None


def read_foreign_timeline(
    lines: NumberedLines, *, incident_date: date, heading_zone: tzinfo | None
) -> TimelineReading:
    """Read a timeline section's lines into entries with times in UTC."""
    reading = TimelineReading(zone=heading_zone, zone_stated=heading_zone is not None)
    if reading.zone is None:
        for _, line in lines:
            stated = _note_zone(line)
            if stated is not None:
                reading.zone, reading.zone_stated = stated, True
                reading.note = strip_bullet(line.strip())
                break
    state = _State(day=incident_date, zone=reading.zone or UTC)
    index = 0
    while index < len(lines):
        number, line = lines[index]
        if is_table_line(line):
            end = index
            while end < len(lines) and is_table_line(lines[end][1]):
                end += 1
            _read_table(lines[index:end], state, reading)
            index = end
            continue
        index += 1
        if not line.strip():
            continue
        if line[:1].isspace() and reading.entries and not _starts_with_time(line):
            previous = reading.entries[-1]
            reading.entries[-1] = _with_text(previous, f"{previous.text} {line.strip()}")
            continue
        previous = reading.entries[-1] if reading.entries else None
        awaiting_event = previous is not None and previous.at and previous.text == NO_EVENT
        if awaiting_event and not _starts_with_time(line):
            # A time written as a heading or alone on its line: the paragraph is its event.
            reading.entries[-1] = _with_text(previous, line.strip())
            continue
        if (
            previous is not None
            and previous.at is not None
            and not _starts_with_time(line)
            and not BULLET.match(line)
            and index >= 2
            and lines[index - 2][1].strip()
            and _note_zone(line) is None
        ):
            # A plain line right under a row (no blank between) continues that row.
            reading.entries[-1] = _with_text(previous, f"{previous.text} {line.strip()}")
            continue
        _read_row(number, strip_bullet(line), state, reading, actor="", extra="")
    for entry in reading.entries:
        if entry.text == NO_EVENT:
            reading.warnings.append((lines[0][0], "a timeline row has a time but no event"))
    if not reading.zone_stated and reading.unzoned_rows:
        first = next(number for number, line in lines if line.strip())
        reading.warnings.append(
            (first, "the timeline states no time zone; its times were read as UTC")
        )
    return reading


@dataclass
class _State:
    day: date
    zone: tzinfo
    previous: datetime | None = None
    # Set by a day line ("### 2018-01-15"); rows under it without a time keep that day.
    day_line: date | None = None


def _read_row(number, text, state, reading, *, actor, extra, dated=None):
    content = _unwrap(text.strip())
    day, content = (dated, content) if dated else leading_date(content, year=state.day.year)
    if day is not None:
        state.day = day
        state.previous = None if dated is None else state.previous
        content = _unwrap(content.lstrip(",: "))
    clock, rest, unknown = read_clock(content)
    if clock is None and not unknown:
        if day is not None and not _WEEKDAY_WORD.sub("", rest).strip(" :*_-—,()"):
            state.day_line = day
            return  # a day line: it sets the day of the rows below
        if _note_zone(text) is not None and len(text) < 80:
            return  # the zone note itself: applied to every row
        inside = _time_inside(content, state)
        if inside is not None:
            # "Paging began at Mar-14-2024 06:42:19 AM UTC" (a made-up example): the row's one stated moment.
            found_day, clock, zone, words = inside
            _add_timed(
                reading,
                state,
                found_day or state.day,
                clock,
                zone,
                _join(words, extra),
                actor,
                dated=found_day is not None,
            )
            return
        if day is None and state.day_line is not None:
            day = state.day_line
        if day is not None:
            # A row with a day and no time ("10/14/2022 - report filed") keeps its day.
            content = f"{day.isoformat()} — {_SEPARATOR.sub('', content, count=1).strip()}"
            reading.dated_rows += 1
        reading.entries.append(TimelineEntry(at=None, text=_join(content, extra), actor=actor))
        return
    zone = state.zone
    stated = ZONE_AT_START.match(rest)
    if stated and zone_named(stated["zone"]) is not None:
        zone = zone_named(stated["zone"])
        rest = rest[stated.end() :]
        # "23:15 UTC / 16:15 PDT": the same moment again in another zone.
        rest = _SAME_MOMENT.sub("", rest, count=1)
    else:
        reading.unzoned_rows += 1
    words = _join(_SEPARATOR.sub("", rest.lstrip("*_ "), count=1).strip(), extra)
    if unknown:
        reading.entries.append(TimelineEntry(at=None, text=words, actor=actor))
        reading.warnings.append((number, "a row with an unknown time (??:??) is kept without one"))
        return
    _add_timed(reading, state, state.day, clock, zone, words, actor, dated=day is not None)


def _add_timed(reading, state, day, clock, zone, words, actor, *, dated) -> None:
    local = datetime.combine(day, clock, tzinfo=zone)
    if not dated and state.previous is not None:
        while local < state.previous - _MIDNIGHT_GAP:
            local += timedelta(days=1)
    state.previous = local
    state.day_line = None
    reading.entries.append(
        TimelineEntry(at=local.astimezone(UTC), text=words or NO_EVENT, actor=actor)
    )


def _time_inside(content: str, state: _State):
    """The one date-and-time (or time with a zone) written inside a row, or None."""
    matches = list(_MOMENT_INSIDE.finditer(content))
    if len(matches) != 1:
        return None
    match = matches[0]
    found_day = find_date(match["date"]) if match["date"] else None
    clock, _, _ = read_clock(match["clock"])
    zone = zone_named(match["zone"]) if match["zone"] else None
    if clock is None or (found_day is None and zone is None):
        return None  # a bare "10:30" inside prose is too weak to date the row
    return found_day, clock, zone or state.zone, content.strip()


def _read_table(rows: NumberedLines, state: _State, reading: TimelineReading) -> None:
    parsed = [(number, cells(line)) for number, line in rows]
    header: list[str] = []
    if len(parsed) > 1 and is_separator(parsed[1][1]):
        header, parsed = parsed[0][1], parsed[2:]
    elif parsed and is_separator(parsed[0][1]):
        parsed = parsed[1:]
    body = [(number, row) for number, row in parsed if not is_separator(row)]
    if not body:
        return
    width = max(len(row) for _, row in body)
    header = header + [""] * (width - len(header))
    date_col = column_named(header, _DATE_WORDS)
    time_col = column_named(header, _TIME_WORDS)
    if time_col is None or (time_col == date_col and _column_has_clock(body, date_col) is False):
        time_col = _clock_column(body, width)
    if time_col is None:
        time_col = date_col
    if date_col == time_col:
        date_col = None
    zone = zone_note(header[time_col]) if time_col is not None else None
    if zone is not None and not reading.zone_stated:
        state.zone, reading.zone, reading.zone_stated = zone, zone, True
    actor_col = column_named(header, _ACTOR_WORDS)
    taken = {time_col, date_col, actor_col}
    event_col = column_named(
        [h if i not in taken else "" for i, h in enumerate(header)], _EVENT_WORDS
    )
    if event_col is None:
        event_col = _longest_column(body, width, taken)
    for number, row in body:
        row = row + [""] * (width - len(row))
        extra = "; ".join(
            f"{header[i]}: {row[i]}" if header[i] else row[i]
            for i in range(width)
            if i not in (time_col, date_col, actor_col, event_col) and row[i]
        )
        event = row[event_col] if event_col is not None else ""
        dated = None
        if date_col is not None and row[date_col]:
            dated, _ = leading_date(_unwrap(row[date_col]), year=state.day.year)
        when = row[time_col] if time_col is not None else ""
        actor = row[actor_col] if actor_col is not None else ""
        _read_row(
            number, f"{when} {event}".strip(), state, reading, actor=actor, extra=extra, dated=dated
        )


def _clock_column(body, width) -> int | None:
    for index in range(width):
        if _column_has_clock(body, index):
            return index
    return None


def _column_has_clock(body, index) -> bool:
    values = [row[index] for _, row in body if index < len(row) and row[index]]
    if not values:
        return False
    timed = sum(1 for value in values if _starts_with_time(value))
    return timed * 2 >= len(values)


def _longest_column(body, width, taken) -> int | None:
    lengths = {
        index: sum(len(row[index]) for _, row in body if index < len(row))
        for index in range(width)
        if index not in taken
    }
    return max(lengths, key=lengths.get) if lengths else None


def _starts_with_time(text: str) -> bool:
    content = _unwrap(strip_bullet(text.strip()))
    day, content = leading_date(content, year=2000)
    clock, _, unknown = read_clock(content.lstrip(",: "))
    return clock is not None or unknown


def _unwrap(text: str) -> str:
    """``**14:05**``, `` `14:05` `` and ``[14:05]`` read as 14:05."""
    text = text.strip()
    if text[:1] not in "*_`[":
        return text
    for pattern in (_EMPHASIS, _BRACKET):
        match = pattern.match(text)
        if match:
            inner = match.groups()[-1]
            if _TIME_LIKE.match(inner) or leading_date(inner, year=2000)[0]:
                text = inner + text[match.end() :]
    return text


def _note_zone(line: str) -> tzinfo | None:
    content = strip_bullet(line.strip()).strip("*_ ")
    if _starts_with_time(content):
        return None
    return zone_note(content)


def _join(text: str, extra: str) -> str:
    text = text.strip()
    if not extra:
        return text
    return f"{text} ({extra})" if text else extra


def _with_text(entry: TimelineEntry, text: str) -> TimelineEntry:
    return TimelineEntry(at=entry.at, text=text, actor=entry.actor, phase=entry.phase)
