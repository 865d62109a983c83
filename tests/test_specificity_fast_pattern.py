"""The gated search path of the checker's patterns finds exactly what the plain alternation
finds: the literal index and the merged runs only ever skip work, never change a match.

The tests of the index's internals build it without the Hyperscan item scanner (``scan=False``);
tests/test_specificity_item_scanner.py covers the scanned path."""

from __future__ import annotations

import re

import pytest

from postmortems.specificity.fast_pattern import FastPattern, LiteralIndex, fold_text

# Items shaped like the ruleset's: lexicon alternations behind a word boundary, digit-led
# quantities with no literal, a case-sensitive acronym, an anchored lead, a lookbehind.
ITEMS = [
    r"\b(?:investigat\w*|look into|consider|reassess)\b",
    r"\b\d+\s?(?:ms|s|min|minutes?)\b",
    r"\b\d{3}s\b",
    r"(?-i:\b[A-Z]{2,5}-\d+\b)",
    r"^\W*(?:todo|follow[- ]?up)\b",
    r"(?<=[a-z0-9_])\.[a-z_]+\.yaml\b",
    r"\bp[0-4]\b",
]

PHRASES = [
    "Investigate the queue depth on the billing consumer",
    "We will look into it",
    "Retries waited 250 ms between attempts, 500s at the edge",
    "Ticket OPS-4411 tracks the pool resize",
    "todo: reassess the p2 paging policy",
    "Edit deploy/billing.values.yaml to raise the limit",
    "The batch ran for 12 minutes",
    "Nothing here matches",
    "ÉCOLE: the İstanbul office saw 40 s stalls",  # lowercasing moves offsets: no folded path
    "",
]


def _indexed(pattern: FastPattern, text: str, scan: bool = False) -> re.Match[str] | None:
    index = LiteralIndex([pattern], scan=scan)
    lower = fold_text(text)
    present = index.present(lower) if lower is not None else None
    return pattern.search_in(text, lower, bool(re.search(r"\d", text)), present)


@pytest.mark.parametrize("scan", [False, True], ids=["literal-index", "item-scanner"])
@pytest.mark.parametrize("text", PHRASES)
def test_indexed_search_finds_the_same_span_as_the_plain_alternation(text, scan):
    expected = re.compile("|".join(f"(?:{i})" for i in ITEMS), re.IGNORECASE).search(text)
    found = _indexed(FastPattern("mixed", ITEMS), text, scan)
    assert (found and found.span()) == (expected and expected.span())


def test_a_pattern_whose_literals_are_all_absent_is_skipped_without_running_an_item():
    pattern = FastPattern("leads", [r"\b(?:investigat\w*|consider)\b", r"\blook into\b"])
    index = LiteralIndex([pattern], scan=False)
    assert pattern.gate_union is not None
    present = index.present("the pool was resized to 40 connections")
    assert pattern.gate_union.isdisjoint(present)
    assert pattern.search_in("the pool", "the pool", False, present) is None


def test_overlapping_literals_are_all_reported_present():
    # "cache" sits inside "cache key": a non-overlapping scan would report only one of them.
    short = FastPattern("short", [r"\bcache\b"])
    long = FastPattern("long", [r"\bcache key\b"])
    index = LiteralIndex([short, long], scan=False)
    present = index.present("the cache key collided")
    assert not short.items[0].gate_ids.isdisjoint(present)
    assert not long.items[0].gate_ids.isdisjoint(present)


def test_a_single_letter_gate_runs_the_item_rather_than_testing_the_letter():
    pattern = FastPattern("timestamps", [r"\bt\s?[+-]\s?\d+"])
    LiteralIndex([pattern], scan=False)
    assert pattern.items[0].gate_ids is None
    assert pattern.gate_union is None
    assert _indexed(pattern, "paged at T+12").group() == "t+12"


def test_merged_neighbours_keep_the_first_item_on_a_tie():
    # Both items match at position 0; the item loop and the alternation both take the first.
    pattern = FastPattern("tie", [r"\d+", r"\d+[.,]\d+"])
    LiteralIndex([pattern], scan=False)
    assert len(pattern.runs) == 1  # both digit-led, no literal: one pass
    assert _indexed(pattern, "error rate 1.5 per cent").group() == "1"


def test_items_with_a_literal_gate_are_not_merged_so_their_gate_still_skips_them():
    pattern = FastPattern("gated", [r"\d+ ms", r"\bconsider\b", r"\d+ s\b"])
    LiteralIndex([pattern], scan=False)
    assert len(pattern.runs) == 3
    assert _indexed(pattern, "we should consider 5 s").group() == "consider"


def test_count_distinct_with_the_index_counts_like_without_it():
    nouns = FastPattern("nouns", [r"\b(?:certs?|certificates?)\b", r"\b(?:pools?|cron)\b"])
    text = "The cert expired because the renewal cron had no alert on the pool"
    lower = fold_text(text)
    plain = nouns.count_distinct(text, lower, False, limit=3)
    present = LiteralIndex([nouns], scan=False).present(lower)
    assert plain == 3
    assert nouns.count_distinct(text, lower, False, 3, present) == plain


@pytest.mark.parametrize("text", PHRASES)
def test_whole_text_scans_find_the_spans_the_case_insensitive_alternation_finds(text):
    folded_items = [item for item in ITEMS if "(?-i:" not in item]
    pattern = FastPattern("scans", folded_items)
    assert pattern.full_folded is not None
    plain = re.compile("|".join(f"(?:{i})" for i in folded_items), re.IGNORECASE)
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]
    # The words come back as written, not lowercased.
    assert pattern.findall_text(text) == [m.group() for m in plain.finditer(text)]
    assert bool(pattern.match(text)) == bool(plain.match(text))


def test_fullmatch_of_a_word_list_ignores_case():
    common = FastPattern("common", ["the|and|because"])
    assert common.fullmatch("Because")
    assert not common.fullmatch("becausee")


def test_a_case_sensitive_item_keeps_the_alternation_on_the_original_text():
    pattern = FastPattern("tickets", [r"(?-i:\b[A-Z]{2,5}-\d+\b)", r"\bticket\b"])
    assert pattern.full_folded is None
    assert pattern.findall_text("ops-12 and OPS-12 in the Ticket") == ["OPS-12", "Ticket"]


def _every_match(pattern: FastPattern, text: str, scan: bool) -> list[tuple[int, int]]:
    index = LiteralIndex([pattern], scan=scan)
    lower = fold_text(text)
    present = index.present(lower) if lower is not None else None
    has_digit = bool(re.search(r"\d", text))
    return [m.span() for m in pattern.finditer_in(text, lower, has_digit, present)]


# Non-ASCII text whose lowercasing keeps offsets, with a letter and digits that only Unicode
# \\w and \\d read as such: the alternations run without re.ASCII there.
UNICODE_WORDS = "the café team investigated \u0663\u0660 minutes of stalls"


@pytest.mark.parametrize("scan", [False, True], ids=["literal-index", "item-scanner"])
@pytest.mark.parametrize(
    "text", [*PHRASES, "250 ms, then 500s, then todo: consider p3 of 40 min", UNICODE_WORDS]
)
def test_every_match_of_the_gated_alternation_is_every_match_of_the_plain_one(text, scan):
    # Only the items the gates let through are joined; an item matching nowhere in the phrase
    # wins at no position, so leaving it out moves no match, overlapping items included.
    expected = re.compile("|".join(f"(?:{i})" for i in ITEMS), re.IGNORECASE).finditer(text)
    assert _every_match(FastPattern("mixed", ITEMS), text, scan) == [m.span() for m in expected]


def test_an_alternation_with_a_numbered_group_reference_is_run_whole():
    # "\\1" names a group by its number in the whole alternation: dropping an item before it
    # would make it name another group, so such a pattern is never narrowed.
    items = [r"\b(retry|retries)\b", r"\b(\w+) \1\b"]
    text = "the the pool was resized twice"
    expected = re.compile("|".join(f"(?:{i})" for i in items), re.IGNORECASE).finditer(text)
    assert _every_match(FastPattern("refs", items), text, False) == [m.span() for m in expected]


@pytest.mark.parametrize(
    "text",
    [
        "API latency doubled after the OPS rollout",  # ASCII: the re.ASCII twin runs
        "API équipe paged at 02:10",  # "é" is a word character only to Unicode \\w
        "API \u212ab of headroom",  # the Kelvin sign is "k" only to Unicode case folding
    ],
)
def test_a_case_sensitive_item_matches_as_the_case_insensitive_regex_on_any_text(text):
    # A case-sensitive item is run with re.IGNORECASE; on ASCII text a re.ASCII copy of it,
    # which matches alike there. On other text only the Unicode one reads \\w and case right.
    items = [r"(?-i:\b[A-Z]{2,})\s+(?:\w+|kb)\b"]
    pattern = FastPattern("acronym_then_word", items)
    expected = re.compile(items[0], re.IGNORECASE).search(text)
    found = pattern.search_in(text, fold_text(text), True, None)
    assert expected is not None
    assert found is not None and found.span() == expected.span()


@pytest.mark.parametrize(
    ("item", "text", "expected"),
    [
        (r"\b\w+\s+cache\b", "the billing cache went cold", "billing cache"),  # ASCII: twin
        (r"\b\w+\s+cache\b", "the café cache went cold", "café cache"),  # "é" is \w to Unicode
        (r"\b\d+\s+cache\b", "the \u0663\u0663 cache went cold", "\u0663\u0663 cache"),  # \d too
    ],
)
def test_a_folded_item_matches_as_the_regex_on_any_text(item, text, expected):
    # A folded item runs without flags on the lowercased phrase; on ASCII text a re.ASCII copy
    # of it, which matches alike there. On other text only the Unicode one reads \w and \d.
    pattern = FastPattern("word_then_cache", [item])
    assert pattern.items[0].folded
    found = pattern.search_in(text, fold_text(text), True, None)
    assert re.compile(item, re.IGNORECASE).search(text).group() == expected
    assert found is not None and text[found.start() : found.end()] == expected
