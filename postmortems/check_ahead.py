"""The checker's verdicts for the coming chunks of an import, computed in worker processes
while this one writes.

The verdict was more than half of what writing an imported document costs, and it is a pure
function of the document. A batch of two or more chunks forks two workers (a fork, so they
have the compiled rules already). The first chunk is checked in line while the workers take the
next two, and from then on they stay two chunks ahead of the writing: each reads the documents
of half a chunk into the checker's inputs and tags them. The verdicts come back keyed by those
inputs (``checking.remember_verdicts``), and the write takes a remembered verdict for exactly
the same inputs instead of checking again. Anything that goes wrong with a worker only means
the write checks for itself.

The workers never touch the database: they inherit the connection and leave it alone, and
pool workers end with os._exit, so nothing closes it from a child. A daemonic process (a
Celery prefork child) may not start them, and HINDSIGHT_IMPORT_CHECK_AHEAD = False turns them
off: then every verdict is computed in line, as before.
"""

from __future__ import annotations

import multiprocessing
import os

from django.conf import settings

from . import checking
from .content import content_from_document
from .snapshot import content_data, section_inputs


def verdicts_of(docs: list) -> list[tuple[tuple, str]]:
    """(inputs key, verdict) for each (document, source) pair: what the write would compute."""
    pairs = []
    for doc, _source in docs:
        inputs = section_inputs(content_data(content_from_document(doc)))
        pairs.append((checking.inputs_key(inputs), checking.check_sections(inputs).verdict))
    return pairs


WORKERS = 2


class CheckAhead:
    """``submit`` a chunk to the worker, ``collect`` what it returned; both do nothing without
    a worker."""

    def __init__(self, chunks: int) -> None:
        self._pool = None
        if chunks >= 2 and _allowed():
            try:
                self._pool = multiprocessing.get_context("fork").Pool(processes=WORKERS)
            except (AssertionError, OSError, ValueError):  # daemonic, no fork, no resources
                self._pool = None

    def submit(self, docs: list):
        if self._pool is None or not docs:
            return None
        # Halves to each worker: the two share the cores with the writer as the load allows.
        half = (len(docs) + 1) // 2
        return [self._pool.apply_async(verdicts_of, (part,)) for part in (docs[:half], docs[half:])]

    def collect(self, pending) -> None:
        for result in pending or ():
            try:
                checking.remember_verdicts(result.get())
            except Exception:  # noqa: BLE001 - the write computes the verdicts itself then
                continue

    def __enter__(self) -> CheckAhead:
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
