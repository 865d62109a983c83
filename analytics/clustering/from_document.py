"""ParsedDocument (postmortems.document) -> PostmortemText, the clustering's input.

Kept apart from the rest of the package so that only this module depends on the document
parser; both are pure Python, so no Django is imported here either.
"""

from __future__ import annotations

from datetime import date, datetime

from postmortems.document import ParsedDocument

from .model import LAG_KINDS, LagText, PostmortemText


def quarter_of(day: date) -> str:
    """The calendar quarter of a date as "2026Q3"."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def postmortem_text(doc: ParsedDocument, *, quarter: str | None = None) -> PostmortemText:
    """The parts of a parsed postmortem the clustering reads.

    The quarter defaults to the incident date's. Page->ack and page->mitigation minutes come
    from the timeline's effective phases: first "page" entry to the first "acknowledge" and to
    the first "stop_bleed" entry after it. Without a page entry both stay None: measuring from
    the first event instead would count detection lag as response lag.
    """
    page_to_ack, page_to_mitigation = timeline_minutes(
        [(entry.at, entry.effective_phase) for entry in doc.timeline]
    )
    return PostmortemText(
        slug=doc.slug,
        quarter=quarter or quarter_of(doc.incident_date),
        why=doc.why,
        what_broke=doc.what_broke,
        lags=tuple(
            LagText(
                kind=lag.kind if lag.kind in LAG_KINDS else "other",
                text=lag.text,
                minutes=lag.minutes,
            )
            for lag in doc.lags
        ),
        page_to_ack_minutes=page_to_ack,
        page_to_mitigation_minutes=page_to_mitigation,
        title=doc.title,
    )


def timeline_minutes(
    entries: list[tuple[datetime | None, str | None]],
) -> tuple[float | None, float | None]:
    """(page->ack, page->stop_bleed) minutes from (time, phase) pairs; None where not shown."""
    timed = sorted(
        ((at, phase) for at, phase in entries if at is not None), key=lambda entry: entry[0]
    )
    pages = [at for at, phase in timed if phase == "page"]
    if not pages:
        return None, None
    start = pages[0]

    def minutes_to(phase: str) -> float | None:
        for at, entry_phase in timed:
            if entry_phase == phase and at >= start:
                return (at - start).total_seconds() / 60
        return None

    return minutes_to("acknowledge"), minutes_to("stop_bleed")
