"""Bullets of "What kept it broken longer", "Specific changes" and "Improvement commitments".

Each kind has a ``parse_*_line`` (lenient: hand-written text reads in, nothing is dropped) and
a ``format_*_line`` that writes the canonical form. A format function checks its output by
parsing it back and adds an explicit field (``kind: config``, ``ref: PROJ-9``, ``change: PR
#2341``) only where the text alone would read back differently, so rendering is lossless
without cluttering ordinary bullets.
"""

from __future__ import annotations

import re
from datetime import date

from .item_fields import find_reference, find_url, format_owner, guess_kind, read_fields
from .lines import strip_bullet
from .model import ChangeItem, CommitmentItem, LagEntry

_LEADING_BOLD = re.compile(r"^\*\*(.+?)\*\*")
_LAG = re.compile(
    r"^(?P<kind>detection|response|escalation|other)(?:\s+lag)?\s*"
    r"(?:\(\s*(?P<minutes>\d+)\s*(?:m|mins?|minutes?)\s*\))?\s*"
    r"(?:(?::|[—–]|--?)\s*(?P<text>.*))?$",
    re.IGNORECASE | re.DOTALL,
)


def read_lag_line(line: str) -> tuple[LagEntry, bool]:
    """Parse a lag bullet; the flag says whether its kind was written (False → ``other``)."""
    content = _LEADING_BOLD.sub(r"\1", strip_bullet(line))
    match = _LAG.match(content)
    if match is None:
        return LagEntry(kind="other", minutes=None, text=content), False
    minutes = int(match["minutes"]) if match["minutes"] else None
    text = (match["text"] or "").strip()
    return LagEntry(kind=match["kind"].lower(), minutes=minutes, text=text), True


def parse_lag_line(line: str) -> LagEntry:
    """``Detection lag (12 min): eval suite had no cents/dollars case`` → LagEntry.

    A bullet with no recognisable kind becomes kind ``other`` with the whole text kept.
    """
    return read_lag_line(line)[0]


def format_lag_line(entry: LagEntry) -> str:
    """``Detection lag (12 min): text``; an ``other`` lag without minutes is its bare text."""
    if entry.kind == "other" and entry.minutes is None and parse_lag_line(entry.text) == entry:
        return entry.text
    minutes = f" ({entry.minutes} min)" if entry.minutes is not None else ""
    head = f"{entry.kind.capitalize()} lag{minutes}:"
    return f"{head} {entry.text}" if entry.text else head


def read_change_line(line: str) -> tuple[ChangeItem, list[str]]:
    """Parse a change bullet, returning the problems found (a bad due date) alongside."""
    fields = read_fields(strip_bullet(line), ("kind", "ref", "url", "owner", "due", "status"))
    values = fields.values
    reference = values.get("ref") or find_reference(fields.text)
    item = ChangeItem(
        kind=values.get("kind") or guess_kind(fields.text, reference),
        text=fields.text,
        reference=reference,
        url=values.get("url") or find_url(fields.text),
        owner=values.get("owner", ""),
        due=date.fromisoformat(values["due"]) if "due" in values else None,
        status=values.get("status", "open"),
    )
    return item, fields.problems


def parse_change_line(line: str) -> ChangeItem:
    """``PR #2341: add unit field — owner: @alice — due 2026-10-15`` → ChangeItem.

    Kind, reference and URL are read from the text, which keeps them as written; owner
    (``owner: @alice`` or a trailing ``@alice``), due date and status are taken out of it.
    """
    return read_change_line(line)[0]


def format_change_line(item: ChangeItem) -> str:
    """``<text> — owner: @alice — due 2026-10-15 — status: done``, only the parts set."""
    parts = [item.text, *_owner_due_status(item.owner, item.due, item.status)]
    line = " — ".join(parts)
    back = parse_change_line(line)
    extras = []
    if back.reference != item.reference and item.reference:
        extras.append(f"ref: {item.reference}")
    if back.url != item.url and item.url:
        extras.append(f"url: {item.url}")
    # The kind is guessed from the reference too, so check it against the line as written.
    if extras:
        back = parse_change_line(" — ".join([line, *extras]))
    if back.kind != item.kind:
        extras.insert(0, f"kind: {item.kind}")
    return " — ".join([line, *extras])


def read_commitment_line(line: str) -> tuple[CommitmentItem, list[str], bool]:
    """Parse a commitment bullet; the flag says whether ``change:`` was written explicitly."""
    fields = read_fields(strip_bullet(line), ("change", "owner", "due", "status"))
    values = fields.values
    item = CommitmentItem(
        text=fields.text,
        owner=values.get("owner", ""),
        due=date.fromisoformat(values["due"]) if "due" in values else None,
        status=values.get("status", "open"),
        change_reference=values.get("change") or find_reference(fields.text),
    )
    return item, fields.problems, "change" in values


def parse_commitment_line(line: str) -> CommitmentItem:
    """``Ship PR #2341 — owner: @alice — due 2026-10-15`` → CommitmentItem.

    ``change_reference`` is the reference the text names; ``parse_document`` also links a
    commitment to the change whose text it repeats.
    """
    return read_commitment_line(line)[0]


def format_commitment_line(item: CommitmentItem, *, derived_reference: str | None = None) -> str:
    """``<text> — owner: @alice — due 2026-10-15``, plus ``change: ...`` when the text alone
    would not lead back to ``item.change_reference``.

    ``derived_reference`` is what the reader would link the line to (``parse_document``
    links by text too); by default, the reference the text names.
    """
    line = " — ".join([item.text, *_owner_due_status(item.owner, item.due, item.status)])
    if derived_reference is None:
        derived_reference = parse_commitment_line(line).change_reference
    if item.change_reference and item.change_reference != derived_reference:
        line += f" — change: {item.change_reference}"
    return line


def _owner_due_status(owner: str, due: date | None, status: str) -> list[str]:
    parts = []
    if owner:
        parts.append(format_owner(owner))
    if due is not None:
        parts.append(f"due {due.isoformat()}")
    if status != "open":
        parts.append(f"status: {status}")
    return parts
