"""Patterns led by a character instead of an assertion find exactly what they found before.

``lead_with_consumer`` moves ``\\b`` and lookbehinds after the first character so that Python's
engine can skip ahead to it; these cases pin each shape it rewrites, the shapes it leaves alone,
and, for every item of the packaged rules, the same span and groups on the project's own phrases.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from postmortems.specificity.lead_rewrite import lead_with_consumer
from postmortems.specificity.ruleset import default_ruleset

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # A word boundary before a digit: the digit leads, the boundary looks back from it.
        (r"\b\d+\s+in\s+\d+\b", r"\d(?<!\w\d)\d*\s+in\s+\d+\b"),
        (r"\b\d{3}s\b", r"\d(?<!\w\d)\d{2}s\b"),
        (r"\b\d{1,2}:\d\d", r"\d(?<!\w\d)\d{0,1}:\d\d"),
        # Before punctuation the boundary means a word character comes first.
        (r"\b\.env\b", r"\.(?<=\w\.)env\b"),
        # A lookbehind is tested after the character, over it.
        (r"(?<![\w&])#\d+\b", r"#(?<!(?:[\w&])#)\d+\b"),
        (r"(?<=[\w-])\.(?:py|sh)\b", r"\.(?<=(?:[\w-])\.)(?:py|sh)\b"),
        # A literal word is searched for whole, and its boundary checked behind it.
        (r"\bcve-\d{4}", r"cve-(?<!\wcve-)\d{4}"),
        (r"\bdays?\b", r"day(?<!\wday)s?\b"),
        # Into each branch of a group; an optional first character becomes two branches.
        (
            r"(?<![\d:])(?:[01]?\d|2[0-3]):",
            r"(?:(?:[01](?<!(?:[\d:])[01])\d|\d(?<!(?:[\d:])\d))|2(?<!(?:[\d:])2)[0-3]):",
        ),
        (r"\b(?:jira|bug)\s+#?\d", r"(?:jira(?<!\wjira)|bug(?<!\wbug))\s+#?\d"),
        (r"\b\d*x", r"(?:\d(?<!\w\d)\d*x|x(?<!\wx))"),
        # A repeated first character is split as a repeat, never as a run with the assertion
        # between the character and its "+".
        (r"\b9+x", r"9(?<!\w9)9*x"),
        (r"\b_+x", r"_(?<!\w_)_*x"),
        # A lazy repeat keeps its order of tries: one copy, then the lazy rest.
        (r"\b\d+?x", r"\d(?<!\w\d)\d*?x"),
    ],
)
def test_leading_assertions_move_behind_the_character_they_guard(source, expected):
    assert lead_with_consumer(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        r"\b(?:add|more|better|improve|enhance|increase|review|update)\b",  # common first letters
        r"\bfoo\b|\bbar\b",  # the run would start one branch only
        r"\b[a-z]\w+",  # a letter class starts nearly every position
        r"\b\d*[a-z]x",  # the first character may be absent, and then a letter leads
        r"\b\d??x",  # a lazy optional would change the order of tries
        r"(?=\d)\d+",  # a lookahead is not moved
        r"plain text",  # nothing to move
        r"\b\1",  # a back-reference cannot lead
        r"\b\d?\d(x)",  # the rest would be copied into two branches with its group
        r"(?<=(a))\b(?:b|c)",  # so would a group inside a lookbehind
    ],
)
def test_shapes_that_would_not_pay_or_cannot_move_are_left_alone(source):
    assert lead_with_consumer(source) is None


def _own_texts() -> list[str]:
    texts = []
    for name in ("specificity_phrases", "specificity_heldout", "specificity_unseen"):
        with (DATA / f"{name}.jsonl").open(encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle if line.strip()]
    rng = random.Random(7)
    # Cut phrases at random places so matches start at the first character and end at the last.
    cuts = []
    for text in texts:
        at = rng.randrange(len(text) + 1)
        cuts += [text[:at], text[at:]]
    edge_cases = [
        "", "9", "a", "_", "#1", ".env", "x9:00", "23:59UTC", "1:2:3", "v1.2.3-rc1", "12a.m.",
        "10.0.0.1:8080", "e.g. 5", "i.e.7", "@ops-oncall's 3rd", "20s 300s 4000s", "tl;dr",
    ]  # fmt: skip
    return texts + cuts + edge_cases


def test_every_rewritten_item_of_the_rules_matches_what_it_matched_as_written():
    texts = _own_texts()
    rewritten = 0
    for pattern in default_ruleset().patterns.values():
        for item in pattern.items:
            if item.regex.pattern == item.source:
                continue
            rewritten += 1
            original = re.compile(item.source, item.regex.flags)
            for text in texts:
                haystack = text.lower() if item.folded else text
                before, after = original.search(haystack), item.regex.search(haystack)
                assert (before and (before.span(), before.groups())) == (
                    after and (after.span(), after.groups())
                ), (item.source, item.regex.pattern, text)
    # Most items of the rules start with \b or a lookbehind: the rewrite must reach them.
    assert rewritten >= 150


@pytest.mark.parametrize(
    "source",
    [r"\bs+x", r"\b9{2,3}x", r"\b_+x", r"(?<!-)s+x", r"\bab+c", r"\b(?:x|yy)+z", r"\bq\w*"],
)
def test_a_teams_own_shapes_match_as_written_whether_rewritten_or_not(source):
    rewritten = lead_with_consumer(source) or source
    texts = ["a sssx", "sx", "assx", " ssx", "99x 999x", "a__x", "-ssx", "abbbc", "xyyz", "qq9"]
    for text in texts:
        before, after = re.search(source, text), re.search(rewritten, text)
        assert (before and before.span()) == (after and after.span()), (source, rewritten, text)
