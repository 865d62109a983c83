"""The named patterns each section's code searches on a phrase, for the item scanner.

The scanner compiles one Hyperscan database per section from these and the section's lexicon
rules, so a phrase is scanned only for what its section can ask about (half the items or fewer,
half the scan). A name left out here is never wrong, only slower: in that section its items
run on every phrase, as without a scanner. A name listed that the section never asks about on
the phrase itself (a sub-view read without the scan does not count) costs scan time on every
phrase for nothing: the artifact patterns cost most there. tests/test_specificity_item_scanner.py
lists any pattern the code searches in a section that is missing here, and any listed that
our own phrases never make it search.
"""

from __future__ import annotations

# Every section: blame (find_blame); the system gap that rescues it (has_systemic_cause) is
# read on a sub-view without the scan.
_BLAME = ("blame_act", "blame_phrase", "human_blame_act")
# What names an artifact: the sections that ask about it on the phrase.
_SPECIFICS = (
    "identifier",
    "quoted",
    "url",
    "named_artifact",
    "unit_quantity",
    "reference",
    "channel",
)
_QUANTITY = ("count_quantity", "hedged_count", "idle_count", "money", "number", "percent")
_MECHANISM = ("generic_failure", "mechanism_link", "mechanism_noun", "vague_words")
_ITEM = (
    "aspiration_lead", "aspiration_purpose", "code_artifact", "mergeable_artifact", "metric",
    "named_signal", "owner_date_trailer", "threshold", "vague_description",
)  # fmt: skip

SECTION_PATTERNS: dict[str, tuple[str, ...]] = {
    "impact": (
        *_BLAME, "unit_quantity", *_QUANTITY, "internal_quantity", "time_with_zone", "vague_words",
    ),
    "timeline": (
        *_BLAME, "time_any", "time_approximate", "time_other_zone", "time_vague", "time_with_zone",
    ),
    "what_broke": (*_BLAME, "identifier", "quoted", "unit_quantity", *_QUANTITY, *_MECHANISM),
    "why": (
        *_BLAME, "named_artifact", "unit_quantity", *_MECHANISM, "cause_after", "cause_before",
        "code_artifact", "limit_or_version", "money", "percent",
    ),
    "kept_broken": (
        *_BLAME, *_SPECIFICS, *_MECHANISM, "cause_marker", "lag_detection", "lag_escalation",
        "lag_response", "metric", "money", "percent", "vague_cause",
    ),
    "changes": (
        *_BLAME, "identifier", "quoted", "url", "reference", "channel", *_ITEM, "change_alert",
        "change_eval", "change_runbook", "done_marker", "shipped_change", "window",
    ),
    "commitments": (
        *_BLAME, *_SPECIFICS, *_ITEM, "date", "mechanism_noun", "owner", "vague_date",
        "vague_owner",
    ),
}  # fmt: skip
