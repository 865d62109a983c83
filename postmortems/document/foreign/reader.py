"""Reading a postmortem written in another team's template into the house document model.

The text is split at every heading (and at lines that are only a bold phrase the synonym
table knows); each part is mapped to a house part by its heading, read by the part's own
rules, and anything that maps to nothing is kept as an extra section.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date

import yaml

from ..lines import NumberedLines
from ..model import (
    ChangeItem,
    CommitmentItem,
    DocumentError,
    DocumentWarning,
    ExtraSection,
    Impact,
    LagEntry,
    ParsedDocument,
    TimelineEntry,
)
from .dates import find_date, leading_date, read_clock, zone_note
from .headings import PART_LABELS, HeadingTable
from .parts import (
    impact_numbers,
    read_changes,
    read_figures,
    read_lags,
    severity_of,
    split_summary,
    status_of_document,
)
from .timeline import first_timeline_date, read_foreign_timeline

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)([^*_]{2,80}?)(?::)?(?:\*\*|__)\s*:?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_WEEKDAY_ONLY = re.compile(
    r"\(?\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b\)?", re.IGNORECASE
)
# Sentences that state a cause: "... was caused by ...", "... because ...", "due to".
_CAUSAL = re.compile(
    r"\b(?:caused\s+by|because|due\s+to|root\s+cause|was\s+triggered\s+by|resulted\s+from|"
    r"stemmed\s+from|the\s+cause\s+(?:was|is)|as\s+a\s+result\s+of)\b",
    re.IGNORECASE,
)
# A sentence about how the failure was noticed names no cause of it.
_NOTICING = re.compile(
    r"\b(?:notic\w*|detect\w*|discover\w*|found out|realis\w*|realiz\w*|alerted|spotted)\b", re.I
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'`])")
_KEY_VALUE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z0-9 /&().'-]{0,40}?)\s*"
    r"(?:(?:\*\*|__)\s*:|:\s*(?:\*\*|__)|:)\s*(?P<value>\S.*)$"
)


@dataclass(frozen=True)
class HeadingMapping:
    """How one source heading was read: its line, its words and the house part it feeds."""

    line: int
    heading: str
    part: str

    @property
    def label(self) -> str:
        return PART_LABELS[self.part]


@dataclass
class _Section:
    line: int
    heading: str
    level: int
    part: str
    lines: NumberedLines = field(default_factory=list)


def read_foreign(text: str, *, slug: str, stem: str, table: HeadingTable):
    """``(ParsedDocument, mappings)`` for a document in a foreign template; raises DocumentError."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front, body_start = _front_matter(lines)
    title, title_line, sections, preamble = _split(lines, body_start, table)
    warnings: list[DocumentWarning] = []
    mappings = [HeadingMapping(s.line, s.heading, s.part) for s in sections]
    if not any(s.part not in ("kept",) for s in sections) and not preamble_has_text(preamble):
        first = sections[0].line if sections else 1
        raise DocumentError(
            first,
            "no heading names a postmortem part (summary, timeline, root cause, action items, ...)",
        )

    facts = _Facts()
    facts.read_front(front)
    summary_lines = facts.read_key_values(preamble, table)
    for section in sections:
        if section.part in ("date", "authors", "status", "severity"):
            facts.read_fact(section.part, "\n".join(line for _, line in section.lines))
        elif section.part in ("summary", "impact"):
            # An overview often opens with "- **Incident start:** ..." fact lines.
            section.lines = facts.read_key_values(section.lines, table, facts_only=True)

    title = facts.title or title or _title_from_stem(stem)
    if title_line is None:
        title_line = 1
    year_hint = facts.date.year if facts.date else None
    timeline_lines = [line for s in sections if s.part == "timeline" for line in s.lines]
    named_date = find_date(title) or find_date(stem.replace("_", "-"))
    # Scanning the timeline for a day is needed only when no date line gives it, or to
    # compare with the day a title or file name gives.
    first_row = (
        first_timeline_date(timeline_lines, year=year_hint)
        if facts.date is None or named_date is not None
        else None
    )
    if first_row and named_date and (named_date - first_row).days > 3:
        # The timeline opens with background (the change shipped weeks before); the day
        # the title or file name gives is the incident's.
        warnings.append(
            DocumentWarning(
                title_line,
                f"the first timeline row is dated {first_row.isoformat()}, days before the "
                f"{named_date.isoformat()} in the title or file name; the latter is used",
            )
        )
        first_row = None
    incident_date = facts.date or first_row or named_date
    if incident_date is None:
        incident_date, where = _date_in_text(preamble, sections)
        if incident_date is not None:
            warnings.append(DocumentWarning(where, "incident date read from the text of this line"))
    if incident_date is None and date_from_stem(stem):
        incident_date = date_from_stem(stem)
        warnings.append(
            DocumentWarning(
                title_line, "only the year is known (from the file name); dated January 1"
            )
        )
    if incident_date is None:
        raise DocumentError(
            title_line,
            'no incident date — add a "Date: YYYY-MM-DD" line, a dated timeline row, or a '
            "date in the title or file name",
        )
    if (
        facts.date is None
        and date_from_stem(stem)
        and incident_date.month == 1
        and incident_date.day == 1
        and not find_date(title)
    ):
        warnings.append(
            DocumentWarning(
                title_line, "only the year is known (from the file name); dated January 1"
            )
        )

    parts = _Parts()
    if preamble_has_text(summary_lines):
        parts.add("summary", summary_lines, heading="")
    for key, value in facts.key_parts:
        parts.add(key, [(value[0], value[1])], heading="")
    timeline: list[TimelineEntry] = []
    for section in sections:
        if section.part == "timeline":
            reading = read_foreign_timeline(
                section.lines, incident_date=incident_date, heading_zone=zone_note(section.heading)
            )
            timeline += reading.entries
            if reading.note:
                # Times were converted to UTC; the note says what they were written in.
                facts.metadata.setdefault("timeline_zone_note", reading.note)
            warnings += [DocumentWarning(n, m) for n, m in reading.warnings]
        elif section.part == "kept":
            parts.kept.append(section)
        elif section.part in ("date", "authors", "status", "severity"):
            continue
        else:
            parts.add(section.part, section.lines, heading=section.heading)

    impact_text, broke_text = parts.impact_and_broke()
    why_text = parts.text("why")
    if not why_text:
        why_text, broke_text = _causal_sentences(broke_text)
        if why_text:
            warnings.append(
                DocumentWarning(
                    title_line,
                    "no root-cause heading; the sentences of the summary that state a cause "
                    "were moved to Why",
                )
            )
    numbers = impact_numbers(impact_text)
    if facts.duration is not None:
        numbers.setdefault("minutes", facts.duration)
    # The app stores at most ROW_TEXT_LIMIT characters per row: a longer row goes on in
    # rows of its own rather than being cut.
    lags = []
    for lag in parts.lags + facts.lags:
        first, *more = fit_row(lag.text)
        lags.append(dataclasses.replace(lag, text=first))
        lags += [LagEntry(kind=lag.kind, minutes=None, text=piece) for piece in more]
    fitted: list[TimelineEntry] = []
    for entry in timeline:
        first, *more = fit_row(entry.text)
        fitted.append(dataclasses.replace(entry, text=first))
        fitted += [TimelineEntry(at=None, text=piece) for piece in more]
    timeline = fitted
    changes = []
    found, change_problems = parts.changes()
    for change in found:
        first, *more = fit_row(change.text)
        changes.append(dataclasses.replace(change, text=first))
        changes += [ChangeItem(kind=change.kind, text=piece) for piece in more]
    warnings += [DocumentWarning(n, m) for n, m in change_problems]
    warnings += _missing(timeline, why_text, changes, title_line)
    # The incident starts at the first time the timeline gives on its day, not at midnight.
    started = [e.at for e in timeline if e.at is not None and e.at.date() == incident_date]
    doc = ParsedDocument(
        slug=slug,
        title=title[:200],
        incident_date=incident_date,
        incident_start=min(started) if started else None,
        severity=facts.severity,
        status=facts.status,
        metadata=facts.metadata,
        impact=Impact(summary=impact_text, **numbers),
        timeline=tuple(timeline),
        what_broke=broke_text,
        why=why_text,
        lags=tuple(lags),
        changes=tuple(changes),
        # An action item with an owner and a due date is a commitment on the calendar.
        commitments=tuple(
            CommitmentItem(
                text=c.text,
                owner=c.owner,
                due=c.due,
                status=c.status,
                change_reference=c.reference or c.text,
            )
            for c in changes
            if c.owner and c.due
        ),
        extra_sections=tuple(
            ExtraSection(heading=s.heading, level=max(2, s.level), text=_text(s.lines))
            for s in parts.kept
        ),
        warnings=tuple(sorted(warnings, key=lambda w: w.line)),
    )
    return doc, mappings


ROW_TEXT_LIMIT = 500  # what the app stores per timeline row, lag or change


def fit_row(text: str, limit: int = ROW_TEXT_LIMIT) -> list[str]:
    """A row's text in pieces of at most ``limit`` characters, cut between words; the pieces
    after the first become rows of their own, so a long paragraph loses nothing."""
    pieces = []
    text = text.strip()
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit - 2)
        cut = cut if cut > limit // 2 else limit - 2
        pieces.append(text[:cut].rstrip() + " …")
        text = "… " + text[cut:].lstrip()
    pieces.append(text)
    return pieces


def _causal_sentences(text: str) -> tuple[str, str]:
    """Split prose into the sentences that state a cause and the rest, each kept in order."""
    causes: list[str] = []
    rest: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        if not paragraph.strip():
            continue
        if any(line.lstrip().startswith(("|", "```", "    ")) for line in paragraph.split("\n")):
            rest.append(paragraph)
            continue
        sentences = _SENTENCE_END.split(paragraph.strip())
        mine = [s for s in sentences if _CAUSAL.search(s) and not _NOTICING.search(s)]
        others = [s for s in sentences if s not in mine]
        if mine:
            causes.append(" ".join(mine))
        if others:
            rest.append(" ".join(others) if mine else paragraph)
    return "\n\n".join(causes), "\n\n".join(rest)


def _date_in_text(preamble: NumberedLines, sections: list[_Section]) -> tuple[date | None, int]:
    """The first date written in the summary or the text before it, with its line."""
    candidates = list(preamble)
    for section in sections:
        if section.part in ("summary", "impact", "what_broke"):
            candidates += section.lines
    for number, line in candidates:
        found = find_date(line)
        if found is not None:
            return found, number
    return None, 0


def preamble_has_text(lines: NumberedLines) -> bool:
    return any(line.strip() for _, line in lines)


def date_from_stem(stem: str) -> date | None:
    """``2021-06-30-db-outage`` → that day; ``PM2021-006 - ...`` → 1 January 2021."""
    found = find_date(stem.replace("_", "-"))
    if found:
        return found
    year = re.search(r"(?<!\d)(20\d\d|19\d\d)(?!\d)", stem)
    return date(int(year[1]), 1, 1) if year else None


def _title_from_stem(stem: str) -> str:
    words = re.sub(r"^\d{4}[-_]\d{2}[-_]\d{2}[-_ ]*", "", stem)
    return re.sub(r"[-_]+", " ", words).strip().capitalize() or stem


def _front_matter(lines: list[str]) -> tuple[dict, int]:
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return {}, 0
    close = next(
        (i for i in range(first + 1, len(lines)) if lines[i].strip() in ("---", "...")), None
    )
    if close is None:
        return {}, 0
    try:
        data = yaml.load("\n".join(lines[first + 1 : close]), Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return {}, 0
    return (data if isinstance(data, dict) else {}), close + 1


def _split(lines, start, table: HeadingTable):
    """Title, sections and the text before the first section."""
    title = None
    title_line = None
    sections: list[_Section] = []
    preamble: NumberedLines = []
    in_fence = False
    for index in range(start, len(lines)):
        number, line = index + 1, lines[index]
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = _heading_of(lines, index, table) if not in_fence else None
        current = sections[-1] if sections else None
        if heading is not None:
            level, words = heading
            if level == 1 and title is None and not sections:
                title, title_line = _strip_marks(words), number
                continue
            if current is not None and current.part == "timeline" and _is_moment(words):
                # "### 13:35" or "### Sep 27 2017 13:06" over a paragraph: a timeline row.
                current.lines.append((number, _strip_marks(words)))
                continue
            part = table.part_of(words)
            deeper = current is not None and level > current.level
            if deeper and current.part == "timeline" and part in (None, "kept"):
                # "#### Phase 1: degradation" inside a timeline is a row of it, not a section.
                current.lines.append((number, _strip_marks(words)))
                continue
            if deeper and current.part != "kept" and part is None:
                # "### Execution layer issue" under "## Root cause analysis" is part of it.
                current.lines.append((number, f"**{_strip_marks(words)}**"))
                continue
            sections.append(_Section(number, _strip_marks(words), level, part or "kept"))
            continue
        (current.lines if current is not None else preamble).append((number, line))
    return title, title_line, sections, preamble


def _heading_of(lines, index, table: HeadingTable):
    line = lines[index]
    match = _HEADING.match(line)
    if match and match[2].strip():
        return len(match[1]), match[2].strip()
    bold = _BOLD_LINE.match(line)
    if bold and table.part_of(bold[1]) is not None:
        return 3, bold[1].strip()
    return None


def _is_moment(words: str) -> bool:
    """A heading that is a day, a time, or a day and a time (with a few words after it)."""
    text = _strip_marks(words)
    found, rest = leading_date(text, year=2000)
    if found is not None and not _WEEKDAY_ONLY.sub("", rest).strip(" :*_-—,()"):
        return True
    clock, _, unknown = read_clock(rest.lstrip(",: "))
    return clock is not None or unknown


def _strip_marks(words: str) -> str:
    return words.strip().strip("*_").strip().rstrip(":").strip()


def _text(lines: NumberedLines) -> str:
    return "\n".join(line for _, line in lines).strip("\n")


class _Facts:
    """Title, date, status, severity and the other ``Key: value`` facts of a document."""

    def __init__(self):
        self.title: str | None = None
        self.date: date | None = None
        self.status: str | None = None
        self.severity: str | None = None
        self.duration: int | None = None
        self.metadata: dict[str, str] = {}
        self.lags: list[LagEntry] = []
        self.key_parts: list[tuple[str, tuple[int, str]]] = []

    def read_front(self, front: dict) -> None:
        for key, value in front.items():
            value = (
                value
                if isinstance(value, str)
                else yaml.safe_dump(value, default_flow_style=True).strip()
            )
            lowered = key.lower()
            if lowered == "title":
                self.title = value.strip() or None
            elif lowered in ("date", "incident_date", "incident date", "start", "started"):
                self.date = self.date or find_date(value)
                self._keep(key, value)
            elif lowered == "status":
                self.status = status_of_document(value)
                self._keep(key, value)
            elif lowered == "severity":
                self.severity = severity_of(value)
                self._keep(key, value)
            else:
                self._keep(key, value)

    def read_key_values(
        self, lines: NumberedLines, table: HeadingTable, *, facts_only: bool = False
    ) -> NumberedLines:
        """Take ``Key: value`` lines out of the text before the first heading (or, with
        ``facts_only``, only the date, status, severity and author lines of a section)."""
        rest: NumberedLines = []
        for number, line in lines:
            match = _KEY_VALUE.match(line)
            part = table.part_of(match["key"]) if match else None
            key_words = match["key"].lower() if match else ""
            if facts_only and part not in ("date", "authors", "status", "severity"):
                rest.append((number, line))
                continue
            if match and part in ("date", "authors", "status", "severity"):
                self.read_fact(part, match["value"], key=match["key"])
            elif match and part == "figures" or (match and key_words.startswith("time to")):
                lags, _, _ = read_figures([(number, line)])
                self.lags += lags
                if not lags:
                    self._keep(match["key"], match["value"])
            elif match and re.match(r"^(?:total\s+)?(?:duration|downtime)", key_words):
                _, _, duration = read_figures([(number, f"Duration: {match['value']}")])
                self.duration = duration
                self._keep(match["key"], match["value"])
            elif match and part in ("summary", "impact", "why", "what_broke"):
                self.key_parts.append((part, (number, match["value"])))
            elif match and len(line) < 160 and not line.lstrip().startswith(("http", "|")):
                self._keep(match["key"], match["value"])
            else:
                rest.append((number, line))
        return rest

    def read_fact(self, part: str, value: str, *, key: str | None = None) -> None:
        text = value.strip()
        if part == "date":
            self.date = self.date or find_date(text)
        elif part == "status":
            self.status = status_of_document(text.split("\n")[0]) or self.status
        elif part == "severity":
            bare = re.fullmatch(r"([0-4])", text)
            written = f"SEV{max(1, int(bare[1]))}" if bare else severity_of(text)
            self.severity = written or self.severity
        if text:
            self._keep(key or part, text)

    def _keep(self, key: str, value: str) -> None:
        name = re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_") or "note"
        if name in (
            "title",
            "incident_date",
            "severity",
            "status",
            "incident_start",
            "incident_end",
            "services",
            "authors",
        ):
            name = f"source_{name}"
        if name in self.metadata:
            self.metadata[name] += "\n" + value
        else:
            self.metadata[name] = value


class _Parts:
    """The text gathered for each house part, in source order."""

    def __init__(self):
        self.chunks: dict[str, list[tuple[str, NumberedLines]]] = {}
        self.lags: list[LagEntry] = []
        self.kept: list[_Section] = []

    def add(self, part: str, lines: NumberedLines, *, heading: str) -> None:
        if part in ("detection", "response", "lags"):
            kind = part if part != "lags" else None
            self.lags += read_lags(lines, kind=kind)
            return
        if part == "figures":
            lags, rest, _ = read_figures(lines)
            self.lags += lags
            if preamble_has_text(rest):
                self.kept.append(_Section(rest[0][0], heading, 2, "kept", rest))
            return
        self.chunks.setdefault(part, []).append((heading, lines))

    def text(self, part: str) -> str:
        chunks = self.chunks.get(part, [])
        written = []
        for index, (heading, lines) in enumerate(chunks):
            body = _text(lines)
            if not body.strip():
                continue
            # A second source heading feeding the same part keeps its name as a bold lead.
            if index and heading:
                body = f"**{heading}**\n\n{body}"
            written.append(body)
        return "\n\n".join(written)

    def impact_and_broke(self) -> tuple[str, str]:
        impact_from_summary, broke_from_summary = split_summary(self.text("summary"))
        impact = "\n\n".join(t for t in (impact_from_summary, self.text("impact")) if t)
        broke = "\n\n".join(t for t in (broke_from_summary, self.text("what_broke")) if t)
        return impact, broke

    def changes(self) -> tuple[list[ChangeItem], list[tuple[int, str]]]:
        changes: list[ChangeItem] = []
        problems: list[tuple[int, str]] = []
        for _, lines in self.chunks.get("changes", []):
            found, trouble = read_changes(lines)
            changes += found
            problems += trouble
        return changes, problems


def _missing(timeline, why: str, changes, line: int) -> list[DocumentWarning]:
    warnings = []
    if not timeline:
        warnings.append(DocumentWarning(line, "no timeline found; imported with an empty Timeline"))
    if not why:
        warnings.append(
            DocumentWarning(line, "no root cause or contributing factors found; Why is empty")
        )
    if not changes:
        warnings.append(DocumentWarning(line, "no action items found; Specific changes is empty"))
    return warnings
