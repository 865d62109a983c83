"""The words a rewrite suggestion is built from: the item without its trailer, its nouns."""

from __future__ import annotations

import random
import re
import sys

import pytest

from postmortems.specificity import item_scanner
from postmortems.specificity.phrase_view import PhraseView
from postmortems.specificity.rewrite import clip, nouns_of, object_of, strip_trailer
from postmortems.specificity.ruleset import default_ruleset


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Add an alert on queue depth — owner: @mira — due 2026-01-10",
            "Add an alert on queue depth",
        ),
        ("Rotate the signing keys, owner @sam", "Rotate the signing keys"),
        ("Rotate the signing keys; Owner: platform team", "Rotate the signing keys"),
        ("Raise the pool size (see the capacity notes)", "Raise the pool size"),
        ("Retire the old runner - tracked in OPS-12", "Retire the old runner"),
        ("Retire the old runner -\ttracked in OPS-12", "Retire the old runner"),
        ("Fail over us-east-1 to us-west-2 by hand", "Fail over us-east-1 to us-west-2 by hand"),
        ("Page the on-call, then the lead", "Page the on-call, then the lead"),
        ("Nothing to strip here", "Nothing to strip here"),
        # The first mark is not the trailer: the cut is at the spaced dash after it.
        ("Drain node-7, then the pool  - owner: @li", "Drain node-7, then the pool"),
    ],
)
def test_the_trailer_is_cut_where_it_starts_and_nothing_else_is(text, expected):
    assert strip_trailer(text) == expected


def test_the_object_of_an_item_drops_its_verb_filler_and_trailer():
    text = "Investigate whether the billing queue backs up — owner: @ana"
    assert object_of(text, len("Investigate")) == "billing queue backs up"


def test_nouns_come_in_order_without_stop_words_and_stop_at_the_limit():
    text = "Look into the consumer lag on the billing queue and its retry storms"
    assert nouns_of(text) == ["consumer", "lag", "billing"]
    assert nouns_of(text, limit=5) == ["consumer", "lag", "billing", "queue", "retry"]


def test_nouns_of_a_phrase_with_non_ascii_letters_keep_those_letters():
    assert nouns_of("Check the Café’s queue depth") == ["check", "café", "queue"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Raise the pool size.", "Raise the pool size"),
        ("Raise  the pool\tsize\n", "Raise the pool size"),  # any run of whitespace is a space
        (" Raise the\u00a0pool size ", "Raise the pool size"),  # a no-break space too
        ("Raise the pool size for the billing workers", "Raise the pool size for the billi…"),
    ],
)
def test_a_clipped_subject_is_single_spaced_and_cut_at_the_limit(text, expected):
    assert clip(text, 34) == expected


def test_lowercasing_keeps_whether_a_non_ascii_character_is_a_word_or_space_character():
    # PhraseView.ascii_words() rests on this: a phrase the scanner took (no non-ASCII letter,
    # digit or space once lowercased) has none before lowercasing either, but for the Kelvin
    # sign, which lowercases into ASCII "k".
    word_or_space = re.compile(r"[\w\s]")
    into_ascii, changed = [], []
    for point in range(0x80, sys.maxunicode + 1):
        char = chr(point)
        lower = char.lower()
        if len(lower) != 1:
            continue  # fold_text refuses a phrase whose length lowercasing changes
        if lower.isascii():
            into_ascii.append(char)
        elif bool(word_or_space.match(char)) != bool(word_or_space.match(lower)):
            changed.append(char)
    assert into_ascii == ["\u212a"]
    assert changed == []


def test_a_phrase_whose_non_ascii_characters_are_punctuation_reads_its_nouns_as_ascii():
    rng = random.Random(11)
    pieces = ["queue", "billing", "the", "lag", "api", "v2.3.1", "pool", "x_y", "an", "db"]
    marks = ["—", "’", "“", "”", "…", "→", ",", ".", "(", ")", "-", "'", "/", ""]
    for _ in range(3000):
        text = " ".join(
            rng.choice(marks) + rng.choice(pieces) + rng.choice(marks)
            for _ in range(rng.randint(0, 9))
        )
        limit = rng.randint(1, 5)
        assert nouns_of(text, limit, ascii_words=True) == nouns_of(text, limit), text


@pytest.mark.parametrize(
    ("text", "ascii_words"),
    [
        ("the deploy’s cache went cold — again", True),
        ("the cache went cold", True),
        ("the café cache went cold — again", False),  # a non-ASCII letter
        ("the cache went cold\u00a0— again", False),  # a non-ASCII space
        ("a 200 \u212ab cache — cold", False),  # the Kelvin sign, "k" once lowercased
    ],
)
def test_a_view_knows_when_its_letters_digits_and_spaces_are_all_ascii(text, ascii_words):
    # Known from the scan: without the scanner only ASCII text is known to be.
    view = PhraseView(text, default_ruleset(), "why")
    assert view.ascii_words() is (ascii_words and (text.isascii() or item_scanner.enabled()))
