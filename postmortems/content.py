"""A postmortem's content as one plain value: what every writer hands to the one write service.

The editor form, the Markdown importer, a foreign-template importer and restoring a revision
all build a ``PostmortemContent`` and call ``postmortems.writing.write_postmortem``. Pure
Python: no Django import, so the value can be built and inspected anywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .document import ParsedDocument


@dataclass(frozen=True)
class TimelineRow:
    at: dt.datetime | None
    text: str
    actor: str = ""
    phase: str = ""
    id: int | None = None  # the stored row this one updates; None for a new row


@dataclass(frozen=True)
class LagRow:
    kind: str
    minutes: int | None
    text: str
    id: int | None = None


@dataclass(frozen=True)
class ChangeRow:
    kind: str
    text: str
    reference: str = ""
    url: str = ""
    owner: str = ""
    due: dt.date | None = None
    status: str = "open"
    id: int | None = None


@dataclass(frozen=True)
class CommitmentRow:
    text: str
    owner: str = ""
    due: dt.date | None = None
    status: str = "open"
    # The reference of the change it delivers; empty links by the reference named in the text.
    change_reference: str = ""
    id: int | None = None


@dataclass(frozen=True)
class PostmortemContent:
    """Everything a person writes in a postmortem. Rows keep the order given, except the
    timeline, which the service stores in time order.

    ``slug`` empty keeps an existing postmortem's slug, or makes one from the title (or
    "untitled") for a new one. ``status`` and ``metadata`` None leave them as they are.
    """

    title: str = ""
    slug: str = ""
    severity: str = "SEV3"
    incident_start: dt.datetime | None = None
    incident_end: dt.datetime | None = None
    services: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()  # usernames
    impact_users: int | None = None
    impact_minutes: int | None = None
    impact_money: Decimal | None = None
    impact_currency: str = "USD"
    impact_summary: str = ""
    what_broke: str = ""
    why: str = ""
    timeline: tuple[TimelineRow, ...] = ()
    lags: tuple[LagRow, ...] = ()
    changes: tuple[ChangeRow, ...] = ()
    commitments: tuple[CommitmentRow, ...] = ()
    status: str | None = None
    metadata: dict | None = None
    # Imported sections that map to no house part: ({"heading", "level", "text"}, ...).
    # None leaves them as they are (the editor never shows them, so never sends them).
    extra_sections: tuple[dict, ...] | None = None

    def __post_init__(self):
        for name in ("services", "authors", "timeline", "lags", "changes", "commitments"):
            object.__setattr__(self, name, tuple(getattr(self, name)))


@dataclass(frozen=True)
class FieldError:
    """A message for one field. ``field`` is the editor's field name: ``title``,
    ``incident_end``, or ``timeline-2-at`` for a row (the row's index in the content)."""

    field: str
    message: str


@dataclass(frozen=True)
class Submission:
    """A content value plus what could not be read into it (text that is not a time, a
    number that is not a number), and the text exactly as typed, to keep as a revision."""

    content: PostmortemContent
    problems: tuple[FieldError, ...] = ()
    typed: dict = field(default_factory=dict)
    # Content row index -> the row's index in the submitted form, per row set.
    row_index: dict = field(default_factory=dict)


def content_from_document(doc: ParsedDocument) -> PostmortemContent:
    """The plain value of a parsed Markdown (or foreign-template) document."""
    start = doc.incident_start or dt.datetime.combine(doc.incident_date, dt.time(), tzinfo=dt.UTC)
    impact = doc.impact
    return PostmortemContent(
        title=doc.title,
        slug=doc.slug,
        severity=doc.severity or "SEV3",
        incident_start=start,
        incident_end=doc.incident_end,
        services=doc.services,
        authors=doc.authors,
        impact_users=impact.users_affected,
        impact_minutes=impact.minutes,
        impact_money=impact.money,
        impact_currency=impact.currency or "USD",
        impact_summary=impact.summary,
        what_broke=doc.what_broke,
        why=doc.why,
        timeline=tuple(
            TimelineRow(at=e.at, text=e.text, actor=e.actor, phase=e.phase or "")
            for e in doc.timeline
        ),
        lags=tuple(LagRow(kind=g.kind, minutes=g.minutes, text=g.text) for g in doc.lags),
        changes=tuple(
            ChangeRow(
                kind=c.kind,
                text=c.text,
                reference=c.reference,
                url=c.url,
                owner=c.owner,
                due=c.due,
                status=c.status,
            )
            for c in doc.changes
        ),
        commitments=tuple(
            CommitmentRow(
                text=c.text,
                owner=c.owner,
                due=c.due,
                status=c.status,
                change_reference=c.change_reference,
            )
            for c in doc.commitments
        ),
        status=doc.import_status,
        metadata=dict(doc.metadata),
        extra_sections=tuple(
            {"heading": e.heading, "level": e.level, "text": e.text} for e in doc.extra_sections
        ),
    )
