"""Phrase-specificity checker for postmortems: Python (hot modules compiled when built), no Django.

Splits each section into phrases and tags every phrase ``concrete``, ``vague`` or
``anti-pattern`` with reasons and a rewrite suggestion; gives each section a verdict and the
postmortem an overall verdict, plus findings that span sections. Lexicons and patterns live in
``default_rules.toml``; teams extend them with ``load_ruleset(extra_file, ...)``.

The hot modules run compiled (mypyc) where they have been built from these very sources, and
as Python otherwise: ``native`` decides, on import, before any of them is imported.
"""

from . import native  # noqa: F401 - first: it decides where the hot modules come from
from .checker import check_phrase, check_postmortem, check_section
from .library import phrase_library
from .results import (
    ANTI_PATTERN,
    CONCRETE,
    OVERALL_ANTI_PATTERNS,
    OVERALL_NEEDS_DETAIL,
    OVERALL_SPECIFIC,
    TAGS,
    VAGUE,
    VERDICT_ANTI_PATTERN,
    VERDICT_EMPTY,
    VERDICT_SPARSE,
    VERDICT_SPECIFIC,
    Finding,
    LibraryPhrase,
    PhraseResult,
    PostmortemResult,
    SectionResult,
    Span,
)
from .ruleset import SECTIONS, Ruleset, RulesetError, UnknownSection, load_ruleset
from .splitting import split_phrases

__all__ = [
    "ANTI_PATTERN",
    "CONCRETE",
    "OVERALL_ANTI_PATTERNS",
    "OVERALL_NEEDS_DETAIL",
    "OVERALL_SPECIFIC",
    "SECTIONS",
    "TAGS",
    "VAGUE",
    "VERDICT_ANTI_PATTERN",
    "VERDICT_EMPTY",
    "VERDICT_SPARSE",
    "VERDICT_SPECIFIC",
    "Finding",
    "LibraryPhrase",
    "PhraseResult",
    "PostmortemResult",
    "Ruleset",
    "RulesetError",
    "SectionResult",
    "Span",
    "UnknownSection",
    "check_phrase",
    "check_postmortem",
    "check_section",
    "load_ruleset",
    "phrase_library",
    "split_phrases",
]
