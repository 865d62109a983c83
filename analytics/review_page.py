"""What the review page shows of a stored report: every pattern, and only its first members.

A 1,000-postmortem quarter has thousands of members, each with its evidence and a correction
form: listed in full that was megabytes of HTML per view. The page lists the first
MEMBERS_SHOWN of each pattern; the rest come MEMBERS_CHUNK at a time when a reader opens them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import quote

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse

from .charts import trend_chart
from .clustering import recurrence_phrase
from .report_output import DIMENSION_TITLES
from .report_storage import TREND_QUARTERS

# Members listed with their evidence before the rest fold away.
MEMBERS_SHOWN = 4
ONE_OFFS_SHOWN = 8
# Members loaded at once when a reader opens the rest of a pattern.
MEMBERS_CHUNK = 50
TREND_SERIES = (("ack", "page → acknowledgement"), ("mitigation", "page → mitigation"))
# A cached rendering is checked on every use; the timeout only frees memory.
CACHE_SECONDS = 24 * 3600
# How a request names a dimension's one-offs instead of one of its patterns.
ONE_OFFS = "one-offs"

TitlesOf = Callable[[Iterable[str]], dict[str, str]]


def evidence_link(url: str, anchor: str, sentence: str) -> str:
    """The postmortem's section, scrolled to the sentence where the browser supports text
    fragments (the first and last words of the sentence)."""
    if not anchor:
        return url
    words = sentence.split()
    if len(words) < 2:
        return f"{url}#{anchor}"
    if len(words) > 7:
        start, end = " ".join(words[:4]), " ".join(words[-3:])
        fragment = f"{quote(start, safe='')},{quote(end, safe='')}"
    else:
        fragment = quote(sentence, safe="")
    return f"{url}#{anchor}:~:text={fragment}"


def _member(slug: str, titles: dict[str, str], ref: str, pattern=None) -> dict:
    url = reverse("postmortem_detail", args=[slug])
    evidence = pattern.evidence.get(slug, "") if pattern else ""
    anchor = pattern.anchors.get(slug, "") if pattern else ""
    return {
        "slug": slug,
        "ref": ref,
        "title": titles.get(slug, slug),
        "url": url,
        "evidence": evidence,
        "evidence_url": evidence_link(url, anchor, evidence),
        "confidence": pattern.confidence.get(slug) if pattern else None,
        "confirmed": bool(pattern and slug in pattern.confirmed),
    }


def page_dimensions(report, titles_of: TitlesOf) -> list[dict]:
    """Each dimension's patterns, with their first members, for the review page."""
    sections = [(key, title, getattr(report, key)) for key, title in DIMENSION_TITLES.items()]
    titles = titles_of(
        {
            slug
            for _, _, section in sections
            for slug in (
                *section.one_offs[:ONE_OFFS_SHOWN],
                *(s for p in section.patterns for s in p.members[:MEMBERS_SHOWN]),
            )
        }
    )
    largest = max((len(p.members) for _, _, s in sections for p in s.patterns), default=1)
    dimensions = []
    for key, title, section in sections:
        patterns = []
        for index, p in enumerate(section.patterns):
            ref = str(index)
            patterns.append(
                {
                    "key": p.key,
                    "ref": ref,
                    "label": p.label,
                    "terms": p.terms,
                    "size": len(p.members),
                    "width": round(100 * len(p.members) / largest),
                    "recurring_quarters": p.recurring_quarters,
                    "recurrence": recurrence_phrase(p.recurring_quarters),
                    "median_minutes": p.median_minutes,
                    "members": [_member(s, titles, ref, p) for s in p.members[:MEMBERS_SHOWN]],
                    "shown": min(len(p.members), MEMBERS_SHOWN),
                    "more": max(0, len(p.members) - MEMBERS_SHOWN),
                }
            )
        dimensions.append(
            {
                "key": key,
                "title": title,
                "patterns": patterns,
                "one_offs": [
                    _member(s, titles, ONE_OFFS) for s in section.one_offs[:ONE_OFFS_SHOWN]
                ],
                "one_offs_count": len(section.one_offs),
                "one_offs_shown": min(len(section.one_offs), ONE_OFFS_SHOWN),
                "one_offs_more": max(0, len(section.one_offs) - ONE_OFFS_SHOWN),
            }
        )
    return dimensions


def trend(report):
    rows = [
        (item.quarter, (item.figures.median_page_to_ack, item.figures.median_page_to_mitigation))
        for item in report.previous_figures[-(TREND_QUARTERS - 1) :]
    ]
    figures = report.response_figures
    rows.append((report.quarter, (figures.median_page_to_ack, figures.median_page_to_mitigation)))
    return trend_chart(rows, TREND_SERIES), rows


def report_html(review, *, can_run: bool, titles_of: TitlesOf) -> str:
    """The report's patterns and response-lag trend as the review page shows them, rendered
    once per report version and role and then cached.

    Exact: the key holds the review's version (one more on every save of its report), and a
    cached copy is used only while the titles it shows are still the titles in the database
    (one query for the few hundred it names). A miss reads and decodes the whole report.
    """
    key = (
        f"review-report:{review.pk}:{review.version}:"
        f"{review.generated_at.isoformat()}:{int(can_run)}"
    )
    cached = cache.get(key)
    if cached is not None and titles_of(cached["slugs"]) == cached["titles"]:
        return cached["html"]
    asked: dict = {}

    def remembering(slugs):
        asked["slugs"] = sorted(slugs)
        asked["titles"] = titles_of(asked["slugs"])
        return asked["titles"]

    report = review.corpus_report()
    chart, trend_rows = trend(report)
    html = render_to_string(
        "analytics/review.html#report_body",
        {
            "report": report,
            "dimensions": page_dimensions(report, remembering),
            "chart": chart,
            "trend_rows": trend_rows,
            "quarter": review.quarter,
            "can_run": can_run,
        },
    )
    cache.set(key, {**asked, "html": html}, timeout=CACHE_SECONDS)
    return html


def members_chunk(
    report, *, dimension: str, ref: str, start: int, titles_of: TitlesOf, slug: str = ""
) -> dict:
    """MEMBERS_CHUNK members of one pattern (or of the one-offs) from ``start``; with ``slug``,
    only that member. LookupError when the report holds no such dimension, pattern or member.
    """
    if dimension not in DIMENSION_TITLES:
        raise LookupError(f"No dimension {dimension!r}.")
    section = getattr(report, dimension)
    if ref == ONE_OFFS:
        pattern, slugs, label = None, section.one_offs, "One-offs"
    elif ref.isdigit() and int(ref) < len(section.patterns):
        pattern = section.patterns[int(ref)]
        slugs, label = pattern.members, pattern.label
    else:
        raise LookupError(f"No pattern {ref!r} in {dimension}.")
    if slug:
        if slug not in slugs:
            raise LookupError(f"{slug!r} is not in this pattern.")
        chosen, start, following = [slug], slugs.index(slug), None
    else:
        start = max(0, start)
        chosen = list(slugs[start : start + MEMBERS_CHUNK])
        following = start + MEMBERS_CHUNK if start + MEMBERS_CHUNK < len(slugs) else None
    titles = titles_of(chosen)
    return {
        "dimension": {
            "key": dimension,
            "title": DIMENSION_TITLES[dimension],
            "patterns": [{"key": p.key, "label": p.label} for p in section.patterns],
        },
        "pattern": {"key": pattern.key, "label": pattern.label} if pattern else None,
        "ref": ref,
        "label": label,
        "total": len(slugs),
        "start": start,
        "members": [_member(s, titles, ref, pattern) for s in chosen],
        "next_start": following,
        "next_count": min(MEMBERS_CHUNK, len(slugs) - following) if following else 0,
    }
