"""Reading a section's lines as list items: markers, and lines that continue the item above."""

from __future__ import annotations

import re

BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")

NumberedLines = list[tuple[int, str]]


def strip_bullet(line: str) -> str:
    """The line without surrounding space and its list marker (``-``, ``*``, ``+``, ``1.``)."""
    return BULLET.sub("", line.strip(), count=1)


def numbered(text: str, first: int = 1) -> NumberedLines:
    """The text's lines with their line numbers, counting from ``first``."""
    return list(enumerate(text.replace("\r\n", "\n").split("\n"), start=first))


def logical_lines(lines: NumberedLines, *, lazy: bool) -> NumberedLines:
    """Join continuation lines onto the item above; drop blank lines.

    An indented line that is not a bullet always continues the item above. With ``lazy``
    (Markdown's rule for list items) so does an unindented plain line directly under a
    bullet; timelines pass ``lazy=False`` because there a plain line is an event of its own.
    Each joined item keeps the line number it started on.
    """
    joined: NumberedLines = []
    previous_blank = True
    previous_bullet = False
    for number, line in lines:
        if not line.strip():
            previous_blank = True
            continue
        is_bullet = bool(BULLET.match(line))
        continues = (
            joined
            and not is_bullet
            and (line[:1].isspace() or (lazy and previous_bullet and not previous_blank))
        )
        if continues:
            start, text = joined[-1]
            joined[-1] = (start, f"{text.rstrip()} {line.strip()}")
        else:
            joined.append((number, line))
            previous_bullet = is_bullet
        previous_blank = False
    return joined
