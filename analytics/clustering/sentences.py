"""Postmortem -> the sentences each dimension reads, with the section (anchor) each came from.

One reader for production and the benchmark: both hand ``PostmortemText`` here. Lags of kind
"other" (a team that writes "what kept it broken" as prose, or a foreign document) go to both
lag dimensions; the taxonomy's scores decide where, if anywhere, they belong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import PostmortemText
from .words import sentences

# Section anchors of the postmortem page (templates/postmortems/detail.html).
ANCHOR_WHY = "why"
ANCHOR_WHAT_BROKE = "what-broke"
ANCHOR_KEPT_BROKEN = "kept-broken"
ANCHOR_TIMELINE = "timeline"
# Shorter "sentences" are headings, list stubs or numbers: nothing to place by.
MIN_SENTENCE_CHARS = 12
# Each dimension reads at most this many sentences of a postmortem: long foreign documents
# would otherwise cost time in proportion to their length and drown the cause in narrative.
MAX_SENTENCES = 40

DETECTION_KINDS = {"detection", "other"}
RESPONSE_KINDS = {"response", "escalation", "other"}
# Most teams tell how they found out and how they responded inside the story (What broke,
# Why), not in a lag list: such sentences also speak for the lag dimensions.
_NOTICING = re.compile(
    r"\b(?:notic\w*|detect\w*|discover\w*|alert\w*|page[ds]?|paging|monitor\w*|report\w*|"
    r"found out|realis\w*|realiz\w*|spotted|became aware|flagged|on-?call)\b",
    re.IGNORECASE,
)
_RESPONDING = re.compile(
    r"\b(?:roll\w* ?back|revert\w*|restor\w*|mitigat\w*|recover\w*|escalat\w*|"
    r"investigat\w*|restart\w*|failover|fail(?:ed)? over|hotfix\w*|workaround|took \w+ "
    r"(?:hours?|minutes?|days?)|waited|waiting|runbook|access)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    text: str
    anchor: str
    # Why names the cause, What broke the mechanism: its sentences weigh a little less.
    weight: float = 1.0


def dimension_sentences(doc: PostmortemText, dimension: str) -> list[Sentence]:
    """The sentences of ``doc`` that can place it in one dimension (possibly none)."""
    if dimension == "root_causes":
        out = [Sentence(s, ANCHOR_WHY, 1.0) for s in sentences(doc.why)]
        out += [Sentence(s, ANCHOR_WHAT_BROKE, 0.9) for s in sentences(doc.what_broke)]
    else:
        kinds = DETECTION_KINDS if dimension == "detection_gaps" else RESPONSE_KINDS
        out = [
            Sentence(s, ANCHOR_KEPT_BROKEN, 1.0 if lag.kind != "other" else 0.9)
            for lag in doc.lags
            if lag.kind in kinds
            for s in sentences(lag.text)
        ]
        remark = _NOTICING if dimension == "detection_gaps" else _RESPONDING
        out += [
            Sentence(s, anchor, 0.8)
            for text, anchor in ((doc.what_broke, ANCHOR_WHAT_BROKE), (doc.why, ANCHOR_WHY))
            for s in sentences(text)
            if remark.search(s)
        ]
        if dimension == "response_lags":
            out += [Sentence(s, ANCHOR_TIMELINE, 0.8) for s in _timeline_sentences(doc)]
    return [s for s in out if len(s.text) >= MIN_SENTENCE_CHARS][:MAX_SENTENCES]


def dimension_minutes(doc: PostmortemText, dimension: str) -> float | None:
    """Minutes the postmortem names for this dimension's lags (None when it names none)."""
    if dimension == "root_causes":
        return None
    kinds = {"detection"} if dimension == "detection_gaps" else {"response", "escalation"}
    named = [lag.minutes for lag in doc.lags if lag.kind in kinds and lag.minutes is not None]
    if dimension == "response_lags" and not named and doc.page_to_mitigation_minutes:
        named = [doc.page_to_mitigation_minutes]
    return float(sum(named)) if named else None


def _timeline_sentences(doc: PostmortemText) -> list[str]:
    parts = []
    if doc.page_to_ack_minutes is not None and doc.page_to_ack_minutes > 5:
        parts.append(f"The page was not acknowledged for {doc.page_to_ack_minutes:g} minutes.")
    if doc.page_to_mitigation_minutes is not None and doc.page_to_mitigation_minutes > 30:
        parts.append(f"Mitigation came {doc.page_to_mitigation_minutes:g} minutes after the page.")
    return parts
