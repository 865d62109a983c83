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
    "written",
    [
        r"\b(?:a|ab|abc|b)\b",  # grouped: "a" comes first in its group, as written
        r"\b(?:a?x|ay|az|b)\b",  # a first character under a quantifier: left alone
        r"(?:\bx|xy|xz|xw)",  # an escape first: left alone
        r"(?:(a)|ab|ac|ad)",  # a capturing group: left alone
        r"(?:|a|ab|ac)",  # an empty branch: left alone
    ],
)
def test_an_alternation_is_regrouped_only_when_every_branch_starts_with_a_literal(written):
    rewritten = factor_first_characters(written, caseless=False)
    if written.startswith(r"\b(?:a|ab"):
        assert rewritten == r"\b(?:a(?:|b|bc)|b)\b"
    else:
        assert rewritten == written


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
    r"(?:\.py|\.pyc|\.pyi|\d+|\w)",  # escapes first: left alone, and tested as such
    r"\b(?:missed|(?:did not|never|mis)\s*(?:check|test)?|neglected|misread|n)\b",  # spread
    r"(?:ab|(?:a|ab)+c|ad|ae)",  # a repeated leading group: not spread
]
LEFT_ALONE = {r"(?:\.py|\.pyc|\.pyi|\d+|\w)", r"(?:ab|(?:a|ab)+c|ad|ae)"}
ALPHABET = "abcdlnopqrstuvxyzABCLPQTVXY019 .-:_\t"


@pytest.mark.parametrize("written", PATTERNS)
@pytest.mark.parametrize("caseless", [False, True])
def test_a_regrouped_alternation_matches_where_and_what_the_written_one_does(written, caseless):
    rewritten = factor_first_characters(written, caseless)
    assert (rewritten == written) is (written in LEFT_ALONE)
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
