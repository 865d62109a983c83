"""A real public postmortem (Markdown, HTML or text) -> the review's input, read as production does.

Production imports another team's postmortem with the foreign-template reader
(``postmortems.document.foreign.read_postmortem``: its headings mapped to Summary/What broke,
Why, detection and response lags, Timeline) and the review reads the stored parts through
``analytics.corpus_loading.postmortem_text_from``. This module chains the same two functions,
so the benchmark measures the adapter production runs. The one difference: a document with no
incident date anywhere, which the importer refuses with "add a Date: line", gets that line
(the manifest's date, else the benchmark's period) as an importing person would add it.
"""

from __future__ import annotations

import os

FALLBACK_DATE = "2026-07-01"


def _django() -> None:
    # corpus_loading imports the models; reading needs settings, never the database.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def read_document(doc_id: str, text: str, *, fmt: str = "md", incident_date: str | None = None):
    """The importer's ``ParsedDocument`` of one file (None when even a dated copy is refused)."""
    from postmortems.document.foreign import read_postmortem

    filename = f"{doc_id}.{fmt}"
    reading = read_postmortem(text, filename=filename)
    if not reading.ok and "no incident date" in str(reading.error):
        dated = f"Date: {incident_date or FALLBACK_DATE}\n\n{text}"
        reading = read_postmortem(dated, filename=filename)
    return reading.doc


def as_postmortem(
    doc_id: str,
    text: str,
    *,
    fmt: str = "md",
    incident_date: str | None = None,
    quarter: str = "2026Q3",
):
    """``PostmortemText`` of one real document, slug = doc id, all in one period."""
    _django()
    from analytics.clustering import LagText
    from analytics.corpus_loading import postmortem_text_from

    doc = read_document(doc_id, text, fmt=fmt, incident_date=incident_date)
    if doc is None:
        return None
    return postmortem_text_from(
        slug=doc_id,
        quarter=quarter,
        title=doc.title,
        why=doc.why,
        what_broke=doc.what_broke,
        lags=[LagText(lag.kind, lag.text, lag.minutes) for lag in doc.lags],
        timeline=[(entry.at, entry.effective_phase) for entry in doc.timeline],
    )
