"""`{% load row_text %}{{ entry.text|inline_code }}`: a row's text with its `code spans` shown as
code, everything else escaped. Rows (timeline, lags, changes, commitments) are one line each and
are not run through Markdown; a code span is the one mark engineers put in them."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_CODE_SPAN = re.compile(r"`([^`\n]+)`")


@register.filter
def inline_code(text) -> SafeString:
    # Escaping first leaves the backticks in place (escape() does not touch them) and makes
    # whatever sits between them text, so a span can only ever become <code>text</code>.
    escaped = escape(text or "")
    return mark_safe(_CODE_SPAN.sub(r"<code>\1</code>", escaped))  # noqa: S308 - escaped above


@register.filter
def grouped(number) -> str:
    """3400 -> "3,400", 41200.50 -> "41,200.50"; None or "" gives "" (the page shows — then)."""
    if number is None or number == "":
        return ""
    if isinstance(number, int):
        return f"{number:,}"
    return f"{number:,.2f}"
