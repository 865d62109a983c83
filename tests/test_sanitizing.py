"""Markdown is rendered, then sanitized: no script survives to the page."""

from __future__ import annotations

from decimal import Decimal

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


PLAIN_TEXTS = [
    "Refunds were late for 12 minutes.",
    "Checkout failed for 1,204 users (3.1% of traffic) between releases.",
    'The cache key "orders:v2" expired at 10:15; the worker kept the old one.',
    "Cost: $312.40 in refunds, 40 tickets, one angry e-mail to ops@example.org.",
    "A + B = C / 2 - 1, isn't it?",
    "- The rollback took two minutes.\n- Nobody was paged twice.",
    "- One bullet only",
    "x",
    "The `session.timeout.ms` setting was 30000 while `broker-2` restarted.",
    "- `orders_v2` kept the old key\n- Raised `max_connections` to 400",
    "`kubectl` was pinned to v1.27.3",
]
NOT_PLAIN = [
    "1. a numbered item",
    "Two  spaces",
    "Ends in a space ",
    "- a\n\n- loose list",
    "A line\nand a second line",
    "* star bullet",
    "Caf\u00e9 opened late",
    "Non\u00a0breaking",
    "- a\n  - nested",
    "A `<script>` in code",
    "Unclosed `code span",
    "Two `` backticks ``",
    "Code with `a b` space",
]


@pytest.mark.parametrize("text", PLAIN_TEXTS + NOT_PLAIN)
def test_plain_text_renders_as_markdown_renders_it(text):
    from postmortems.rendering import _plain_html, _rendered

    assert render_markdown(text) == _rendered(text)
    assert (_plain_html(text) is not None) == (text in PLAIN_TEXTS)


CODE_SPANS = ["`timeout_ms`", "`a/b.yaml`", "`--dry-run`", "`x=1`", "`v2.3`", "``", "`"]


def test_generated_plain_texts_render_as_markdown_renders_them():
    import random

    from postmortems.rendering import _plain_html, _rendered

    rng = random.Random(10)
    alphabet = "abcXYZ019 .,;:?'\"()%$/+=@-"
    checked = 0
    for _ in range(3000):
        lines = [
            rng.choice(["a", "Z", "`x.y_z`"])
            + "".join(
                rng.choice(alphabet) if rng.random() < 0.9 else rng.choice(CODE_SPANS)
                for _ in range(rng.randint(0, 30))
            )
            for _ in range(rng.randint(1, 3))
        ]
        text = "\n".join(f"- {line}" for line in lines) if rng.random() < 0.5 else lines[0]
        plain = _plain_html(text)
        if plain is not None:
            checked += 1
            assert plain == _rendered(text), text
    assert checked > 1000


@pytest.mark.django_db
def test_code_spans_in_rows_show_as_code_and_anything_else_stays_text(author_client):
    from postmortems.models import Change, TimelineEntry

    postmortem = PostmortemFactory(impact_users=3400, impact_money=Decimal("41200.5"))
    TimelineEntry.objects.create(
        postmortem=postmortem, position=0, text="Ran `redis-cli DEL sess:42` on cache-2"
    )
    Change.objects.create(
        postmortem=postmortem,
        text="Quote `<img src=x onerror=alert(1)>` in the runbook, and <b>not</b> this",
        owner="mira",
    )
    response = author_client.get(reverse("postmortem_detail", args=[postmortem.slug]))
    main = response.content.decode().split("<main>")[1]
    assert "Ran <code>redis-cli DEL sess:42</code> on cache-2" in main
    # Inside a span or outside it, markup is shown as the characters it was typed with.
    assert "<code>&lt;img src=x onerror=alert(1)&gt;</code>" in main
    assert "&lt;b&gt;not&lt;/b&gt; this" in main
    assert "<img" not in main and "@@mira" not in main and "@mira" in main
    # The figures read as numbers people compare: grouped by thousands.
    assert ">3,400<small>users affected" in main and ">41,200.50 USD<small>money" in main
