"""The canonical Markdown document in and out of the database."""

from __future__ import annotations

from .content import content_from_document
from .document import (
    ChangeItem,
    CommitmentItem,
    ExtraSection,
    Impact,
    LagEntry,
    ParsedDocument,
)
from .document import (
    TimelineEntry as DocTimelineEntry,
)
from .models import Postmortem, RevisionKind
from .writing import write_postmortem


def document_from_postmortem(postmortem: Postmortem) -> ParsedDocument:
    """The postmortem as the canonical document, ready for render_document."""
    start = postmortem.incident_start
    return ParsedDocument(
        slug=postmortem.slug,
        title=postmortem.title,
        incident_date=start.date() if start else postmortem.created_at.date(),
        severity=postmortem.severity or None,
        status=postmortem.status,
        incident_start=start,
        incident_end=postmortem.incident_end,
        services=tuple(s.name for s in postmortem.services.all()),
        authors=tuple(u.username for u in postmortem.authors.all()),
        metadata=dict(postmortem.metadata or {}),
        impact=Impact(
            users_affected=postmortem.impact_users,
            minutes=postmortem.impact_minutes,
            money=postmortem.impact_money,
            currency=postmortem.impact_currency if postmortem.impact_money is not None else None,
            summary=postmortem.impact_summary,
        ),
        timeline=tuple(
            DocTimelineEntry(at=e.at, text=e.text, actor=e.actor, phase=e.phase or None)
            for e in postmortem.timeline.all()
        ),
        what_broke=postmortem.what_broke,
        why=postmortem.why,
        lags=tuple(
            LagEntry(kind=lag.kind, minutes=lag.minutes, text=lag.text)
            for lag in postmortem.lags.all()
        ),
        changes=tuple(
            ChangeItem(
                kind=c.kind,
                text=c.text,
                reference=c.reference,
                url=c.url,
                owner=c.owner,
                due=c.due,
                status=c.status,
            )
            for c in postmortem.changes.all()
        ),
        commitments=tuple(
            CommitmentItem(
                text=c.text,
                owner=c.owner,
                due=c.due,
                status=c.status,
                change_reference=c.change.reference if c.change_id else "",
            )
            for c in postmortem.commitments.select_related("change")
        ),
        extra_sections=tuple(
            ExtraSection(heading=part["heading"], text=part["text"], level=part["level"])
            for part in postmortem.extra_sections or []
        ),
    )


class ImportRefused(ValueError):
    """The document reads, but its content breaks a rule; nothing was written."""

    def __init__(self, errors):
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))


def import_document(*, doc: ParsedDocument, user=None, source: str = "") -> tuple[Postmortem, bool]:
    """Create or update (by slug) a postmortem from a parsed document, through the one write
    path; every row is replaced. Raises ImportRefused, writing nothing, when it breaks a rule."""
    existing = Postmortem.objects.filter(slug=doc.slug).first()
    outcome = write_postmortem(
        content=content_from_document(doc),
        postmortem=existing,
        user=user,
        kind=RevisionKind.IMPORT,
        note=f"Imported from {source}" if source else "Imported",
        keep_unapplied=False,
        create_missing_authors=True,
        imported=True,
    )
    if not outcome.applied:
        raise ImportRefused(outcome.errors)
    return outcome.postmortem, existing is None
