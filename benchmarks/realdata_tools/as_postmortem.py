"""A real public postmortem (Markdown or text) -> the fields the review's adapter reads.

A simple heading-based reader, not the full foreign importer: each section goes by its
heading's words to Why (root cause, what allowed this, technical cause, whys), What broke
(summary, what happened, impact, details, fault, background), or "what kept it broken"
(detection -> a detection lag; response, resolution, recovery, what went wrong, fallout ->
a response lag; lessons -> either). Without a Why section the summary and first paragraphs
stand in for it. Nothing here is tuned on test documents.
"""

from __future__ import annotations

import re

from analytics.clustering import LagText, PostmortemText

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s*(.+?)\s*#*\s*$|^\s*\*\*(.+?)\*\*\s*:?\s*$", re.M)
WHY = ("root cause", "cause", "why", "what allowed", "contributing", "trigger")
BROKE = (
    "summary",
    "what happened",
    "impact",
    "details",
    "fault",
    "background",
    "overview",
    "description",
    "incident",
    "fallout",
    "leadup",
    "issue",
)
DETECTION = ("detect", "monitor", "alert", "discover")
RESPONSE = (
    "response",
    "resolution",
    "recovery",
    "what went wrong",
    "mitigat",
    "fix",
    "investigation",
    "escalat",
)
SKIP = (
    "timeline",
    "action item",
    "thanks",
    "reference",
    "link",
    "what went well",
    "lucky",
    "disclosure",
    "improvement",
    "corrective",
    "appendix",
    "supporting",
    "follow",
)
SECTION_CHARS = 3000


def _plain(text: str) -> str:
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[*_`>|]", " ", text)
    text = re.sub(r"^\s*[-+]\s+", "", text, flags=re.M)
    return re.sub(r"[ \t]+", " ", text).strip()


def sections(text: str) -> list[tuple[str, str]]:
    """(heading, body) pairs in order; text before the first heading has heading ""."""
    out, last, heading = [], 0, ""
    for match in _HEADING.finditer(text):
        out.append((heading, text[last : match.start()]))
        heading = (match.group(2) or match.group(3) or "").strip().lower()
        last = match.end()
    out.append((heading, text[last:]))
    return [(h, _plain(b)) for h, b in out if b.strip()]


def _has(heading: str, words: tuple[str, ...]) -> bool:
    return any(w in heading for w in words)


def as_postmortem(doc_id: str, text: str, *, quarter: str = "2026Q3") -> PostmortemText:
    why, broke, lags, lead = [], [], [], []
    for heading, body in sections(text):
        body = body[:SECTION_CHARS]
        if not heading:
            lead.append(body)
        elif _has(heading, SKIP):
            continue
        elif _has(heading, DETECTION):
            lags.append(LagText("detection", body))
        elif _has(heading, WHY):
            why.append(body)
        elif _has(heading, RESPONSE):
            lags.append(LagText("response", body))
        elif _has(heading, ("lesson", "learn", "what went wrong")):
            lags.append(LagText("other", body))
        elif _has(heading, BROKE):
            broke.append(body)
    if not why:
        why = (broke or lead)[:1]
        broke = broke[1:] if broke and why == broke[:1] else broke
    if not broke and lead:
        broke = lead[:1]
    return PostmortemText(
        slug=doc_id,
        quarter=quarter,
        why="\n".join(why),
        what_broke="\n".join(broke),
        lags=tuple(lags),
        title=doc_id,
    )
