"""The checker on phrases real teams wrote: macro-F1 per section, engine vs proselint, speed.

The phrases live outside the repository (``benchmarks/realdata/phrases.jsonl``, real text);
the labels committed here (``realdata_tools/labels/phrases_<part>.jsonl``) hold only the
phrase id, its document, section, the sha256 of its text and the tag a labeller gave it per
SPECIFICITY.md. A phrase whose text no longer hashes to the label's sha256 is not scored.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
PHRASES = HERE / "realdata" / "phrases.jsonl"
LABELS = HERE / "realdata_tools" / "labels"
# The corpus tools name the impact section after its heading; the checker calls it "impact".
SECTION_OF = {"user_impact": "impact"}
TAGS = ("concrete", "vague", "anti-pattern")


def absent_message() -> str | None:
    """Why there is no real-data figure, or None when phrases and labels are both there."""
    if not PHRASES.exists():
        return (
            "real data: benchmarks/realdata is absent (the real postmortem text is kept outside "
            "the repository), so no real-data figures; see benchmarks/realdata_tools/README.md "
            "to rebuild it."
        )
    return None


def load_labelled(part: str) -> tuple[list[dict], int]:
    """(labelled phrases of ``part`` with their text, count of labels whose text changed)."""
    labels_path = LABELS / f"phrases_{part}.jsonl"
    if not labels_path.exists():
        return [], 0
    labels = {}
    with labels_path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                labels[row["phrase_id"]] = row
    rows, stale = [], 0
    with PHRASES.open(encoding="utf-8") as handle:
        for line in handle:
            phrase = json.loads(line)
            if phrase.get("part") != part or phrase["phrase_id"] not in labels:
                continue
            label = labels[phrase["phrase_id"]]
            if label["label"] == "skip":  # the labeller judged it not a phrase of a section
                continue
            digest = hashlib.sha256(phrase["text"].encode("utf-8")).hexdigest()
            if label["sha256"] not in (digest, phrase.get("sha256")) or label["label"] not in TAGS:
                stale += 1
                continue
            rows.append(
                {
                    "section": SECTION_OF.get(phrase["section"], phrase["section"]),
                    "text": phrase["text"],
                    "tag": label["label"],
                    "doc_id": phrase["doc_id"],
                }
            )
    return rows, stale


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    scores = []
    for label in TAGS:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        if tp + fp + fn:
            scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores) if scores else 0.0


def per_tag_f1(gold: list[str], predicted: list[str]) -> dict[str, float]:
    out = {}
    for label in TAGS:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        out[label] = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return out


def score_table(
    title: str, rows: list[dict], predictors: dict[str, Callable[[str, str], str]]
) -> None:
    """Macro-F1 per section and overall for each predictor, with sizes and document counts."""
    predictions = {
        name: [f(r["section"], r["text"]) for r in rows] for name, f in predictors.items()
    }
    gold = [r["tag"] for r in rows]
    by_section: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        by_section[row["section"]].append(index)
    names = list(predictors)
    print(f"\n== {title} ==")
    print(f"{'section':<13}{'n':>6}{'docs':>6}" + "".join(f"{n:>16}" for n in names))
    for section in sorted(by_section, key=lambda s: -len(by_section[s])):
        idx = by_section[section]
        docs = len({rows[i]["doc_id"] for i in idx})
        cells = "".join(
            f"{macro_f1([gold[i] for i in idx], [predictions[n][i] for i in idx]):>16.3f}"
            for n in names
        )
        print(f"{section:<13}{len(idx):>6}{docs:>6}{cells}")
    docs = len({r["doc_id"] for r in rows})
    cells = "".join(f"{macro_f1(gold, predictions[n]):>16.3f}" for n in names)
    print(f"{'overall':<13}{len(rows):>6}{docs:>6}{cells}   (macro-F1 over the three tags)")
    for name in names:
        f1 = per_tag_f1(gold, predictions[name])
        print(f"  {name}: per-tag F1 " + ", ".join(f"{t} {v:.3f}" for t, v in f1.items()))
    print("  gold tags: " + ", ".join(f"{t} {gold.count(t)}" for t in TAGS))


def side_by_side_speed(
    rows: list[dict], predictors: dict[str, Callable[[str, str], str]], seconds: float = 1.0
) -> dict[str, float]:
    """CPU-time phrases/s of each predictor on the same phrases, rounds interleaved, best of 3:
    other processes on a shared machine slow both alike."""
    best = dict.fromkeys(predictors, 0.0)
    for _ in range(3):
        for name, predict in predictors.items():
            done, started = 0, time.process_time()
            while time.process_time() - started < seconds:
                for row in rows:
                    predict(row["section"], row["text"])
                done += len(rows)
            best[name] = max(best[name], done / (time.process_time() - started))
    return best


def report(
    engine: Callable[[str, str], str],
    proselint: Callable[[str, str], str],
    parts: tuple[str, ...] = ("dev", "test"),
    clear_caches: Callable[[], None] | None = None,
    unscanned: Callable[[str, str], str] | None = None,
) -> None:
    """Print the real-data figures: dev (tuned on) and test (held out), and the speed."""
    message = absent_message()
    if message:
        print(f"\n{message}")
        return
    predictors = {"hindsight": engine, "proselint": proselint}
    timed: list[dict] = []
    for part in parts:
        rows, stale = load_labelled(part)
        held = "HELD OUT, scored once" if part == "test" else "tuned on: not a held-out figure"
        if not rows:
            print(f"\nreal data, {part} part: no labels at {LABELS}/phrases_{part}.jsonl yet")
            continue
        if stale:
            print(
                f"\nreal data, {part} part: {stale} labels skipped (text changed since labelling)"
            )
        score_table(f"real postmortems, {part.upper()} part ({held})", rows, predictors)
        timed = rows
    if timed:
        if clear_caches:
            clear_caches()
        timed_predictors = dict(predictors)
        if unscanned is not None:
            timed_predictors["without scanner"] = unscanned
        speed = side_by_side_speed(timed, timed_predictors)
        ratio = speed["hindsight"] / speed["proselint"] if speed["proselint"] else float("inf")
        print(
            f"\nphrases/s on the same {len(timed)} real phrases, side by side (CPU time, best of 3):"
            f" hindsight {speed['hindsight']:,.0f}, proselint {speed['proselint']:,.0f},"
            f" ratio {ratio:.1f}x (target >= 50x)"
        )
        from postmortems.specificity import native

        print(f"  the engine's hot modules: {native.state()} (make native; HINDSIGHT_COMPILED)")
        if unscanned is not None:
            print(
                f"  the same engine without its Hyperscan item scanner: "
                f"{speed['without scanner']:,.0f} phrases/s"
                f" ({speed['without scanner'] / speed['proselint']:.1f}x proselint)"
            )
