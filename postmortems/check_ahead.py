"""Work on the coming chunks of an import, done in worker processes while this one writes.

Reading a document and computing the checker's verdict are pure functions of its bytes, and
together they were more than two thirds of what importing a document costs; writing it is
what only this process can do. So a batch of two or more chunks forks two workers (a fork, so
they have the compiled rules and the heading table already) and keeps them two chunks ahead of
the writing, each taking half a chunk:

- the command line hands them the files (``importing.read_ahead``): each reads its half and
  computes the verdict of every readable document;
- ``import_documents``, given documents already read, hands them the documents for their
  verdicts only.

Verdicts come back keyed by the checker's inputs (``checking.remember_verdicts``), and the write
takes a remembered verdict for exactly the same inputs instead of checking again. Anything that
goes wrong with a worker only means the work is done here, in line.

The workers never touch the database: they inherit the connection and leave it alone, and
pool workers end with os._exit, so nothing closes it from a child. A daemonic process (a
Celery prefork child) may not start them, and HINDSIGHT_IMPORT_CHECK_AHEAD = False turns them
off: then everything is computed in line, as before.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator

from django.conf import settings

from . import checking
from .content import content_from_document
from .snapshot import content_data, section_inputs

WORKERS = 2
# A half chunk takes well under a second; a worker killed under it never answers.
WAIT_SECONDS = 300


def _pickled(function, items) -> bytes:
    """``function(items)`` pickled in the worker and read back in ``collect``: a result that
    will not unpickle is then this chunk's failure, done in line, and not the end of the
    pool's result thread (which would leave ``get()`` waiting for ever)."""
    return pickle.dumps(function(items))


def verdict_pair(doc) -> tuple[tuple, str]:
    """(inputs key, verdict) of a parsed document: what its write would compute."""
    inputs = section_inputs(content_data(content_from_document(doc)))
    return checking.inputs_key(inputs), checking.check_sections(inputs).verdict


def verdicts_of(docs: list) -> list[tuple[tuple, str]]:
    """``verdict_pair`` of each (document, source) pair."""
    return [verdict_pair(doc) for doc, _source in docs]


class WorkAhead:
    """``submit`` a chunk's work to the workers, ``collect`` what they returned; without
    workers (one chunk, a daemonic process, turned off) ``collect`` does the work in line."""

    def __init__(self, chunks: int, *, checks: bool = True) -> None:
        self._pool = None
        if chunks >= 2 and _allowed():
            if checks:
                # Compile the rules once, here, before the fork: each worker would otherwise
                # compile its own (a third of a second of CPU each, on a loaded machine).
                checking.ruleset()
            try:
                self._pool = multiprocessing.get_context("fork").Pool(processes=WORKERS)
            except (AssertionError, OSError, ValueError):  # daemonic, no fork, no resources
                self._pool = None

    def submit(self, function: Callable[[list], list], items: list):
        """Start ``function`` on the two halves of ``items``; None when nothing was started."""
        if self._pool is None or not items:
            return None
        # Halves to each worker: the two share the cores with the writer as the load allows.
        half = (len(items) + 1) // 2
        return [
            (part, self._pool.apply_async(_pickled, (function, part)))
            for part in (items[:half], items[half:])
        ]

    def collect(self, pending, items: list, in_line: Callable[[list], list] | None = None) -> list:
        """What the workers returned for ``items``, in order. A half they did not return
        (never submitted, or the worker failed) is ``in_line(half)``, or left out without it."""
        if pending is None:
            return in_line(items) if in_line is not None else []
        out: list = []
        for part, result in pending:
            try:
                out += pickle.loads(result.get(timeout=WAIT_SECONDS))
            except Exception:  # noqa: BLE001 - the work is done here instead
                if in_line is not None:
                    out += in_line(part)
        return out

    def __enter__(self) -> WorkAhead:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()


def _allowed() -> bool:
    return (
        settings.HINDSIGHT_IMPORT_CHECK_AHEAD
        and (os.cpu_count() or 1) >= 2
        and not multiprocessing.current_process().daemon
        and "fork" in multiprocessing.get_all_start_methods()
    )


def worked_ahead(
    items: list,
    chunk: int,
    function: Callable[[list], list],
    in_line: Callable[[list], list] | None = None,
    *,
    checks: bool = True,
) -> Iterator[tuple[list, list]]:
    """(chunk of ``items``, ``function`` of it) for each chunk in order, the work done by the
    workers (``WorkAhead``): the first chunk in line while they take the next two, and from
    then on they stay two chunks ahead of the caller. ``in_line`` does a chunk's work here
    when the workers did not (see ``WorkAhead.collect``); ``checks`` says whether the work
    runs the checker (its rules are then compiled before the fork)."""
    chunks = [items[start : start + chunk] for start in range(0, len(items), chunk)]
    with WorkAhead(len(chunks), checks=checks) as ahead:
        pending: dict[int, object] = {}
        for number, part in enumerate(chunks):
            for coming in range(number + 1, min(number + 3, len(chunks))):
                if coming not in pending:
                    pending[coming] = ahead.submit(function, chunks[coming])
            yield part, ahead.collect(pending.pop(number, None), part, in_line)
