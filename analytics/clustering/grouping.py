"""Vectors -> groups: average-linkage clustering with a cosine distance threshold, in linear time.

The number of groups comes from the threshold, not from a fixed k: two groups merge while the
mean cosine distance between their members stays below it (UPGMA). For unit-length rows the
mean pairwise similarity of two groups equals the dot product of their mean vectors, so groups
can be merged from their means and sizes alone. That identity is what makes the large-corpus
path exact at its second level:

* up to ``exact_limit`` documents: UPGMA over all documents (n x n similarities);
* above it: MiniBatchKMeans (on an SVD projection) cuts the corpus into cells of a few dozen
  documents, UPGMA splits each cell by the threshold, and a weighted UPGMA merges the resulting
  sub-groups across cells from their mean vectors. Memory and time grow with the number of
  sub-groups, not with n^2.

Silhouette-based model selection was not used: on labelled postmortems it chose far too many
clusters; a threshold tuned on labelled data transfers across corpora of different sizes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize


def upgma(similarity: np.ndarray, sizes: np.ndarray, threshold: float) -> np.ndarray:
    """Weighted average linkage on a similarity matrix; returns a group id per row.

    ``similarity[a, b]`` is the mean pairwise cosine similarity between the members of nodes a
    and b; ``sizes`` their member counts. Merging stops when the best remaining pair is farther
    apart than ``threshold`` (cosine distance). Ties resolve to the lowest indices, so the result
    depends only on the row order.
    """
    m = similarity.shape[0]
    groups = np.arange(m)
    if m < 2:
        return groups
    sim = np.array(similarity, dtype=np.float64, copy=True)
    np.fill_diagonal(sim, -np.inf)
    weight = sizes.astype(np.float64).copy()
    active = np.ones(m, dtype=bool)
    best = sim.argmax(axis=1)
    best_sim = sim[np.arange(m), best]
    floor = 1.0 - threshold
    while True:
        a = int(np.argmax(np.where(active, best_sim, -np.inf)))
        if not active[a] or best_sim[a] < floor:
            break
        b = int(best[a])
        a, b = min(a, b), max(a, b)
        merged = (weight[a] * sim[a] + weight[b] * sim[b]) / (weight[a] + weight[b])
        weight[a] += weight[b]
        active[b] = False
        merged[~active] = -np.inf
        merged[a] = -np.inf
        sim[a, :] = merged
        sim[:, a] = merged
        sim[b, :] = -np.inf
        sim[:, b] = -np.inf
        groups[groups == b] = a
        best_sim[b] = -np.inf
        # Rows whose best partner was a or b must look again; others only compare with a.
        stale = np.flatnonzero(active & ((best == a) | (best == b)))
        if len(stale):
            best[stale] = sim[stale].argmax(axis=1)
            best_sim[stale] = sim[stale, best[stale]]
        better = active & (merged > best_sim)
        better[a] = False
        best[better] = a
        best_sim[better] = merged[better]
        best[a] = int(np.argmax(sim[a]))
        best_sim[a] = sim[a, best[a]]
    return _canonical(groups)


def _canonical(groups: np.ndarray) -> np.ndarray:
    """Renumber groups 0.. in order of first appearance."""
    _, first, inverse = np.unique(groups, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse]


def _exact(matrix: sp.csr_matrix, threshold: float) -> np.ndarray:
    similarity = (matrix @ matrix.T).toarray()
    return upgma(similarity, np.ones(matrix.shape[0]), threshold)


def group_rows(
    matrix: sp.csr_matrix,
    threshold: float,
    *,
    exact_limit: int,
    docs_per_cell: int,
    max_cells: int,
    svd_components: int,
    seed: int,
    progress: Callable[[float], None] | None = None,
) -> np.ndarray:
    """Group the unit-length rows of ``matrix``; returns a group id (0..) per row."""
    n = matrix.shape[0]
    if n == 0:
        return np.zeros(0, dtype=int)
    if n <= exact_limit:
        return _exact(matrix, threshold)

    cells = _cells(matrix, n, docs_per_cell, max_cells, svd_components, seed)
    if progress:
        progress(0.4)
    # Split each cell by the threshold so no sub-group spans documents that exact UPGMA would
    # keep apart (one-offs stay one-offs instead of joining their cell's majority).
    sub = np.empty(n, dtype=int)
    next_id = 0
    for cell in np.unique(cells):
        rows = np.flatnonzero(cells == cell)
        local = _exact(matrix[rows], threshold)
        sub[rows] = local + next_id
        next_id += int(local.max()) + 1
    if progress:
        progress(0.7)
    sub = _canonical(sub)
    m = int(sub.max()) + 1
    sizes = np.bincount(sub, minlength=m)
    membership = sp.csr_matrix(
        (1.0 / sizes[sub], (sub, np.arange(n))), shape=(m, n), dtype=np.float32
    )
    means = membership @ matrix
    similarity = (means @ means.T).toarray()
    top = upgma(similarity, sizes, threshold)
    return _canonical(top[sub])


def _cells(
    matrix: sp.csr_matrix, n: int, docs_per_cell: int, max_cells: int, components: int, seed: int
) -> np.ndarray:
    """Partition rows into roughly ``n / docs_per_cell`` k-means cells of similar documents."""
    k = int(min(max_cells, max(2, n // docs_per_cell)))
    components = min(components, matrix.shape[1] - 1)
    if components >= 2:
        reduced = TruncatedSVD(
            n_components=components, algorithm="randomized", n_iter=2, random_state=seed
        ).fit_transform(matrix)
        reduced = normalize(reduced)
    else:
        reduced = matrix
    kmeans = MiniBatchKMeans(
        n_clusters=k, random_state=seed, batch_size=2048, n_init=1, max_iter=20
    )
    return kmeans.fit_predict(reduced)
