"""Recognising another template's headings: which house part each one maps to.

The synonym table is data (``headings.toml``); teams add their own phrases with extra TOML
files of the same layout, the way the checker's lexicons are extended.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_TABLE = Path(__file__).with_name("headings.toml")
PARTS = (
    "summary",
    "impact",
    "timeline",
    "what_broke",
    "why",
    "detection",
    "response",
    "lags",
    "figures",
    "changes",
    "date",
    "authors",
    "status",
    "severity",
    "kept",
)
# How the preview names each part, in the words of the house page.
PART_LABELS = {
    "summary": "User impact / What broke (by sentence)",
    "impact": "User impact",
    "timeline": "Timeline",
    "what_broke": "What broke",
    "why": "Why",
    "detection": "What kept it broken longer (detection)",
    "response": "What kept it broken longer (response)",
    "lags": "What kept it broken longer",
    "figures": "What kept it broken longer (figures)",
    "changes": "Specific changes",
    "date": "Incident date",
    "authors": "Authors",
    "status": "Status",
    "severity": "Severity",
    "kept": "Kept as an extra section",
}

_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*[.)]?|[ivx]+[.)]|[a-z][.)])\s+", re.IGNORECASE)
_NOTE = re.compile(r"\s*[\(\[][^)\]]*[\)\]]\s*$")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_EMOJI = re.compile(r"[^\w\s'’\-:/&()\[\].,?!]", re.UNICODE)


def normalize_heading(text: str) -> str:
    """Lower case, no emphasis, numbering, emoji, trailing ``(note)`` or punctuation."""
    name = _EMOJI.sub(" ", text.replace("*", "").replace("_", " ").replace("`", "")).strip()
    name = _NUMBERING.sub("", name)
    name = _NOTE.sub("", name)
    name = _LEADING_THE.sub("", name)
    return _NOT_WORD.sub(" ", name.lower()).strip()


def match_key(name: str) -> str:
    """A normalized heading with plurals folded, so "measure" finds "measures"."""
    return " ".join(
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in name.split()
    )


@dataclass(frozen=True)
class HeadingTable:
    """Normalized phrase -> part, and the phrases longest first for "contains" matching."""

    exact: dict[str, str]
    by_length: tuple[tuple[str, str], ...]
    first: tuple[str, ...] = ()

    def part_of(self, heading: str) -> str | None:
        """The part a heading maps to, or None when it names nothing known."""
        name = match_key(normalize_heading(heading))
        if not name:
            return None
        if name in self.exact:
            return self.exact[name]
        padded = f" {name} "
        for phrase, part in self.by_length:
            # Single short words ("why", "date") only count as the whole heading, or
            # "Why we were surprised" and "Update the date field" would map.
            if " " not in phrase and len(phrase) < 5:
                continue
            if f" {phrase} " in padded:
                return part
        return None


def load_table(extra_files: tuple[str, ...] = ()) -> HeadingTable:
    """The default table, extended (never replaced) by each extra TOML file in order."""
    return _load_table(tuple(str(path) for path in extra_files))


@lru_cache(maxsize=8)
def _load_table(extra_files: tuple[str, ...]) -> HeadingTable:
    exact: dict[str, str] = {}
    first: list[str] = []
    for path in (str(DEFAULT_TABLE), *extra_files):
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
        first += [part for part in data.get("contains_first", []) if part not in first]
        for part, phrases in data.get("parts", {}).items():
            if part not in PARTS:
                raise ValueError(f"{path}: unknown part {part!r}; use one of {', '.join(PARTS)}")
            for phrase in phrases:
                exact[match_key(normalize_heading(phrase))] = part
    exact.pop("", None)
    ordered = tuple(
        sorted(exact.items(), key=lambda item: (item[1] not in first, -len(item[0]), item[0]))
    )
    return HeadingTable(exact=exact, by_length=ordered, first=tuple(first))
