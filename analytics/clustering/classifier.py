"""The trained part of placement: hashed word features -> a class probability per dimension.

A multinomial logistic regression per dimension over hashed, stemmed word uni- and bigrams,
trained (``train_model``) on labelled postmortems plus the taxonomy's own definitions and seed
examples, and shipped as numbers only (``data/placement_model.npz``): feature buckets, idf
weights and coefficients, no vocabulary, so no sentence of a training document is stored.

Generalise by structure, not by phrases remembered from one document: a feature carries
weight only if documents of at least ``min_groups`` different groups (organisations; the
taxonomy's examples count as a group of their own) use it. Otherwise one organisation's
product names and house phrases would decide its documents' classes.

Each model also has a background class ("other" for root causes, "none" for the lags): text
that resembles no class puts its probability there, and placement leaves it a candidate.
Pure numpy/scipy/scikit-learn; loading is a few megabytes and scoring is one sparse product.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher
from sklearn.preprocessing import normalize

from .lexicon import load_lexicon
from .words import stem, tokens

DEFAULT_MODEL = Path(__file__).parent / "data" / "placement_model.npz"
N_FEATURES = 2**18
BACKGROUND = {"root_causes": "other", "detection_gaps": "none", "response_lags": "none"}
TAXONOMY_GROUP = "taxonomy"


def word_features(words: Sequence[str]) -> list[str]:
    """Stemmed content words and adjacent content-word pairs; numbers become one token."""
    stopwords = load_lexicon().stopwords
    kept = ["#" if w.isdigit() else stem(w) for w in words if w not in stopwords and len(w) > 1]
    return kept + [f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False)]


_HASHER = FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False)


def hashed_counts(feature_lists: Iterable[list[str]]) -> sp.csr_matrix:
    """Rows of feature counts in ``N_FEATURES`` buckets (sklearn's murmurhash: stable)."""
    return _HASHER.transform(feature_lists).tocsr().astype(np.float32)


@dataclass(frozen=True)
class DimensionModel:
    classes: tuple[str, ...]
    idf: np.ndarray  # (N_FEATURES,) float32; 0 for buckets no training text used
    coef: sp.csc_matrix  # (N_FEATURES, classes)
    intercept: np.ndarray  # (classes,)

    def weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Counts -> the model's input: sublinear tf times idf, rows of unit length."""
        weighted = counts.copy()
        weighted.data = 1.0 + np.log(weighted.data)
        return normalize(weighted @ sp.diags(self.idf), copy=False)

    def probabilities(self, counts: sp.csr_matrix) -> np.ndarray:
        """(rows, classes) class probabilities of rows of ``hashed_counts``."""
        if counts.shape[0] == 0:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        logits = np.asarray((self.weigh(counts) @ self.coef).todense()) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)


@dataclass(frozen=True)
class PlacementModel:
    dimensions: dict[str, DimensionModel]

    def of(self, dimension: str) -> DimensionModel | None:
        return self.dimensions.get(dimension)


@dataclass(frozen=True)
class Sample:
    """One training text: its dimension's class, and the group (organisation) it came from."""

    text: str
    label: str
    group: str


def train_dimension(
    samples: Sequence[Sample],
    *,
    min_groups: int = 2,
    regularisation: float = 50.0,
) -> DimensionModel:
    """Fit one dimension's model; deterministic (lbfgs, no random state involved)."""
    from sklearn.linear_model import LogisticRegression

    counts = hashed_counts(word_features(tokens(s.text)) for s in samples)
    present = (counts > 0).astype(np.float32).tocsc()
    groups = sorted({s.group for s in samples})
    group_of = np.array([groups.index(s.group) for s in samples])
    seen_in = np.zeros(N_FEATURES, dtype=np.int32)
    for index in range(len(groups)):
        rows = present[np.flatnonzero(group_of == index)]
        seen_in += (np.asarray(rows.sum(axis=0)).ravel() > 0).astype(np.int32)
    df = np.asarray(present.sum(axis=0)).ravel()
    idf = np.where(seen_in >= min_groups, np.log((1 + len(samples)) / (1 + df)) + 1.0, 0.0).astype(
        np.float32
    )
    model = DimensionModel(
        classes=(), idf=idf, coef=sp.csc_matrix((N_FEATURES, 0)), intercept=np.zeros(0)
    )
    x = model.weigh(counts)
    labels = [s.label for s in samples]
    classes = tuple(sorted(set(labels)))
    if len(classes) == 1:
        coef = sp.csc_matrix((N_FEATURES, 1), dtype=np.float32)
        return DimensionModel(classes, idf, coef, np.zeros(1, dtype=np.float32))
    # Fit on the buckets in use only: the same solution, a fraction of the solver's work.
    active = np.flatnonzero(idf)
    fit = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=2000)
    fit.fit(x[:, active], labels)
    weights = fit.coef_ if len(classes) > 2 else np.vstack([-fit.coef_[0], fit.coef_[0]])
    intercept = fit.intercept_ if len(classes) > 2 else np.r_[-fit.intercept_, fit.intercept_]
    weights = np.where(np.abs(weights) < 1e-4, 0.0, weights).astype(np.float32)
    full = sp.csc_matrix(
        (weights.T.ravel(), (np.repeat(active, weights.shape[0]), np.tile(
            np.arange(weights.shape[0]), len(active)))),
        shape=(N_FEATURES, weights.shape[0]),
    )  # fmt: skip
    full.eliminate_zeros()
    return DimensionModel(
        classes=tuple(fit.classes_),
        idf=idf,
        coef=full,
        intercept=intercept.astype(np.float32),
    )


def taxonomy_samples(taxonomy, dimension: str) -> list[Sample]:
    """The taxonomy's definitions and seed examples as training texts of their classes."""
    return [
        Sample(text, item.key, TAXONOMY_GROUP)
        for item in taxonomy.of(dimension)
        for text in (item.definition, *item.examples)
    ]


def save_model(model: PlacementModel, path: str | Path) -> None:
    arrays = {}
    for dimension, part in model.dimensions.items():
        arrays[f"{dimension}.classes"] = np.array(part.classes)
        nonzero = np.flatnonzero(part.idf)
        arrays[f"{dimension}.idf_index"] = nonzero.astype(np.int32)
        arrays[f"{dimension}.idf_value"] = part.idf[nonzero]
        coo = part.coef.tocoo()
        arrays[f"{dimension}.coef_row"] = coo.row.astype(np.int32)
        arrays[f"{dimension}.coef_col"] = coo.col.astype(np.int16)
        arrays[f"{dimension}.coef_value"] = coo.data.astype(np.float32)
        arrays[f"{dimension}.intercept"] = part.intercept
    np.savez_compressed(path, **arrays)


@lru_cache(maxsize=4)
def load_model(path: str | Path = DEFAULT_MODEL) -> PlacementModel:
    """The model file written by ``save_model`` (cached per path)."""
    with np.load(path, allow_pickle=False) as data:
        names = {key.split(".")[0] for key in data.files}
        dimensions = {}
        for dimension in sorted(names):
            classes = tuple(str(c) for c in data[f"{dimension}.classes"])
            idf = np.zeros(N_FEATURES, dtype=np.float32)
            idf[data[f"{dimension}.idf_index"]] = data[f"{dimension}.idf_value"]
            coef = sp.csc_matrix(
                (
                    data[f"{dimension}.coef_value"],
                    (data[f"{dimension}.coef_row"], data[f"{dimension}.coef_col"]),
                ),
                shape=(N_FEATURES, len(classes)),
            )
            dimensions[dimension] = DimensionModel(
                classes, idf, coef, data[f"{dimension}.intercept"].astype(np.float32)
            )
    return PlacementModel(dimensions)


def placement_model(name: str) -> PlacementModel | None:
    """The model named in the settings: "" (none), "default" (the shipped file) or a path.

    A path that does not exist is an error: a review must not quietly run without the model
    a team configured."""
    if not name:
        return None
    path = DEFAULT_MODEL if name == "default" else Path(name)
    if not path.exists():
        raise FileNotFoundError(f"placement model {name!r} not found at {path}")
    return load_model(str(path))
