"""Markdown is rendered, then sanitized: no script survives to the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from postmortems.rendering import render_markdown
from tests.factories import PostmortemFactory

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    "<iframe src='https://evil.example'></iframe>",
    "<body onload=alert(1)>",
    "<div style='background:url(javascript:alert(1))'>x</div>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '![x](x" onerror="alert(1))',
    "<details open ontoggle=alert(1)>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<object data='javascript:alert(1)'></object>",
    "<form action='javascript:alert(1)'><button>x</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
]
FORBIDDEN = [
    "<script",
    "onerror",
    "onload",
    "javascript:",
    "<iframe",
    "ontoggle",
    "onfocus",
    "<object",
    "<form",
    "<input",
    "data:text",
    "<style",
    "<svg",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives_rendering(payload):
    html = render_markdown(f"Before {payload} after").lower()
    for marker in FORBIDDEN:
        assert marker not in html, (payload, html)


def test_markdown_still_renders(db):
    html = render_markdown(
        "**8 refunds** overcharged, see [PR #2341](https://github.com/x/y/pull/2341)"
    )
    assert "<strong>8 refunds</strong>" in html
    assert 'href="https://github.com/x/y/pull/2341"' in html


@pytest.mark.django_db
def test_the_detail_page_shows_sanitized_sections(author_client):
    from postmortems.services import refresh_derived

    postmortem = PostmortemFactory(why="Cause <script>alert('x')</script> **bold**")
    refresh_derived(postmortem)
    response = author_client.get(reverse("postmortem_detail", args=[postmortem.slug]))
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "alert('x')" not in html.split("<main>")[1]
