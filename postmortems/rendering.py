"""Markdown to HTML, then sanitized: what reaches a page never carries script."""

from __future__ import annotations

import re
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


# Plain prose: printable ASCII without a character Markdown or HTML gives a meaning to
# (emphasis, links, HTML, entities, escapes, headings, tables), opening with a letter or a
# code span so that no line reads as a list number, a heading or a rule, and ending in no
# space (two at a line's end are a line break); no run of spaces at all, to stay on the safe
# side. Code spans (`session.timeout.ms`) are allowed when they hold only characters that
# need no escaping: names, paths, flags and numbers, which is what postmortems put in them.
_CODE = r"`[A-Za-z0-9._:/=+-]+`"
_NOT_SPACE = r"[A-Za-z0-9.,;:?'\"()%$/+=@-]"
_PLAIN = rf"(?:[A-Za-z]|{_CODE})(?:(?:{_NOT_SPACE}| |{_CODE})*(?:{_NOT_SPACE}|{_CODE}))?"
_PLAIN_PARAGRAPH = re.compile(_PLAIN)
_PLAIN_BULLETS = re.compile(rf"- {_PLAIN}(?:\n- {_PLAIN})*")
_CODE_SPAN = re.compile(r"`([^`]+)`")


def _plain_html(text: str) -> str | None:
    """The HTML Markdown and nh3 give a plain paragraph or a list of plain one-line
    bullets, without running Markdown (a third of an import's writing time went to it);
    None for anything else. tests/test_sanitizing.py checks both give the same HTML."""
    if "  " in text or "``" in text:  # two backticks open a different kind of code span
        return None
    if _PLAIN_PARAGRAPH.fullmatch(text):
        html = f"<p>{text}</p>"
    elif _PLAIN_BULLETS.fullmatch(text):
        items = "\n".join(f"<li>{line[2:]}</li>" for line in text.split("\n"))
        html = f"<ul>\n{items}\n</ul>"
    else:
        return None
    return _CODE_SPAN.sub(r"<code>\1</code>", html) if "`" in html else html


def render_markdown(text: str) -> str:
    """Render Markdown and strip everything a browser could execute."""
    if not text or not text.strip():
        return ""
    plain = _plain_html(text)
    return plain if plain is not None else _rendered(text)


def _rendered(text: str) -> str:
    html = _converter().reset().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
