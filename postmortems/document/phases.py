"""The first-15-minutes response phases, and the figures a timeline yields about them.

The playbook (seed: "The First 15 Minutes") is page → acknowledge → confirm scope → stop the
bleed → capture trace → post status → investigate; ``resolved`` closes the incident. Which
phase an entry belongs to is suggested from its words, kept as data in ``phase_words.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

PHASES = (
    "page",
    "acknowledge",
    "confirm_scope",
    "stop_bleed",
    "capture_trace",
    "post_status",
    "investigate",
    "resolved",
)

_WORDS_FILE = Path(__file__).with_name("phase_words.toml")


@cache
def _phrase_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    data = tomllib.loads(_WORDS_FILE.read_text(encoding="utf-8"))
    unknown = set(data) - set(PHASES)
    if unknown:
        raise ValueError(f"{_WORDS_FILE.name}: unknown phases {sorted(unknown)}")
    patterns = []
    for phase in PHASES:
        for phrase in data.get(phase, {}).get("phrases", []):
            patterns.append((phase, _phrase_pattern(phrase)))
    return tuple(patterns)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(word) for word in phrase.lower().split())
    # \b only where the phrase edge is a word character: "#status" must still match
    # after a space, and "ack" must not match inside "hacked".
    start = r"\b" if re.match(r"\w", phrase) else r"(?<!\w)"
    end = r"\b" if re.search(r"\w$", phrase) else r"(?!\w)"
    return re.compile(start + body + end, re.IGNORECASE)


def suggest_phase(text: str) -> str | None:
    """Suggest the playbook phase of a timeline entry from its words, or None.

    "PagerDuty fired" → page, "acked" → acknowledge, "rolled back" → stop_bleed, and so on.
    The phrase starting earliest in the text wins; on a tie, the longer phrase.
    """
    best: tuple[int, int, str] | None = None
    for phase, pattern in _phrase_patterns():
        match = pattern.search(text)
        if match is None:
            continue
        key = (match.start(), -(match.end() - match.start()), phase)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None


@dataclass(frozen=True)
class ResponseFigures:
    """How the response went, measured from the page (or the first entry if nobody was paged).

    ``damage_users`` is R × T: users affected per minute times the minutes from the regression
    start (the first timeline entry, unless ``regression_start`` was given) to the first
    stop-the-bleed action. It is None without a rate or without a stop-the-bleed entry.
    """

    time_to_ack: timedelta | None
    time_to_stop_bleed: timedelta | None
    time_to_resolve: timedelta | None
    investigate_first: bool
    damage_users: float | None
    measured_from: datetime | None = None


def response_figures(
    entries: Sequence[tuple[datetime, str | None]],
    *,
    users_per_minute: float | None = None,
    regression_start: datetime | None = None,
) -> ResponseFigures:
    """Compute response figures from ``(time, phase)`` pairs.

    Pass each entry's effective phase (``TimelineEntry.effective_phase``); entries without a
    time are skipped. ``investigate_first`` is True when an investigate entry comes before
    the first stop-the-bleed entry, including when the bleed was never stopped at all: in
    both cases users kept being hit while someone read traces.
    """
    # sorted() is stable, so entries at the same minute keep the order they were written in.
    timed = sorted(((at, phase) for at, phase in entries if at is not None), key=lambda e: e[0])
    if not timed:
        return ResponseFigures(None, None, None, False, None)

    pages = [at for at, phase in timed if phase == "page"]
    start = pages[0] if pages else timed[0][0]

    def first(phase: str) -> int | None:
        for index, (at, entry_phase) in enumerate(timed):
            if entry_phase == phase and at >= start:
                return index
        return None

    def since_start(index: int | None) -> timedelta | None:
        return None if index is None else timed[index][0] - start

    stop_index = first("stop_bleed")
    investigate_indexes = [i for i, (_, phase) in enumerate(timed) if phase == "investigate"]
    investigate_first = bool(investigate_indexes) and (
        stop_index is None or investigate_indexes[0] < stop_index
    )

    damage = None
    if users_per_minute is not None and stop_index is not None:
        bleed_from = regression_start or timed[0][0]
        minutes = max((timed[stop_index][0] - bleed_from).total_seconds() / 60, 0.0)
        damage = users_per_minute * minutes

    return ResponseFigures(
        time_to_ack=since_start(first("acknowledge")),
        time_to_stop_bleed=since_start(stop_index),
        time_to_resolve=since_start(first("resolved")),
        investigate_first=investigate_first,
        damage_users=damage,
        measured_from=start,
    )
