"""The block between ``---`` lines at the top of a postmortem: reading it and writing it.

YAML is read with PyYAML's BaseLoader, which keeps every scalar as the string written:
``2026-08-14`` does not become a date, ``1.10`` does not become ``1.1`` and ``no`` does not
become False, so unknown keys survive as metadata exactly. Writing is done here by hand, in
a fixed key order, so an export is byte-for-byte deterministic.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import yaml

from .model import SEVERITIES, STATUSES, DocumentError, DocumentWarning, ParsedDocument

KNOWN_KEYS = (
    "title",
    "incident_date",
    "severity",
    "status",
    "incident_start",
    "incident_end",
    "services",
    "authors",
)
_FENCE = re.compile(r"^---\s*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)\s*$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*"
    r"(?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_NON_PRINTABLE = re.compile(
    r"[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]"
)


@dataclass
class FrontMatter:
    """Front-matter values, ready for ParsedDocument, and where the body starts (0-based)."""

    values: dict[str, Any]
    metadata: dict[str, str]
    body_start: int
    warnings: list[DocumentWarning] = field(default_factory=list)


def read_front_matter(lines: list[str]) -> FrontMatter:
    """Read the front matter at the top of ``lines``; raise DocumentError if it is unusable.

    Fatal: no opening or closing ``---``, YAML that is not a mapping, no title (the caller
    may still find one in the ``# heading``, so a missing title is not raised here), a
    missing or malformed ``incident_date``. Anything else odd is a warning.
    """
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not _FENCE.match(lines[first]):
        raise DocumentError(
            (first or 0) + 1,
            'no front matter — a postmortem starts with a "---" line, then "title:" and '
            '"incident_date:", then another "---" line',
        )
    close = next((i for i in range(first + 1, len(lines)) if _CLOSE.match(lines[i])), None)
    if close is None:
        raise DocumentError(first + 1, 'front matter is never closed — add a "---" line after it')

    offset = first + 2  # file line number of the first YAML line
    try:
        root = yaml.compose("\n".join(lines[first + 1 : close]), Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = offset + mark.line if mark is not None else first + 1
        problem = getattr(error, "problem", None) or str(error)
        raise DocumentError(line, f"front matter is not valid YAML: {problem}") from None
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise DocumentError(offset, 'front matter must be "key: value" lines')

    front = FrontMatter(values={}, metadata={}, body_start=close + 1)
    seen: dict[str, int] = {}
    for key_node, value_node in root.value if root is not None else []:
        key = str(key_node.value).strip()
        line = offset + key_node.start_mark.line
        if key in seen:
            front.warnings.append(
                DocumentWarning(
                    line, f'"{key}" is given twice (first on line {seen[key]}); the last one counts'
                )
            )
        seen[key] = line
        if key in KNOWN_KEYS:
            _read_known(front, key, value_node, line)
        else:
            front.metadata.pop(key, None)  # a repeated key moves to where it was last written
            front.metadata[key] = _as_text(front, key, value_node, line)

    if "incident_date" not in front.values:
        raise DocumentError(
            first + 1, 'no incident_date in the front matter — add "incident_date: YYYY-MM-DD"'
        )
    return front


def _read_known(front: FrontMatter, key: str, node: yaml.Node, line: int) -> None:
    values, warn = front.values, front.warnings
    if key in ("services", "authors"):
        if isinstance(node, yaml.SequenceNode):
            items = [_as_text(front, key, item, line) for item in node.value]
        else:
            items = _as_text(front, key, node, line).split(",")
        values[key] = tuple(item.strip() for item in items if item.strip())
        return

    text = _as_text(front, key, node, line).strip()
    if key == "title":
        values["title"] = text or None
    elif key == "incident_date":
        if not _DATE.fullmatch(text):
            raise DocumentError(line, f'incident_date "{text}" is not a date — write YYYY-MM-DD')
        try:
            values["incident_date"] = date.fromisoformat(text)
        except ValueError:
            raise DocumentError(line, f'incident_date "{text}" is not a real date') from None
    elif key == "severity":
        match = re.fullmatch(r"(?:sev)?\s*-?\s*([1-4])", text, re.IGNORECASE)
        if match:
            values["severity"] = f"SEV{match[1]}"
        elif text:
            warn.append(
                DocumentWarning(
                    line, f'severity "{text}" is not one of {", ".join(SEVERITIES)}; left unset'
                )
            )
    elif key == "status":
        status = re.sub(r"[\s-]+", "_", text.lower())
        if status in STATUSES:
            values["status"] = status
        elif text:
            warn.append(
                DocumentWarning(
                    line, f'status "{text}" is not one of {", ".join(STATUSES)}; left unset'
                )
            )
    elif key in ("incident_start", "incident_end") and text:
        values[key] = _read_datetime(front, key, text, line)


def _read_datetime(front: FrontMatter, key: str, text: str, line: int) -> datetime | None:
    match = _DATETIME.fullmatch(text)
    if match is None:
        front.warnings.append(
            DocumentWarning(
                line, f'{key} "{text}" is not a time like 2026-08-14T14:03:00Z; left unset'
            )
        )
        return None
    zone = (match["zone"] or "").upper()
    iso = f"{match['date']}T{match['time']}{'+00:00' if zone in ('', 'Z', 'UTC', 'GMT') else zone}"
    try:
        at = datetime.fromisoformat(iso)
    except ValueError:
        front.warnings.append(
            DocumentWarning(line, f'{key} "{text}" is not a real time; left unset')
        )
        return None
    if not zone:
        front.warnings.append(DocumentWarning(line, f'{key} "{text}" has no timezone; read as UTC'))
    return at.astimezone(UTC)


def _as_text(front: FrontMatter, key: str, node: yaml.Node, line: int) -> str:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    # Metadata is a flat dict of strings; a nested value is kept as its YAML flow text.
    front.warnings.append(DocumentWarning(line, f'"{key}" holds a list or mapping; kept as text'))
    value = yaml.load(yaml.serialize(node), Loader=yaml.BaseLoader)
    return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()


def render_front_matter(doc: ParsedDocument) -> str:
    """The ``---`` block for ``doc``: known keys in a fixed order, then metadata in its order."""
    rows = [("title", _scalar(doc.title)), ("incident_date", doc.incident_date.isoformat())]
    if doc.severity:
        rows.append(("severity", _scalar(doc.severity)))
    if doc.status:
        rows.append(("status", _scalar(doc.status)))
    for key in ("incident_start", "incident_end"):
        at = getattr(doc, key)
        if at is not None:
            rows.append((key, format_datetime(at)))
    for key in ("services", "authors"):
        items = getattr(doc, key)
        if items:
            rows.append((key, "[" + ", ".join(_scalar(item) for item in items) + "]"))
    for key, value in doc.metadata.items():
        if key not in KNOWN_KEYS:  # a known key here would be written twice
            rows.append((_scalar(key), _scalar(str(value))))
    return "\n".join(["---", *(f"{key}: {value}" for key, value in rows), "---"])


def format_datetime(at: datetime) -> str:
    """ISO 8601 in UTC with a Z: ``2026-08-14T14:03:00Z``."""
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if at.microsecond else "%Y-%m-%dT%H:%M:%SZ")


def _scalar(text: str) -> str:
    """The text as a YAML scalar that any YAML reader gives back as this same string."""
    plain = (
        text
        and text == text.strip()
        and text[0] not in "-?:,[]{}#&*!|>'\"%@`"
        and not any(mark in text for mark in (": ", " #", ",", "[", "]", "{", "}"))
        and not text.endswith(":")
        and text.isprintable()
    )
    if plain:
        try:
            plain = yaml.safe_load(text) == text
        except yaml.YAMLError:
            plain = False
    if plain:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)
