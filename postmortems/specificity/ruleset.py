"""Loading the lexicons and patterns (data files) into one compiled, cached ruleset."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from .fast_pattern import FastPattern, LiteralIndex, union_of_gates
from .rule_files import DEFAULT_RULES_PATH, STRUCTURE_RULES_PATH
from .section_patterns import SECTION_PATTERNS

SECTIONS: Final = (
    "impact",
    "timeline",
    "what_broke",
    "why",
    "kept_broken",
    "changes",
    "commitments",
)
_RULE_TAGS: Final = {"anti-pattern", "vague"}
_RESCUES: Final = {None, "specifics", "systemic_cause"}


class UnknownSection(ValueError):
    """Raised for a section key that is not one of SECTIONS."""

    def __init__(self, section: str) -> None:
        super().__init__(f"Unknown section {section!r}; expected one of: {', '.join(SECTIONS)}")
        self.section = section


class RulesetError(ValueError):
    """A rules file is malformed (bad regex, unknown key or tag)."""


@dataclass(frozen=True, slots=True)
class PhraseRule:
    """A lexicon rule: text matching ``pattern`` gets ``tag`` unless rescued."""

    name: str
    tag: str
    sections: frozenset[str]
    pattern: FastPattern
    reason: str
    suggestion: str
    rescued_by: str | None
    vague_when: str | None = None


class Message:
    """A message of the rules with its fields filled in (a plain class: one is made for most
    phrases, and a dataclass's generated __init__ would stay interpreted when compiled)."""

    __slots__ = ("reason", "suggestion")

    def __init__(self, reason: str, suggestion: str | None) -> None:
        self.reason = reason
        self.suggestion = suggestion

    def __repr__(self) -> str:
        return f"Message({self.reason!r}, {self.suggestion!r})"


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    section: str
    label: str
    text: str


class Ruleset:
    """Compiled patterns, phrase rules, messages and settings; build it with load_ruleset()."""

    __slots__ = (
        "patterns",
        "rules_by_section",
        "messages",
        "min_concrete",
        "library",
        "first_pattern",
        "sources",
        "section_cache",
        "words_cache",
        "phrase_cache",
        "literals",
        "rule_literals",
    )

    def __init__(
        self,
        data: dict[str, Any],
        sources: tuple[str, ...],
        base: Ruleset | None = None,
        scan: bool | None = None,
    ) -> None:
        self.sources = sources
        # Memo of check_section results by (section, text): while someone types, six of the
        # seven sections arrive unchanged on every keystroke. Bounded; a pure-function cache.
        self.section_cache: dict[tuple[str, str | tuple[str, ...]], Any] = {}
        self.words_cache: dict[str, frozenset[str]] = {}
        self.phrase_cache: dict[tuple[str, str], Any] = {}
        lexicons = data.get("lexicons", {})
        # A plain dict: it is read on every pattern search, and MappingProxyType costs more.
        self.patterns: dict[str, FastPattern] = {
            name: _compile_alternation(name, expand_lexicons(items, lexicons))
            for name, items in data["patterns"].items()
        }
        rules = [_build_rule(raw, lexicons) for raw in data["rules"]]
        self.rules_by_section = MappingProxyType(
            {
                section: tuple(r for r in rules if "*" in r.sections or section in r.sections)
                for section in SECTIONS
            }
        )
        # A team's ruleset extends the packaged one: its item scanner compiles only the items
        # the packaged rules lack and reuses their database for the rest.
        self.literals: LiteralIndex = LiteralIndex(
            [*self.patterns.values(), *(r.pattern for r in rules)],
            scan=scan,
            scopes={section: self._scanned_in(section) for section in SECTIONS},
            base=base.literals if base is not None else None,
        )
        # Per section, every literal id any of its lexicon rules needs, or None when a rule can
        # match without one: a phrase holding none of them is tagged by no rule (most are).
        self.rule_literals = MappingProxyType(
            {
                section: union_of_gates(
                    r.pattern.gate_union for r in self.rules_by_section[section]
                )
                for section in SECTIONS
            }
        )
        self.messages = MappingProxyType(
            {
                code: Message(raw.get("reason", ""), raw.get("suggestion"))
                for code, raw in data["messages"].items()
            }
        )
        self.min_concrete = MappingProxyType(
            {s: int(data["sections"].get(s, {}).get("min_concrete", 1)) for s in SECTIONS}
        )
        self.library = tuple(
            LibraryEntry(raw["section"], raw["label"], raw["text"]) for raw in data["library"]
        )
        # Each section's first library pattern: the generic shape a rewrite suggestion ends on.
        self.first_pattern = MappingProxyType(
            {
                section: next((e.text for e in self.library if e.section == section), None)
                for section in SECTIONS
            }
        )

    def _scanned_in(self, section: str) -> list[FastPattern]:
        """What a phrase of ``section`` can be searched for: its lexicon rules, the patterns they
        fall back on, and the named patterns the section's code searches."""
        rules = self.rules_by_section[section]
        names = (*SECTION_PATTERNS[section], *(r.vague_when for r in rules if r.vague_when))
        named = [self.patterns[name] for name in dict.fromkeys(names) if name in self.patterns]
        return [*(r.pattern for r in rules), *named]

    def pattern(self, name: str) -> FastPattern:
        """The compiled alternation of every regex listed under ``[patterns].name``."""
        return self.patterns[name]

    def message(self, code: str, **fields: str) -> Message:
        """The reason and suggestion for a structural check, with ``{fields}`` filled in."""
        raw = self.messages[code]
        return Message(_filled(raw.reason, fields) or "", _filled(raw.suggestion, fields))


def _filled(template: str | None, fields: dict[str, str]) -> str | None:
    """``template`` with its ``{fields}``; one with no braces is its own text (format_map would
    copy it, and most messages have no fields)."""
    if not template:
        return None
    if "{" not in template and "}" not in template:
        return template
    try:
        return template.format_map(fields)
    except KeyError:  # a field the message names and the check did not fill: left visible
        return template.format_map(_Lenient(fields))


_LEXICON_REF: Final = re.compile(r"<<(\w+)>>")


def expand_lexicons(items: list[str] | str, lexicons: Mapping[str, list[str] | str]) -> list[str]:
    """Replace each ``<<name>>`` in a pattern by the alternation of the ``[lexicons].name`` words.

    Lexicons keep word lists (roles, fault verbs, aspiration verbs) apart from the grammar that
    combines them, so a team adds "the SRE on duty" to ``agent_role`` and every rule using it
    learns it.
    """
    written = [items] if isinstance(items, str) else list(items)

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in lexicons:
            raise RulesetError(f"pattern refers to unknown lexicon <<{name}>>")
        words = lexicons[name]
        return "(?:" + "|".join([words] if isinstance(words, str) else words) + ")"

    expanded = []
    for item in written:
        for _ in range(3):  # lexicons may refer to lexicons, a few levels deep
            if "<<" not in item:
                break
            item = _LEXICON_REF.sub(replace, item)
        expanded.append(item)
    return expanded


class _Lenient(dict):
    """format_map helper: a team's message may use a field we do not fill; leave it visible."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _compile_alternation(name: str, items: list[str] | str) -> FastPattern:
    items = [items] if isinstance(items, str) else list(items)
    try:
        for item in items:
            re.compile(item)
        return FastPattern(name, items)
    except re.error as exc:
        raise RulesetError(f"pattern {name!r}: {exc}") from exc


def _build_rule(raw: dict[str, Any], lexicons: dict[str, list[str]]) -> PhraseRule:
    name = raw.get("name", raw.get("pattern", "?"))
    tag = raw.get("tag")
    if tag not in _RULE_TAGS:
        raise RulesetError(f"rule {name!r}: tag must be one of {sorted(_RULE_TAGS)}, got {tag!r}")
    sections = frozenset(raw.get("sections", ["*"]))
    unknown = sections - set(SECTIONS) - {"*"}
    if unknown:
        raise RulesetError(f"rule {name!r}: unknown sections {sorted(unknown)}")
    rescued_by = raw.get("rescued_by")
    if rescued_by not in _RESCUES:
        raise RulesetError(f"rule {name!r}: rescued_by must be 'specifics' or 'systemic_cause'")
    try:
        pattern = _compile_alternation(name, expand_lexicons(raw["pattern"], lexicons))
    except (KeyError, RulesetError) as exc:
        raise RulesetError(f"rule {name!r}: bad or missing pattern: {exc}") from exc
    return PhraseRule(
        name=name,
        tag=tag,
        sections=sections,
        pattern=pattern,
        reason=raw.get("reason") or f"Matches the {tag} phrase rule {name!r}.",
        suggestion=raw.get("suggestion") or "Name the artifact, number or owner instead.",
        rescued_by=rescued_by,
        vague_when=raw.get("vague_when"),
    )


def _read_file(path: Path) -> dict[str, Any]:
    try:
        if path.suffix.lower() == ".json":
            return json.loads(path.read_text(encoding="utf-8"))
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, ValueError) as exc:
        raise RulesetError(f"cannot read rules file {path}: {exc}") from exc


def _merge(base: dict[str, Any], extra: dict[str, Any], source: Path) -> None:
    """Extend ``base`` in place: lists grow, tables of settings override key by key."""
    known = {"patterns", "lexicons", "rules", "library", "messages", "sections"}
    unknown = set(extra) - known
    if unknown:
        raise RulesetError(f"{source}: unknown top-level keys {sorted(unknown)}")
    for name, items in extra.get("patterns", {}).items():
        items = [items] if isinstance(items, str) else list(items)
        base["patterns"].setdefault(name, []).extend(items)
    for name, words in extra.get("lexicons", {}).items():
        words = [words] if isinstance(words, str) else list(words)
        base["lexicons"].setdefault(name, []).extend(words)
    base["rules"].extend(extra.get("rules", []))
    base["library"].extend(extra.get("library", []))
    for code, message in extra.get("messages", {}).items():
        base["messages"].setdefault(code, {}).update(message)
    for section, settings in extra.get("sections", {}).items():
        if section not in SECTIONS:
            raise UnknownSection(section)
        base["sections"].setdefault(section, {}).update(settings)


def load_ruleset(*extra_paths: str | Path) -> Ruleset:
    """Load the packaged default rules extended by each extra TOML or JSON file, in order.

    The result is cached per list of paths (and their modification times), so calling it on
    every check costs a dictionary lookup, not file I/O.
    """
    resolved = tuple(Path(p).resolve() for p in extra_paths)
    stamps = tuple((str(p), _mtime(p)) for p in resolved)
    return _load_cached(stamps)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError as exc:
        raise RulesetError(f"cannot read rules file {path}: {exc}") from exc


@lru_cache(maxsize=32)
def _load_cached(stamps: tuple[tuple[str, int], ...]) -> Ruleset:
    return _load(stamps)


def _load(stamps: tuple[tuple[str, int], ...], scan: bool | None = None) -> Ruleset:
    data: dict[str, Any] = {
        "patterns": {},
        "lexicons": {},
        "rules": [],
        "library": [],
        "messages": {},
        "sections": {},
    }
    paths = (DEFAULT_RULES_PATH, STRUCTURE_RULES_PATH, *(Path(p) for p, _ in stamps))
    for path in paths:
        _merge(data, _read_file(path), path)
    base = default_ruleset() if stamps else None
    return Ruleset(data, tuple(str(p) for p in paths), base, scan)


def build_ruleset(*, scan: bool | None = None) -> Ruleset:
    """A new Ruleset of the packaged rules, not the cached one, with the item scanner on or
    off (``scan``; None: as HINDSIGHT_HYPERSCAN says). Benchmarks compare the two."""
    return _load((), scan)


@lru_cache(maxsize=1)
def default_ruleset() -> Ruleset:
    """The packaged rules alone, loaded once per process."""
    return _load_cached(())


def require_section(section: str) -> str:
    """Return ``section`` if known, else raise UnknownSection."""
    if section not in SECTIONS:
        raise UnknownSection(section)
    return section
