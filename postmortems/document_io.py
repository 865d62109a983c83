"""The canonical Markdown document in and out of the database."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from . import limits
from .document import (
    ChangeItem,
    CommitmentItem,
    Impact,
    LagEntry,
    ParsedDocument,
)
from .document import (
    TimelineEntry as DocTimelineEntry,
)
from .models import Change, Commitment, Lag, Postmortem, Status, TimelineEntry
from .services import link_commitments, record_revision, refresh_derived, set_services


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


def _authors(names):
    User = get_user_model()
    users = []
    for name in names:
        user = User.objects.filter(username=name).first()
        if user is None:
            # Authors of old documents may have left: keep them as accounts that cannot log in.
            user = User(username=name, is_active=False)
            user.set_unusable_password()
            user.save()
        users.append(user)
    return users


@transaction.atomic
def import_document(*, doc: ParsedDocument, user=None, source: str = "") -> tuple[Postmortem, bool]:
    """Create or update (by slug) a postmortem from a parsed document; every row is replaced."""
    postmortem = Postmortem.objects.select_for_update().filter(slug=doc.slug).first()
    created = postmortem is None
    if created:
        postmortem = Postmortem(slug=doc.slug, created_by=user)
    start = doc.incident_start or dt.datetime.combine(doc.incident_date, dt.time(), tzinfo=dt.UTC)
    postmortem.title = doc.title
    postmortem.severity = doc.severity or postmortem.severity or "SEV3"
    postmortem.status = doc.import_status
    postmortem.incident_start = start
    postmortem.incident_end = doc.incident_end
    postmortem.metadata = dict(doc.metadata)
    postmortem.impact_users = doc.impact.users_affected
    postmortem.impact_minutes = doc.impact.minutes
    postmortem.impact_money = doc.impact.money
    postmortem.impact_currency = doc.impact.currency or "USD"
    postmortem.impact_summary = doc.impact.summary
    postmortem.what_broke = doc.what_broke
    postmortem.why = doc.why
    postmortem.imported = True
    if postmortem.status == Status.PUBLISHED and postmortem.published_at is None:
        postmortem.published_at = start
    postmortem.save()
    if not created:
        Postmortem.objects.filter(pk=postmortem.pk).update(version=F("version") + 1)
        postmortem.refresh_from_db(fields=["version"])
        for model in (TimelineEntry, Lag, Commitment, Change):
            model.objects.filter(postmortem=postmortem).delete()
    set_services(postmortem, list(doc.services))
    postmortem.authors.set(_authors(doc.authors))
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            postmortem=postmortem,
            position=i,
            at=e.at,
            text=e.text[:500],
            actor=e.actor[:100],
            phase=e.phase or "",
        )
        for i, e in enumerate(doc.timeline)
    )
    Lag.objects.bulk_create(
        Lag(
            postmortem=postmortem,
            position=i,
            kind=lag.kind,
            minutes=lag.minutes,
            text=lag.text[:500],
        )
        for i, lag in enumerate(doc.lags)
    )
    changes = Change.objects.bulk_create(
        Change(
            postmortem=postmortem,
            position=i,
            kind=c.kind,
            text=c.text[:500],
            reference=c.reference[:200],
            url=c.url[:500],
            owner=c.owner[:100],
            due=c.due,
            status=c.status,
        )
        for i, c in enumerate(doc.changes)
    )
    by_reference = {c.reference.lower(): c for c in changes if c.reference}
    Commitment.objects.bulk_create(
        Commitment(
            postmortem=postmortem,
            position=i,
            text=c.text[:500],
            owner=c.owner[:100],
            due=c.due,
            status=c.status,
            change=by_reference.get(c.change_reference.lower()) if c.change_reference else None,
        )
        for i, c in enumerate(doc.commitments)
    )
    if not any(c.change_reference for c in doc.commitments):
        link_commitments(postmortem)
    data = refresh_derived(postmortem)
    note = f"Imported from {source}" if source else "Imported"
    record_revision(postmortem=postmortem, data=data, user=user, note=note)
    return postmortem, created
