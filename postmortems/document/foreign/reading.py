"""One file in, one ``ImportReading`` out: house format, foreign Markdown or HTML."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from ..model import DocumentError, DocumentWarning, ParsedDocument
from ..parse import parse_document
from .headings import HeadingTable, load_table
from .html import html_to_markdown, looks_like_html
from .reader import HeadingMapping, read_foreign

_HOUSE_FRONT = re.compile(r"\A\ufeff?\s*---\s*\n(?:.*\n)*?incident_date\s*:", re.MULTILINE)


@dataclass(frozen=True)
class ImportReading:
    """What the importer read from one file; ``doc`` is None when ``error`` is set."""

    filename: str
    slug: str
    source_format: str  # "house", "markdown" or "html"
    doc: ParsedDocument | None = None
    mappings: tuple[HeadingMapping, ...] = ()
    error: DocumentError | None = None

    @property
    def ok(self) -> bool:
        return self.doc is not None

    @property
    def warnings(self) -> tuple[DocumentWarning, ...]:
        return self.doc.warnings if self.doc is not None else ()

    def where(self, line: int | None) -> str:
        return f"{self.filename}:{line}" if line else self.filename


def slugify(value: str) -> str:
    """Django's ``slugify()``, reproduced so this core imports no Django (a test pins them equal)."""
    value = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value.lower())
    return re.sub(r"[-\s]+", "-", value).strip("-_")


# Slugs the app's own pages use (/postmortems/new/, /check/, /import/).
RESERVED_SLUGS = frozenset({"new", "check", "import"})


def slug_base(text: str, *, max_length: int = 180, empty: str = "imported-postmortem") -> str:
    """The URL slug for a title or file name, the same every time for the same text: Django's
    slugify, accents folded; text with no ASCII letters (CJK, emoji) gets "postmortem-" and a
    short hash, so two such names stay apart; blank text gets ``empty``; never a reserved word."""
    base = slugify(text or "")[:max_length].strip("-")
    if not base:
        digest = hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:10]
        base = f"postmortem-{digest}" if (text or "").strip() else empty
    if base in RESERVED_SLUGS:
        base = f"{base}-postmortem"
    return base


def unique_slug(stem: str, taken: set[str]) -> str:
    """``slug_base(stem)``, with ``-2``, ``-3`` ... when another file of the batch has it."""
    return free_slug(slug_base(stem), taken)


def free_slug(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... the first not in ``taken``; added to ``taken``."""
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def read_postmortem(
    data: bytes | str,
    *,
    filename: str,
    taken_slugs: set[str] | None = None,
    table: HeadingTable | None = None,
) -> ImportReading:
    """Read one file; never raises. ``taken_slugs`` (updated) keeps slugs unique in a batch."""
    name = PurePath(filename).name
    stem = re.sub(r"\.(md|markdown|txt|html?)$", "", name, flags=re.IGNORECASE)
    slug = unique_slug(stem, taken_slugs if taken_slugs is not None else set())
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            return ImportReading(
                filename, slug, "unknown",
                error=DocumentError(line, f"not UTF-8 text (byte {error.start + 1} cannot be read)"),
            )  # fmt: skip
    else:
        text = data
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return ImportReading(
            filename,
            slug,
            "unknown",
            error=DocumentError(
                line, "holds a NUL control character: remove it (not a text document)"
            ),
        )
    source_format = "markdown"
    try:
        if looks_like_html(text, name):
            source_format = "html"
            text = html_to_markdown(text)
        if source_format == "markdown" and _HOUSE_FRONT.match(text):
            return ImportReading(filename, slug, "house", doc=parse_document(text, slug=slug))
        doc, mappings = read_foreign(text, slug=slug, stem=stem, table=table or load_table())
    except DocumentError as error:
        return ImportReading(filename, slug, source_format, error=error)
    except (ValueError, OverflowError, RecursionError) as error:
        # A shape no rule foresaw must cost this file only, never the batch.
        reason = f"could not be read ({type(error).__name__}: {error})"
        return ImportReading(filename, slug, source_format, error=DocumentError(1, reason))
    return ImportReading(filename, slug, source_format, doc=doc, mappings=tuple(mappings))
