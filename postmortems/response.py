"""Incident-response figures read off a postmortem's timeline, and the one-line status update."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .document import ResponseFigures, response_figures, suggest_phase


@dataclass(frozen=True)
class PhasedEntry:
    at: dt.datetime | None
    text: str
    actor: str
    phase: str | None  # set by hand or suggested from the words
    suggested: bool

    @property
    def phase_label(self) -> str:
        from .models import TimelineEntry

        return TimelineEntry.Phase(self.phase).label if self.phase else ""


def phased_timeline(entries) -> list[PhasedEntry]:
    """Each entry with its phase: the one set by hand, else the one its words suggest."""
    return [
        PhasedEntry(e.at, e.text, e.actor, e.phase or suggest_phase(e.text), not e.phase)
        for e in entries
    ]


def users_per_minute(postmortem) -> float | None:
    """R, the rate users were hit: users affected over minutes of impact, when both are known."""
    if postmortem.impact_users and postmortem.impact_minutes:
        return postmortem.impact_users / postmortem.impact_minutes
    return None


def figures_for(postmortem, phased: list[PhasedEntry]) -> ResponseFigures:
    return response_figures(
        [(e.at, e.phase) for e in phased],
        users_per_minute=users_per_minute(postmortem),
        regression_start=postmortem.incident_start,
    )


def minutes(delta: dt.timedelta | None) -> int | None:
    return None if delta is None else round(delta.total_seconds() / 60)


def _first_sentence(text: str) -> str:
    # Markdown emphasis and code marks go; underscores inside names (lookup_order) stay.
    plain = re.sub(r"[*`#>\[\]]|(?<!\w)_|_(?!\w)", "", text or "").strip()
    sentence = re.split(r"(?<=[.!?])\s", plain, maxsplit=1)[0].strip()
    return sentence.rstrip(".")


def status_update(postmortem, phased: list[PhasedEntry]) -> str:
    """ "What broke, what we did, ETA on writeup", ready to paste in the status channel."""
    # What broke, else what users saw (an imported summary may have gone to impact alone);
    # with neither, the title says it once rather than twice.
    broke = _first_sentence(postmortem.what_broke) or _first_sentence(postmortem.impact_summary)
    did = next((e for e in phased if e.phase == "stop_bleed"), None)
    resolved = next((e for e in phased if e.phase == "resolved"), None)
    headline = f"[{postmortem.severity}] {postmortem.title}"
    parts = [f"{headline}: {broke}." if broke else f"{headline}."]
    if did is not None:
        when = f" at {did.at:%H:%M} UTC" if did.at else ""
        parts.append(f"We stopped the bleed{when}: {did.text.rstrip('.')}.")
    if resolved is not None and resolved.at:
        parts.append(f"Resolved at {resolved.at:%H:%M} UTC.")
    if postmortem.status == "published":
        parts.append("Writeup published.")
    else:
        base = postmortem.incident_end or postmortem.incident_start
        if base is not None:
            parts.append(f"Writeup ETA {(base + dt.timedelta(days=5)):%Y-%m-%d}.")
    return " ".join(parts)
