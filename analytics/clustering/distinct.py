"""Vectorise each distinct text once: a quarter's sentences repeat (templates, boilerplate,
retold incidents), and tokenising, lexicon matching and n-gram counting were most of a large
review's time and memory.

``tfidf_of_distinct`` gives the rows of the distinct texts exactly as ``TfidfVectorizer``
(identity analyser, sublinear tf, float32) fitted on *every* text would give them: document
frequencies count each text as often as it occurs, and every step after the counts works row
by row, so row ``index[i]`` of the result is bit for bit row ``i`` of the full fit
(``tests/test_clustering_distinct.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize


def distinct_texts(texts: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(distinct texts in order of first appearance, index of each text among them, how many
    times each distinct text occurs)."""
    position: dict[str, int] = {}
    index = np.fromiter(
        (position.setdefault(t, len(position)) for t in texts), dtype=np.int64, count=len(texts)
    )
    counts = np.bincount(index, minlength=len(position)) if len(texts) else np.zeros(0, int)
    return list(position), index, counts


def _identity(features: list[str]) -> list[str]:
    return features


def tfidf_of_distinct(features: Sequence[list[str]], occurrences: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf-idf rows (L2-normalised, float32) of distinct feature lists, with document
    frequencies weighted by ``occurrences``; a (len, 1) zero matrix when no list has a
    feature (what the full fit raises ValueError for)."""
    try:
        counts = CountVectorizer(analyzer=_identity, dtype=np.float32).fit_transform(features)
    except ValueError:
        return sp.csr_matrix((len(features), 1), dtype=np.float32)
    counts = sp.csr_matrix(counts)
    row_of_entry = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    # As TfidfTransformer.fit on the full matrix: smoothed idf = ln((n + 1) / (df + 1)) + 1.
    df = np.bincount(
        counts.indices, weights=occurrences[row_of_entry], minlength=counts.shape[1]
    ).astype(np.float32)
    df += 1.0
    idf = np.full_like(df, fill_value=int(occurrences.sum()) + 1, dtype=np.float32)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    np.log(counts.data, counts.data)
    counts.data += 1.0
    counts.data *= idf[counts.indices]
    return normalize(counts, norm="l2", copy=False)
