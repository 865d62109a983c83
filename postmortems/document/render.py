"""Writing a postmortem as canonical Markdown, the format ``parse_document`` reads back."""

from __future__ import annotations

from .front_matter import render_front_matter
from .impact import format_impact
from .items import format_change_line, format_commitment_line, format_lag_line, read_commitment_line
from .model import ParsedDocument
from .parse import link_commitment
from .sections import HEADINGS, KEPT_HEADING, SECTION_ORDER
from .timeline import format_timeline


def render_document(doc: ParsedDocument) -> str:
    """Render ``doc`` as Markdown: front matter, ``# title``, then every section in order.

    Every heading is written, empty or not, so the template is visible. The output is
    deterministic and lossless: ``parse_document(render_document(doc)) == doc`` for
    documents built from structured data, and rendering a parsed rendering gives the same
    text. (Free text is stored without trailing spaces or surrounding blank lines; a
    timeline time keeps whole seconds.)
    """
    bodies = {
        "impact": format_impact(doc.impact),
        "timeline": _bullets(format_timeline(doc.timeline, default_date=doc.incident_date)),
        "what_broke": doc.what_broke,
        "why": doc.why,
        "lags": _bullets(format_lag_line(lag) for lag in doc.lags),
        "changes": _bullets(format_change_line(change) for change in doc.changes),
        "commitments": _bullets(_commitment_line(item, doc) for item in doc.commitments),
    }
    parts = [render_front_matter(doc), f"# {doc.title}"]
    for key in SECTION_ORDER:
        parts.append(f"## {HEADINGS[key]}")
        if bodies[key]:
            parts.append(bodies[key])
    if doc.extra_sections:
        parts.append(f"## {KEPT_HEADING}")
        for extra in doc.extra_sections:
            marks = "#" * min(6, max(3, extra.level + 1))
            parts.append(f"{marks} {extra.heading}" if extra.heading else marks)
            if extra.text:
                parts.append(extra.text)
    return "\n\n".join(parts) + "\n"


def _bullets(lines) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _commitment_line(item, doc: ParsedDocument) -> str:
    # The reader links a commitment to a change by reference or by text; only when that
    # would not lead back to item.change_reference is "change: ..." written out.
    plain = format_commitment_line(item, derived_reference=item.change_reference)
    parsed, _, _ = read_commitment_line(plain)
    derived = link_commitment(parsed, doc.changes).change_reference
    return format_commitment_line(item, derived_reference=derived)
