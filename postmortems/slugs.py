"""Slugs that always make a valid URL: ASCII letters, digits, hyphens, never a reserved word."""

from __future__ import annotations

import hashlib
import re

from django.utils.text import slugify

MAX_LENGTH = 200
RESERVED_SLUGS = {"new", "check", "import"}  # the app's own pages under /postmortems/
VALID_SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")


def slug_from(text: str, *, max_length: int = MAX_LENGTH) -> str:
    """The URL slug for a title or file name, the same every time for the same text.

    Accents fold to ASCII ("café" -> "cafe"); text with no ASCII letters at all (CJK, emoji)
    gets "postmortem-" and a short hash of the text, so two such names stay apart."""
    base = slugify(text or "")[:max_length].strip("-")
    if not base:
        digest = hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:10]
        base = f"postmortem-{digest}" if (text or "").strip() else "untitled-draft"
    if base in RESERVED_SLUGS:
        base = f"{base}-postmortem"
    return base


def is_valid_slug(slug: str) -> bool:
    return bool(VALID_SLUG.match(slug or "")) and slug not in RESERVED_SLUGS
