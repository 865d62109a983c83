"""Write split.json ONCE: hold out whole organisations as the test part.

    python benchmarks/realdata_tools/make_split.py          # refuses if split.json exists

Organisations are shuffled with a fixed seed and taken in that order into the test part
while the test part stays at or under MAX_SHARE of the documents, until it reaches
MIN_SHARE. An organisation is never split, so no writing habit is seen on both sides.
Organisations holding more than MAX_ORG_SHARE of the corpus stay in development: the test
part is then made of many organisations rather than two or three large ones, so its
figure says how a method does on writers it has never seen, not on one big writer.
"""

from __future__ import annotations

import datetime
import json
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

SEED = 20261201
MIN_SHARE = 0.25
MAX_SHARE = 0.30
MAX_ORG_SHARE = 0.08


def choose_test_orgs(doc_counts: dict[str, int], seed: int = SEED) -> list[str]:
    total = sum(doc_counts.values())
    orgs = sorted(doc_counts)
    random.Random(seed).shuffle(orgs)
    test, taken = [], 0
    for org in orgs:
        if taken >= MIN_SHARE * total:
            break
        if doc_counts[org] > MAX_ORG_SHARE * total:
            continue
        if taken + doc_counts[org] <= MAX_SHARE * total:
            test.append(org)
            taken += doc_counts[org]
    return sorted(test)


def main() -> int:
    if corpus.SPLIT_PATH.exists():
        print(f"{corpus.SPLIT_PATH} already exists; the split is frozen and is not rewritten.")
        return 1
    counts = Counter(row["org"] for row in corpus.load_manifest())
    test_orgs = choose_test_orgs(dict(counts))
    dev_orgs = sorted(set(counts) - set(test_orgs))
    test_docs = sum(counts[o] for o in test_orgs)
    split = {
        "rule": "by organisation; orgs not listed in test_orgs (also ones added later) are dev",
        "seed": SEED,
        "min_share": MIN_SHARE,
        "max_share": MAX_SHARE,
        "max_org_share_for_test": MAX_ORG_SHARE,
        "frozen_on": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "documents_at_freeze": sum(counts.values()),
        "test_documents_at_freeze": test_docs,
        "test_orgs": test_orgs,
        "dev_orgs": dev_orgs,
        "test_doc_ids": sorted(
            row["doc_id"] for row in corpus.load_manifest() if row["org"] in test_orgs
        ),
    }
    corpus.SPLIT_PATH.write_text(json.dumps(split, indent=2) + "\n", encoding="utf-8")
    print(
        f"test: {test_docs} of {sum(counts.values())} documents, "
        f"{len(test_orgs)} of {len(counts)} organisations: {', '.join(test_orgs)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
