"""One Hyperscan pass that says which regex items of a ruleset can match a phrase.

Python's ``re`` runs one search per item, and on a phrase most items find nothing: those
searches were a third of the checker's time. Hyperscan matches every item of a ruleset in one
pass over the phrase, so an item that cannot match is skipped without running ``re`` at all;
only the items it reports run, and ``re`` still gives every span and group, as before.

Each item is compiled in Hyperscan's prefilter mode: lookarounds and back-references it cannot
run are widened, never narrowed, so it may report an item that then finds nothing, but never
leaves out one that would match. That guarantee holds for its ASCII semantics (``\\w``, ``\\b``,
case), which are Python's on ASCII text and on non-ASCII punctuation (read as one byte, 0x80:
``scan_bytes``), not on non-ASCII letters, digits or spaces: a phrase holding one of those
takes the literal-index path (``LiteralIndex``).

Compiling a ruleset's items takes seconds, so each database is kept on disk, named by a hash
of the items, the expressions this code derives from them and the Hyperscan version, and
loaded in about a millisecond afterwards. Without the ``hyperscan`` package, or with
``HINDSIGHT_HYPERSCAN=0``, the checker gives the same results on the literal-index path
alone, more slowly.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from . import scan_runtime
from .lead_rewrite import class_end
from .scan_runtime import Database, collect, hyperscan, scan_bytes

_log = logging.getLogger(__name__)
_CASE_SENSITIVE_MARK = "(?-i:"
# Case-sensitive parts ("(?-i:[A-Z]...)") are matched caselessly on the lowercased phrase: a
# superset of what they match on the phrase as written, which is all a prefilter needs.
_FLAGS = (
    0
    if hyperscan is None
    else hyperscan.HS_FLAG_PREFILTER
    | hyperscan.HS_FLAG_DOTALL
    | hyperscan.HS_FLAG_ALLOWEMPTY
    | hyperscan.HS_FLAG_SINGLEMATCH
)
# Only for those: a folded item is lowercase already, and caseless matching costs a third more.
_CASELESS = 0 if hyperscan is None else hyperscan.HS_FLAG_CASELESS


def enabled() -> bool:
    """Hyperscan is installed and not switched off by ``HINDSIGHT_HYPERSCAN=0``."""
    return hyperscan is not None and os.environ.get("HINDSIGHT_HYPERSCAN", "1") != "0"


def cache_dir() -> Path:
    """``HINDSIGHT_CACHE_DIR``, else ``$XDG_CACHE_HOME/hindsight``, else ``~/.cache/hindsight``."""
    configured = os.environ.get("HINDSIGHT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hindsight"


# Syntax that Python's re and Hyperscan (PCRE) read differently: "x{,3}" is a repeat in
# Python and literal text in PCRE; "[[:alpha:]]" is a set of five characters in Python and a
# letter class in PCRE; a conditional group; an escape naming a non-ASCII character ("\\xab",
# "\\u2019"), which Python reads as that character and Hyperscan as a byte (or not at all). An
# item holding one is not scanned.
_DIVERGENT_SYNTAX = re.compile(r"\{,|\[\[[:=.]|\(\?\(|\\x[89a-fA-F]|\\[uUN]|\\[0-3][0-7]{2}")


_PLAIN_PROSE = "the service was slow for some time and then it was fine again"


def hyperscan_expression(source: str) -> tuple[bytes, int] | None:
    """An item's regex and flags as Hyperscan takes it to scan phrases in ``scan_bytes`` form,
    or None when Python and Hyperscan would read the regex differently (or scanning it would
    skip nothing).

    A phrase is scanned with each of its non-ASCII characters (punctuation only: see
    scan_bytes) as the byte 0x80, so every non-ASCII character of the regex becomes 0x80 too,
    which matches any of them: wider, never narrower. In a negated class it is dropped instead
    ("[^’\\s]" becomes "[^\\s]"), so that the class still takes a dash or a quote it took before.
    """
    if _DIVERGENT_SYNTAX.search(source):
        return None
    flags = _FLAGS
    if _CASE_SENSITIVE_MARK in source:
        source = source.replace(_CASE_SENSITIVE_MARK, "(?:")
        flags |= _CASELESS
    # An item that matches plain prose ("the|a|an", or "(?-i:[A-Z][a-z]+[A-Z]...)" read
    # caselessly, which is any word) would be reported on nearly every phrase: it would cost
    # scan time and skip nothing, so it simply runs, as without a scanner.
    try:
        if re.search(source, _PLAIN_PROSE, re.IGNORECASE):
            return None
    except re.error:
        return None
    if not source.isascii():
        mapped = _map_non_ascii(source)
        if mapped is None:
            return None
        source = mapped
    return source.encode("ascii"), flags


def _map_non_ascii(source: str) -> str | None:
    """``source`` with its non-ASCII characters as 0x80 (dropped in negated classes), or None
    for a negated class whose range ends on one ("[^a-é]"), which dropping would misread."""
    out: list[str] = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "[":
            end = class_end(source, i)
            if end is None:
                return None  # an unclosed class: Python would not have compiled it
            mapped = _map_class(source[i:end])
            if mapped is None:
                return None  # a negated range that ends on a non-ASCII character
            out.append(mapped)
            i = end
        elif ch == "\\" and i + 1 < len(source):
            # An escaped non-ASCII character is that character.
            out.append(source[i : i + 2] if source[i + 1].isascii() else "\\x80")
            i += 2
        else:
            out.append(ch if ch.isascii() else "\\x80")
            i += 1
    return "".join(out)


def _map_class(written: str) -> str | None:
    """One class "[...]" as _map_non_ascii writes it."""
    negated = written.startswith("[^")
    body = written[2 if negated else 1 : -1]
    members: list[str] = []
    j = 0
    if body.startswith("]"):  # a "]" first is a member: kept one, escaped
        members.append("\\]")
        j = 1
    while j < len(body):
        ch = body[j]
        if ch == "\\" and body[j + 1].isascii():
            members.append(body[j : j + 2])
            j += 2
            continue
        if ch == "\\":  # an escaped non-ASCII character is that character
            j += 1
            ch = body[j]
        if ch.isascii():
            members.append(ch)
        elif not negated:
            members.append("\\x80")
        elif (members and members[-1] == "-") or body.startswith("-", j + 1):
            return None
        j += 1
    mapped = "".join(members)
    if negated:
        return f"[^{mapped}]" if mapped else "[\\x00-\\xff]"
    return f"[{mapped}]"


# Scanner ids sit above every literal id a LiteralIndex hands out, so the two never meet; a
# LiteralIndex with several scanners gives each its own range of this size.
FIRST_ID = 1 << 20


class ItemScanner:
    """Which of a ruleset's regex items (sources as the fast path runs them) may match a phrase.

    ``id_of(source)`` is the id ``hits`` reports for an item, or None when Hyperscan refused it
    (the caller then runs it on every phrase, as without a scanner). With ``base`` (the packaged
    rules' scanner), the items it holds keep their ids and its database, and only the others
    are compiled: a team's extra rules cost a compile of their own items, not of every item.
    """

    __slots__ = ("databases", "_ids", "_next_id")
    # The compiled databases a phrase is scanned with (scan_runtime.hits_in scans them all):
    # an attribute, not a property, since compiled code reads it for every phrase and a
    # property of this module (not compiled) would run interpreted.
    databases: tuple[Database, ...]
    _ids: dict[str, int | None]
    _next_id: int

    def __init__(
        self,
        sources: Iterable[str],
        base: ItemScanner | None = None,
        first_id: int = FIRST_ID,
        gates: Mapping[str, Sequence[str] | None] | None = None,
    ) -> None:
        ids: dict[str, int | None] = dict(base._ids) if base is not None else {}
        next_id = base._next_id if base is not None else first_id
        fresh: list[tuple[Item, int]] = []
        for source in dict.fromkeys(sources):
            if source in ids:
                continue
            ids[source] = None
            gate = gates.get(source) if gates is not None else None
            fresh.append(((source, tuple(gate) if gate else None), next_id))
            next_id += 1
        databases = list(base.databases) if base is not None else []
        database, accepted = _load_or_compile(fresh) if fresh else (None, set())
        if database is not None:
            for (source, _), number in fresh:
                if number in accepted:
                    ids[source] = number
            databases.append(Database(database))
        self._ids = ids
        self._next_id = next_id
        self.databases = tuple(databases)

    def id_of(self, source: str) -> int | None:
        return self._ids.get(source)

    def hits(self, lower: str) -> set[int]:
        """Ids of the items that may match ``lower``, a lowercased phrase that ``scan_bytes``
        takes (see there)."""
        data = scan_bytes(lower)
        if data is None:
            raise ValueError("a phrase with non-ASCII letters, digits or spaces is not scanned")
        return self.hits_in(data)

    def hits_in(self, data: bytes) -> set[int]:
        """Ids of the items that may match a phrase given as ``scan_bytes`` gave it."""
        return scan_runtime.hits_in(self.databases, data)


Expression = tuple[bytes, int]  # (regex, Hyperscan flags)
_VERSION = getattr(hyperscan, "__version__", "")
_FORMAT = 3  # of a cached database: bump when the way items become expressions changes
Item = tuple[str, tuple[str, ...] | None]  # (regex source, the literals it needs one of)


def expression_for(item: Item) -> Expression | None:
    """What Hyperscan scans for an item: its regex, or, when the regex cannot be scanned or
    its prefilter form is too loose to skip anything, the literals it cannot match without
    (the literal gate, exactly). None when neither is there: the item runs on every phrase."""
    source, gate = item
    return _scanned_for(hyperscan_expression(source), gate)


def _scanned_for(expression: Expression | None, gate: tuple[str, ...] | None):
    """expression_for, given the item's hyperscan_expression."""
    if expression is not None and _loose(expression):
        expression = None
    if expression is None and gate:
        # re.escape leaves no class open, so the mapping always gives a string here.
        literals = _map_non_ascii("|".join(re.escape(literal) for literal in gate)) or ""
        expression = (f"(?:{literals})".encode("ascii"), _FLAGS & ~hyperscan.HS_FLAG_PREFILTER)
    return expression


@lru_cache(maxsize=4096)  # an item sits in several sections' scanners: probed once
def _loose(expression: Expression) -> bool:
    """The item, widened by prefilter mode, is reported on plain prose, which its regex does
    not match (hyperscan_expression checked): a 5,000-character lead pattern is widened to
    almost anything, and reporting it on every phrase would skip nothing."""
    try:
        database = _build([(expression, 1)])
    except hyperscan.error:
        return False  # refused: the compile of the whole set leaves it out
    found: set[int] = set()
    database.scan(_PLAIN_PROSE.encode(), match_event_handler=collect, context=found)
    return bool(found)


def _load_or_compile(items: list[tuple[Item, int]]):
    """(database or None, accepted ids): from the disk cache when it holds these items, else
    compiled and written there."""
    # The key holds what the database is made of: the items, their expressions as this code
    # derives them, and the version of that derivation (bumped when expression_for or _loose
    # change), so a database built by older code is never loaded for newer code.
    derived = [hyperscan_expression(source) for (source, _), _ in items]
    written = [(e[0].hex(), e[1]) if e else None for e in derived]
    key = hashlib.sha256(
        json.dumps([_FORMAT, _VERSION, _FLAGS, _CASELESS, items, written]).encode()
    ).hexdigest()[:40]
    path = cache_dir() / f"items-{key}.hsdb"
    try:
        blob = path.read_bytes()
        header_size = int.from_bytes(blob[:4], "little")
        accepted = set(json.loads(blob[4 : 4 + header_size]))
        database = hyperscan.loadb(blob[4 + header_size :], hyperscan.HS_MODE_BLOCK)
        os.utime(path)  # in use: kept by the pruning below
        return database, accepted
    except (OSError, ValueError, hyperscan.error):
        pass  # not cached yet, or written by another version: compile it
    _log.info("compiling %d checker patterns for Hyperscan, once: cached in %s", len(items), path)
    pairs = [
        (e, number)
        for ((_, gate), number), derived_expression in zip(items, derived, strict=True)
        if (e := _scanned_for(derived_expression, gate)) is not None
    ]
    if not pairs:
        return None, set()
    database, accepted = _compile(pairs)
    header = json.dumps(sorted(accepted)).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(len(header).to_bytes(4, "little") + header + hyperscan.dumpb(database))
        os.replace(handle.name, path)
        _prune(path.parent)
    except OSError:
        pass  # a read-only home: compiled again in the next process, same results
    return database, accepted


def _compile(pairs: list[tuple[Expression, int]]):
    try:
        return _build(pairs), {number for _, number in pairs}
    except hyperscan.error:
        # One item Hyperscan cannot take (too large, a construct it refuses) must not cost the
        # others their scan: find it alone, leave it out, and run it on every phrase instead.
        accepted = [pair for pair in pairs if _compiles(pair)]
        return _build(accepted), {number for _, number in accepted}


def _build(pairs: list[tuple[Expression, int]]):
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    if pairs:
        database.compile(
            expressions=[expression for (expression, _), _ in pairs],
            ids=[number for _, number in pairs],
            flags=[flags for (_, flags), _ in pairs],
        )
    return database


def _compiles(pair: tuple[Expression, int]) -> bool:
    try:
        _build([pair])
    except hyperscan.error:
        return False
    return True


_UNUSED_FOR = 30 * 24 * 3600  # seconds: a database of rules edited since is dropped


def _prune(directory: Path) -> None:
    """Remove databases no process has loaded for a month (old versions of edited rules)."""
    cutoff = time.time() - _UNUSED_FOR
    for old in directory.glob("items-*.hsdb"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            continue
