"""The canonical Markdown document in and out of the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from . import checking, limits
from .batch_writing import create_postmortems, update_postmortems
from .check_ahead import verdicts_of, worked_ahead
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


def _line_of(text: str, needle: str, default: int = 1) -> int:
    """The line number of the first line holding ``needle`` (what a problem is reported at)."""
    index = text.find(needle) if needle else -1
    return text.count("\n", 0, index) + 1 if index >= 0 else default


def _front_line(text: str, key: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def import_problems(doc: ParsedDocument, text: str) -> list[tuple[int, str]]:
    """Why this document cannot be imported as it is, each with its line; empty when it can.

    Everything the database would refuse is caught here, so a file is either imported whole
    or reported by line, never left to a database error."""
    problems = []
    index = limits.first_control_character(text)
    if index is not None:
        what = limits.describe_control_character(text, index)
        problems.append((text.count("\n", 0, index) + 1, f"holds {what}: remove it"))
    if len(doc.title) > limits.TITLE:
        problems.append(
            (
                _front_line(text, "title"),
                f"the title is {len(doc.title)} characters; at most {limits.TITLE}",
            )
        )
    for name in doc.services:
        if len(name) > limits.SERVICE:
            problems.append(
                (_line_of(text, name), f"a service name is over {limits.SERVICE} characters")
            )
    for name in doc.authors:
        if len(name) > limits.AUTHOR:
            problems.append(
                (_line_of(text, name), f"an author name is over {limits.AUTHOR} characters")
            )
    if doc.incident_start and doc.incident_end and doc.incident_end < doc.incident_start:
        problems.append(
            (_front_line(text, "incident_end"), "incident_end is before incident_start")
        )
    impact = doc.impact
    for value, label, bound in (
        (impact.users_affected, "users affected", limits.MAX_USERS),
        (impact.minutes, "minutes of impact", limits.MAX_MINUTES),
    ):
        if value is not None and not 0 <= value <= bound:
            problems.append((_line_of(text, str(value)), f"{label} must be 0 to {bound:,}"))
    if impact.money is not None and not 0 <= impact.money <= limits.MAX_MONEY:
        problems.append(
            (_line_of(text, str(impact.money)), f"money must be 0 to {limits.MAX_MONEY:,}")
        )
    for lag in doc.lags:
        if lag.minutes is not None and not 0 <= lag.minutes <= limits.MAX_MINUTES:
            problems.append(
                (
                    _line_of(text, str(lag.minutes)),
                    f"a lag of {lag.minutes} minutes: at most {limits.MAX_MINUTES:,}",
                )
            )
    return sorted(problems)


def cut_row_warnings(doc: ParsedDocument, text: str) -> list[tuple[int, str]]:
    """Rows longer than their column are kept cut to fit: say so, line by line."""
    found = []
    for label, rows, attribute, bound in (
        ("timeline line", doc.timeline, "text", limits.ROW_TEXT),
        ("timeline actor", doc.timeline, "actor", limits.ACTOR),
        ("lag", doc.lags, "text", limits.ROW_TEXT),
        ("change", doc.changes, "text", limits.ROW_TEXT),
        ("commitment", doc.commitments, "text", limits.ROW_TEXT),
    ):
        for row in rows:
            value = getattr(row, attribute)
            if len(value) > bound:
                found.append((_line_of(text, value[:60]), f"{label} cut to {bound} characters"))
    return found


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
        note=_note(source),
        keep_unapplied=False,
        create_missing_authors=True,
        imported=True,
    )
    if not outcome.applied:
        raise ImportRefused(outcome.errors)
    return outcome.postmortem, existing is None


@dataclass(frozen=True)
class ImportResult:
    """What importing one document did: the postmortem (and whether it is new), or why not."""

    postmortem: Postmortem | None = None
    created: bool = False
    error: Exception | None = None


IMPORT_CHUNK = 100


def import_documents(
    *, docs: list[tuple[ParsedDocument, str]], user=None, chunk: int = IMPORT_CHUNK, progress=None
) -> list[ImportResult]:
    """``import_document`` for many (document, source) pairs, one result each, in order, with
    the same outcome as importing them one after the other: a document that fails (refused,
    or by the database) is its own error and leaves nothing written; the others import.

    A chunk at a time: its new slugs are created together through ``create_postmortems``,
    its slugs already in use updated together through ``update_postmortems``; when the
    database refuses either set, that set's documents are written one by one so only the one
    at fault fails. A slug repeated in the chunk is written on its own after the others, in
    order. ``progress``, when given, is called with the results so far after each chunk."""
    results: list[ImportResult] = []
    for part, verdicts in worked_ahead(docs, chunk, verdicts_of):
        checking.remember_verdicts(verdicts)
        results += _import_chunk(part, user)
        if progress is not None:
            progress(results)
    return results


def _import_chunk(docs, user) -> list[ImportResult]:
    results: list[ImportResult | None] = [None] * len(docs)
    existing = {
        pm.slug: pm for pm in Postmortem.objects.filter(slug__in=[doc.slug for doc, _ in docs])
    }
    new, updates, later, seen = [], [], [], set()
    for index, (doc, _source) in enumerate(docs):
        if doc.slug in seen:
            later.append(index)
        else:
            (updates if doc.slug in existing else new).append(index)
        seen.add(doc.slug)
    later += _write_set(docs, new, results, user, existing=None)
    later += _write_set(docs, updates, results, user, existing=existing)
    with transaction.atomic():  # one commit for the rest; a savepoint per document
        for index in sorted(later):
            doc, source = docs[index]
            try:
                with transaction.atomic():
                    postmortem, created = import_document(doc=doc, user=user, source=source)
            except Exception as error:  # one file's failure must not stop the others
                results[index] = ImportResult(error=error)
            else:
                results[index] = ImportResult(postmortem, created=created)
    return results


def _write_set(docs, indices, results, user, *, existing) -> list[int]:
    """Create (``existing`` None) or update the documents at ``indices`` together, filling
    their results; the indices to write one by one instead when the database refused."""
    if not indices:
        return []
    try:
        if existing is None:
            items = [(content_from_document(docs[i][0]), _note(docs[i][1])) for i in indices]
            outcomes = create_postmortems(
                items=items,
                user=user,
                kind=RevisionKind.IMPORT,
                create_missing_authors=True,
                imported=True,
            )
        else:
            outcomes = update_postmortems(
                items=[
                    (
                        existing[docs[i][0].slug],
                        content_from_document(docs[i][0]),
                        _note(docs[i][1]),
                    )
                    for i in indices
                ],
                user=user,
                kind=RevisionKind.IMPORT,
                create_missing_authors=True,
                imported=True,
            )
    except Exception:  # the database refused the set: find the file at fault
        return list(indices)
    for index, outcome in zip(indices, outcomes, strict=True):
        results[index] = (
            ImportResult(outcome.postmortem, created=existing is None)
            if outcome.applied
            else ImportResult(error=ImportRefused(outcome.errors))
        )
    return []


def _note(source: str) -> str:
    return f"Imported from {source}" if source else "Imported"
