"""The phrase library: good patterns an author can insert into each section."""

from __future__ import annotations

from .results import LibraryPhrase
from .ruleset import Ruleset, default_ruleset, require_section


def phrase_library(section: str, *, ruleset: Ruleset | None = None) -> list[LibraryPhrase]:
    """Good rewrite patterns for ``section`` (from the ruleset's ``[[library]]`` entries)."""
    require_section(section)
    ruleset = ruleset or default_ruleset()
    return [LibraryPhrase(e.label, e.text) for e in ruleset.library if e.section == section]
