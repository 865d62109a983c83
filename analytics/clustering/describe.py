"""Groups -> readable patterns: label, distinctive terms, concepts and evidence excerpts."""

from __future__ import annotations

import statistics
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence

import numpy as np

from .features import Features
from .lexicon import Lexicon
from .model import Pattern
from .words import sentences, stem, tokens

# A concept names a pattern when at least this share of its members mention it.
CONCEPT_SHARE = 0.5


def describe_group(
    rows: np.ndarray,
    *,
    slugs: Sequence[str],
    texts: Sequence[str],
    raw_tokens: Sequence[list[str]],
    hits: Sequence[list[tuple[str, int, int]]],
    minutes: Sequence[float | None],
    features: Features,
    corpus_word_mean: np.ndarray,
    lexicon: Lexicon,
    label_terms: int,
    evidence_chars: int,
) -> Pattern:
    """Build the Pattern of one group of rows (indices into the dimension's documents)."""
    concepts = _dominant_concepts(rows, features, lexicon)
    shares = _shares(rows, features, concepts)
    terms = _distinctive_terms(rows, raw_tokens, features, corpus_word_mean, label_terms)
    label = _label(concepts, shares, terms, lexicon)
    concept_words = {stem(w) for key in concepts[:2] for w in tokens(lexicon.label(key))}
    evidence = {
        slugs[r]: _excerpt(texts[r], hits[r], concepts, terms, evidence_chars) for r in rows
    }
    named = [m for m in (minutes[r] for r in rows) if m is not None]
    return Pattern(
        label=label,
        terms=tuple(t for t in terms if stem(t) not in concept_words)[:label_terms] or terms,
        members=tuple(sorted(slugs[r] for r in rows)),
        evidence=dict(sorted(evidence.items())),
        concepts=concepts,
        median_minutes=float(statistics.median(named)) if named else None,
    )


def _dominant_concepts(rows: np.ndarray, features: Features, lexicon: Lexicon) -> tuple[str, ...]:
    """Concepts at least half the members mention: most widely shared first; on a tie a
    concept before its family (it says more), then by weight, then by key."""
    if not features.concept_keys:
        return ()
    present = (features.concepts[rows] > 0).sum(axis=0).A1
    weight = features.concepts[rows].sum(axis=0).A1
    keys = features.concept_keys
    order = sorted(
        (i for i in range(len(keys)) if present[i] >= CONCEPT_SHARE * len(rows)),
        key=lambda i: (-present[i], lexicon.is_family(keys[i]), -weight[i], keys[i]),
    )
    return tuple(keys[i] for i in order)


def _distinctive_terms(
    rows: np.ndarray,
    raw_tokens: Sequence[list[str]],
    features: Features,
    corpus_word_mean: np.ndarray,
    count: int,
) -> tuple[str, ...]:
    """Words most over-represented in the group, written as its members write them."""
    group = features.words[rows]
    mean = np.asarray(group.mean(axis=0)).ravel()
    # Words at least two members use: one member's pet phrase is not the pattern's.
    shared = np.asarray((group > 0).sum(axis=0)).ravel() >= min(2, len(rows))
    score = np.where(shared, mean - corpus_word_mean, -np.inf)
    order = np.lexsort((features.word_names, -score))
    surface = _surface_forms(rows, raw_tokens)
    chosen: list[str] = []
    covered: set[str] = set()
    for i in order:
        if not np.isfinite(score[i]) or score[i] <= 0 or len(chosen) >= count:
            break
        name = str(features.word_names[i])
        parts = name.split()
        if all(p in covered for p in parts):
            continue
        chosen.append(" ".join(surface.get(p, p) for p in parts))
        covered.update(parts)
    return tuple(chosen)


def _surface_forms(rows: np.ndarray, raw_tokens: Sequence[list[str]]) -> dict[str, str]:
    """Map each stem to the spelling the group's members use most (ties: alphabetical)."""
    seen: dict[str, Counter[str]] = {}
    for r in rows:
        for token in raw_tokens[r]:
            seen.setdefault(stem(token), Counter())[token] += 1
    return {s: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for s, c in seen.items()}


def _shares(rows: np.ndarray, features: Features, concepts: tuple[str, ...]) -> list[float]:
    column = {k: i for i, k in enumerate(features.concept_keys)}
    block = features.concepts[rows]
    return [float((block[:, column[k]] > 0).sum()) / len(rows) for k in concepts]


def _label(
    concepts: tuple[str, ...], shares: list[float], terms: tuple[str, ...], lexicon: Lexicon
) -> str:
    """ "<concept> — <terms>" when a concept dominates, else the distinctive terms.

    A second concept joins the head only when three quarters of the members share it and it
    is neither the first one's family nor in the same family.
    """
    if not concepts:
        return ", ".join(terms[:3]) or "unlabelled"
    head_keys = [concepts[0]]
    first_family = lexicon.family_of(concepts[0]) or concepts[0]
    for key, share in zip(concepts[1:], shares[1:], strict=True):
        family = lexicon.family_of(key) or key
        if share >= 0.75 and key != first_family and family != first_family:
            head_keys.append(key)
            break
    head = " / ".join(lexicon.label(k) for k in head_keys)
    head_words = {stem(w) for w in tokens(head)}
    extra = [t for t in terms if not {stem(w) for w in tokens(t)} <= head_words][:3]
    return f"{head} — {', '.join(extra)}" if extra else head


def _excerpt(
    text: str,
    hits: list[tuple[str, int, int]],
    concepts: tuple[str, ...],
    terms: tuple[str, ...],
    limit: int,
) -> str:
    """The member's sentence that best shows why it belongs, cut to ``limit`` characters.

    ``hits`` are the lexicon hits of the whole text (token positions); sentence splits fall on
    whitespace, so the sentences' token streams line up with the text's.
    """
    term_stems = {stem(w) for t in terms for w in tokens(t)}
    wanted = set(concepts)
    parts = sentences(text)
    starts, sentence_tokens, offset = [], [], 0
    for sentence in parts:
        words = tokens(sentence)
        starts.append(offset)
        sentence_tokens.append(words)
        offset += len(words)
    scores = [0.0] * len(parts)
    for concept, first, _ in hits:
        if concept in wanted:
            scores[bisect_right(starts, first) - 1] += 2.0
    best, best_score = "", -1.0
    for position, sentence in enumerate(parts):
        score = scores[position] + len(term_stems & {stem(w) for w in sentence_tokens[position]})
        score -= 0.01 * position  # prefer the earlier sentence on a tie
        if score > best_score:
            best, best_score = sentence, score
    return shorten(best or text, limit)


def shorten(text: str, limit: int) -> str:
    """Collapse whitespace and cut at a word boundary, marking the cut with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
