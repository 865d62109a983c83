"""Vectorising each distinct sentence once, and scoring in chunks, change no figure."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from analytics.clustering import PostmortemText, cluster_corpus, placement
from analytics.clustering.distinct import distinct_texts, tfidf_of_distinct
from tests.test_clustering import _load_small


def _identity(features):
    return features


def _small_docs() -> list[PostmortemText]:
    return _load_small()[0]


def test_distinct_texts_keep_first_appearance_order_and_count_repeats():
    unique, index, counts = distinct_texts(["b", "a", "b", "c", "b"])

    assert unique == ["b", "a", "c"]
    assert index.tolist() == [0, 1, 0, 2, 0]
    assert counts.tolist() == [3, 1, 1]


def test_tfidf_of_distinct_rows_equal_the_fit_over_every_text_bit_for_bit():
    texts = [
        "cert expired on the edge",
        "the deploy broke login",
        "cert expired on the edge",
        "disk full on db",
        "the deploy broke login",
        "cert expired on the edge",
        "a one-off note",
    ]
    unique, index, counts = distinct_texts(texts)
    full = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
    expected = full.fit_transform([t.split() for t in texts]).tocsr()

    rows = tfidf_of_distinct([t.split() for t in unique], counts)[index]

    assert rows.dtype == expected.dtype == np.float32
    assert np.array_equal(rows.toarray(), expected.toarray())


def test_tfidf_of_distinct_gives_a_zero_column_when_no_text_has_a_feature():
    rows = tfidf_of_distinct([[], []], np.array([2, 1]))

    assert rows.shape == (2, 1)
    assert rows.nnz == 0


def test_repeated_postmortems_are_placed_as_the_originals_are():
    docs = _small_docs()
    copies = [replace(d, slug=d.slug + "-copy") for d in docs]

    report = cluster_corpus([*docs, *copies])

    for pattern in report.root_causes.patterns:
        originals = {m for m in pattern.members if not m.endswith("-copy")}
        assert {m + "-copy" for m in originals} <= set(pattern.members)
        for slug in originals:
            assert pattern.evidence[slug] == pattern.evidence[slug + "-copy"]
            assert pattern.confidence[slug] == pattern.confidence[slug + "-copy"]


def test_scoring_in_small_chunks_gives_the_same_report(monkeypatch):
    docs = _small_docs()
    whole = cluster_corpus(docs)

    monkeypatch.setattr(placement, "SCORE_CHUNK", 3)
    chunked = cluster_corpus(docs)

    assert chunked == whole
