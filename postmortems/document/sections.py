"""Splitting a postmortem's body into its ``# title`` and its ``## sections``.

Old documents use other names for the same sections ("Root cause", "Action items"); those
are read as the house section with a warning. A ``##`` heading that names no section is not
a boundary: it and its text stay in the section above, so nothing written is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import NumberedLines
from .model import DocumentWarning

SECTION_ORDER = ("impact", "timeline", "what_broke", "why", "lags", "changes", "commitments")
HEADINGS = {
    "impact": "User impact",
    "timeline": "Timeline",
    "what_broke": "What broke",
    "why": "Why",
    "lags": "What kept it broken longer",
    "changes": "Specific changes",
    "commitments": "Improvement commitments",
}
# Sections of an imported document that map to no house part ("Lessons learned") are kept
# under this heading, each as a ``###`` heading, after the house sections. It is not in
# SECTION_ORDER: a house document without it is complete and renders without it.
KEPT_KEY = "kept"
KEPT_HEADING = "Kept from the source"
# Other names old postmortems use for the same sections (lower case, no numbering).
ALIASES = {
    "impact": "impact",
    "customer impact": "impact",
    "user-facing impact": "impact",
    "what happened": "what_broke",
    "root cause": "why",
    "root causes": "why",
    "root cause analysis": "why",
    "what kept it broken longer than it should have": "lags",
    "what made it worse": "lags",
    "action items": "changes",
    "follow-ups": "changes",
    "follow-up actions": "changes",
    "remediation": "changes",
    "commitments": "commitments",
}

_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class Body:
    """The body's parts, each section's lines carrying their line numbers in the file."""

    title: str | None = None
    title_line: int | None = None
    sections: dict[str, NumberedLines] = field(default_factory=dict)
    heading_lines: dict[str, int] = field(default_factory=dict)
    warnings: list[DocumentWarning] = field(default_factory=list)


def section_key(heading: str) -> tuple[str | None, bool]:
    """The section a ``##`` heading names, and whether it used the house name."""
    name = re.sub(r"^\d+[.)]?\s*", "", heading.strip().strip("*_").rstrip(":").strip())
    name = re.sub(r"\s+", " ", name).lower()
    for key, house in HEADINGS.items():
        if name == house.lower():
            return key, True
    if name == KEPT_HEADING.lower():
        return KEPT_KEY, True
    return ALIASES.get(name), False


def split_body(lines: list[str], first_number: int) -> Body:
    """Split body lines (the first being file line ``first_number``) into title and sections.

    Text before the first section (under the title) is kept at the top of User impact, which
    is where an old document's summary paragraph belongs.
    """
    body = Body()
    current: str | None = None
    preamble: NumberedLines = []
    in_fence = False
    for number, line in enumerate(lines, start=first_number):
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        level = len(heading[1]) if heading else 0
        if level == 1 and body.title is None:
            body.title, body.title_line = heading[2].strip(), number
            continue
        if level == 2:
            key, house_name = section_key(heading[2])
            if key is not None:
                current = _open_section(body, key, house_name, heading[2], number)
                continue
            where = f'"{HEADINGS[current]}"' if current else '"User impact"'
            body.warnings.append(
                DocumentWarning(
                    number,
                    f'"## {heading[2]}" is not a postmortem section; its text is kept in {where}',
                )
            )
        if current is None:
            preamble.append((number, line))
        else:
            body.sections[current].append((number, line))

    if any(line.strip() for _, line in preamble):
        start = next(number for number, line in preamble if line.strip())
        body.warnings.append(
            DocumentWarning(start, 'text before the first section is kept in "User impact"')
        )
        body.sections["impact"] = preamble + [(start, "")] + body.sections.get("impact", [])
    return body


def _open_section(body: Body, key: str, house_name: bool, written: str, number: int) -> str:
    if key in body.heading_lines:
        body.warnings.append(
            DocumentWarning(
                number,
                f'"## {written}" appears again (first on line {body.heading_lines[key]}); '
                "its text is added to the first",
            )
        )
        body.sections[key].append((number, ""))
        return key
    if not house_name:
        body.warnings.append(
            DocumentWarning(number, f'read "## {written}" as "## {HEADINGS[key]}"')
        )
    body.heading_lines[key] = number
    body.sections[key] = []
    return key


def missing_section_warnings(body: Body, last_line: int) -> list[DocumentWarning]:
    """One warning per absent section, at the line where its heading would have gone."""
    warnings = []
    for index, key in enumerate(SECTION_ORDER):
        if key in body.heading_lines:
            continue
        later = [
            body.heading_lines[k] for k in SECTION_ORDER[index + 1 :] if k in body.heading_lines
        ]
        line = min(later) if later else last_line
        warnings.append(
            DocumentWarning(line, f'no "## {HEADINGS[key]}" heading; imported as an empty section')
        )
    return warnings
