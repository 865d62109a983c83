"""Distil all-MiniLM-L6-v2 into the static token table the review ships.

    .venv/bin/python benchmarks/embedding_tools/distil_static.py

Each vocabulary token is run alone through the transformer ([CLS] token [SEP], mean-pooled);
the table of those vectors, reduced by PCA to 128 dimensions and stored as float16, is
``analytics/clustering/data/minilm_static.npz``. A sentence's vector is then the weighted mean
of its tokens' rows (``static_embedding.py``): no transformer at run time, a table lookup per
token, so 10,000 postmortems embed in seconds (the idea of Model2Vec, done with numpy).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from minilm_numpy import MiniLM  # noqa: E402

OUT = HERE.parents[1] / "analytics" / "clustering" / "data" / "minilm_static.npz"
DIMENSIONS = 128


def main() -> None:
    model = MiniLM()
    vocabulary = sorted(model.tokenizer.index, key=model.tokenizer.index.get)
    started = time.perf_counter()
    vectors = np.zeros((len(vocabulary), 384), dtype=np.float32)
    for start in range(0, len(vocabulary), 512):
        ids = [[i] for i in range(start, min(start + 512, len(vocabulary)))]
        vectors[start : start + len(ids)] = model.encode_ids(ids)
    mean = vectors.mean(axis=0)
    centred = vectors - mean
    _, _, components = np.linalg.svd(centred[::3], full_matrices=False)
    reduced = centred @ components[:DIMENSIONS].T
    np.savez_compressed(
        OUT, vectors=reduced.astype(np.float16), vocabulary=np.array(vocabulary, dtype=str)
    )
    print(f"{len(vocabulary)} tokens in {time.perf_counter() - started:.0f} s -> {OUT}")


if __name__ == "__main__":
    main()
