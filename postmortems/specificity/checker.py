"""The public checks: one phrase, one section, a whole postmortem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from .cross_checks import find_cross_section_problems
from .phrase_view import PhraseView, apply_phrase_rules
from .results import (
    ANTI_PATTERN,
    CONCRETE,
    OVERALL_ANTI_PATTERNS,
    OVERALL_NEEDS_DETAIL,
    OVERALL_SPECIFIC,
    VAGUE,
    VERDICT_ANTI_PATTERN,
    VERDICT_EMPTY,
    VERDICT_SPARSE,
    VERDICT_SPECIFIC,
    PhraseResult,
    PostmortemResult,
    SectionResult,
    Span,
)
from .ruleset import SECTIONS, Ruleset, default_ruleset, require_section
from .section_rules import SECTION_RULES
from .splitting import split_phrases
from .structure import find_structural_trap, personalise

SECTION_CACHE_SIZE: Final = 4096
PHRASE_CACHE_SIZE: Final = 32768


def check_phrase(section: str, text: str, *, ruleset: Ruleset | None = None) -> PhraseResult:
    """Tag ``text`` as ONE phrase of ``section``: concrete, vague or anti-pattern, with reasons.

    Raises UnknownSection for a section key not in SECTIONS.
    """
    require_section(section)
    stripped = text.strip()
    start = text.find(stripped) if stripped else 0
    return _check_span(
        section, stripped, start, start + len(stripped), ruleset or default_ruleset()
    )


def _check_span(section: str, text: str, start: int, end: int, ruleset: Ruleset) -> PhraseResult:
    view = PhraseView(text, ruleset, section)
    tagging = apply_phrase_rules(section, view)
    if tagging is None or tagging.tag != ANTI_PATTERN:
        # A trap wins over specifics: blame, restatement and aspiration come before the
        # section's own test of what is concrete.
        tagging = find_structural_trap(section, view) or tagging or SECTION_RULES[section](view)
    suggestion = tagging.suggestion
    if tagging.tag != CONCRETE:
        # Every vague or anti-pattern phrase comes with a way out, in its own words.
        base = suggestion or ruleset.first_pattern[section]
        suggestion = personalise(section, view, tagging, base)
    return PhraseResult(text, tagging.tag, tagging.reasons, suggestion, start, end)


def _check_span_memo(
    section: str, text: str, start: int, end: int, ruleset: Ruleset
) -> PhraseResult:
    """_check_span, remembered per (section, phrase): an edit changes one phrase of a section,
    and the others come back on the next keystroke unchanged."""
    key = (section, text)
    hit = ruleset.phrase_cache.get(key)
    if hit is None:
        if len(ruleset.phrase_cache) >= PHRASE_CACHE_SIZE:
            ruleset.phrase_cache.clear()
        hit = ruleset.phrase_cache[key] = _check_span(section, text, 0, len(text), ruleset)
    if hit.start == start and hit.end == end:
        return hit
    return PhraseResult(hit.text, hit.tag, hit.reasons, hit.suggestion, start, end)


def row_spans(rows: Sequence[str]) -> list[Span]:
    """One phrase per structured row, with offsets into the rows joined by newlines."""
    spans, offset = [], 0
    for row in rows:
        stripped = row.strip()
        if stripped:
            start = offset + row.find(stripped)
            spans.append(Span(start, start + len(stripped), stripped))
        offset += len(row) + 1
    return spans


def check_section(
    section: str, text: str | Sequence[str], *, ruleset: Ruleset | None = None
) -> SectionResult:
    """Split ``text`` into phrases, tag each, and give the section's verdict.

    ``text`` is a section's free text, or a sequence of its structured rows (timeline lines,
    lags, changes, commitments), each row taken as one phrase without splitting.

    Verdict: ``anti-pattern`` if any phrase is one; ``empty`` with no phrases; ``specific`` when
    every phrase is concrete and there are at least the section's ``min_concrete`` of them;
    ``sparse`` otherwise.
    """
    require_section(section)
    ruleset = ruleset or default_ruleset()
    key = (section, text if isinstance(text, str) else tuple(text))
    cached = ruleset.section_cache.get(key)
    if cached is not None:
        return cached
    spans = split_phrases(section, text) if isinstance(text, str) else row_spans(text)
    phrases = tuple(
        _check_span_memo(section, span.text, span.start, span.end, ruleset) for span in spans
    )
    result = SectionResult(section, _section_verdict(section, phrases, ruleset), phrases)
    if len(ruleset.section_cache) >= SECTION_CACHE_SIZE:
        ruleset.section_cache.clear()
    ruleset.section_cache[key] = result
    return result


def _section_verdict(section: str, phrases: tuple[PhraseResult, ...], ruleset: Ruleset) -> str:
    if not phrases:
        return VERDICT_EMPTY
    tags = [p.tag for p in phrases]
    if ANTI_PATTERN in tags:
        return VERDICT_ANTI_PATTERN
    if VAGUE in tags or tags.count(CONCRETE) < ruleset.min_concrete[section]:
        return VERDICT_SPARSE
    return VERDICT_SPECIFIC


def check_postmortem(
    sections: Mapping[str, str | Sequence[str]], *, ruleset: Ruleset | None = None
) -> PostmortemResult:
    """Check every section (missing keys count as empty) and the rules that span sections.

    A section is free text, or a sequence of structured rows (see ``check_section``).

    Overall verdict: "Anti-patterns present" if any phrase is an anti-pattern; "Specific enough
    to act on" when every section is specific and no cross-section finding remains; otherwise
    "Needs detail". Raises UnknownSection for a key not in SECTIONS.
    """
    for key in sections:
        require_section(key)
    ruleset = ruleset or default_ruleset()
    results = {
        key: check_section(key, sections.get(key) or "", ruleset=ruleset) for key in SECTIONS
    }
    why = sections.get("why") or ""
    findings = find_cross_section_problems(
        results, why if isinstance(why, str) else "\n".join(why), ruleset
    )
    verdicts = [r.verdict for r in results.values()]
    if VERDICT_ANTI_PATTERN in verdicts:
        overall = OVERALL_ANTI_PATTERNS
    elif all(v == VERDICT_SPECIFIC for v in verdicts) and not findings:
        overall = OVERALL_SPECIFIC
    else:
        overall = OVERALL_NEEDS_DETAIL
    return PostmortemResult(results, findings, overall)
