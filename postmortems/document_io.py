"""The canonical Markdown document in and out of the database."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

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
from .models import Change, Commitment, Lag, Postmortem, Status, TimelineEntry
from .rendering import render_markdown
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
        extra_sections=tuple(
            ExtraSection(heading=part["heading"], text=part["text"], level=part["level"])
            for part in postmortem.extra_sections or []
        ),
    )


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
    postmortem.extra_sections = [
        {"heading": e.heading, "level": e.level, "text": e.text, "html": render_markdown(e.text)}
        for e in doc.extra_sections
    ]
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
