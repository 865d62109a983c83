"""Text -> vectors: concept, word and character blocks, stacked and L2-normalised.

Why three blocks: paraphrases of one cause share few words, so the concept block (from the
lexicon) carries most of the meaning; word uni/bigrams catch the specifics the lexicon does not
know (service names, error strings); character n-grams catch morphology and compounds
("notAfter", "x509", "OOMKilled") across spellings. Each block is normalised before weighting so
the weights, not the text length, decide their share of the cosine similarity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize

from .lexicon import Lexicon


@dataclass
class Features:
    """The stacked matrix plus the parts the labeller needs to explain a cluster."""

    matrix: sp.csr_matrix
    words: sp.csr_matrix
    word_names: np.ndarray
    concepts: sp.csr_matrix
    concept_keys: tuple[str, ...]


def _identity(features: list[str]) -> list[str]:
    return features


class _CharGrams:
    """Character 3-5-grams of each distinct word of a document, memoised per word.

    sklearn's ``char_wb`` analyser recomputes n-grams for every occurrence of every word; in a
    corpus of thousands of similar postmortems the same few thousand words repeat, so caching
    per word cuts vectorising time by several times. Each distinct word counts once per document.
    """

    def __init__(self) -> None:
        self._cache: dict[str, list[str]] = {}

    def __call__(self, words: list[str]) -> list[str]:
        grams: list[str] = []
        for word in set(words):
            cached = self._cache.get(word)
            if cached is None:
                padded = f" {word} "
                cached = [
                    padded[i : i + size]
                    for size in (3, 4, 5)
                    for i in range(max(1, len(padded) - size + 1))
                ]
                self._cache[word] = cached
            grams.extend(cached)
        return grams


def word_features(raw: list[str], stems: list[str], stopwords: frozenset[str]) -> list[str]:
    """Stemmed unigrams and bigrams of non-stop-words (bigrams span removed stop-words)."""
    kept = [s for t, s in zip(raw, stems, strict=True) if t not in stopwords and not t.isdigit()]
    return kept + [f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False)]


def build_features(
    raw_tokens: Sequence[list[str]],
    stemmed: Sequence[list[str]],
    concept_counts: Sequence[dict[str, float]],
    lexicon: Lexicon,
    *,
    concept_weight: float,
    word_weight: float,
    char_weight: float,
) -> Features:
    """Vectorise one dimension's tokenised texts; rows of ``matrix`` have unit length or are 0."""
    n = len(raw_tokens)
    words_vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
    try:
        words = words_vectorizer.fit_transform(
            [
                word_features(r, s, lexicon.stopwords)
                for r, s in zip(raw_tokens, stemmed, strict=True)
            ]
        ).tocsr()
        word_names = words_vectorizer.get_feature_names_out()
    except ValueError:
        # Only stop-words in every text ("why", "broke"): no word evidence at all.
        words = sp.csr_matrix((n, 1), dtype=np.float32)
        word_names = np.array([""], dtype=object)

    concept_keys = tuple(sorted({k for counts in concept_counts for k in counts}))
    column = {k: i for i, k in enumerate(concept_keys)}
    rows, cols, vals = [], [], []
    for r, counts in enumerate(concept_counts):
        for key, count in counts.items():
            if count <= 0:
                continue  # a stored zero would break sublinear tf (log 0)
            rows.append(r)
            cols.append(column[key])
            vals.append(float(count))
    concepts = sp.csr_matrix(
        (np.asarray(vals, dtype=np.float32), (rows, cols)),
        shape=(n, max(len(concept_keys), 1)),
    )
    if concept_keys:
        # idf so a concept that half the corpus mentions ("config change") counts less than a
        # rare one ("clock skew"); sublinear so repeating a term does not dominate.
        concepts = TfidfTransformer(sublinear_tf=True).fit_transform(concepts).astype(np.float32)

    blocks = [concept_weight * normalize(concepts), word_weight * words]
    if char_weight > 0:
        chars = TfidfVectorizer(
            analyzer=_CharGrams(), sublinear_tf=True, min_df=2, dtype=np.float32
        )
        try:
            char_matrix = chars.fit_transform(
                [[t for t in r if t not in lexicon.stopwords] for r in raw_tokens]
            )
        except ValueError:
            # Every n-gram occurs once (tiny corpus): no shared character evidence to add.
            char_matrix = sp.csr_matrix((n, 1), dtype=np.float32)
        blocks.append(char_weight * normalize(char_matrix))
    matrix = normalize(sp.hstack(blocks, format="csr", dtype=np.float32))
    return Features(
        matrix=matrix,
        words=words,
        word_names=word_names,
        concepts=sp.csr_matrix(concepts),
        concept_keys=concept_keys,
    )
