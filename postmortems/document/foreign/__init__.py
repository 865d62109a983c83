"""Importing postmortems written in other teams' templates (Markdown or HTML).

Pure Python, no Django. ``read_postmortem`` takes a file's bytes and name and returns an
``ImportReading``: the house ``ParsedDocument`` (the same model ``parse_document`` gives for
the house format, which it still uses for files in that format), how each source heading
was mapped, the warnings, or the one error that stops the file, each with its line.
"""

from .headings import PART_LABELS, HeadingTable, load_table, normalize_heading
from .reader import HeadingMapping
from .reading import (
    RESERVED_SLUGS,
    ImportReading,
    free_slug,
    read_postmortem,
    slug_base,
    slugify,
    unique_slug,
)

__all__ = [
    "PART_LABELS",
    "RESERVED_SLUGS",
    "HeadingMapping",
    "HeadingTable",
    "ImportReading",
    "free_slug",
    "load_table",
    "normalize_heading",
    "read_postmortem",
    "slug_base",
    "slugify",
    "unique_slug",
]
