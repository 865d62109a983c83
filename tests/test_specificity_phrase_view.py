"""A phrase view's own facts about its text, computed once per phrase."""

from __future__ import annotations

import re

import pytest

from postmortems.specificity.phrase_view import contains_digit


@pytest.mark.parametrize(
    "text",
    [
        "the pool was resized twice",
        "rolled back at 14:05",
        "release v2 of the agent",
        "nine out of ten retries failed",
        "٣ of the regions lost quorum",  # an Arabic-Indic digit is a \\d digit too
        "café queue drained",  # non-ASCII, no digit
        "",
    ],
)
def test_a_phrase_holds_a_digit_exactly_when_re_finds_one(text):
    assert contains_digit(text) is (re.search(r"\d", text) is not None)


def test_a_message_fills_its_fields_and_leaves_an_unfilled_one_visible():
    from postmortems.specificity.ruleset import default_ruleset

    rs = default_ruleset()
    assert rs.message("no_quantity", hint="say how many.").reason == (
        "No named numbers: say how many."
    )
    # A team's message may name a field the check does not fill: it shows, it does not fail,
    # and the fields that are filled still are.
    assert rs.message("no_quantity").reason == "No named numbers: {hint}"
    assert rs.message("concrete_lag", kind="detection").reason == (
        "Names the detection lag and its specific cause ({found})."
    )
    assert rs.message("bare_number").reason == "Has a number without a unit (N what? per what?)."
