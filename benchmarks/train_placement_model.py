"""Train the placement model shipped as analytics/clustering/data/placement_model.npz.

    .venv/bin/python benchmarks/train_placement_model.py [--out PATH]

Training texts, per dimension: each labelled real postmortem of the DEVELOPMENT part (never
the test part), read as production reads it (realdata_tools/as_postmortem.py) and cut into the
sentences placement reads for that dimension (clustering/sentences.py), with its class label
from realdata_tools/labels/classes_dev.jsonl; plus every definition and seed example of the
taxonomy (data/taxonomy.toml). Features are hashed, and a feature counts only when two
organisations (the taxonomy counting as one) use it, so the file holds numbers, never text,
and no single organisation's phrasing decides a class. bench_real_patterns.py --cv measures
the same training leave-one-organisation-out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from analytics.clustering.classifier import (  # noqa: E402
    BACKGROUND,
    DEFAULT_MODEL,
    PlacementModel,
    Sample,
    save_model,
    taxonomy_samples,
    train_dimension,
)
from analytics.clustering.sentences import dimension_sentences  # noqa: E402
from analytics.clustering.taxonomy import load_taxonomy  # noqa: E402

FIELDS = {
    "root_causes": "root_cause",
    "detection_gaps": "detection_gap",
    "response_lags": "response_lag",
}


def document_samples(docs, labels, orgs, dimension: str, taxonomy) -> list[Sample]:
    """One training text per labelled document that has text in this dimension."""
    known = {item.key for item in taxonomy.of(dimension)}
    out = []
    for doc in docs:
        text = " ".join(s.text for s in dimension_sentences(doc, dimension))
        if not text:
            continue
        label = labels[doc.slug].get(FIELDS[dimension], BACKGROUND[dimension])
        out.append(Sample(text, label if label in known else BACKGROUND[dimension], orgs[doc.slug]))
    return out


def train(docs, labels, orgs, *, taxonomy=None, min_groups: int = 2, regularisation: float = 50.0):
    """The placement model of these labelled documents plus the taxonomy's own texts."""
    taxonomy = taxonomy or load_taxonomy()
    return PlacementModel(
        {
            dimension: train_dimension(
                document_samples(docs, labels, orgs, dimension, taxonomy)
                + taxonomy_samples(taxonomy, dimension),
                min_groups=min_groups,
                regularisation=regularisation,
            )
            for dimension in FIELDS
        }
    )


def main() -> int:
    from bench_real_patterns import load

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_MODEL))
    args = parser.parse_args()
    docs, labels, orgs = load("dev")
    if docs is None:
        print("real corpus or dev labels not available: nothing to train on")
        return 1
    model = train(docs, labels, orgs)
    save_model(model, args.out)
    size = Path(args.out).stat().st_size
    print(f"trained on {len(docs)} dev postmortems + the taxonomy: {args.out} ({size:,} bytes)")
    for dimension, part in model.dimensions.items():
        print(f"  {dimension}: {len(part.classes)} classes, {part.coef.nnz:,} weights")
    return 0


if __name__ == "__main__":
    sys.exit(main())
