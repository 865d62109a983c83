"""Alternations regrouped by first character find exactly what the written ones find."""

from __future__ import annotations

import random
import re

import pytest

from postmortems.specificity.branch_rewrite import factor_first_characters


def test_words_that_share_a_first_character_are_tried_as_one_group_in_their_order():
    written = r"\b(?:forgot|forgotten|neglected|missed|mistyped)\b"
    assert factor_first_characters(written, caseless=False) == (
        r"\b(?:f(?:orgot|orgotten)|neglected|m(?:issed|istyped))\b"
    )


@pytest.mark.parametrize(
    ("written", "rewritten"),
    [
        # "a" stays first in its group, as written.
        (r"\b(?:a|ab|abc|b)\b", r"\b(?:a(?:|b|bc)|b)\b"),
        # A branch that does not start with one literal stays in place, and nothing moves
        # across it: a repeated first character, an escape sequence, an empty branch.
        (r"\b(?:a?x|ay|az|b)\b", r"\b(?:a?x|a(?:y|z)|b)\b"),
        (r"(?:\bx|xy|xz|xw)", r"(?:\bx|x(?:y|z|w))"),
        (r"(?:|a|ab|ac)", r"(?:|a(?:|b|c))"),
        (r"(?:ab|ac|[ab]x|ad|ae)", r"(?:a(?:b|c)|[ab]x|a(?:d|e))"),
        # An escaped mark is a literal like any other.
        (r"(?:\.py|\.pyc|\d+|\*x)", r"(?:\.(?:py|pyc)|\d+|\*x)"),
        # A capturing group anywhere: nothing is regrouped.
        (r"(?:(a)|ab|ac|ad)", r"(?:(a)|ab|ac|ad)"),
    ],
)
def test_branches_are_regrouped_only_among_neighbours_that_start_with_a_literal(written, rewritten):
    assert factor_first_characters(written, caseless=False) == rewritten


# Shapes of the ruleset's lexicons: nested groups, words sharing prefixes, a word that is a
# prefix of a later one (the first still wins), lookarounds, a case-sensitive part.
PATTERNS = [
    r"\b(?:cache|caches|cached|config|configuration|cron|queue|quota|queued)\b",
    r"\b(?:look(?:ing)?\s+(?:in)?to|look(?:ing)?\s+at|learn\w*|lag|l)\b",
    r"(?:a|ab|abc|abd|b|ba|bab)",
    r"\b(?:p[0-4]|pool|pools?|prod|p)\b(?!-)",
    r"(?<![\w.])(?:v\d+|version|vers|v)(?:\.\d+)?",
    r"(?:x(?-i:[A-Z][a-z]+)|xy|xz|yes|y)",
    r"^\W*(?:todo|to-?do|task|tasks?|t)\s*:?",
    r"(?:\.py|\.pyc|\.pyi|\d+|\w|\.)",  # escaped marks, and escape sequences between
    r"\b(?:missed|(?:did not|never|mis)\s*(?:check|test)?|neglected|misread|n)\b",  # spread
    r"(?:ab|(?:a|ab)+c|ad|ae|a)",  # a repeated leading group: not spread, nothing crosses it
]
ALPHABET = "abcdlnopqrstuvxyzABCLPQTVXY019 .-:_\t"


@pytest.mark.parametrize("written", PATTERNS)
@pytest.mark.parametrize("caseless", [False, True])
def test_a_regrouped_alternation_matches_where_and_what_the_written_one_does(written, caseless):
    rewritten = factor_first_characters(written, caseless)
    assert rewritten != written
    flags = re.IGNORECASE if caseless else 0
    before, after = re.compile(written, flags), re.compile(rewritten, flags)
    rng = random.Random(written)
    words = re.findall(r"[a-z]+", written) + ["", " ", "."]
    for _ in range(3000):
        text = "".join(
            rng.choice(words) if rng.random() < 0.6 else rng.choice(ALPHABET)
            for _ in range(rng.randint(0, 12))
        )
        if caseless and rng.random() < 0.3:
            text = text.upper()
        expected = [(m.span(), m.groups()) for m in before.finditer(text)]
        assert [(m.span(), m.groups()) for m in after.finditer(text)] == expected, text


def test_a_branch_led_by_a_group_is_spread_so_that_every_branch_can_be_grouped():
    written = r"\b(?:missed|(?:did not|never|missed)\s+(?:check|test)|neglected|misread)\b"
    assert factor_first_characters(written, caseless=False) == (
        r"\b(?:m(?:issed|issed\s+(?:check|test)|isread)|did not\s+(?:check|test)"
        r"|n(?:ever\s+(?:check|test)|eglected))\b"
    )
