"""Unit tests of the phrase-specificity checker: pure Python, no database, no Django.

Run with: .venv/bin/pytest tests/test_specificity_engine.py -p no:django
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postmortems.specificity import (
    SECTIONS,
    LibraryPhrase,
    PhraseResult,
    RulesetError,
    Span,
    UnknownSection,
    check_phrase,
    check_postmortem,
    check_section,
    load_ruleset,
    phrase_library,
    split_phrases,
)

LABELLED_SET = Path(__file__).parent / "data" / "specificity_phrases.jsonl"

GOOD_POSTMORTEM = {
    "impact": "8 refunds were overcharged totaling $312.40.\nRefunds were issued by 18:00 UTC.",
    "timeline": (
        "14:05 UTC — Page fires for refund_amount alert — PagerDuty\n"
        "14:07 UTC — Primary on-call acknowledges the page — @alice\n"
        "14:11 UTC — Rollback to v1.4 started — @alice\n"
        "14:18 UTC — Rollback completes — deploy bot\n"
    ),
    "what_broke": "Tool returned cents (4000) but agent formatted as $4000 instead of $40.00.",
    "why": (
        "Schema for `amount` lacks a `unit` field; "
        "the v5 prompt dropped the cents-guard that v4 had."
    ),
    "kept_broken": "Detection lag (12 min): eval suite had no cents/dollars case",
    "changes": (
        "- PR #2341: add unit field to lookup_order.amount\n"
        "- PR #2342: 3 new eval cases for cents/dollars ambiguity\n"
        "- Alert: refund_amount > $1000 count > 5 in 5 min, routes to #agent-on-call\n"
    ),
    "commitments": (
        "PR #2341 add unit field — owner: @alice — due 2026-08-20\n"
        "PR #2342 eval cases for cents/dollars — owner: @bob — due 2026-08-27\n"
    ),
}


def tag(section: str, text: str) -> str:
    return check_phrase(section, text).tag


# --- the named traps ----------------------------------------------------------------------


def test_add_more_monitoring_is_an_anti_pattern():
    result = check_phrase("changes", "We should add more monitoring.")
    assert result.tag == "anti-pattern"
    assert "METRIC" in result.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "Improve observability.",
        "Add documentation.",
        "Be more careful with deploys.",
        "Investigate further.",
        "Update the runbook.",
        "Add better refund monitoring.",
    ],
)
def test_aspirations_in_changes_are_anti_patterns(text):
    assert tag("changes", text) == "anti-pattern"


def test_add_two_more_dashboards_is_not_concrete():
    assert tag("changes", "Add 2 more dashboards.") != "concrete"


def test_runbook_update_naming_the_section_and_command_is_concrete():
    text = (
        "Update the runbook section 'Rollback' with the verbatim command "
        "`deploy rollback --to v1.4`"
    )
    assert tag("changes", text) == "concrete"


def test_alert_missing_its_channel_is_vague_and_says_what_is_missing():
    result = check_phrase("changes", "Alert: refund_amount > $1000 in 5 min")
    assert result.tag == "vague"
    assert any("channel" in reason for reason in result.reasons)


def test_alert_with_metric_threshold_window_and_channel_is_concrete():
    text = "Alert: refund_amount > $1000 count > 5 in 5 min, routes to #agent-on-call"
    assert tag("changes", text) == "concrete"


def test_pr_reference_with_a_vague_description_is_vague():
    assert tag("changes", "PR #2351: misc fixes") == "vague"


def test_pr_reference_does_not_turn_an_aspiration_into_a_change():
    result = check_phrase("changes", "PR #2350: improve monitoring")
    assert result.tag == "vague"
    assert result.suggestion


def test_pr_reference_with_a_described_change_is_concrete():
    assert tag("changes", "PR #2341: add unit field to lookup_order.amount") == "concrete"


def test_eval_case_with_input_and_expected_output_is_concrete():
    text = "Eval case: a 4000-cent lookup_order result must render as $40.00 across 50 seeds"
    assert tag("changes", text) == "concrete"
    assert tag("changes", "Add an eval for refunds.") == "vague"


def test_human_error_is_an_anti_pattern():
    assert tag("why", "Root cause: human error during the deploy.") == "anti-pattern"


def test_blameless_mechanism_that_mentions_the_on_call_is_concrete():
    text = (
        "The on-call's command ran in the wrong directory because the script lacked a "
        "working-directory check."
    )
    assert tag("why", text) == "concrete"


@pytest.mark.parametrize(
    "text",
    ["Bob forgot to update the config.", "It was Alice's mistake.", "Carol ran the wrong command."],
)
def test_blaming_a_person_as_the_cause_is_an_anti_pattern(text):
    assert tag("why", text) == "anti-pattern"


def test_a_bug_in_the_system_is_vague():
    assert tag("why", "A bug in the system.") == "vague"


def test_stochastic_mechanism_naming_prompt_version_is_concrete():
    assert tag("why", "The v5 system prompt removed the few-shot example for cents.") == "concrete"


def test_there_was_some_confusion_is_an_anti_pattern():
    assert (
        tag("kept_broken", "There was some confusion about the rollback command.") == "anti-pattern"
    )


# --- timeline -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "14:05 UTC — Page fires for refund_amount alert — PagerDuty",
        "14:05 UTC - Page fires for refund_amount alert - PagerDuty",
        "14:05 UTC -- Page fires for refund_amount alert -- PagerDuty",
        "2026-03-04 14:05 UTC — Page fires for refund_amount alert — PagerDuty",
        "2026-03-04T14:05Z — Page fires for refund_amount alert — PagerDuty",
    ],
)
def test_timeline_entry_with_utc_time_event_and_actor_is_concrete(text):
    assert tag("timeline", text) == "concrete"


def test_time_without_a_zone_is_vague():
    result = check_phrase("timeline", "14:05 — Page fires for refund_amount alert — PagerDuty")
    assert result.tag == "vague"
    assert "UTC" in result.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "Around 2pm the page fired.",
        "Before lunch, someone noticed errors.",
        "Later that afternoon we rolled back.",
    ],
)
def test_fuzzy_times_are_vague(text):
    assert tag("timeline", text) == "vague"


def test_timeline_entry_without_an_actor_is_concrete_and_asks_for_one():
    # SPECIFICITY.md: an actor is expected, but its absence alone does not demote.
    result = check_phrase("timeline", "14:20 UTC — rollback started")
    assert result.tag == "concrete"
    assert "who did it" in result.suggestion


def test_local_time_zone_is_vague_because_the_timeline_is_in_utc():
    assert tag("timeline", "14:05 PST — page fires — PagerDuty") == "vague"


# --- impact and what broke -----------------------------------------------------------------


def test_named_numbers_make_impact_concrete():
    assert tag("impact", "8 refunds were overcharged totaling $312.40.") == "concrete"
    assert tag("impact", "1,240 customers saw a blank checkout page for 47 minutes.") == "concrete"


def test_adjectives_without_numbers_are_vague():
    assert tag("impact", "The impact was significant.") == "vague"
    assert tag("what_broke", "The database was slow.") == "vague"


def test_number_without_a_unit_is_vague():
    result = check_phrase("impact", "Error rate went up to 40 during the peak.")
    assert result.tag == "vague"
    assert any("unit" in reason for reason in result.reasons)


def test_engineering_internal_counts_are_not_user_impact():
    assert tag("impact", "8 traces failed.") == "vague"


# --- kept broken and commitments -----------------------------------------------------------


def test_lag_with_kind_and_specific_cause_is_concrete():
    assert (
        tag("kept_broken", "Detection lag (12 min): eval suite had no cents/dollars case")
        == "concrete"
    )


def test_lag_kind_without_a_cause_is_vague():
    assert tag("kept_broken", "Detection lag (15 min).") == "vague"
    assert tag("kept_broken", "Response lag (20 min): communication issues.") == "vague"


def test_commitment_with_owner_and_date_is_concrete():
    assert (
        tag("commitments", "PR #2341 add unit field — owner: @alice — due 2026-08-20") == "concrete"
    )


def test_commitment_without_a_date_or_with_a_fuzzy_date_is_vague():
    assert tag("commitments", "PR #2341 add unit field — owner: @alice") == "vague"
    result = check_phrase("commitments", "PR #2341 add unit field — owner: @alice — due soon")
    assert result.tag == "vague"
    assert any("soon" in reason for reason in result.reasons)


def test_aspiration_with_owner_and_date_is_still_an_anti_pattern():
    assert (
        tag("commitments", "Improve observability — owner: @bob — due 2026-09-01") == "anti-pattern"
    )


# --- every phrase explains itself ------------------------------------------------------------


def _labelled_rows():
    with LABELLED_SET.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_labelled_set_covers_every_section_with_enough_phrases():
    rows = _labelled_rows()
    assert len(rows) >= 350
    for section in SECTIONS:
        assert sum(r["section"] == section for r in rows) >= 35
    assert {r["tag"] for r in rows} == {"concrete", "vague", "anti-pattern"}


def test_every_phrase_has_a_reason_and_every_non_concrete_phrase_a_suggestion():
    for row in _labelled_rows():
        result = check_phrase(row["section"], row["text"])
        assert result.reasons and all(result.reasons), row
        if result.tag != "concrete":
            assert result.suggestion, row


def test_checker_agrees_with_the_reviewer_labels_on_most_of_the_labelled_set():
    rows = _labelled_rows()
    agreed = sum(check_phrase(r["section"], r["text"]).tag == r["tag"] for r in rows)
    assert agreed / len(rows) >= 0.85


# --- splitting ------------------------------------------------------------------------------


def test_split_phrases_offsets_point_into_the_original_text():
    text = "## Impact\n\n- 8 refunds overcharged.  Total $312.40.\n* Second bullet; third clause\n1. Numbered"
    spans = split_phrases("impact", text)
    assert [s.text for s in spans] == [
        "8 refunds overcharged.",
        "Total $312.40.",
        "Second bullet",
        "third clause",
        "Numbered",
    ]
    for span in spans:
        assert isinstance(span, Span)
        assert text[span.start : span.end] == span.text


def test_timeline_splits_by_line_only():
    text = "14:05 UTC — Page fires. On-call paged — PagerDuty\n14:07 UTC — Ack — @alice"
    assert len(split_phrases("timeline", text)) == 2


def test_structured_rows_are_not_split_into_sentences():
    text = "PR #2341: add unit field. Merged after review.\nDetection lag (12 min): no alert. None."
    assert len(split_phrases("changes", text)) == 2


def test_abbreviations_do_not_end_a_sentence():
    spans = split_phrases("why", "The limit, e.g. 10 req/s, was too low. Next sentence.")
    assert len(spans) == 2


def test_check_phrase_treats_the_whole_text_as_one_phrase():
    result = check_phrase("impact", "  Many users were affected. 8 refunds failed.  ")
    assert isinstance(result, PhraseResult)
    assert result.text == "Many users were affected. 8 refunds failed."
    assert (result.start, result.end) == (2, 2 + len(result.text))


# --- verdicts -------------------------------------------------------------------------------


def test_section_verdicts_go_empty_sparse_specific_anti_pattern():
    assert check_section("changes", "  \n\n").verdict == "empty"
    assert check_section("changes", "Add an eval for refunds.").verdict == "sparse"
    assert (
        check_section("changes", "PR #2341: add unit field to lookup_order.amount").verdict
        == "specific"
    )
    mixed = "PR #2341: add unit field to lookup_order.amount\nAdd more monitoring."
    assert check_section("changes", mixed).verdict == "anti-pattern"


def test_one_vague_phrase_keeps_a_section_sparse():
    text = "8 refunds were overcharged totaling $312.40.\nMany users were affected."
    assert check_section("impact", text).verdict == "sparse"


def test_timeline_needs_at_least_three_events_to_be_specific():
    two = "14:05 UTC — Page fires — PagerDuty\n14:07 UTC — Page acked — @alice"
    assert check_section("timeline", two).verdict == "sparse"
    three = two + "\n14:11 UTC — Rollback started — @alice"
    assert check_section("timeline", three).verdict == "specific"


def test_specific_postmortem_is_specific_enough_to_act_on():
    result = check_postmortem(GOOD_POSTMORTEM)
    assert result.findings == ()
    assert all(s.verdict == "specific" for s in result.sections.values())
    assert result.verdict == "Specific enough to act on"
    assert result.can_publish


def test_anti_pattern_anywhere_makes_the_overall_verdict_anti_patterns_present():
    sections = {
        **GOOD_POSTMORTEM,
        "changes": GOOD_POSTMORTEM["changes"] + "- Add more monitoring.\n",
    }
    result = check_postmortem(sections)
    assert result.verdict == "Anti-patterns present"
    blocking = result.blocking_phrases()
    assert [(s, p.text) for s, p in blocking] == [("changes", "Add more monitoring.")]
    assert not result.can_publish


def test_missing_sections_are_empty_and_block_publishing():
    sections = {k: v for k, v in GOOD_POSTMORTEM.items() if k != "kept_broken"}
    result = check_postmortem(sections)
    assert result.empty_sections() == ["kept_broken"]
    assert result.verdict == "Needs detail"
    assert not result.can_publish


def test_vague_phrases_give_needs_detail():
    sections = {**GOOD_POSTMORTEM, "impact": "Many users were affected."}
    assert check_postmortem(sections).verdict == "Needs detail"


# --- cross-section findings -------------------------------------------------------------------


def _codes(sections):
    return [f.code for f in check_postmortem(sections).findings]


def test_stochastic_root_cause_needs_an_eval_case_among_the_changes():
    changes = "PR #2341: add unit field to lookup_order.amount\n"
    sections = {**GOOD_POSTMORTEM, "changes": changes, "kept_broken": "", "commitments": ""}
    sections["why"] = "The v5 prompt dropped the cents-guard, so the model wrote cents as dollars."
    assert "stochastic-root-cause-without-eval" in _codes(sections)


def test_deterministic_root_cause_needs_a_code_schema_or_config_change():
    sections = {**GOOD_POSTMORTEM, "why": "The lookup_order schema's amount field has no unit."}
    sections["changes"] = "Eval case: a 4000-cent result must render as $40.00 across 50 seeds\n"
    sections["commitments"] = ""
    assert "deterministic-root-cause-without-code-change" in _codes(sections)


def test_detection_lag_needs_an_alert_or_eval_that_would_have_caught_it():
    sections = {**GOOD_POSTMORTEM, "changes": "PR #2341: add unit field to lookup_order.amount\n"}
    sections["why"] = "The lookup_order schema's amount field has no unit."
    sections["commitments"] = "PR #2341 add unit field — owner: @alice — due 2026-08-20"
    codes = _codes(sections)
    assert codes == ["detection-lag-without-alert"]


def test_commitment_must_refer_to_a_specific_change():
    sections = {**GOOD_POSTMORTEM}
    sections["commitments"] += (
        "Quarterly rollback drill for refund-agent — owner: @karl — due 2026-09-15\n"
    )
    result = check_postmortem(sections)
    finding = next(f for f in result.findings if f.code == "commitment-without-change")
    assert "rollback drill" in finding.message
    assert finding.sections == ("commitments", "changes")


def test_why_chain_restating_one_surface_is_named_as_one_why():
    chain = (
        "- Why did refund overcharge happen? → Because amount was 4000 cents.\n"
        "- Why was amount 4000 cents? → Because the tool returned cents.\n"
        "- Why did the tool return cents? → Because cents was the schema's implicit unit.\n"
        "- Why was cents the implicit unit? → Because the schema was authored without a unit field.\n"
    )
    result = check_postmortem({**GOOD_POSTMORTEM, "why": chain})
    finding = next(f for f in result.findings if f.code == "why-chain-one-surface")
    assert "cent" in finding.message
    assert "one why" in finding.message


def test_why_chain_that_reaches_a_new_layer_is_not_flagged():
    chain = (
        "- Why? Because the tool returned the value 4000 and the agent wrote $4000.\n"
        "- Why? Because there was no unit field, so the agent treated it as dollars.\n"
        "- Why? Because the lookup_order schema's amount field has no unit companion.\n"
        "- Why? Because there was no eval case that tested cents/dollars ambiguity.\n"
    )
    assert "why-chain-one-surface" not in _codes({**GOOD_POSTMORTEM, "why": chain})


# --- the ruleset is data ----------------------------------------------------------------------


def test_extra_rules_file_extends_the_default_lexicon(tmp_path):
    extra = tmp_path / "team_rules.toml"
    extra.write_text(
        """
[patterns]
actor = ['\\bops-robot\\b']

[[rules]]
name = "synergy"
tag = "anti-pattern"
sections = ["changes"]
pattern = '\\bleverage synergies\\b'
reason = "Corporate filler."
suggestion = "Name the PR."
""",
        encoding="utf-8",
    )
    ruleset = load_ruleset(extra)
    assert (
        check_phrase("changes", "Leverage synergies across teams.", ruleset=ruleset).tag
        == "anti-pattern"
    )
    assert (
        check_phrase("timeline", "14:05 UTC: page fired, ops-robot", ruleset=ruleset).tag
        == "concrete"
    )
    # The default lexicon is still there, and the default ruleset is untouched.
    assert check_phrase("changes", "Add more monitoring.", ruleset=ruleset).tag == "anti-pattern"
    assert check_phrase("changes", "Leverage synergies across teams.").tag != "anti-pattern"


def test_extra_rules_can_be_json(tmp_path):
    extra = tmp_path / "team_rules.json"
    extra.write_text(
        json.dumps({"patterns": {"vague_date": ["\\bafter the offsite\\b"]}}), encoding="utf-8"
    )
    ruleset = load_ruleset(extra)
    text = "PR #2341 add unit field — owner: @alice — due after the offsite"
    assert check_phrase("commitments", text, ruleset=ruleset).tag == "vague"


def test_malformed_rules_file_is_rejected_with_a_clear_error(tmp_path):
    extra = tmp_path / "bad.toml"
    extra.write_text("[[rules]]\nname = 'x'\ntag = 'awful'\npattern = 'x'\n", encoding="utf-8")
    with pytest.raises(RulesetError, match="tag"):
        load_ruleset(extra)


def test_ruleset_is_loaded_once_and_cached():
    assert load_ruleset() is load_ruleset()


# --- API edges --------------------------------------------------------------------------------


def test_sections_are_the_seven_template_keys_in_order():
    assert SECTIONS == (
        "impact",
        "timeline",
        "what_broke",
        "why",
        "kept_broken",
        "changes",
        "commitments",
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda: check_phrase("lessons", "x"),
        lambda: check_section("lessons", "x"),
        lambda: check_postmortem({"lessons": "x"}),
        lambda: split_phrases("lessons", "x"),
        lambda: phrase_library("lessons"),
    ],
)
def test_unknown_section_raises_unknown_section(call):
    with pytest.raises(UnknownSection):
        call()
    assert issubclass(UnknownSection, ValueError)


def test_phrase_library_offers_the_timeline_template_and_the_alert_shape():
    timeline = phrase_library("timeline")
    assert LibraryPhrase("Timeline entry", "HH:MM UTC — what happened — who did it") in timeline
    assert any("METRIC > THRESHOLD over WINDOW" in p.text for p in phrase_library("changes"))
    assert all(phrase_library(section) for section in SECTIONS)


# --- general rules: named mechanisms, references, signals, owners ---------------------------


@pytest.mark.parametrize(
    ("section", "text"),
    [
        ("why", "The resolver cached NXDOMAIN because the zone's negative TTL was never lowered."),
        ("why", "Replication lag grew because the replica's disk ran out of burst credits."),
        ("why", "The lease renewal shared a mutex with the request handler, so GC starved it."),
        ("why", "The feature flag evaluated to true because the SDK fell back to its default."),
        ("kept_broken", "Detection lag: synthetic checks were disabled and the alert was muted."),
    ],
)
def test_two_named_parts_joined_by_a_cause_are_a_mechanism(section, text):
    result = check_phrase(section, text)
    assert result.tag == "concrete", result.reasons


@pytest.mark.parametrize(
    ("section", "text"),
    [
        ("why", "The cert expired."),
        ("why", "DNS was flaky."),
        ("why", "The cache caused issues because of a bug in the config."),
        ("what_broke", "Pods kept restarting."),
        ("kept_broken", "Detection lag: the alert didn't fire."),
    ],
)
def test_one_part_or_a_generic_failure_is_not_a_mechanism(section, text):
    assert tag(section, text) == "vague"


def test_gitlab_merge_request_is_a_reference():
    assert tag("commitments", "MR !612 — owner: @lena — due 2026-06-01") == "concrete"
    assert [s.text for s in split_phrases("changes", "MR !612: set TTL to 60 s. Then more.")] == [
        "MR !612: set TTL to 60 s. Then more."
    ]


def test_alert_metric_named_in_words_completes_the_alert_shape():
    text = "Alert when node clock offset > 200 ms for 5 min, routes to #infra-oncall"
    assert tag("changes", text) == "concrete"
    assert tag("changes", "Alert when node clock offset > 200 ms for 5 min") == "vague"


def test_bare_name_segment_is_an_owner_and_slash_date_is_a_date():
    assert tag("commitments", "TLS-88 cert-expiry alert — Dana Li — 07/01/2026") == "concrete"
    assert tag("commitments", "TLS-88 cert-expiry alert — Due — 07/01/2026") == "vague"


@pytest.mark.parametrize(
    ("section", "text"),
    [
        ("changes", "Continue investigating the replica lag."),
        ("commitments", "Investigate the TTL change further — owner: @lena — due 2026-06-01"),
        ("why", "Lack of attention during the failover."),
        ("why", "Sam pushed the pool config change without a review."),
    ],
)
def test_anti_pattern_variants_are_caught(section, text):
    assert tag(section, text) == "anti-pattern"


def test_status_code_after_a_verb_and_kubernetes_sizes_are_quantities():
    assert tag("what_broke", "The health check returned 301 for every backend.") == "concrete"
    assert tag("what_broke", "Pods were OOMKilled at 512Mi.") == "concrete"
    assert tag("what_broke", "Error rate went to 40.") == "vague"
