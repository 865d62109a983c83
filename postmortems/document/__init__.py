"""The canonical Markdown format of a postmortem: parsing, rendering, timeline and phases.

Pure Python, no Django: the import/export commands and the forms call these functions.
The format is described in ``parse_document`` and ``render_document``; phase words live in
``phase_words.toml``.
"""

from .items import (
    format_change_line,
    format_commitment_line,
    format_lag_line,
    parse_change_line,
    parse_commitment_line,
    parse_lag_line,
)
from .model import (
    ChangeItem,
    CommitmentItem,
    DocumentError,
    DocumentWarning,
    ExtraSection,
    Impact,
    LagEntry,
    ParsedDocument,
    TimelineEntry,
)
from .parse import parse_document
from .phases import PHASES, ResponseFigures, response_figures, suggest_phase
from .render import render_document
from .timeline import format_timeline, format_timeline_line, parse_timeline, parse_timeline_line

__all__ = [
    "PHASES",
    "ChangeItem",
    "CommitmentItem",
    "DocumentError",
    "DocumentWarning",
    "ExtraSection",
    "Impact",
    "LagEntry",
    "ParsedDocument",
    "ResponseFigures",
    "TimelineEntry",
    "format_change_line",
    "format_commitment_line",
    "format_lag_line",
    "format_timeline",
    "format_timeline_line",
    "parse_change_line",
    "parse_commitment_line",
    "parse_document",
    "parse_lag_line",
    "parse_timeline",
    "parse_timeline_line",
    "render_document",
    "response_figures",
    "suggest_phase",
]
