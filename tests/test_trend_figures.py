"""The trend of earlier quarters is stored per quarter, so a review does not re-read every
earlier timeline, and an edit to one of the quarter's postmortems refreshes it."""

from __future__ import annotations

from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.corpus_loading import quarter_figures
from analytics.models import QuarterTrendFigures
from postmortems.document import parse_document
from postmortems.document_io import import_document

DOCUMENT = Path(__file__).resolve().parent / "data" / "postmortems" / "refund-cents-dollars.md"
ACK_LINE = "- 14:09 UTC — Acknowledged the page — @bob"


def _import(text: str) -> None:
    import_document(doc=parse_document(text, slug=DOCUMENT.stem))


def _timeline_reads(queries) -> int:
    return sum("postmortems_timelineentry" in q["sql"] for q in queries)


def test_a_quarters_figures_are_read_from_its_timelines_once_then_reused(db):
    _import(DOCUMENT.read_text(encoding="utf-8"))
    first = quarter_figures("2026Q3")

    with CaptureQueriesContext(connection) as again:
        second = quarter_figures("2026Q3")

    assert first.median_page_to_ack == 4.0
    assert second == first
    assert _timeline_reads(again.captured_queries) == 0
    assert QuarterTrendFigures.objects.get(quarter="2026Q3").figures["counted"] == 1


def test_editing_a_timeline_of_the_quarter_refreshes_its_stored_figures(db):
    text = DOCUMENT.read_text(encoding="utf-8")
    assert ACK_LINE in text
    _import(text)
    assert quarter_figures("2026Q3").median_page_to_ack == 4.0

    _import(text.replace(ACK_LINE, ACK_LINE.replace("14:09", "14:11")))

    assert quarter_figures("2026Q3").median_page_to_ack == 6.0


def test_a_quarter_without_postmortems_stores_empty_figures(db):
    figures = quarter_figures("2024Q1")

    assert (figures.counted, figures.median_page_to_ack) == (0, None)
    assert quarter_figures("2024Q1") == figures
