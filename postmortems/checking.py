"""The Django side of the specificity checker: the team's lexicons, and what blocks publishing."""

from __future__ import annotations

from functools import cache
from html import escape

from django.conf import settings
from django.utils.safestring import mark_safe

from .snapshot import SECTION_TITLES


@cache
def _ruleset(extra: tuple[str, ...]):
    from .specificity import load_ruleset

    return load_ruleset(*extra)


def ruleset():
    """The default lexicon extended by the files named in HINDSIGHT_SPECIFICITY_LEXICONS."""
    return _ruleset(tuple(settings.HINDSIGHT_SPECIFICITY_LEXICONS))


def check_sections(texts: dict[str, str]):
    from .specificity import check_postmortem

    return check_postmortem(texts, ruleset=ruleset())


# Verdicts computed ahead of a write (an import's second process), keyed by the exact inputs
# they were computed from; a write takes its own out once. Bounded: a verdict nobody took
# (the document failed validation) is dropped when the memo fills.
_KNOWN_VERDICTS: dict[tuple, str] = {}
KNOWN_VERDICTS_MAX = 5000


def inputs_key(inputs: dict) -> tuple:
    """A hashable form of ``check_sections``' inputs (section texts, or lists of row lines)."""
    return tuple(
        (key, value if isinstance(value, str) else tuple(value))
        for key, value in sorted(inputs.items())
    )


def remember_verdicts(pairs: list[tuple[tuple, str]]) -> None:
    if len(_KNOWN_VERDICTS) + len(pairs) > KNOWN_VERDICTS_MAX:
        _KNOWN_VERDICTS.clear()
    _KNOWN_VERDICTS.update(pairs)


def verdict_of(inputs: dict) -> str:
    """The overall verdict for these inputs: remembered when computed ahead, else checked."""
    # Most writes (the editor, a one-chunk import) have nothing remembered: skip the key.
    known = _KNOWN_VERDICTS.pop(inputs_key(inputs), None) if _KNOWN_VERDICTS else None
    return known if known is not None else check_sections(inputs).verdict


def anti_patterns(result) -> list[tuple[str, str]]:
    """(section title, phrase) for every phrase tagged anti-pattern."""
    return [
        (SECTION_TITLES[key], phrase.text)
        for key, section in result.sections.items()
        for phrase in section.phrases
        if phrase.tag == "anti-pattern"
    ]


# Where the phrase library inserts text, per section: the free-text box it belongs in.
INSERT_TARGETS = {
    "impact": "id_impact_summary",
    "timeline": "id_timeline_paste",
    "what_broke": "id_what_broke",
    "why": "id_why",
}


def library():
    """Per section: (key, title, textarea id or None, good phrases to insert)."""
    from .specificity import phrase_library

    return [
        (key, title, INSERT_TARGETS.get(key), phrase_library(key, ruleset=ruleset()))
        for key, title in SECTION_TITLES.items()
    ]


def _phrase_html(p) -> str:
    tag = escape(p.tag)
    suggestion = f"<div><em>Try:</em> {escape(p.suggestion)}</div>" if p.suggestion else ""
    return (
        f'<div class="phrase {tag}"><span class="pill {tag}">{tag}</span> \u201c{escape(p.text)}\u201d'
        f'<div class="muted">{escape(" ".join(p.reasons))}</div>{suggestion}</div>'
    )


def phrases_html(section_result):
    """Each phrase with its tag, reasons and suggestion: what needs work first, the concrete
    ones folded away. Built with the standard library's escape rather than the template
    language: it runs on every keystroke, for a hundred phrases."""
    concrete = [p for p in section_result.phrases if p.tag == "concrete"]
    others = [p for p in section_result.phrases if p.tag != "concrete"]
    html = "".join(_phrase_html(p) for p in others)
    if concrete:
        plural = "s" if len(concrete) != 1 else ""
        html += (
            f'<details class="concrete-phrases"><summary>{len(concrete)} concrete phrase{plural}'
            f"</summary>{''.join(_phrase_html(p) for p in concrete)}</details>"
        )
    return mark_safe(html)  # noqa: S308 - every piece above is escaped
