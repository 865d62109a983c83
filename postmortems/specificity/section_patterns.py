"""The named patterns each section's code searches on a phrase, for the item scanner.

The scanner compiles one Hyperscan database per section from these and the section's lexicon
rules, so a phrase is scanned only for what its section can ask about (half the items or fewer,
half the scan). A name left out here is never wrong, only slower: in that section its items
run on every phrase, as without a scanner. tests/test_specificity_item_scanner.py lists any
pattern the code searches in a section that is missing here.
"""

from __future__ import annotations

# Every section: blame (find_blame) and the system gap that rescues it (has_systemic_cause).
_BLAME_AND_GAP = (
    "blame_act", "blame_phrase", "human_blame_act",
    "identifier", "quoted", "url", "named_artifact", "unit_quantity", "reference", "channel",
)  # fmt: skip
_QUANTITY = ("count_quantity", "hedged_count", "idle_count", "money", "number", "percent")
_MECHANISM = ("generic_failure", "mechanism_link", "mechanism_noun", "vague_words")
_ITEM = (
    "aspiration_lead", "aspiration_purpose", "code_artifact", "mergeable_artifact", "metric",
    "named_signal", "owner_date_trailer", "threshold", "vague_description",
)  # fmt: skip

SECTION_PATTERNS: dict[str, tuple[str, ...]] = {
    "impact": (
        *_BLAME_AND_GAP, *_QUANTITY, "internal_quantity", "time_with_zone", "vague_words",
    ),
    "timeline": (
        *_BLAME_AND_GAP, "actor", "time_any", "time_approximate", "time_other_zone",
        "time_vague", "time_with_zone", "vague_event",
    ),
    "what_broke": (*_BLAME_AND_GAP, *_QUANTITY, *_MECHANISM),
    "why": (
        *_BLAME_AND_GAP, *_MECHANISM, "cause_after", "cause_before", "code_artifact",
        "limit_or_version", "money", "number", "percent",
    ),
    "kept_broken": (
        *_BLAME_AND_GAP, *_MECHANISM, "cause_marker", "lag_detection", "lag_escalation",
        "lag_response", "metric", "money", "percent", "vague_cause",
    ),
    "changes": (
        *_BLAME_AND_GAP, *_ITEM, "change_alert", "change_eval", "change_runbook",
        "done_marker", "shipped_change", "window",
    ),
    "commitments": (
        *_BLAME_AND_GAP, *_ITEM, "date", "mechanism_noun", "owner", "vague_date", "vague_owner",
    ),
}  # fmt: skip
