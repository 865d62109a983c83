"""Markdown tables: splitting rows into cells and finding columns by their header."""

from __future__ import annotations

import re

_SEPARATOR_CELL = re.compile(r"^:?-{2,}:?$")
_CELL_BORDER = re.compile(r"(?<!\\)\|")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def is_table_line(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.count("|") >= 2


def cells(line: str) -> list[str]:
    """The cells of one ``| a | b |`` row, unescaping ``\\|`` inside a cell."""
    stripped = line.strip()
    stripped = stripped[1:] if stripped.startswith("|") else stripped
    stripped = (
        stripped[:-1] if stripped.endswith("|") and not stripped.endswith("\\|") else stripped
    )
    parts = _CELL_BORDER.split(stripped)
    return [part.strip().replace("\\|", "|") for part in parts]


def is_separator(row: list[str]) -> bool:
    return bool(row) and all(_SEPARATOR_CELL.match(cell.replace(" ", "")) for cell in row if cell)


def column_named(header: list[str], words: tuple[str, ...]) -> int | None:
    """The first column whose header contains one of ``words`` as a whole word."""
    for index, name in enumerate(header):
        lowered = " " + _NOT_WORD.sub(" ", name.lower()) + " "
        if any(f" {word} " in lowered for word in words):
            return index
    return None
