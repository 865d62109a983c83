"""Markdown to HTML, then sanitized: what reaches a page never carries script."""

from __future__ import annotations

import threading

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


EXTENSIONS = ["fenced_code", "tables", "sane_lists"]
_converters = threading.local()


def _converter() -> markdown.Markdown:
    # Building a Markdown instance (its extensions and processors) costs as much as a
    # conversion; one per thread, reset before each use, gives the same output.
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(extensions=EXTENSIONS)
    return converter


def render_markdown(text: str) -> str:
    """Render Markdown and strip everything a browser could execute."""
    if not text or not text.strip():
        return ""
    html = _converter().reset().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
