"""Benchmark of analytics.clustering on the labelled evaluation corpus, and at scale.

    .venv/bin/python benchmarks/bench_clustering.py [--no-scale] [--patterns]

Prints, per dimension: adjusted Rand index (``one-off`` labels count as singletons) and pattern
purity per quarter and over all documents, and patterns found vs labelled; a threshold sweep
tuned on two quarters and reported on the other two (held out); then time and peak memory of
``cluster_corpus`` at 1,000 and 10,000 synthetic postmortems (corpus documents resampled with
shuffled sentences and swapped service names, fixed seed), each in a fresh subprocess.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.metrics import adjusted_rand_score  # noqa: E402

from analytics.clustering import (  # noqa: E402
    ClusteringConfig,
    CorpusReport,
    LagText,
    PostmortemText,
    cluster_corpus,
)

CORPUS = ROOT / "benchmarks" / "corpus"
DIMENSIONS = {
    "root_causes": "root_cause",
    "detection_gaps": "detection_gap",
    "response_lags": "response_lag",
}
THRESHOLDS = [round(0.40 + 0.025 * i, 3) for i in range(23)]  # 0.40 .. 0.95
TUNE_QUARTERS = ("2025Q4", "2026Q1")
HELD_OUT_QUARTERS = ("2026Q2", "2026Q3")
SCALES = (1_000, 10_000)


def load_corpus() -> tuple[list[PostmortemText], dict[str, dict[str, str]], dict[str, tuple]]:
    """Parse the Markdown corpus; returns documents, labels and each document's services."""
    from analytics.clustering.from_document import postmortem_text
    from postmortems.document import DocumentError, parse_document

    docs, services = [], {}
    for path in sorted(CORPUS.glob("*.md")):
        try:
            parsed = parse_document(path.read_text(encoding="utf-8"), slug=path.stem)
        except DocumentError as error:
            if path.name != "README.md":
                print(f"skipping {path.name}: {error}", file=sys.stderr)
            continue
        docs.append(postmortem_text(parsed))
        services[path.stem] = parsed.services
    labels_path = CORPUS / "labels.json"
    labels = json.loads(labels_path.read_text()) if labels_path.exists() else {}
    return docs, labels, services


def predicted(report: CorpusReport, dimension: str, slugs: list[str]) -> list[str]:
    assign = {}
    for index, pattern in enumerate(getattr(report, dimension).patterns):
        for member in pattern.members:
            assign[member] = f"pattern-{index}"
    return [assign.get(slug, f"single-{slug}") for slug in slugs]


def truth(labels: dict, dimension: str, slugs: list[str]) -> list[str]:
    key = DIMENSIONS[dimension]
    out = []
    for slug in slugs:
        kind = labels.get(slug, {}).get(key, "one-off")
        out.append(f"single-{slug}" if kind == "one-off" else kind)
    return out


def score(report: CorpusReport, labels: dict, dimension: str, slugs: list[str]) -> dict:
    """ARI, purity (share of pattern members whose label is their pattern's majority label),
    patterns found and patterns labelled (label kinds with >= 2 documents in the set)."""
    true = truth(labels, dimension, slugs)
    pred = predicted(report, dimension, slugs)
    by_slug = dict(zip(slugs, true, strict=True))
    members = [(p.members) for p in getattr(report, dimension).patterns]
    in_patterns = sum(len(m) for m in members)
    majority = sum(Counter(by_slug[s] for s in m).most_common(1)[0][1] for m in members)
    kinds = Counter(t for t in true if not t.startswith("single-"))
    return {
        "ari": adjusted_rand_score(true, pred),
        "purity": majority / in_patterns if in_patterns else 1.0,
        "found": len(members),
        "labelled": sum(1 for c in kinds.values() if c >= 2),
    }


def evaluate(docs, labels, config, quarters=None) -> dict:
    """Scores per quarter (each quarter clustered on its own, as the quarterly review does)."""
    out = {}
    groups = sorted({d.quarter for d in docs}) if quarters is None else quarters
    for quarter in groups:
        subset = [d for d in docs if d.quarter == quarter]
        if not subset:
            continue
        report = cluster_corpus(subset, config=config)
        slugs = sorted(d.slug for d in subset)
        out[quarter] = {dim: score(report, labels, dim, slugs) for dim in DIMENSIONS}
    return out


def print_scores(title: str, per_quarter: dict, all_docs: dict | None = None) -> None:
    print(f"\n{title}")
    print(f"  {'set':<10} {'dimension':<15} {'ARI':>6} {'purity':>7} {'found':>6} {'labelled':>8}")
    rows = list(per_quarter.items()) + ([("all", all_docs)] if all_docs else [])
    for name, scores in rows:
        for dim, s in scores.items():
            print(
                f"  {name:<10} {dim:<15} {s['ari']:>6.3f} {s['purity']:>7.3f}"
                f" {s['found']:>6} {s['labelled']:>8}"
            )


def mean_ari(per_quarter: dict, dim: str) -> float:
    return statistics.mean(scores[dim]["ari"] for scores in per_quarter.values())


def tune(docs, labels, base: ClusteringConfig) -> ClusteringConfig:
    """Pick each dimension's threshold by mean per-quarter ARI on the tune quarters."""
    tune_docs = [d for d in docs if d.quarter in TUNE_QUARTERS]
    sweep = {}
    for t in THRESHOLDS:
        config = replace(base, root_cause_threshold=t, detection_threshold=t, response_threshold=t)
        sweep[t] = evaluate(tune_docs, labels, config)
    best = {}
    print("\nthreshold sweep on tune quarters " + "+".join(TUNE_QUARTERS) + " (mean ARI)")
    print("  threshold " + " ".join(f"{d:>15}" for d in DIMENSIONS))
    for t in THRESHOLDS:
        print(f"  {t:<9} " + " ".join(f"{mean_ari(sweep[t], d):>15.3f}" for d in DIMENSIONS))
    for dim in DIMENSIONS:
        # Ties go to the middle of the best plateau: a threshold at its edge transfers worse.
        top = max(mean_ari(sweep[t], dim) for t in THRESHOLDS)
        plateau = [t for t in THRESHOLDS if mean_ari(sweep[t], dim) >= top - 0.005]
        best[dim] = plateau[len(plateau) // 2]
    print("  chosen: " + ", ".join(f"{d}={t}" for d, t in best.items()))
    return replace(
        base,
        root_cause_threshold=best["root_causes"],
        detection_threshold=best["detection_gaps"],
        response_threshold=best["response_lags"],
    )


def ablation(docs, labels, base: ClusteringConfig) -> None:
    """What each feature block buys: mean per-quarter ARI with blocks switched off.

    Each variant gets its own best threshold (in-sample), so the comparison is of the
    representation, not of a threshold tuned for another one.
    """
    variants = {
        "default (concepts + words)": base,
        "concepts + words + chars": replace(base, char_weight=0.4),
        "words + chars (no lexicon)": replace(base, concept_weight=0.0, char_weight=0.4),
        "words only (plain TF-IDF)": replace(base, concept_weight=0.0, char_weight=0.0),
        "concepts only": replace(base, word_weight=0.0, char_weight=0.0),
        "no concept families": replace(base, family_weight=0.0),
    }
    print("\nablation: mean per-quarter ARI at each variant's best threshold (all quarters)")
    print(f"  {'variant':<28} " + " ".join(f"{d:>15}" for d in DIMENSIONS))
    for name, config in variants.items():
        best = dict.fromkeys(DIMENSIONS, 0.0)
        for t in THRESHOLDS[::2]:
            run = replace(
                config, root_cause_threshold=t, detection_threshold=t, response_threshold=t
            )
            scores = evaluate(docs, labels, run)
            for dim in DIMENSIONS:
                best[dim] = max(best[dim], mean_ari(scores, dim))
        print(f"  {name:<28} " + " ".join(f"{best[d]:>15.3f}" for d in DIMENSIONS))


# --- scale ----------------------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
SERVICE_POOL = [
    "ledger",
    "atlas",
    "harbor",
    "quill",
    "orbit",
    "lumen",
    "cobalt",
    "fjord",
    "sparrow",
    "tundra",
    "beacon",
    "mosaic",
    "ripple",
    "summit",
    "vertex",
    "willow",
    "zephyr",
    "kiln",
]


def synthesise(docs, services, n: int, seed: int = 7) -> list[PostmortemText]:
    """n postmortems resampled from the corpus with light, deterministic perturbation."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        doc = docs[rng.randrange(len(docs))]
        swaps = {
            s: rng.choice(SERVICE_POOL) + "-" + str(rng.randrange(100))
            for s in services.get(doc.slug, ())
        }

        def perturb(text: str, swaps=swaps) -> str:
            parts = _SENTENCE.split(text)
            rng.shuffle(parts)
            text = " ".join(parts)
            for old, new in swaps.items():
                text = text.replace(old, new)
            return text

        def jitter(value):
            return None if value is None else round(value * rng.uniform(0.7, 1.3), 1)

        out.append(
            PostmortemText(
                slug=f"{doc.slug}-{i:05d}",
                quarter="2026Q3",
                why=perturb(doc.why),
                what_broke=perturb(doc.what_broke),
                lags=tuple(LagText(lag.kind, perturb(lag.text), lag.minutes) for lag in doc.lags),
                page_to_ack_minutes=jitter(doc.page_to_ack_minutes),
                page_to_mitigation_minutes=jitter(doc.page_to_mitigation_minutes),
                title=doc.title,
            )
        )
    return out


def measure_child(n: int) -> None:
    """Run in a fresh process: synthesise n documents, cluster them, print JSON figures."""
    docs, labels, services = load_corpus()
    synthetic = synthesise(docs, services, n)
    slugs = sorted(d.slug for d in synthetic)
    source_labels = {d.slug: labels.get(d.slug.rsplit("-", 1)[0], {}) for d in synthetic}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    report = cluster_corpus(synthetic)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "n": n,
                "seconds": elapsed,
                "peak_rss_mb": peak / 1024,
                "rss_before_mb": before / 1024,
                "patterns": [len(getattr(report, d).patterns) for d in DIMENSIONS],
                # Each synthetic document inherits its source document's labels.
                "ari": [
                    adjusted_rand_score(truth(source_labels, d, slugs), predicted(report, d, slugs))
                    for d in DIMENSIONS
                ],
            }
        )
    )


def measure_scale() -> None:
    print("\nscale (fresh subprocess each; cluster_corpus only; peak RSS of the whole process)")
    results = {}
    for n in SCALES:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        results[n] = figures
        print(
            f"  n={n:>6}: {figures['seconds']:6.2f} s, peak RSS {figures['peak_rss_mb']:6.0f} MB"
            f" (before clustering {figures['rss_before_mb']:.0f} MB),"
            f" patterns per dimension {figures['patterns']},"
            f" ARI vs source labels {[round(a, 3) for a in figures['ari']]}"
        )
    small, large = SCALES[0], SCALES[-1]
    ratio = results[large]["seconds"] / results[small]["seconds"]
    print(
        f"  growth: time x{ratio:.1f} for x{large // small} documents"
        f" (linear would be x{large // small})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-scale", action="store_true", help="skip the 1k/10k timing")
    parser.add_argument("--patterns", action="store_true", help="print the patterns found")
    args = parser.parse_args()
    if args.child:
        measure_child(args.child)
        return
    docs, labels, _ = load_corpus()
    quarters = Counter(d.quarter for d in docs)
    print(
        f"corpus: {len(docs)} postmortems, {len(labels)} labelled, quarters {dict(sorted(quarters.items()))}"
    )
    if labels:
        default = ClusteringConfig()
        all_report = cluster_corpus(docs, config=default)
        slugs = sorted(d.slug for d in docs)
        all_scores = {dim: score(all_report, labels, dim, slugs) for dim in DIMENSIONS}
        print_scores("default thresholds", evaluate(docs, labels, default), all_scores)
        ablation(docs, labels, default)
        tuned = tune(docs, labels, default)
        held = [d for d in docs if d.quarter in HELD_OUT_QUARTERS]
        print_scores(
            "held-out quarters " + "+".join(HELD_OUT_QUARTERS) + ": tuned thresholds",
            evaluate(held, labels, tuned),
        )
        print_scores(
            "held-out quarters " + "+".join(HELD_OUT_QUARTERS) + ": default thresholds",
            evaluate(held, labels, default),
        )
        if args.patterns:
            for dim in DIMENSIONS:
                print(f"\n{dim} over all documents (default thresholds)")
                for pattern in getattr(all_report, dim).patterns:
                    kinds = Counter(
                        labels.get(m, {}).get(DIMENSIONS[dim], "?") for m in pattern.members
                    )
                    print(f"  [{len(pattern.members)}] {pattern.label}  {dict(kinds)}")
                print(f"  one-offs: {len(getattr(all_report, dim).one_offs)}")
    else:
        print("labels.json not found: skipping quality figures")
    if not args.no_scale:
        measure_scale()


if __name__ == "__main__":
    main()
