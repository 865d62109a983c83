"""HTML exports (Confluence, Google Docs) to Markdown, so they take the Markdown path."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

_HTML_START = re.compile(
    r"^\s*(?:<!doctype html|<html|<head|<body|<meta|<div|<h[1-6]|<p[\s>])", re.I
)


def looks_like_html(text: str, filename: str) -> bool:
    return filename.lower().endswith((".html", ".htm")) or bool(_HTML_START.match(text[:500]))


def html_to_markdown(text: str) -> str:
    """ATX headings, ``-`` bullets, tables as pipe tables; scripts and styles dropped."""
    soup = BeautifulSoup(text, "html.parser")
    for element in soup(["script", "style", "head", "noscript"]):
        element.decompose()
    root = soup.body or soup
    markdown = MarkdownConverter(heading_style="ATX", bullets="-", strip=["img"]).convert_soup(root)
    # The converter separates blocks with runs of blank lines; one is enough.
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
