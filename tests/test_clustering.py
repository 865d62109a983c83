"""Behaviour of the pure clustering core (analytics.clustering): no Django, no database.

Run with: .venv/bin/pytest tests/test_clustering.py -p no:django
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from analytics.clustering import (
    ClusteringConfig,
    CorpusReport,
    DimensionReport,
    LagText,
    Pattern,
    PostmortemText,
    ResponseLagFigures,
    cluster_corpus,
    load_lexicon,
    mark_recurring,
    recurrence_phrase,
    report_from_dict,
    report_to_dict,
)

SMALL = Path(__file__).parent / "data" / "clustering_small.json"

# These tests pin the concept-lexicon method; taxonomy placement has tests of its own.
LEXICON = ClusteringConfig(method="lexicon")


def _load_small() -> tuple[list[PostmortemText], dict[str, dict[str, str]]]:
    raw = json.loads(SMALL.read_text(encoding="utf-8"))
    docs = [
        PostmortemText(
            slug=d["slug"],
            quarter=d["quarter"],
            why=d["why"],
            what_broke=d["what_broke"],
            lags=tuple(LagText(**lag) for lag in d["lags"]),
            page_to_ack_minutes=d["page_to_ack_minutes"],
            page_to_mitigation_minutes=d["page_to_mitigation_minutes"],
        )
        for d in raw
    ]
    return docs, {d["slug"]: d["labels"] for d in raw}


@pytest.fixture(scope="module")
def small():
    return _load_small()


@pytest.fixture(scope="module")
def small_report(small):
    docs, _ = small
    return cluster_corpus(docs, config=LEXICON)


def _groups(labels, key):
    groups = defaultdict(set)
    for slug, kinds in labels.items():
        if kinds[key] != "one-off":
            groups[kinds[key]].add(slug)
    return groups


def test_paraphrased_root_causes_come_out_as_one_pattern_each(small, small_report):
    _, labels = small
    expected = {frozenset(g) for g in _groups(labels, "root_cause").values()}
    found = {frozenset(p.members) for p in small_report.root_causes.patterns}
    assert found == expected


def test_root_causes_that_fit_no_pattern_are_listed_as_one_offs(small, small_report):
    _, labels = small
    one_offs = sorted(s for s, k in labels.items() if k["root_cause"] == "one-off")
    assert list(small_report.root_causes.one_offs) == one_offs


def test_pattern_labels_name_the_shared_concept(small_report):
    labels = {p.label.split(" — ")[0] for p in small_report.root_causes.patterns}
    assert "certificate expiry" in labels
    assert "destructive command" in labels
    cert = next(p for p in small_report.root_causes.patterns if "certificate_expiry" in p.concepts)
    assert cert.concepts[0] == "certificate_expiry"
    assert cert.terms


def test_every_member_gets_a_short_evidence_excerpt(small_report):
    for dimension in (small_report.root_causes, small_report.detection_gaps):
        for pattern in dimension.patterns:
            assert set(pattern.evidence) == set(pattern.members)
            assert all(0 < len(text) <= 200 for text in pattern.evidence.values())


def test_detection_gaps_group_by_gap_not_by_cause(small, small_report):
    _, labels = small
    eval_group = frozenset(_groups(labels, "detection_gap")["no_eval"])
    assert any(frozenset(p.members) == eval_group for p in small_report.detection_gaps.patterns)


def test_patterns_are_ordered_largest_first_then_by_label(small_report):
    for dimension in (small_report.root_causes, small_report.response_lags):
        keys = [(-len(p.members), p.label) for p in dimension.patterns]
        assert keys == sorted(keys)
        assert all(len(p.members) >= 2 for p in dimension.patterns)


def test_same_corpus_gives_the_same_report(small, small_report):
    docs, _ = small
    assert cluster_corpus(docs, config=LEXICON) == small_report


def test_shuffled_input_gives_the_same_report(small, small_report):
    docs, _ = small
    shuffled = list(docs)
    random.Random(3).shuffle(shuffled)
    assert cluster_corpus(shuffled, config=LEXICON) == small_report


def test_large_corpus_path_finds_the_same_groups(small):
    # Forcing the MiniBatchKMeans + merge path on a small corpus must not change the answer.
    docs, labels = small
    config = ClusteringConfig(method="lexicon", exact_limit=5, docs_per_micro_cluster=4)
    report = cluster_corpus(docs, config=config)
    expected = {frozenset(g) for g in _groups(labels, "root_cause").values()}
    assert {frozenset(p.members) for p in report.root_causes.patterns} == expected


def test_response_lag_medians_come_from_the_timeline_minutes(small, small_report):
    docs, _ = small
    acks = sorted(d.page_to_ack_minutes for d in docs if d.page_to_ack_minutes is not None)
    figures = small_report.response_figures
    assert figures.median_page_to_ack == acks[len(acks) // 2]  # 20 values -> mean of middle two
    assert figures.counted == 20


def test_response_lag_median_of_an_even_count_is_the_mean_of_the_middle_two():
    docs = [
        PostmortemText(f"pm-{i}", "2026Q3", "why", "broke", page_to_ack_minutes=m)
        for i, m in enumerate([2.0, 4.0, 10.0, 30.0])
    ]
    figures = cluster_corpus(docs, config=LEXICON).response_figures
    assert figures == ResponseLagFigures(7.0, None, 4)


def test_progress_reports_stages_up_to_done(small):
    docs, _ = small
    seen = []
    cluster_corpus(
        docs[:6], config=LEXICON, progress=lambda stage, fraction: seen.append((stage, fraction))
    )
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions)
    assert seen[-1] == ("done", 1.0)
    assert any(stage.startswith("root causes") for stage, _ in seen)


def test_empty_corpus_gives_an_empty_report():
    report = cluster_corpus([], config=LEXICON)
    assert report == CorpusReport()
    assert report.root_causes == DimensionReport()
    assert report.response_figures == ResponseLagFigures(None, None, 0)


def test_duplicate_slugs_are_refused():
    doc = PostmortemText("same", "2026Q3", "why", "broke")
    with pytest.raises(ValueError, match="duplicate"):
        cluster_corpus([doc, doc], config=LEXICON)


def test_report_survives_a_json_round_trip(small_report):
    data = json.loads(json.dumps(report_to_dict(small_report)))
    assert report_from_dict(data) == small_report


def _report(quarter: str, *patterns: Pattern, ack: float | None = None) -> CorpusReport:
    return CorpusReport(
        root_causes=DimensionReport(patterns=patterns),
        postmortems=len(patterns),
        quarter=quarter,
        response_figures=ResponseLagFigures(ack, None, 1 if ack is not None else 0),
    )


def _pattern(label: str, *concepts: str, terms: tuple[str, ...] = ()) -> Pattern:
    return Pattern(label=label, terms=terms, members=("a", "b"), concepts=concepts)


def test_pattern_seen_in_consecutive_quarters_counts_them():
    cert = _pattern("certificate expiry", "certificate_expiry")
    current = _report("2026Q3", cert, _pattern("DNS resolution", "dns"))
    earlier = [
        ("2026Q2", _report("2026Q2", _pattern("certificate expiry — x509", "certificate_expiry"))),
        ("2026Q1", report_to_dict(_report("2026Q1", _pattern("cert", "certificate_expiry")))),
        ("2025Q4", _report("2025Q4", _pattern("dns", "dns"))),
    ]
    marked = mark_recurring(current, earlier)
    counts = {p.label: p.recurring_quarters for p in marked.root_causes.patterns}
    assert counts == {"certificate expiry": 3, "DNS resolution": 1}
    assert recurrence_phrase(3) == "3rd quarter in a row"


def test_a_missing_quarter_breaks_the_run():
    cert = _pattern("certificate expiry", "certificate_expiry")
    marked = mark_recurring(_report("2026Q3", cert), [("2026Q1", _report("2026Q1", cert))])
    assert marked.root_causes.patterns[0].recurring_quarters == 1


def test_patterns_without_concepts_match_on_shared_terms():
    mine = _pattern("quota, vendor", terms=("quota", "vendor", "tenant"))
    theirs = _pattern("vendor quota", terms=("vendor", "quotas", "tenant"))
    marked = mark_recurring(_report("2026Q3", mine), [("2026Q2", _report("2026Q2", theirs))])
    assert marked.root_causes.patterns[0].recurring_quarters == 2


def test_response_figures_of_earlier_quarters_are_kept_for_comparison():
    current = _report("2026Q3", ack=4.0)
    marked = mark_recurring(
        current, [("2026Q2", _report("2026Q2", ack=9.0)), ("2026Q1", _report("2026Q1", ack=12.0))]
    )
    assert [(q.quarter, q.figures.median_page_to_ack) for q in marked.previous_figures] == [
        ("2026Q1", 12.0),
        ("2026Q2", 9.0),
    ]
    assert report_from_dict(report_to_dict(marked)) == marked


def test_lexicon_matches_paraphrases_of_one_cause():
    lexicon = load_lexicon()
    for text in (
        "the TLS cert lapsed",
        "x509: certificate has expired",
        "renewal of the certificate failed",
    ):
        assert "certificate_expiry" in lexicon.concept_counts(text, "root_cause"), text
    for text in ("someone ran rm -rf in prod", "dropped the users table", "deleted the volume"):
        assert "destructive_command" in lexicon.concept_counts(text, "root_cause"), text


def test_teams_extend_the_lexicon_with_their_own_file(tmp_path):
    extra = tmp_path / "ours.toml"
    extra.write_text(
        '[root_cause.certificate_expiry]\nterms = ["hsm badge"]\n'
        '[root_cause.quota_drift]\nlabel = "quota drift"\nterms = ["quota drifted"]\n'
    )
    lexicon = load_lexicon(extra)
    assert "certificate_expiry" in lexicon.concept_counts("the HSM badge ran out")
    assert lexicon.label("quota_drift") == "quota drift"
    assert "tls" in lexicon.concepts["certificate_expiry"].terms


def test_unknown_lexicon_dimension_is_refused(tmp_path):
    extra = tmp_path / "bad.toml"
    extra.write_text('[rootcause.x]\nterms = ["y"]\n')
    with pytest.raises(ValueError, match="unknown dimension"):
        load_lexicon(extra)


def test_other_lags_go_to_the_dimension_their_words_name():
    docs = [
        PostmortemText(
            f"pm-{i}",
            "2026Q3",
            "why",
            "broke",
            lags=(LagText("other", text),),
        )
        for i, text in enumerate(
            ["the runbook was out of date", "runbook command no longer exists"]
        )
    ]
    report = cluster_corpus(docs, config=LEXICON)
    assert report.response_lags.patterns[0].members == ("pm-0", "pm-1")
    assert report.detection_gaps == DimensionReport()


def test_config_thresholds_change_how_much_merges(small):
    docs, _ = small
    strict = cluster_corpus(docs, config=replace(LEXICON, root_cause_threshold=0.05))
    assert strict.root_causes.patterns == ()


def test_timeline_minutes_run_from_the_first_page_to_ack_and_to_stop_bleed():
    from datetime import UTC, datetime

    from analytics.clustering.from_document import quarter_of, timeline_minutes

    def at(hh, mm):
        return datetime(2026, 9, 14, hh, mm, tzinfo=UTC)

    entries = [
        (at(15, 0), None),
        (at(15, 20), "page"),
        (None, "acknowledge"),
        (at(15, 27), "acknowledge"),
        (at(15, 40), "investigate"),
        (at(15, 52), "stop_bleed"),
    ]
    assert timeline_minutes(entries) == (7.0, 32.0)
    # Without a page there is no response lag to measure (only detection lag).
    assert timeline_minutes([(at(15, 0), None), (at(15, 5), "acknowledge")]) == (None, None)
    assert quarter_of(at(15, 0).date()) == "2026Q3"
