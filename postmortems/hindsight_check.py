"""``hindsight-check PATH...``: the specificity checker on postmortem files, for review and CI.

Reads postmortems in the house Markdown format (and, where the importer's reader for other
teams' templates is installed, those too), tags every phrase, and prints one line per vague or
anti-pattern phrase as ``file:line:col: tag: reason``, or ``--format json``. Exits 1 when any
anti-pattern is present, 2 when a file cannot be read, 0 otherwise. Pure Python, no Django.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from postmortems.document.sections import split_body
from postmortems.specificity import ANTI_PATTERN, CONCRETE, check_section, load_ruleset

# The house document calls the lag section "lags"; the checker calls it "kept_broken".
_CHECKER_SECTION = {"lags": "kept_broken"}
_ITEM_SECTIONS = frozenset({"timeline", "kept_broken", "changes", "commitments"})
_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt")
EXIT_CLEAN, EXIT_ANTI_PATTERN, EXIT_UNREADABLE = 0, 1, 2


@dataclass(frozen=True)
class Problem:
    """One tagged phrase, where it is in its file."""

    file: str
    line: int
    col: int
    section: str
    tag: str
    text: str
    reasons: tuple[str, ...]
    suggestion: str | None

    def as_line(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.tag}: {' '.join(self.reasons)}"


def check_file(path: Path, *, ruleset=None) -> list[Problem]:
    """Every phrase of the postmortem at ``path`` with its tag and position (concrete included).

    Raises OSError or UnicodeDecodeError when the file cannot be read, ValueError when it
    has no postmortem section the house format or the importer knows.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body_start = _body_start(lines)
    body = split_body(lines[body_start:], first_number=body_start + 1)
    if body.heading_lines:
        sections = {key: numbered for key, numbered in body.sections.items()}
        one_item_a_line = False
    else:
        sections = _foreign_sections(path, text, lines)
        one_item_a_line = True  # the importer already gives one item per entry
    problems: list[Problem] = []
    for key, numbered in sections.items():
        section = _CHECKER_SECTION.get(key, key)
        unwrap = not (one_item_a_line and section in _ITEM_SECTIONS)
        problems += _check_numbered(str(path), section, numbered, ruleset, unwrap=unwrap)
    return sorted(problems, key=lambda p: (p.line, p.col))


def _body_start(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return index + 1
    return 0


_CONTINUES = re.compile(r"\n(?=[ \t]*[^\s\-*+>#|\d])")


def _unwrap(text: str, section: str) -> str:
    """Join hard-wrapped paragraph lines (a newline becomes a space, so offsets stay put):
    a sentence wrapped at 100 columns is one phrase, not two. Timelines keep one event a line."""
    if section == "timeline":
        return text
    return _CONTINUES.sub(lambda m: " " if _previous_line_has_text(text, m.start()) else "\n", text)


def _previous_line_has_text(text: str, newline: int) -> bool:
    start = text.rfind("\n", 0, newline) + 1
    return bool(text[start:newline].strip())


def _check_numbered(
    file: str, section: str, numbered, ruleset, *, unwrap: bool = True
) -> Iterator[Problem]:
    texts = [line for _, line in numbered]
    joined = "\n".join(texts)
    if unwrap:
        joined = _unwrap(joined, section)
    starts, offset = [], 0
    for line in texts:
        starts.append(offset)
        offset += len(line) + 1
    result = check_section(section, joined, ruleset=ruleset)
    for phrase in result.phrases:
        index = bisect_right(starts, phrase.start) - 1
        yield Problem(
            file=file,
            line=numbered[index][0],
            col=phrase.start - starts[index] + 1,
            section=section,
            tag=phrase.tag,
            text=phrase.text,
            reasons=phrase.reasons,
            suggestion=phrase.suggestion,
        )


def _foreign_sections(path: Path, text: str, lines: list[str]):
    """Sections of a document in another team's template, via the importer's reader when it
    is installed; each phrase is placed on the file line where its text occurs."""
    try:
        from postmortems.document.foreign import read_postmortem
    except ImportError as exc:
        raise ValueError(
            "no house postmortem sections (## User impact, ## Why, ...), and the reader for "
            "other templates (postmortems.document.foreign) is not installed"
        ) from exc
    reading = read_postmortem(text, filename=path.name)
    if not reading.ok:
        raise ValueError(f"not a postmortem the importer can read: {reading.error}")
    doc = reading.doc
    pieces = {
        "impact": [doc.impact.summary],
        "timeline": [entry.raw or entry.text for entry in doc.timeline],
        "what_broke": [doc.what_broke],
        "why": [doc.why],
        "kept_broken": [lag.text for lag in doc.lags],
        "changes": [change.text for change in doc.changes],
        "commitments": [item.text for item in doc.commitments],
    }
    return {
        key: _place_on_lines(lines, [p for piece in texts for p in piece.split("\n") if p.strip()])
        for key, texts in pieces.items()
    }


def _place_on_lines(lines: list[str], pieces: list[str]):
    numbered = []
    for piece in pieces:
        probe = piece.strip()[:40]
        where = next(((i, line.find(probe)) for i, line in enumerate(lines) if probe in line), None)
        if probe and where is not None:
            # Indent the piece as in the file, so the column points at its first word.
            numbered.append((where[0] + 1, " " * where[1] + piece.strip()))
        else:
            numbered.append((1, piece))
    return numbered


def _files(paths: list[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in _SUFFIXES)
        else:
            yield path


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``hindsight-check`` console script."""
    parser = argparse.ArgumentParser(
        prog="hindsight-check",
        description="Tag every phrase of postmortem files concrete, vague or anti-pattern.",
    )
    parser.add_argument("paths", nargs="+", help="postmortem files or folders of them")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--all", action="store_true", help="also list concrete phrases")
    parser.add_argument("--suggest", action="store_true", help="print the rewrite under each line")
    parser.add_argument("--rules", action="append", default=[], help="an extra lexicon file")
    args = parser.parse_args(argv)
    ruleset = load_ruleset(*args.rules)
    problems: list[Problem] = []
    unreadable = False
    for path in _files(args.paths):
        try:
            problems += check_file(path, ruleset=ruleset)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            print(f"{path}:1:1: error: {exc}", file=sys.stderr)
            unreadable = True
    shown = [p for p in problems if args.all or p.tag != CONCRETE]
    if args.format == "json":
        json.dump([asdict(p) for p in shown], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for problem in shown:
            print(problem.as_line())
            if args.suggest and problem.suggestion:
                print(f"    suggestion: {problem.suggestion}")
    if unreadable:
        return EXIT_UNREADABLE
    return EXIT_ANTI_PATTERN if any(p.tag == ANTI_PATTERN for p in problems) else EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
