"""Static sentence embeddings distilled from all-MiniLM-L6-v2: a token table, numpy only.

``data/minilm_static.npz`` holds one 128-dimension vector per WordPiece token, made by
``benchmarks/embedding_tools/distil_static.py`` (each token run alone through the model, then
PCA). A sentence's vector is the mean of its tokens' vectors, each token weighted by its
rarity in the sentence batch (frequent tokens such as "the" or "##s" say little), then
L2-normalised. No download, no torch, ~8 MB of memory for the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .wordpiece import WordPiece

DEFAULT_TABLE = Path(__file__).parent / "data" / "minilm_static.npz"


class StaticEmbedding:
    def __init__(self, path: str | Path = DEFAULT_TABLE):
        with np.load(path, allow_pickle=False) as data:
            self.vectors = data["vectors"].astype(np.float32)
            vocabulary = [str(t) for t in data["vocabulary"]]
        self.tokenizer = WordPiece(vocabulary)
        self.dimensions = self.vectors.shape[1]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Rows of unit length (zero for a text without tokens)."""
        ids = [self.tokenizer.ids(t) for t in texts]
        counts = np.bincount(
            np.fromiter((i for row in ids for i in set(row)), dtype=np.int64),
            minlength=len(self.vectors),
        )
        # Smooth inverse document frequency over this batch: rare tokens weigh more.
        weight = np.log((1 + len(texts)) / (1 + counts)) + 1.0
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, tokens in enumerate(ids):
            if tokens:
                array = np.asarray(tokens)
                out[row] = (self.vectors[array] * weight[array, None]).sum(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


@lru_cache(maxsize=4)
def load_static_embedding(path: str = str(DEFAULT_TABLE)) -> StaticEmbedding:
    return StaticEmbedding(path)
