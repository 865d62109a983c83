"""Pasted timeline text becomes rows; lines that do not parse stay in the box, named by line."""

from __future__ import annotations

from dataclasses import dataclass

from .document import parse_timeline
from .utc import format_utc, parse_utc


@dataclass(frozen=True)
class PasteOutcome:
    data: object  # the form data with the new rows appended
    errors: list[tuple[int, str]]
    leftover: str


def paste_timeline(data) -> PasteOutcome:
    """Append each parsed line of data["timeline_paste"] as a timeline row.

    Nothing is lost: a line that does not parse is kept, verbatim, as the box's new text.
    """
    text = data.get("timeline_paste", "")
    try:
        default_date = parse_utc(data.get("incident_start", "")).date()
    except ValueError:
        default_date = None
    entries, errors = parse_timeline(text, default_date=default_date)
    failed = {line for line, _ in errors}
    lines = text.splitlines()
    try:
        total = max(0, int(data.get("timeline-TOTAL_FORMS") or 0))
    except ValueError:  # a tampered count: start the pasted rows at the top
        total = 0
    for entry in entries:
        if entry.at is None:
            continue
        data[f"timeline-{total}-at"] = format_utc(entry.at)
        data[f"timeline-{total}-text"] = entry.text
        data[f"timeline-{total}-actor"] = entry.actor
        data[f"timeline-{total}-phase"] = entry.phase or ""
        total += 1
    data["timeline-TOTAL_FORMS"] = str(total)
    leftover = "\n".join(lines[n - 1] for n in sorted(failed) if 0 < n <= len(lines))
    data["timeline_paste"] = leftover
    return PasteOutcome(data=data, errors=errors, leftover=leftover)
