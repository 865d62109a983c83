"""The "patterns we're seeing" document of a quarter: pre-filled from the report, then edited.

Every save is a revision, even one that lost a race with another editor (kept, not applied).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from postmortems.models import Postmortem, display_title
from postmortems.rendering import render_markdown

from .clustering import CorpusReport
from .models import PatternsDocument, PatternsRevision, QuarterReview
from .periods import period_name as parse_quarter
from .report_output import patterns_markdown


class DocumentConflict(Exception):
    """The document changed since the editor loaded it; the submission is kept as a revision."""

    def __init__(self, document: PatternsDocument, revision: PatternsRevision):
        super().__init__(f"{document} was saved by someone else (version {document.version})")
        self.document = document
        self.revision = revision


def draft_markdown(*, quarter: str, report: CorpusReport) -> str:
    """The report as the first draft of the patterns document, linking every postmortem."""
    slugs = {
        slug
        for dimension in ("root_causes", "detection_gaps", "response_lags")
        for section in [getattr(report, dimension)]
        for slug in (*section.one_offs, *(m for p in section.patterns for m in p.members))
    }
    titles = {
        slug: display_title(title)
        for slug, title in Postmortem.objects.filter(slug__in=slugs).values_list("slug", "title")
    }
    return patterns_markdown(
        quarter=quarter,
        report=report,
        titles=titles,
        link=lambda slug: reverse("postmortem_detail", args=[slug]),
    )


def _append_revision(
    *, document: PatternsDocument, text: str, user, note: str, generated=False, applied=True
) -> PatternsRevision:
    last = document.revisions.aggregate(n=Max("number"))["n"] or 0
    return PatternsRevision.objects.create(
        document=document,
        number=last + 1,
        text=text,
        author=user if getattr(user, "is_authenticated", False) else None,
        note=note[:200],
        generated=generated,
        applied=applied,
    )


def _apply_text(document: PatternsDocument, text: str) -> None:
    document.text = text
    document.text_html = render_markdown(text)
    document.version += 1
    document.save()


def prefill(*, quarter: str, report: CorpusReport, run_id: int | None) -> None:
    """Start the document from the report, or refresh it while nobody has edited it yet."""
    document, created = PatternsDocument.objects.select_for_update().get_or_create(quarter=quarter)
    latest = document.revisions.order_by("-number").first()
    if not created and latest is not None and not latest.generated:
        return  # a person has written in it: their words win; the page offers a fresh draft
    text = draft_markdown(quarter=quarter, report=report)
    if not created and text == document.text:
        return
    _apply_text(document, text)
    where = f" of run #{run_id}" if run_id else ""
    _append_revision(
        document=document,
        text=text,
        user=None,
        note=f"Pre-filled from the report{where}",
        generated=True,
    )


def save(
    *, quarter: str, text: str, user, base_version: int | None, note: str = "Saved"
) -> PatternsRevision:
    """Save the document's Markdown as a new revision.

    When someone saved since the editor loaded (``base_version`` is behind), the text is kept
    as a revision of its own, not applied, and DocumentConflict says so.
    """
    revision, conflict = _save_text(
        quarter=parse_quarter(quarter),
        text=text.replace("\r\n", "\n"),
        user=user,
        base_version=base_version,
        note=note,
    )
    if conflict:
        raise DocumentConflict(revision.document, revision)
    return revision


@transaction.atomic
def _save_text(
    *, quarter: str, text: str, user, base_version: int | None, note: str
) -> tuple[PatternsRevision, bool]:
    PatternsDocument.objects.get_or_create(quarter=quarter)
    document = PatternsDocument.objects.select_for_update().get(quarter=quarter)
    if base_version is not None and base_version != document.version:
        revision = _append_revision(
            document=document,
            text=text,
            user=user,
            note=f"Not applied: conflicted with version {document.version}",
            applied=False,
        )
        return revision, True
    _apply_text(document, text)
    return _append_revision(document=document, text=text, user=user, note=note), False


def restore(*, revision: PatternsRevision, user) -> PatternsRevision:
    """Make an old revision the document's text again, as a new revision."""
    return save(
        quarter=revision.document.quarter,
        text=revision.text,
        user=user,
        base_version=None,
        note=f"Restored revision {revision.number}",
    )


def redraft(*, quarter: str, user) -> PatternsRevision:
    """Replace the document with a fresh draft from the stored report (the old text stays in history)."""
    review = QuarterReview.objects.get(quarter=parse_quarter(quarter))
    return save(
        quarter=quarter,
        text=draft_markdown(quarter=quarter, report=review.corpus_report()),
        user=user,
        base_version=None,
        note="Fresh draft from the report",
    )
