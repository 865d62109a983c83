"""Is the team learning? Commitments made, kept on time, late and dropped per quarter.

Pure Python: plain data in, plain data out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

KEPT, LATE, DROPPED, IN_FLIGHT = "kept", "late", "dropped", "in_flight"
NO_QUARTER = "no date"


@dataclass(frozen=True)
class CommitmentFacts:
    quarter: str
    status: str  # "open", "done" or "dropped"
    due: dt.date | None
    done_on: dt.date | None  # the day it was marked done, when it is done
    # The date first promised: on time or late is judged against it, however often it moved.
    first_due: dt.date | None = None
    moves: int = 0

    @property
    def judged_due(self) -> dt.date | None:
        return self.first_due or self.due


@dataclass
class QuarterTally:
    quarter: str
    made: int = 0
    kept: int = 0
    late: int = 0
    dropped: int = 0
    in_flight: int = 0
    slipped: int = 0  # due date moved at least once; also counted in kept, late, ...

    @property
    def kept_share(self) -> int | None:
        """Kept on time as a whole percentage of those that reached a verdict (kept or late)."""
        decided = self.kept + self.late
        return round(100 * self.kept / decided) if decided else None


def outcome(facts: CommitmentFacts, *, today: dt.date) -> str:
    """Kept = done on or before its first due date (or done with no date); late = done after
    it or still open past it, wherever the date was moved to since; dropped; otherwise still
    in flight. Moving a date never turns a late commitment into a kept one."""
    due = facts.judged_due
    if facts.status == "dropped":
        return DROPPED
    if facts.status == "done":
        if due is None or facts.done_on is None or facts.done_on <= due:
            return KEPT
        return LATE
    if due is not None and due < today:
        return LATE
    return IN_FLIGHT


def tally_by_quarter(facts: Iterable[CommitmentFacts], *, today: dt.date) -> list[QuarterTally]:
    """One tally per quarter, oldest first; commitments of undated postmortems come last."""
    tallies: dict[str, QuarterTally] = {}
    for fact in facts:
        quarter = fact.quarter or NO_QUARTER
        tally = tallies.setdefault(quarter, QuarterTally(quarter))
        tally.made += 1
        kind = outcome(fact, today=today)
        setattr(tally, kind, getattr(tally, kind) + 1)
        tally.slipped += bool(fact.moves)
    return sorted(tallies.values(), key=lambda t: (t.quarter == NO_QUARTER, t.quarter))
