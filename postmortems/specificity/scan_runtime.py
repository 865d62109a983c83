"""What the item scanner does for every phrase, apart from item_scanner's compiling and caching,
so that it can be compiled with the rest of the hot path (native.py): the phrase as the
scanner reads it, one scan of one database, and the callback that records each item."""

from __future__ import annotations

import re
import threading
from typing import Any, Final

try:
    import hyperscan
except ImportError:  # pragma: no cover - the package is pinned; a platform may lack a wheel
    hyperscan = None  # type: ignore[assignment]

# A non-ASCII letter, digit, underscore or space: Python's \\w, \\d, \\s and \\b read it as
# such, Hyperscan's (ASCII) do not, so a phrase holding one is not scanned.
_WORDLIKE_NON_ASCII: Final = re.compile(r"(?=[^\x00-\x7f])[\w\s]")
_NON_ASCII_CHAR: Final = re.compile(r"[^\x00-\x7f]")


def scan_bytes(lower: str) -> bytes | None:
    """A lowercased phrase as the scanner reads it: ASCII as is, each non-ASCII character (a
    dash, a curly quote, an arrow) as the byte 0x80; None when it holds a non-ASCII letter,
    digit or space, which only the literal index reads as Python does."""
    if lower.isascii():
        return lower.encode()
    if _WORDLIKE_NON_ASCII.search(lower):
        return None
    return _NON_ASCII_CHAR.sub("\x80", lower).encode("latin-1")


# The ids are typed Any, not int: compiled code passes them on as the objects Hyperscan made,
# whereas as ints it would unbox each and box it again (a new object: ids are large) to store it.
def collect(item_id: Any, start: int, end: int, flags: int, found: set[int]) -> None:
    """Hyperscan's match callback: the item may match (its first report is its only one)."""
    found.add(item_id)


KeyedHits = tuple[set[int], dict[Any, tuple[Any, ...]]]  # Any: see above


def collect_keyed(item_id: Any, start: int, end: int, flags: int, context: KeyedHits) -> None:
    """``collect``, and with the item the further keys it stands for (the patterns that hold
    it: see LiteralIndex.gates)."""
    found = context[0]
    found.add(item_id)
    keys = context[1].get(item_id)
    if keys is not None:
        for key in keys:
            found.add(key)  # each key an int object the index holds: no unboxing


class Database:
    """One compiled database and a scratch space per thread (a scratch serves one scan)."""

    __slots__ = ("db", "_local")

    def __init__(self, database: Any) -> None:
        self.db = database
        self._local = threading.local()

    def scan_keyed(self, data: bytes, context: KeyedHits) -> None:
        # Positional (data, match_event_handler, flags, context, scratch): keywords would cost a
        # dict per scan.
        self.db.scan(data, collect_keyed, 0, context, self._scratch())

    def _scratch(self) -> Any:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self.db)
        return scratch


def hits_in(databases: tuple[Database, ...], data: bytes) -> set[int]:
    """Ids of the items the databases report for a phrase given as ``scan_bytes`` gave it."""
    return keyed_hits_in(databases, data, {})


def keyed_hits_in(
    databases: tuple[Database, ...], data: bytes, keys: dict[Any, tuple[Any, ...]]
) -> set[int]:
    """``hits_in``, with ``keys[item]`` added for every reported item that has keys."""
    found: set[int] = set()
    context = (found, keys)
    for database in databases:
        database.scan_keyed(data, context)
    return found
