"""Tokenising and light stemming shared by the lexicon matcher and the word features.

Deliberately small: a full Porter stemmer would merge more variants, but this one is
predictable, has no dependency, and the lexicon's prefix terms ("expir*") cover the rest.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_VOWELS = set("aeiouy")


def tokens(text: str) -> list[str]:
    """Lower-cased alphanumeric runs; every other character separates tokens."""
    return _TOKEN.findall(text.lower())


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Strip plural, past and progressive endings so "dropped", "drops" and "drop" meet."""
    word = token
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    stripped = False
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            candidate = word[: -len(suffix)]
            if any(ch in _VOWELS for ch in candidate):
                word = candidate
                stripped = True
            break
    if stripped and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    if word.endswith("ation") and len(word) > 7:
        word = word[:-3]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def stemmed_tokens(text: str) -> list[str]:
    """``tokens`` of the text, each stemmed."""
    return [stem(t) for t in tokens(text)]


def sentences(text: str) -> list[str]:
    """Split a section into sentences (and lines), dropping blanks."""
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
