"""The trained placement model: training, the model file, and how placement uses it.

Every text here was written for these tests.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from analytics.clustering import ClusteringConfig, ConfirmedTag, PostmortemText, cluster_corpus
from analytics.clustering.classifier import (
    N_FEATURES,
    PlacementModel,
    Sample,
    hashed_counts,
    load_model,
    save_model,
    train_dimension,
    word_features,
)
from analytics.clustering.sentences import dimension_sentences
from analytics.clustering.words import tokens
from benchmarks.realdata_tools.as_postmortem import as_postmortem

QUEUE = [
    ("north", "The message queue filled up and producers blocked on a full buffer."),
    ("north", "Consumers fell behind so the queue backlog grew until the buffer was full."),
    ("south", "A full queue buffer stopped producers because consumers were too slow."),
    ("south", "The backlog on the queue grew past its buffer limit and publishing blocked."),
]
PHISH = [
    ("north", "An engineer typed their password into a fake login page sent by email."),
    ("north", "A phishing email asked staff to sign in on a lookalike login page."),
    ("south", "Someone entered their password on a fake page linked from a phishing email."),
    ("south", "The attacker sent an email with a link to a fake login page for passwords."),
]
OTHER = [
    ("north", "The team moved offices during the week and the wiki was reorganised."),
    ("south", "Quarterly planning ran long and the roadmap was rewritten twice."),
]


def _samples() -> list[Sample]:
    return (
        [Sample(t, "capacity-exhaustion", g) for g, t in QUEUE]
        + [Sample(t, "account-compromise", g) for g, t in PHISH]
        + [Sample(t, "other", g) for g, t in OTHER]
    )


def _probabilities(model, text: str) -> dict[str, float]:
    row = model.probabilities(hashed_counts([word_features(tokens(text))]))[0]
    return dict(zip(model.classes, row.tolist(), strict=True))


def test_a_trained_model_recognises_a_paraphrase_of_a_class():
    model = train_dimension(_samples())

    phish = _probabilities(model, "A fake login page from an email collected a password.")
    queue = _probabilities(model, "Producers blocked when the queue buffer was full.")

    assert max(phish, key=phish.get) == "account-compromise"
    assert max(queue, key=queue.get) == "capacity-exhaustion"
    assert abs(sum(phish.values()) - 1) < 1e-5


def test_words_only_one_organisation_uses_carry_no_weight():
    samples = _samples() + [
        Sample("The zorblax cluster restarted.", "capacity-exhaustion", "north")
    ]
    model = train_dimension(samples)

    (unique,) = hashed_counts([word_features(["zorblax"])]).indices
    (shared,) = hashed_counts([word_features(["queue"])]).indices
    assert model.idf[unique] == 0
    assert model.idf[shared] > 0
    assert model.coef[unique].nnz == 0


def test_the_model_file_holds_numbers_and_round_trips(tmp_path):
    model = PlacementModel({"root_causes": train_dimension(_samples())})
    path = tmp_path / "model.npz"

    save_model(model, path)
    loaded = load_model(str(path)).of("root_causes")

    text = "A phishing email led to a fake login page."
    before = _probabilities(model.of("root_causes"), text)
    after = _probabilities(loaded, text)
    assert before.keys() == after.keys()
    assert np.allclose(list(before.values()), list(after.values()), atol=1e-5)
    assert loaded.idf.shape == (N_FEATURES,)
    with np.load(path, allow_pickle=False) as data:
        strings = [data[k] for k in data.files if data[k].dtype.kind == "U"]
    assert [sorted(s.tolist()) for s in strings] == [
        ["account-compromise", "capacity-exhaustion", "other"]
    ]


def _doc(slug: str, why: str, what_broke: str = "") -> PostmortemText:
    return PostmortemText(slug=slug, quarter="2026Q3", why=why, what_broke=what_broke)


def _config(tmp_path) -> ClusteringConfig:
    path = tmp_path / "model.npz"
    save_model(PlacementModel({"root_causes": train_dimension(_samples())}), path)
    return replace(ClusteringConfig(), placement_model=str(path), root_cause_confidence=0.2)


def test_placement_names_the_whole_sentence_that_placed_each_postmortem(tmp_path):
    docs = [
        _doc(
            "pm-a",
            "Lunch was late that day. Producers blocked because the queue buffer was full.",
        ),
        _doc("pm-b", "The queue backlog reached the buffer limit and producers stopped."),
    ]

    report = cluster_corpus(docs, config=_config(tmp_path))

    (pattern,) = report.root_causes.patterns
    assert pattern.key == "capacity-exhaustion"
    assert pattern.members == ("pm-a", "pm-b")
    assert pattern.evidence["pm-a"] == "Producers blocked because the queue buffer was full."
    assert pattern.anchors["pm-a"] == "why"
    assert 0.2 <= pattern.confidence["pm-a"] <= 1


def test_a_close_confirmed_example_wins_over_the_model(tmp_path):
    examples = [
        ConfirmedTag(
            slug=f"old-{i}",
            dimension="root_causes",
            key="retention-off",
            name="Retention switched off",
            sentence=sentence,
        )
        for i, sentence in enumerate(
            [
                "Retention was switched off so the queue buffer filled with old messages.",
                "With retention switched off, old messages filled the queue buffer.",
            ]
        )
    ]
    docs = [
        _doc("pm-c", "Retention was switched off and old messages filled the queue buffer."),
        _doc("pm-d", "Old messages filled the queue buffer because retention was switched off."),
    ]

    report = cluster_corpus(docs, config=_config(tmp_path), examples=examples)

    (pattern,) = report.root_causes.patterns
    assert pattern.label == "Retention switched off"
    assert pattern.members == ("pm-c", "pm-d")


def test_detection_reads_how_the_story_says_the_failure_was_noticed():
    doc = _doc(
        "pm-e",
        why="A bad value reached the proxies.",
        what_broke="Requests failed for an hour. A customer noticed it first and wrote to us.",
    )

    found = dimension_sentences(doc, "detection_gaps")

    assert [(s.text, s.anchor) for s in found] == [
        ("A customer noticed it first and wrote to us.", "what-broke")
    ]


FOREIGN = """# Outage of the upload service

Date: 2026-08-14

## Summary

Uploads failed for forty minutes for every customer.

## Root cause

A cron job deleted the temporary directory while uploads were still writing to it.

## Detection

A customer told support before any alert fired.

## Action items

- Alert on the upload error rate
"""


def test_the_benchmark_reads_a_foreign_template_through_the_importer_and_the_adapter():
    text = as_postmortem("upload-outage", FOREIGN)

    assert text.slug == "upload-outage"
    assert text.why == (
        "A cron job deleted the temporary directory while uploads were still writing to it."
    )
    assert [(lag.kind, lag.text) for lag in text.lags] == [
        ("detection", "A customer told support before any alert fired.")
    ]
