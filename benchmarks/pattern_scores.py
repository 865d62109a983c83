"""Scores of a review against labels: pattern recall and ARI per dimension.

Pattern recall (the issue's definition): the share of true classes with at least 3 members
that some pattern captures with purity >= 0.6 and coverage >= 0.5. ARI counts postmortems in
no pattern as one-offs (singletons), and labels "other"/"one-off" as singletons too.
"""

from __future__ import annotations

from collections import Counter

from sklearn.metrics import adjusted_rand_score

SINGLETON_LABELS = {"", "other", "one-off", "none", None}
MIN_CLASS = 3
MIN_PURITY = 0.6
MIN_COVERAGE = 0.5


def assignments(report, dimension: str) -> dict[str, str]:
    out = {}
    for index, pattern in enumerate(getattr(report, dimension).patterns):
        for member in pattern.members:
            out[member] = pattern.key or f"pattern-{index}"
    return out


def score_dimension(report, dimension: str, truth: dict[str, str]) -> dict:
    """``truth`` maps every scored slug to its class (or a singleton label)."""
    slugs = sorted(truth)
    assigned = assignments(report, dimension)
    pred = [assigned.get(s, f"single-{s}") for s in slugs]
    true = [f"single-{s}" if truth[s] in SINGLETON_LABELS else truth[s] for s in slugs]
    classes = Counter(t for t in true if not t.startswith("single-"))
    big = [c for c, n in classes.items() if n >= MIN_CLASS]
    members: dict[str, list[str]] = {}
    for slug, p in zip(slugs, pred, strict=True):
        if not p.startswith("single-"):
            members.setdefault(p, []).append(slug)
    captured = []
    for cls in big:
        for group in members.values():
            inside = sum(1 for s in group if truth[s] == cls)
            if inside / len(group) >= MIN_PURITY and inside / classes[cls] >= MIN_COVERAGE:
                captured.append(cls)
                break
    return {
        "recall": len(captured) / len(big) if big else float("nan"),
        "captured": len(captured),
        "classes": len(big),
        "ari": adjusted_rand_score(true, pred) if slugs else float("nan"),
        "n": len(slugs),
    }
