"""Slugs that always make a valid URL: ASCII letters, digits, hyphens, never a reserved word.

The rule itself lives in the pure importer core (``postmortems.document.foreign``), so titles
typed in the editor and file names read by the importer get the same slug for the same text."""

from __future__ import annotations

import re

from .document.foreign import RESERVED_SLUGS, slug_base

MAX_LENGTH = 200
VALID_SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")

__all__ = ["MAX_LENGTH", "RESERVED_SLUGS", "is_valid_slug", "slug_from"]


def slug_from(text: str, *, max_length: int = MAX_LENGTH) -> str:
    """The URL slug for a title or file name, the same every time for the same text.

    Accents fold to ASCII ("café" -> "cafe"); text with no ASCII letters at all (CJK, emoji)
    gets "postmortem-" and a short hash of the text, so two such names stay apart."""
    return slug_base(text, max_length=max_length, empty="untitled-draft")


def is_valid_slug(slug: str) -> bool:
    return bool(VALID_SLUG.match(slug or "")) and slug not in RESERVED_SLUGS
