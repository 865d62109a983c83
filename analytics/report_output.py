"""A quarter's report as text: the command's JSON, and the "patterns we're seeing" Markdown.

Pure functions over ``analytics.clustering`` data; no Django import, so the Markdown a
reviewer starts from is the same whether it comes from the page or the command line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .clustering import CorpusReport, DimensionReport, Pattern, recurrence_phrase

DIMENSION_TITLES = {
    "root_causes": "Repeated root causes",
    "detection_gaps": "Repeated detection gaps",
    "response_lags": "Repeated response lags",
}


def pattern_summary(pattern: Pattern) -> dict[str, Any]:
    return {
        "label": pattern.label,
        "terms": list(pattern.terms),
        "postmortems": list(pattern.members),
        "recurring_quarters": pattern.recurring_quarters,
    }


def report_summary(quarter: str, report: CorpusReport) -> dict[str, Any]:
    """The command's JSON: every dimension's patterns, largest first."""
    summary: dict[str, Any] = {"quarter": quarter, "postmortems": report.postmortems}
    for dimension in DIMENSION_TITLES:
        patterns = sorted(
            getattr(report, dimension).patterns, key=lambda p: (-len(p.members), p.label)
        )
        summary[dimension] = [pattern_summary(p) for p in patterns]
    return summary


def minutes_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".removesuffix(".0") + " min"


# The document is read by people: past these counts it points to the review page instead of
# listing every postmortem (a 10,000-postmortem quarter drafted in full took seconds to render).
MEMBERS_LISTED = 12
ONE_OFFS_LISTED = 20

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")


def escape_markdown(text: str) -> str:
    """Quote free text (excerpts, titles) so Markdown shows it as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def patterns_markdown(
    *,
    quarter: str,
    report: CorpusReport,
    titles: Mapping[str, str],
    link: Callable[[str], str],
) -> str:
    """The first draft of the quarter's "patterns we're seeing" document.

    ``titles`` maps slugs to postmortem titles; ``link`` gives a postmortem's URL from its slug.
    The last section is left for the senior engineer: one systemic change per pattern.
    """

    def ref(slug: str) -> str:
        return f"[{escape_markdown(titles.get(slug) or slug)}]({link(slug)})"

    plural = "" if report.postmortems == 1 else "s"
    lines = [
        f"# Patterns we're seeing — {quarter}",
        "",
        f"{report.postmortems} postmortem{plural} (published and in review) whose incidents "
        f"started in {quarter}, read back to back.",
        "",
    ]
    for dimension, title in DIMENSION_TITLES.items():
        section: DimensionReport = getattr(report, dimension)
        lines += [f"## {title}", ""]
        if dimension == "response_lags":
            lines += [_figures_line(report), ""]
        if not section.patterns:
            lines += ["No pattern: no two postmortems share one this quarter.", ""]
        for number, pattern in enumerate(section.patterns, start=1):
            facts = [
                f"{len(pattern.members)} postmortems",
                recurrence_phrase(pattern.recurring_quarters),
            ]
            if pattern.median_minutes is not None:
                facts.append(f"median lag named {minutes_text(pattern.median_minutes)}")
            if pattern.terms:
                facts.append("terms: " + escape_markdown(", ".join(pattern.terms)))
            lines += [
                f"### {number}. {escape_markdown(pattern.label)}",
                "",
                "; ".join(facts) + ".",
                "",
            ]
            # Confirmed members first: a reviewer put them there, they speak for the pattern.
            ordered = sorted(pattern.members, key=lambda s: (s not in pattern.confirmed, s))
            for slug in ordered[:MEMBERS_LISTED]:
                excerpt = pattern.evidence.get(slug, "")
                quoted = f": “{escape_markdown(excerpt)}”" if excerpt else ""
                lines.append(f"- {ref(slug)}{quoted}")
            if len(ordered) > MEMBERS_LISTED:
                lines.append(f"- and {len(ordered) - MEMBERS_LISTED} more (see the review page)")
            lines.append("")
        if section.one_offs:
            shown = ", ".join(ref(slug) for slug in section.one_offs[:ONE_OFFS_LISTED])
            more = len(section.one_offs) - ONE_OFFS_LISTED
            tail = f" and {more} more" if more > 0 else ""
            lines += [f"One-offs: {shown}{tail}.", ""]
    lines += ["## Roadmap input", ""]
    repeated = [
        pattern for dimension in DIMENSION_TITLES for pattern in getattr(report, dimension).patterns
    ]
    if not repeated:
        lines.append("Nothing repeated this quarter.")
    for pattern in repeated:
        lines.append(
            f"- {escape_markdown(pattern.label)} ({len(pattern.members)} postmortems): "
            "systemic change _to decide_ — owner: _to decide_ — due: _to decide_"
        )
    return "\n".join(lines) + "\n"


def _figures_line(report: CorpusReport) -> str:
    figures = report.response_figures
    line = (
        f"Median page → acknowledgement: {minutes_text(figures.median_page_to_ack)}; "
        f"page → mitigation: {minutes_text(figures.median_page_to_mitigation)} "
        f"({figures.counted} postmortem{'' if figures.counted == 1 else 's'} with a timed page)."
    )
    if report.previous_figures:
        last = report.previous_figures[-1]
        line += (
            f" {last.quarter}: {minutes_text(last.figures.median_page_to_ack)} and "
            f"{minutes_text(last.figures.median_page_to_mitigation)}."
        )
    return line
