"""The Django side of the specificity checker: the team's lexicons, and what blocks publishing."""

from __future__ import annotations

from functools import cache

from django.conf import settings

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
