"""Case-insensitive regex alternations that stay fast on the hot path.

The checker runs dozens of named alternations (lexicons of 5-40 regexes) on every phrase and
must tag 20,000+ phrases a second. Python's regex engine tries every branch at every position,
and re.IGNORECASE triples that cost. So each item of an alternation is compiled on its own and
gated by the literal text it cannot match without (found by parsing the regex): an item runs
only when one of its literals occurs in the lowercased phrase, a plain substring test. Items
without ``(?-i:...)`` are lowercased and matched without flags against the lowercased phrase.

Testing the literals one by one is itself the cost when a gate holds a lexicon (the aspiration
lead's gate has 130 verbs): a ``LiteralIndex`` over every gate literal of a ruleset finds, in one
Aho-Corasick pass over the phrase, which literals occur; each item's gate then becomes one set
test, and a whole alternation none of whose literals occur is skipped without a loop.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Set
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

import ahocorasick

from . import item_scanner
from .branch_rewrite import compile_factored
from .item_scanner import ItemScanner

# re's private parser, imported once there (None on a Python without it: then every item
# simply runs ungated, and nothing is rewritten).
from .lead_rewrite import lead_with_consumer, sre_constants, sre_parse, top_level_branches
from .scan_runtime import keyed_hits_in, scan_bytes

_CASE_SENSITIVE_MARK: Final = "(?-i:"
# frozenset.isdisjoint called as a function: compiled (native.py), ``gate.isdisjoint(x)`` looks
# the method up by name on every call, and gates are tested a few dozen times a phrase.
disjoint: Final = frozenset.isdisjoint
_DIGIT_GATE: Final = "\0digit"
# The gate id of an item the scanner gates and no literal does (see LiteralIndex).
ALWAYS_ID: Final = 0
_ALWAYS: Final = frozenset({ALWAYS_ID})
Gate = frozenset[str] | None


def lowercase_pattern(source: str) -> str:
    """Lowercase a regex's literal text but not its escapes (\\S, \\W, \\D, \\B, \\Z stay)."""
    out: list[str] = []
    chars = iter(source)
    for ch in chars:
        if ch == "\\":
            out.append(ch)
            out.append(next(chars, ""))
        else:
            out.append(ch.lower())
    return "".join(out)


def fold_text(text: str) -> str | None:
    """The lowercased phrase, or None when lowercasing would move offsets (rare Unicode)."""
    lower = text.lower()
    return lower if len(lower) == len(text) else None


def required_gate(item: str) -> Gate:
    """Literals of which at least one must occur (lowercased) for ``item`` to match, or None."""
    if sre_parse is None:
        return None
    try:
        parsed = sre_parse.parse(item, re.IGNORECASE)
    except re.error:
        return None
    return _sequence_gate(list(parsed))


def _sequence_gate(sequence: list) -> Gate:
    c = sre_constants
    gates: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            gates.append(frozenset({"".join(run).lower()}))
            run.clear()

    for op, av in sequence:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        close_run()
        gate: Gate = None
        if op is c.SUBPATTERN:
            gate = _sequence_gate(list(av[-1]))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            gate = _sequence_gate(list(av[2]))
        elif op is c.BRANCH:
            branch_gates = [_sequence_gate(list(branch)) for branch in av[1]]
            gated = [branch_gate for branch_gate in branch_gates if branch_gate]
            if len(gated) == len(branch_gates):
                gate = frozenset().union(*gated)
        elif op is c.IN and (c.CATEGORY, c.CATEGORY_DIGIT) in av:
            gate = frozenset({_DIGIT_GATE})
        if gate:
            gates.append(gate)
    close_run()
    if not gates:
        return None
    # The gate whose shortest literal is longest rejects the most phrases.
    return max(gates, key=_gate_strength)


def _gate_strength(gate: frozenset[str]) -> tuple[float, int]:
    # "contains a digit" rejects fewer phrases than any two-letter literal.
    return (min(0.5 if s == _DIGIT_GATE else len(s) for s in gate), -len(gate))


_BACKREFERENCE: Final = re.compile(r"\\[1-9]|\(\?P=|\(\?P<")
_SUBSETS_KEPT: Final = 256  # compiled alternations of gated-through items, per pattern


class _Item:
    __slots__ = (
        "gate", "gate_ids", "scan_keys", "needs_digit", "regex", "ascii_regex", "folded",
        "source", "written",
    )  # fmt: skip

    @classmethod
    def joined(cls, like: _Item, regex: re.Pattern[str]) -> _Item:
        """An item for several ungated neighbours joined into one alternation."""
        item = cls(like.written)  # then every field is the joined one's
        item.gate, item.gate_ids, item.needs_digit = None, None, like.needs_digit
        item.scan_keys = ()
        item.folded, item.regex, item.source = like.folded, regex, regex.pattern
        item.ascii_regex = _ascii_twin(regex)
        item.written = regex.pattern
        return item

    def __init__(self, source: str) -> None:
        self.written = source  # as the rules give it
        self.gate_ids: frozenset[int] | None = None  # set by LiteralIndex
        # Per scanned scope (by its number), the one id whose presence lets this item run
        # there: its scanner id, or the scope's marker when the scanner lacks it (LiteralIndex).
        # Typed Any, not int: compiled code keeps the ints boxed as they are, whereas as ints it
        # would unbox each and box it again (a new object, ids being large) for the lookup.
        self.scan_keys: tuple[Any, ...] = ()
        gate = required_gate(source)
        self.needs_digit = gate == frozenset({_DIGIT_GATE})
        # A gate of a digit or literals ("\\d|true|false") is not a literal gate: a phrase
        # with a digit and none of the literals can match, so such an item is not gated.
        self.gate = None if gate is None or _DIGIT_GATE in gate else tuple(sorted(gate))
        self.folded = _CASE_SENSITIVE_MARK not in source
        if self.folded:
            source = lowercase_pattern(source)
        self.source = source  # as written (lowercased when folded), before lead_with_consumer
        # Led by a character instead of an assertion: the engine skips ahead to it; and its
        # alternations of words grouped by first character (the same match, both).
        led = lead_with_consumer(source) or source
        self.regex = compile_factored(led, 0 if self.folded else re.IGNORECASE)
        self.ascii_regex = _ascii_twin(self.regex)


def _ascii_twin(regex: re.Pattern[str]) -> re.Pattern[str]:
    """What an item runs on ASCII text: the same regex with re.ASCII. On ASCII text the two
    match alike (\\w, \\b, \\s, \\d and case mean the same there), and re's ASCII tests
    are table lookups where its Unicode ones look each character's category up (a tenth of
    the checker's time went to those), and its ASCII case folding costs about a third less."""
    return re.compile(regex.pattern, (regex.flags & ~re.UNICODE) | re.ASCII)


class FastPattern:
    """A named, case-insensitive alternation of regexes with a gated, flag-free search path."""

    __slots__ = (
        "name", "items", "full", "full_folded", "gate_union", "scan_keys", "runs", "_subsets"
    )  # fmt: skip

    def __init__(self, name: str, items: list[str]) -> None:
        self.name = name
        self.full = _alternation_of(items, folded=False)
        self.items = tuple(_Item(item) for item in items)
        # The same alternation lowercased, run without flags on the lowercased phrase: the
        # whole-text scans below (cross-section checks, counting) skip IGNORECASE's cost.
        self.full_folded = (
            _alternation_of(items, folded=True) if all(i.folded for i in self.items) else None
        )
        # Every literal id of every item, when every item is gated by literals (LiteralIndex).
        self.gate_union: frozenset[int] | None = None
        # Per scanned scope, the id whose presence means some item of this pattern may match
        # there (LiteralIndex): one set lookup instead of a disjointness test of the union.
        self.scan_keys: tuple[Any, ...] = ()  # Any: see _Item.scan_keys
        # The items as the indexed search runs them (LiteralIndex merges neighbours).
        self.runs: tuple[_Item, ...] = self.items
        # Alternations of the items a phrase's gates let through (finditer_in), by their
        # positions; None when an item refers to a group by number, whose number would move.
        self._subsets: dict[tuple[tuple[int, ...], bool], re.Pattern[str]] | None = (
            None if any(_BACKREFERENCE.search(item) for item in items) else {}
        )

    def merge_runs(self) -> None:
        """Join neighbouring items that the index runs on every phrase alike (no literal gate,
        same digit test, same case handling) into one alternation: one pass over the phrase
        instead of one per item. Leftmost-first is kept: at the leftmost position an
        alternation takes its first matching branch, as the item loop takes the first item."""
        runs: list[_Item] = []
        group: list[_Item] = []

        def close() -> None:
            if len(group) > 1:
                # Items without a top-level "|" are joined bare, so that the engine can take a
                # prefix they share ("\\d[\\d,]*") out of the alternation and skip ahead to it.
                joined = "|".join(_bare_branch(item.regex.pattern) for item in group)
                flags = 0 if group[0].folded else re.IGNORECASE
                try:
                    runs.append(_Item.joined(group[0], re.compile(joined, flags)))
                except re.error:
                    runs.extend(group)
            else:
                runs.extend(group)
            group.clear()

        for item in self.items:
            mergeable = item.gate_ids is None and not _BACKREFERENCE.search(item.regex.pattern)
            if group and not (
                mergeable
                and item.needs_digit == group[0].needs_digit
                and item.folded == group[0].folded
            ):
                close()
            if mergeable:
                group.append(item)
            else:
                runs.append(item)
        close()
        self.runs = tuple(runs)

    def search_in(
        self,
        text: str,
        lower: str | None,
        has_digit: bool = True,
        present: Set[int] | None = None,
        path: int = 0,
    ) -> re.Match[str] | None:
        """Leftmost match in ``text``; ``lower`` is ``fold_text(text)``, computed once by the caller.

        ``present`` and ``path`` are ``LiteralIndex.gates(lower, scope)`` of the ruleset that
        holds this pattern: with them, gates are set tests. A match found on the lowercased
        text has a lowercased ``group()``: read the original words with
        ``text[m.start():m.end()]``.
        """
        if lower is None:
            return self.full.search(text)
        if present is not None and not self.may_match(present, path):
            return None
        best: re.Match[str] | None = None
        for item in self.items if present is None else self.runs:
            if item.needs_digit and not has_digit:
                continue
            if present is not None:
                if not _passes(item, present, path):
                    continue
            elif item.gate is not None:
                # A plain loop: any() with a generator costs more than the substring tests.
                for literal in item.gate:
                    if literal in lower:
                        break
                else:
                    continue
            regex = item.ascii_regex if text.isascii() else item.regex
            match = regex.search(lower if item.folded else text)
            if match is not None and (best is None or match.start() < best.start()):
                best = match
                if best.start() == 0:
                    break
        return best

    def search(self, text: str) -> re.Match[str] | None:
        return self.search_in(text, fold_text(text))

    def may_match(self, present: Set[int], path: int) -> bool:
        """Some item of this pattern passes its gate, for ``LiteralIndex.gates``' result."""
        if path:
            return self.scan_keys[path] in present
        union = self.gate_union
        return union is None or not disjoint(union, present)

    def count_distinct(
        self,
        text: str,
        lower: str | None,
        has_digit: bool = True,
        limit: int = 2,
        present: Set[int] | None = None,
        path: int = 0,
    ) -> int:
        """How many different words the alternation matches (up to ``limit``), gated like search.

        Overlapping matches count once ("cache key" is one thing, not "cache" plus "cache key"),
        and so do plural and singular forms of one word.
        """
        haystack_folded = lower if lower is not None else text.lower()
        spans: list[tuple[int, int]] = []
        words: set[str] = set()
        for item in self.items:
            if item.needs_digit and not has_digit:
                continue
            gate = item.gate
            if present is not None:
                if not _passes(item, present, path):
                    continue
            elif gate is not None:
                for literal in gate:
                    if literal in haystack_folded:
                        break
                else:
                    continue
            # A case-sensitive item's regex carries re.IGNORECASE itself (see _Item).
            regex = item.ascii_regex if text.isascii() else item.regex
            for match in regex.finditer(haystack_folded if item.folded else text):
                start, end = match.span()
                if any(start < e and s < end for s, e in spans):
                    continue
                spans.append((start, end))
                word = match.group().lower().rstrip("s")
                if word not in words:
                    words.add(word)
                    if len(words) >= limit:
                        return len(words)
        return len(words)

    # Whole-alternation scans. On the folded path a match's group() is lowercased, as with
    # search_in; findall_text slices the original words.
    def _folded(self, text: str) -> tuple[re.Pattern[str], str]:
        if self.full_folded is not None:
            lower = fold_text(text)
            if lower is not None:
                return self.full_folded, lower
        return self.full, text

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        regex, haystack = self._folded(text)
        return regex.finditer(haystack)

    def finditer_in(
        self,
        text: str,
        lower: str | None,
        has_digit: bool,
        present: Set[int] | None,
        path: int = 0,
    ) -> Iterator[re.Match[str]]:
        """``finditer(text)``, given what search_in is given: the same matches, found by the
        alternation of only the items the gates let through. An item that matches nowhere in
        the phrase wins at no position, so leaving it out moves no match; the whole
        alternation of a 100-word lexicon costs a try of every word at every position."""
        subsets = self._subsets
        if lower is None or present is None or subsets is None:
            return self.finditer(text)
        if not self.may_match(present, path):
            return iter(())
        kept = tuple(
            position
            for position, item in enumerate(self.items)
            if not (item.needs_digit and not has_digit) and _passes(item, present, path)
        )
        if not kept:
            return iter(())
        folded = self.full_folded is not None
        ascii_text = text.isascii()  # then a re.ASCII alternation, which matches alike there
        if not ascii_text and len(kept) == len(self.items):
            return (self.full_folded or self.full).finditer(lower if folded else text)
        key = (kept, ascii_text)
        regex = subsets.get(key)
        if regex is None:
            if len(subsets) >= _SUBSETS_KEPT:
                subsets.clear()
            written = [self.items[position].written for position in kept]
            regex = subsets[key] = _alternation_of(written, folded, ascii_text)
        return regex.finditer(lower if folded else text)

    def findall_text(self, text: str) -> list[str]:
        regex, haystack = self._folded(text)
        return [text[m.start() : m.end()] for m in regex.finditer(haystack)]

    def fullmatch(self, text: str) -> re.Match[str] | None:
        regex, haystack = self._folded(text)
        return regex.fullmatch(haystack)

    def match(self, text: str) -> re.Match[str] | None:
        regex, haystack = self._folded(text)
        return regex.match(haystack)


def _passes(item: _Item, present: Set[int], path: int) -> bool:
    """The item passes its gate, for ``LiteralIndex.gates``' result: on a scanned path, one set
    lookup of its key there; on the literal path, a test of its literal ids."""
    if path:
        return item.scan_keys[path] in present
    ids = item.gate_ids  # None: the index runs this item on every phrase
    return ids is None or not disjoint(ids, present)


def _alternation_of(
    sources: Iterable[str], folded: bool, ascii_text: bool = False
) -> re.Pattern[str]:
    """The items' alternation in order (leftmost-first: at each position the first item that
    matches wins): lowercased to run without flags on a lowercased phrase, else caseless;
    with re.ASCII for ASCII text (see _ascii_twin)."""
    flags = re.ASCII if ascii_text else 0
    written = [lowercase_pattern(source) if folded else source for source in sources]
    if not folded:
        flags |= re.IGNORECASE
    return compile_factored("|".join(f"(?:{source})" for source in written), flags)


def _bare_branch(source: str) -> str:
    branches = top_level_branches(source)
    return source if branches is not None and len(branches) == 1 else f"(?:{source})"


def _is_weak(literal: str) -> bool:
    """A single letter or digit occurs in nearly every phrase: as a gate it rejects nothing and
    costs an occurrence per letter, so an item gated by one simply runs (same result)."""
    return len(literal) == 1 and literal.isalnum()


class LiteralIndex:
    """Every gate literal of a set of patterns, found in a phrase by one Aho-Corasick pass.

    Building it gives each gated item of those patterns ``gate_ids`` (its literals as ids) and
    each pattern whose items are all gated a ``gate_union``; an item whose gate holds a single
    letter, or that has no literal gate, keeps ``gate_ids = None`` and runs on every phrase.
    ``present(lower)`` is the set of ids of the literals that occur in a lowercased phrase,
    overlapping occurrences included, so ``ids.isdisjoint(present)`` says exactly what the
    literal-by-literal substring test says.

    With item scanners (Hyperscan; one per key of ``scopes``, a section, or one for all the
    patterns), every item a scanner takes also gets that scanner's id for it in ``gate_ids``,
    and the ``present`` of an ASCII phrase checked in that scope is the set of items the
    scanner reports plus the scope's marker id: an item it did not report is skipped on the
    same set test. An item a scope's scanner lacks (or refused) holds the scope's marker, so
    there it runs on every phrase, as without a scanner. A literal-gated item keeps its literal
    ids for the other phrases, and an item with no literal gate gets ``ALWAYS_ID``, which every
    literal-path ``present`` holds. No two id ranges meet, so on each path a gate means what
    it meant.
    """

    __slots__ = ("_automaton", "size", "scanners", "_markers", "_paths", "_pattern_keys")

    def __init__(
        self,
        patterns: Iterable[FastPattern],
        *,
        scan: bool | None = None,
        scopes: Mapping[str, Iterable[FastPattern]] | None = None,
        base: LiteralIndex | None = None,
    ) -> None:
        patterns = list(patterns)
        ids: dict[str, int] = {}
        for pattern in patterns:
            for item in pattern.items:
                if item.gate is None or any(_is_weak(literal) for literal in item.gate):
                    continue
                item.gate_ids = frozenset(ids.setdefault(lit, len(ids) + 1) for lit in item.gate)
        self.size = len(ids)
        self._automaton = ahocorasick.Automaton()
        for literal, number in ids.items():
            self._automaton.add_word(literal, number)
        if ids:
            self._automaton.make_automaton()
        self.scanners: dict[str, ItemScanner] = {}
        self._markers: dict[str, Any] = {}  # Any: see _Item.scan_keys
        # Per scanned scope: its number (a phrase's path there, see gates) and, for each
        # scanner id, the keys of the patterns that hold that item.
        self._paths: dict[str, int] = {}
        self._pattern_keys: dict[str, dict[Any, tuple[Any, ...]]] = {}  # Any: _Item.scan_keys
        use_scanner = item_scanner.enabled() if scan is None else scan
        if use_scanner and item_scanner.hyperscan is not None:
            self._scan_items(patterns, {"": patterns} if scopes is None else scopes, base)
        for pattern in patterns:
            # A digit-gated item has no literal gate: the pattern cannot be skipped on literals.
            pattern.gate_union = (
                union_of_gates(item.gate_ids for item in pattern.items) if pattern.items else None
            )
            pattern.merge_runs()

    def _scan_items(
        self,
        patterns: list[FastPattern],
        scopes: Mapping[str, Iterable[FastPattern]],
        base: LiteralIndex | None,
    ) -> None:
        extra: dict[int, set[int]] = {}  # id(item) -> its scanner ids and markers
        # The literal gates the index uses (none of a single letter): what a scanner looks for
        # instead of an item whose regex it cannot scan usefully.
        gates = {
            item.source: item.gate
            for pattern in patterns
            for item in pattern.items
            if item.gate_ids is not None
        }

        def build(numbered: tuple[int, tuple[str, Iterable[FastPattern]]]) -> ItemScanner:
            number, (scope, scoped) = numbered
            return ItemScanner(
                (item.source for pattern in scoped for item in pattern.items),
                base.scanners.get(scope) if base is not None else None,
                first_id=number * item_scanner.FIRST_ID + 1,
                gates=gates,
            )

        # Hyperscan compiles without the GIL: with a cold cache, the sections' databases
        # compile side by side, one per core.
        numbered = list(enumerate(scopes.items(), start=1))
        with ThreadPoolExecutor(max_workers=min(len(numbered), os.cpu_count() or 1)) as pool:
            built = list(pool.map(build, numbered))
        keys: dict[int, list[int]] = {}  # id(item) -> its key in each scope, by number
        pattern_keys: dict[int, list[int]] = {}  # id(pattern) -> the same
        for (number, (scope, _)), scanner in zip(numbered, built, strict=True):
            marker = number * item_scanner.FIRST_ID
            self.scanners[scope] = scanner
            self._markers[scope] = marker
            self._paths[scope] = number
            by_hit: dict[int, list[int]] = {}
            for position, pattern in enumerate(patterns):
                item_keys = []
                for item in pattern.items:
                    found = scanner.id_of(item.source)
                    key = marker if found is None else found
                    extra.setdefault(id(item), set()).add(key)
                    keys.setdefault(id(item), [0]).append(key)
                    item_keys.append(key)
                # A pattern may match when one of its items is reported; one the scanner lacks
                # runs on every phrase, so then the pattern's key is the marker too. A pattern
                # of one item (or of one item's copies) has that item's key.
                distinct = set(item_keys)
                if not item_keys or marker in distinct:
                    pattern_key = marker
                elif len(distinct) == 1:
                    pattern_key = item_keys[0]
                else:
                    pattern_key = marker + item_scanner.FIRST_ID // 2 + position
                    for key in dict.fromkeys(item_keys):
                        by_hit.setdefault(key, []).append(pattern_key)
                pattern_keys.setdefault(id(pattern), [0]).append(pattern_key)
            self._pattern_keys[scope] = {hit: tuple(found) for hit, found in by_hit.items()}
        for pattern in patterns:
            pattern.scan_keys = tuple(pattern_keys[id(pattern)])
            for item in pattern.items:
                item.gate_ids = (item.gate_ids or _ALWAYS) | extra[id(item)]
                item.scan_keys = tuple(keys[id(item)])

    def present(self, lower: str, scope: str = "") -> Set[int]:
        """Ids of the literals that occur in ``lower`` (a lowercased phrase), or, for a phrase
        checked in a scope that has a scanner, the ids of the items that may match it (unless
        it holds non-ASCII letters, digits or spaces: scan_runtime.scan_bytes)."""
        return self.gates(lower, scope)[0]

    def gates(self, lower: str, scope: str = "") -> tuple[set[int], int]:
        """``present`` and the path it took: the scope's number when the scanner read the
        phrase, 0 for the literal path. On a scanned path the set also holds the key of every
        pattern with a reported item, so that an item's or a pattern's gate there is one
        lookup of its ``scan_keys[path]`` (see FastPattern) instead of a disjointness test."""
        scanner = self.scanners.get(scope)
        if scanner is not None:
            data = scan_bytes(lower)
            if data is not None:
                # Not through the scanner: scan_runtime runs compiled (native.py), item_scanner not.
                found = keyed_hits_in(scanner.databases, data, self._pattern_keys[scope])
                found.add(self._markers[scope])
                return found, self._paths[scope]
        found = {number for _, number in self._automaton.iter(lower)} if self.size else set()
        if self.scanners:
            found.add(ALWAYS_ID)
        return found, 0


def union_of_gates(gates: Iterable[frozenset[int] | None]) -> frozenset[int] | None:
    """Every id of the gates, or None when one of them is None (it passes without any): a
    set holding none of the ids passes none of the gates."""
    union: set[int] = set()
    for gate in gates:
        if gate is None:
            return None
        union |= gate
    return frozenset(union)
