"""Splitting a section's Markdown text into phrases (lines, bullets, sentences) with offsets."""

from __future__ import annotations

import re
from typing import Final

from .results import Span
from .ruleset import require_section

_LINE: Final = re.compile(r"[^\n]*(?:\n|$)")
_HEADING: Final = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
_RULE_LINE: Final = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_FENCE: Final = re.compile(r"^\s{0,3}(?:```|~~~)")
# Bullets, numbered items, block quotes and task-list boxes, possibly nested ("> - [ ] ").
_MARKER: Final = re.compile(r"^\s*(?:(?:>\s*)+)?(?:(?:[-*+•]|\d{1,3}[.)])\s+)?(?:\[[ xX]\]\s+)?")
# Sentence boundary: end punctuation, whitespace, then something that can start a sentence.
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'“‘`(\[@#$€£*_])")
_SEMICOLON: Final = re.compile(r";\s+")
# Abbreviations whose dot does not end a sentence.
_ABBREVIATIONS: Final = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "vs",
        "approx",
        "no",
        "nos",
        "fig",
        "cf",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "inc",
        "ltd",
        "jr",
        "sr",
        "dept",
        "est",
        "min",
        "max",
        "avg",
    ]
)
# Structured rows the Django forms compose, one per line: never split inside them.
_STRUCTURED_ROW: Final = re.compile(
    r"^(?:(?:detection|response|escalation)\s+lag\b|(?:pr|mr|pull request|merge request)\s*[#!]?\d+"
    r"|(?:alert|eval(?:\s+case)?|runbook(?:\s+edit)?|ticket)\s*[:(]|[A-Z][A-Z0-9]{1,9}-\d+)",
    re.IGNORECASE,
)
_LINE_ONLY_SECTIONS: Final = frozenset({"timeline"})
# Longer than any abbreviation: a word this long cut short is still not one.
_LAST_WORD_WINDOW: Final = 64


def split_phrases(section: str, text: str) -> list[Span]:
    """Split ``text`` into phrases; each Span's ``text`` equals ``text[start:end]``.

    Markdown headings, rules and code fences are dropped; bullet, number and quote markers are
    stripped. Timeline sections split by line only (one event per line); other sections also
    split sentences and semicolon-separated clauses, except in structured rows such as
    ``PR #2341: ...`` or ``Detection lag (12 min): ...``, which stay whole. Raises
    UnknownSection for a section key not in SECTIONS.
    """
    require_section(section)
    spans: list[Span] = []
    line_only = section in _LINE_ONLY_SECTIONS
    in_fence = False
    for match in _LINE.finditer(text):
        line_start, line = match.start(), match.group().rstrip("\r\n")
        if not line.strip():
            if match.end() >= len(text):
                break
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or _HEADING.match(line) or _RULE_LINE.match(line):
            continue
        marker = _MARKER.match(line)  # every part optional: it always matches
        body_offset = marker.end() if marker else 0
        body = line[body_offset:]
        base = line_start + body_offset
        if line_only or _STRUCTURED_ROW.match(body):
            _append(spans, text, base, base + len(body))
        else:
            for start, end in _sentences(body):
                _append(spans, text, base + start, base + end)
    return spans


def _sentences(body: str) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    start = 0
    for boundary in _SENTENCE_END.finditer(body):
        # Only the last word matters: look at a short window before the boundary, not at all
        # of the sentence so far (after many skipped boundaries that would be quadratic).
        window_start = max(start, boundary.start() - _LAST_WORD_WINDOW)
        before = body[window_start : boundary.start()].rstrip(".!?\"')]")
        last_word = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
        if last_word in _ABBREVIATIONS or len(last_word) == 1:
            continue
        pieces.append((start, boundary.start() + len(boundary.group().rstrip())))
        start = boundary.end()
    pieces.append((start, len(body)))
    clauses: list[tuple[int, int]] = []
    for piece_start, piece_end in pieces:
        clause_start = piece_start
        for semi in _SEMICOLON.finditer(body, piece_start, piece_end):
            clauses.append((clause_start, semi.start()))
            clause_start = semi.end()
        clauses.append((clause_start, piece_end))
    return clauses


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    # Trim whitespace so the offsets point at the words themselves.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        spans.append(Span(start, end, text[start:end]))
