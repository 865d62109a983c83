"""Pattern recall and ARI on real public postmortems: taxonomy placement vs the lexicon method.

    .venv/bin/python benchmarks/bench_real_patterns.py [--part test|dev] [--cv]

Reads the real corpus (benchmarks/realdata, git-ignored; manifest and split in
benchmarks/realdata_tools) and the labels (doc id, sha256, class per dimension) from
benchmarks/realdata_tools/labels/classes_<part>.jsonl. Each document goes through the
importer's foreign-template reader and the review's adapter (realdata_tools/as_postmortem.py,
the functions production runs), then through ``cluster_corpus`` as one period, once per method.

``--cv`` (dev only): leave one organisation out. For each dev organisation the placement model
is trained (train_placement_model.py) on the other organisations and the taxonomy, and that
organisation's postmortems are reviewed with it; the folds' patterns of one class are joined
and the whole dev part is scored once. Without ``--cv`` the dev figures of the new method are
training-set fit (the shipped model was trained on dev), not a measure. The test part is frozen (split by organisation) and
was scored once; tuning used dev only.
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

from analytics.clustering import (  # noqa: E402
    ClusteringConfig,
    CorpusReport,
    DimensionReport,
    PostmortemText,
    cluster_corpus,
)

LABELS = ROOT / "benchmarks" / "realdata_tools" / "labels"
FIELDS = {
    "root_causes": "root_cause",
    "detection_gaps": "detection_gap",
    "response_lags": "response_lag",
}


def load(part: str):
    """(documents, labels by doc id, organisation by doc id); (None, None, None) without data."""
    from benchmarks.realdata_tools import corpus
    from benchmarks.realdata_tools.as_postmortem import as_postmortem

    path = LABELS / f"classes_{part}.jsonl"
    if not corpus.available() or not path.exists():
        return None, None, None
    labels = {}
    for line in path.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            labels[row["doc_id"]] = row
    docs, orgs, stale, unread = [], {}, 0, 0
    for doc in corpus.load_documents(part=part):
        row = labels.get(doc.doc_id)
        if row is None:
            continue
        if row.get("sha256") and row["sha256"] != hashlib.sha256(doc.text.encode()).hexdigest():
            stale += 1
        text = as_postmortem(doc.doc_id, doc.text, fmt=doc.format, incident_date=doc.incident_date)
        if text is None:
            unread += 1  # scored all the same: a one-off in every dimension
            text = PostmortemText(slug=doc.doc_id, quarter="2026Q3", why="", what_broke="")
        docs.append(text)
        orgs[doc.doc_id] = doc.org
    if stale:
        print(f"  note: {stale} label(s) name a different text hash than the file on disk")
    if unread:
        print(f"  note: the importer could not read {unread} document(s)")
    return docs, labels, orgs


def scores(docs, labels, config, *, report=None) -> dict:
    report = report or cluster_corpus(docs, config=config)
    out = {}
    for dimension, field in FIELDS.items():
        # Every labelled document is scored; one the method could not read counts as a one-off.
        truth = {d.slug: labels[d.slug].get(field, "other") for d in docs}
        out[dimension] = score_dimension(report, dimension, truth)
    return out


def cross_validated(docs, labels, orgs, config, *, workdir: Path) -> CorpusReport:
    """Leave one organisation out: each fold reviewed with a model that never saw it."""
    from train_placement_model import train

    from analytics.clustering.classifier import save_model

    merged: dict[str, dict[str, list]] = {d: {} for d in FIELDS}
    one_offs: dict[str, list[str]] = {d: [] for d in FIELDS}
    for org in sorted(set(orgs.values())):
        held = [d for d in docs if orgs[d.slug] == org]
        seen = [d for d in docs if orgs[d.slug] != org]
        fold = config
        if config.method == "taxonomy" and config.placement_model:
            path = workdir / f"fold-{org}.npz"
            save_model(train(seen, labels, orgs), path)
            fold = replace(config, placement_model=str(path))
        report = cluster_corpus(held, config=fold)
        for dimension in FIELDS:
            part = getattr(report, dimension)
            one_offs[dimension] += part.one_offs
            for index, pattern in enumerate(part.patterns):
                # A taxonomy class joins across folds; a new pattern stays its fold's own.
                key = pattern.key if pattern.key and not pattern.key.startswith("new") else ""
                key = key or f"{org}-{pattern.key or index}"
                merged[dimension].setdefault(key, []).append(pattern)
    dimensions = {}
    for dimension, patterns in merged.items():
        joined = tuple(
            replace(group[0], key=key, members=tuple(sorted(m for p in group for m in p.members)))
            for key, group in sorted(patterns.items())
        )
        dimensions[dimension] = DimensionReport(
            patterns=joined, one_offs=tuple(sorted(one_offs[dimension]))
        )
    return CorpusReport(**dimensions, postmortems=len(docs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="test", choices=["test", "dev"])
    parser.add_argument("--cv", action="store_true", help="leave one organisation out (dev)")
    args = parser.parse_args()
    if args.cv and args.part != "dev":
        parser.error("--cv trains on the part it scores: dev only")
    docs, labels, orgs = load(args.part)
    if docs is None:
        print(f"real corpus or labels for part {args.part!r} not available: skipped")
        return 0
    protocol = "leave one organisation out" if args.cv else "one period"
    print(f"real postmortems, {args.part} part: {len(docs)} labelled documents, {protocol}")
    methods = {
        "taxonomy (new)": ClusteringConfig(),
        "seeds only": replace(ClusteringConfig(), placement_model=""),
        "lexicon (today)": replace(ClusteringConfig(), method="lexicon"),
    }
    if args.cv:
        import tempfile

        with tempfile.TemporaryDirectory() as workdir:
            results = {
                name: scores(
                    docs,
                    labels,
                    config,
                    report=cross_validated(docs, labels, orgs, config, workdir=Path(workdir)),
                )
                for name, config in methods.items()
            }
    else:
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
