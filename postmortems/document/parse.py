"""Reading a whole postmortem document: front matter, title, and the seven sections.

Old documents are history and are taken as they are: a missing section is empty, a line
that does not read is kept as written; each such leniency is a DocumentWarning with its
line number. Only a text that is not a postmortem at all raises DocumentError.
"""

from __future__ import annotations

import dataclasses
import re

from .front_matter import read_front_matter
from .impact import read_impact
from .item_fields import same_reference
from .items import read_change_line, read_commitment_line, read_lag_line
from .lines import BULLET, NumberedLines, logical_lines
from .model import (
    ChangeItem,
    CommitmentItem,
    DocumentError,
    DocumentWarning,
    ExtraSection,
    ParsedDocument,
    normalize_text,
)
from .sections import HEADINGS, KEPT_KEY, missing_section_warnings, split_body
from .timeline import read_timeline


def parse_document(text: str, *, slug: str) -> ParsedDocument:
    """Parse a postmortem in the canonical Markdown format (or an older hand-written one).

    ``slug`` is the file name without ``.md``. Raises DocumentError (``.line``, ``.reason``)
    when there is no front matter, no title (neither ``title:`` nor a ``# heading``), or no
    readable ``incident_date``. Everything else is read leniently and reported in
    ``.warnings``. ``status`` stays None when the front matter gives none; the importer
    publishes such documents (see ``ParsedDocument.import_status``).
    """
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front = read_front_matter(lines)
    body = split_body(lines[front.body_start :], first_number=front.body_start + 1)
    warnings = [*front.warnings, *body.warnings]

    title = front.values.get("title")
    if not title:
        if not body.title:
            raise DocumentError(
                1, 'no title — add "title: ..." to the front matter or a "# Title" line'
            )
        title = body.title
    elif body.title and body.title != title:
        warnings.append(
            DocumentWarning(
                body.title_line,
                f'the "# {body.title}" heading differs from the front-matter title; the front matter counts',
            )
        )
    last_line = len(lines) - 1 if len(lines) > 1 and lines[-1] == "" else len(lines)
    warnings += missing_section_warnings(body, last_line=last_line)

    section = body.sections.get
    impact, impact_warnings = read_impact(section("impact", []))
    timeline, timeline_errors = read_timeline(
        section("timeline", []), default_date=front.values["incident_date"]
    )
    lags = _read_lags(section("lags", []), warnings)
    changes = _read_changes(section("changes", []), warnings)
    commitments = _read_commitments(section("commitments", []), changes, warnings)
    warnings += impact_warnings
    warnings += [DocumentWarning(number, message) for number, message in timeline_errors]

    return ParsedDocument(
        slug=slug,
        title=title,
        metadata=front.metadata,
        **{key: value for key, value in front.values.items() if key != "title"},
        impact=impact,
        timeline=tuple(timeline),
        what_broke=_free_text(section("what_broke", [])),
        why=_free_text(section("why", [])),
        lags=tuple(lags),
        changes=tuple(changes),
        commitments=tuple(commitments),
        extra_sections=read_kept_sections(section(KEPT_KEY, [])),
        warnings=tuple(sorted(warnings, key=lambda warning: warning.line)),
    )


_KEPT_HEADING = re.compile(r"^(#{3,6})(?:\s+(.*?))?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def read_kept_sections(lines: NumberedLines) -> tuple[ExtraSection, ...]:
    """The ``### heading`` parts under "Kept from the source", one level deeper than written.

    Text before the first ``###`` (none when the renderer wrote it) is kept as a part with
    no heading, so nothing is dropped.
    """
    parts: list[tuple[str, int, list[str]]] = []
    in_fence = False
    for _, line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _KEPT_HEADING.match(line)
        if heading:
            parts.append((heading[2] or "", len(heading[1]) - 1, []))
        elif parts or line.strip():
            if not parts:
                parts.append(("", 2, []))
            parts[-1][2].append(line)
    return tuple(
        ExtraSection(heading=h, level=level, text="\n".join(body)) for h, level, body in parts
    )


def link_commitment(item: CommitmentItem, changes: list[ChangeItem] | tuple[ChangeItem, ...]):
    """Point a commitment at the change it delivers.

    A reference in its text ("#2341") is matched to the change's reference as that change
    writes it ("PR #2341"); without one, a commitment whose text is a change's text links to
    that change's reference, or to its text when the change has no reference.
    """
    if item.change_reference:
        for change in changes:
            if same_reference(item.change_reference, change.reference):
                return dataclasses.replace(item, change_reference=change.reference)
        return item
    wanted = _comparable(item.text)
    for change in changes:
        if wanted and _comparable(change.text) == wanted:
            return dataclasses.replace(item, change_reference=change.reference or change.text)
    return item


def _comparable(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


def _free_text(lines: NumberedLines) -> str:
    return normalize_text("\n".join(line for _, line in lines))


def _items(lines: NumberedLines, heading: str, warnings: list[DocumentWarning]) -> NumberedLines:
    items = logical_lines(lines, lazy=True)
    for number, line in items:
        if not BULLET.match(line):
            warnings.append(
                DocumentWarning(number, f'a line under "## {heading}" is not a bullet; read as one')
            )
    return items


def _read_lags(lines: NumberedLines, warnings: list[DocumentWarning]):
    lags = []
    for number, line in _items(lines, HEADINGS["lags"], warnings):
        lag, named = read_lag_line(line)
        if not named:
            warnings.append(
                DocumentWarning(
                    number,
                    "names no lag kind (Detection lag, Response lag, Escalation lag); "
                    'kept as kind "other"',
                )
            )
        lags.append(lag)
    return lags


def _read_changes(lines: NumberedLines, warnings: list[DocumentWarning]) -> list[ChangeItem]:
    changes = []
    for number, line in _items(lines, HEADINGS["changes"], warnings):
        change, problems = read_change_line(line)
        warnings += [DocumentWarning(number, problem) for problem in problems]
        changes.append(change)
    return changes


def _read_commitments(
    lines: NumberedLines, changes: list[ChangeItem], warnings: list[DocumentWarning]
) -> list[CommitmentItem]:
    commitments = []
    for number, line in _items(lines, HEADINGS["commitments"], warnings):
        item, problems, explicit = read_commitment_line(line)
        warnings += [DocumentWarning(number, problem) for problem in problems]
        commitments.append(item if explicit else link_commitment(item, changes))
    return commitments
