"""Across quarters: which patterns keep coming back, and how response times moved.

Two patterns of the same dimension *match* when

1. they share their leading concept (the concept most of their members mention), or
2. their concept sets overlap by Jaccard >= 0.5, or
3. the stemmed words of their distinctive terms overlap by Jaccard >= 0.4 (this is what links
   patterns the lexicon knows nothing about).

``recurring_quarters`` of a pattern is 1 plus the number of immediately preceding calendar
quarters, walking back without a gap, that each hold a matching pattern. A quarter missing from
``earlier`` breaks the chain, as does a quarter without a match: "3rd quarter in a row" means
exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from .model import DIMENSIONS, CorpusReport, DimensionReport, Pattern, QuarterFigures
from .serialise import report_from_dict
from .words import stem, tokens

CONCEPT_JACCARD = 0.5
TERM_JACCARD = 0.4
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)


def patterns_match(a: Pattern, b: Pattern) -> bool:
    """Whether two patterns of one dimension describe the same recurring cause, gap or lag."""
    if a.concepts and b.concepts:
        if a.concepts[0] == b.concepts[0]:
            return True
        if _jaccard(set(a.concepts), set(b.concepts)) >= CONCEPT_JACCARD:
            return True
    return _jaccard(_term_stems(a), _term_stems(b)) >= TERM_JACCARD


def _term_stems(pattern: Pattern) -> set[str]:
    return {stem(w) for term in pattern.terms for w in tokens(term)}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def quarter_index(quarter: str) -> int | None:
    """Calendar quarter "2026Q3" -> a number that grows by one per quarter (None if unparsable)."""
    match = _QUARTER.match(quarter.strip())
    if not match:
        return None
    return int(match.group(1)) * 4 + int(match.group(2)) - 1


def mark_recurring(
    report: CorpusReport,
    earlier: Sequence[tuple[str, CorpusReport | Mapping[str, Any]]],
) -> CorpusReport:
    """Set each pattern's ``recurring_quarters`` from earlier quarters' reports.

    ``earlier`` holds (quarter, report or ``report_to_dict`` output) pairs in any order. The
    returned report also carries the earlier quarters' response-lag figures, oldest first, in
    ``previous_figures`` so the medians can be compared quarter on quarter.
    """
    loaded = {
        quarter: item if isinstance(item, CorpusReport) else report_from_dict(item)
        for quarter, item in earlier
        if quarter != report.quarter
    }
    chain = _preceding_quarters(report.quarter, list(loaded))
    updated = {}
    for dimension in DIMENSIONS:
        current: DimensionReport = getattr(report, dimension)
        patterns = []
        for pattern in current.patterns:
            count = 1
            for quarter in chain:
                previous: DimensionReport = getattr(loaded[quarter], dimension)
                if not any(patterns_match(pattern, p) for p in previous.patterns):
                    break
                count += 1
            patterns.append(replace(pattern, recurring_quarters=count))
        updated[dimension] = replace(current, patterns=tuple(patterns))
    figures = tuple(
        QuarterFigures(quarter=q, figures=loaded[q].response_figures)
        for q in sorted(loaded, key=_order_key)
    )
    return replace(report, previous_figures=figures, **updated)


def _order_key(quarter: str) -> tuple[int, str]:
    index = quarter_index(quarter)
    return (index if index is not None else -1, quarter)


def _preceding_quarters(current: str, quarters: list[str]) -> list[str]:
    """The earlier quarters that immediately precede ``current``, newest first, up to a gap."""
    index = quarter_index(current)
    if index is None:
        # Unparsable names: trust their sort order and treat neighbours as consecutive.
        return sorted((q for q in quarters if q < current), reverse=True)
    by_index = {quarter_index(q): q for q in quarters if quarter_index(q) is not None}
    chain = []
    step = index - 1
    while step in by_index:
        chain.append(by_index[step])
        step -= 1
    return chain


def recurrence_phrase(count: int) -> str:
    """How a review page says it: 1 -> "new this quarter", 3 -> "3rd quarter in a row"."""
    if count <= 1:
        return "new this quarter"
    suffix = "th" if 10 <= count % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(count % 10, "th")
    return f"{count}{suffix} quarter in a row"
