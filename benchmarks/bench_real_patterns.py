"""Pattern recall and ARI on real public postmortems: taxonomy placement vs the lexicon method.

    .venv/bin/python benchmarks/bench_real_patterns.py [--part test|dev]

Reads the real corpus (benchmarks/realdata, git-ignored; manifest and split in
benchmarks/realdata_tools) and the labels (doc id, sha256, class per dimension) from
benchmarks/realdata_tools/labels/classes_<part>.jsonl. Each document goes through the
benchmark's heading reader (realdata_tools/as_postmortem.py) into the same PostmortemText the
production adapter builds, then through ``cluster_corpus`` as one period, once per method.
The test part is frozen (split by organisation) and was scored once; tuning used dev only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pattern_scores import score_dimension  # noqa: E402

from analytics.clustering import ClusteringConfig, cluster_corpus  # noqa: E402

LABELS = ROOT / "benchmarks" / "realdata_tools" / "labels"
FIELDS = {
    "root_causes": "root_cause",
    "detection_gaps": "detection_gap",
    "response_lags": "response_lag",
}


def load(part: str):
    from benchmarks.realdata_tools import corpus
    from benchmarks.realdata_tools.as_postmortem import as_postmortem

    path = LABELS / f"classes_{part}.jsonl"
    if not corpus.available() or not path.exists():
        return None, None
    labels = {}
    for line in path.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            labels[row["doc_id"]] = row
    docs, stale = [], 0
    for doc in corpus.load_documents(part=part):
        row = labels.get(doc.doc_id)
        if row is None:
            continue
        if row.get("sha256") and row["sha256"] != hashlib.sha256(doc.text.encode()).hexdigest():
            stale += 1
        docs.append(as_postmortem(doc.doc_id, doc.text))
    if stale:
        print(f"  note: {stale} label(s) name a different text hash than the file on disk")
    return docs, labels


def scores(docs, labels, config) -> dict:
    report = cluster_corpus(docs, config=config)
    out = {}
    for dimension, field in FIELDS.items():
        # Every labelled document is scored; one the method could not read counts as a one-off.
        truth = {d.slug: labels[d.slug].get(field, "other") for d in docs}
        out[dimension] = score_dimension(report, dimension, truth)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="test", choices=["test", "dev"])
    args = parser.parse_args()
    docs, labels = load(args.part)
    if docs is None:
        print(f"real corpus or labels for part {args.part!r} not available: skipped")
        return 0
    print(f"real postmortems, {args.part} part: {len(docs)} labelled documents, one period")
    methods = {
        "taxonomy (new)": ClusteringConfig(),
        "lexicon (today)": replace(ClusteringConfig(), method="lexicon"),
    }
    results = {name: scores(docs, labels, config) for name, config in methods.items()}
    print(f"  {'dimension':<15} {'method':<16} {'recall':>7} {'captured':>9} {'ARI':>6}")
    for dimension in FIELDS:
        for name, result in results.items():
            s = result[dimension]
            print(
                f"  {dimension:<15} {name:<16} {s['recall']:>7.2f} "
                f"{s['captured']:>4}/{s['classes']:<4} {s['ari']:>6.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
