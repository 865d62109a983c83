"""Reviewer corrections: confirmed tags that win over the model, applied to any report.

A confirmed tag says "in this dimension, this postmortem belongs to pattern KEY (named NAME)"
or "is not part of any pattern". The same function applies tags after a fresh placement and to
a stored report the moment a reviewer corrects it, so the page, the document and every later
review agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .model import DIMENSIONS, CorpusReport, DimensionReport, Pattern


@dataclass(frozen=True)
class ConfirmedTag:
    """One reviewer decision about one postmortem in one dimension.

    ``key`` names a taxonomy class or a reviewer-made pattern; ``name`` (optional) is what the
    pattern is called from now on; ``sentence`` is the member's evidence, kept so that the tag
    also serves as a confirmed example when placing new postmortems.
    """

    slug: str
    dimension: str
    key: str = ""
    name: str = ""
    not_pattern: bool = False
    sentence: str = ""
    anchor: str = ""


def pattern_key(name: str) -> str:
    """A key for a pattern a reviewer creates by name ("Cache stampedes" -> "cache-stampedes")."""
    words = "".join(ch if ch.isalnum() else " " for ch in name.lower()).split()
    return "-".join(words)[:60] or "pattern"


def apply_corrections(
    report: CorpusReport,
    tags: Sequence[ConfirmedTag],
    *,
    names: Mapping[tuple[str, str], str] | None = None,
    min_pattern_size: int = 2,
) -> CorpusReport:
    """The report with every tag's postmortem moved where the tag says (later tags win).

    Tags of postmortems the report does not contain are ignored. ``names`` maps
    (dimension, key) to a display name for patterns the tags create. A pattern left with fewer
    than ``min_pattern_size`` members stops being one unless a reviewer put its members there.
    """
    names = dict(names or {})
    latest: dict[tuple[str, str], ConfirmedTag] = {}
    for tag in tags:
        latest[(tag.dimension, tag.slug)] = tag
        if tag.name and tag.key:
            names[(tag.dimension, tag.key)] = tag.name
    updated = {}
    for dimension in DIMENSIONS:
        section: DimensionReport = getattr(report, dimension)
        mine = {slug: tag for (dim, slug), tag in latest.items() if dim == dimension}
        known = {m for p in section.patterns for m in p.members} | set(section.one_offs)
        mine = {slug: tag for slug, tag in mine.items() if slug in known}
        renamed = {key: name for (dim, key), name in names.items() if dim == dimension}
        if not mine and not renamed:
            updated[dimension] = section
            continue
        updated[dimension] = _apply(section, mine, renamed, min_pattern_size)
    return replace(report, **updated)


def _apply(
    section: DimensionReport,
    tags: dict[str, ConfirmedTag],
    names: dict[str, str],
    min_pattern_size: int,
) -> DimensionReport:
    patterns: dict[str, dict] = {}
    one_offs = set(section.one_offs) - set(tags)
    for index, pattern in enumerate(section.patterns):
        key = pattern.key or f"pattern-{index}"
        kept = [m for m in pattern.members if m not in tags]
        patterns[key] = {
            "pattern": pattern,
            "members": kept,
            "evidence": {m: pattern.evidence[m] for m in kept if m in pattern.evidence},
            "confidence": {m: pattern.confidence[m] for m in kept if m in pattern.confidence},
            "anchors": {m: pattern.anchors[m] for m in kept if m in pattern.anchors},
            "confirmed": [m for m in pattern.confirmed if m in kept],
        }
    evidence_of = {m: p.evidence.get(m, "") for p in section.patterns for m in p.members}
    anchor_of = {m: p.anchors.get(m, "") for p in section.patterns for m in p.members}
    for slug, tag in sorted(tags.items()):
        if tag.not_pattern or not tag.key:
            one_offs.add(slug)
            continue
        target = patterns.setdefault(
            tag.key,
            {
                "pattern": Pattern(
                    label=names.get(tag.key) or tag.name or tag.key, terms=(), members=()
                ),
                "members": [],
                "evidence": {},
                "confidence": {},
                "anchors": {},
                "confirmed": [],
            },
        )
        target["members"].append(slug)
        target["confirmed"].append(slug)
        target["confidence"][slug] = 1.0
        sentence = tag.sentence or evidence_of.get(slug, "")
        if sentence:
            target["evidence"][slug] = sentence
        anchor = tag.anchor or anchor_of.get(slug, "")
        if anchor:
            target["anchors"][slug] = anchor
    out = []
    for key, item in patterns.items():
        members = sorted(item["members"])
        if not members:
            continue
        if len(members) < min_pattern_size and not item["confirmed"]:
            one_offs.update(members)
            continue
        out.append(
            replace(
                item["pattern"],
                key=key,
                label=names.get(key) or item["pattern"].label,
                members=tuple(members),
                evidence=dict(sorted(item["evidence"].items())),
                confidence=dict(sorted(item["confidence"].items())),
                anchors=dict(sorted(item["anchors"].items())),
                confirmed=tuple(sorted(item["confirmed"])),
            )
        )
    out.sort(key=lambda p: (-len(p.members), p.label, p.members))
    return DimensionReport(patterns=tuple(out), one_offs=tuple(sorted(one_offs)))
