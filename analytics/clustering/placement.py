"""Taxonomy placement: each postmortem into a class of the team's taxonomy, or a new pattern.

Per dimension:

1. Every sentence the postmortem gives that dimension (``sentences.py``) and every exemplar of
   every class (its definition, its seed examples, reviewers' confirmed examples) becomes a
   vector: tf-idf of stemmed words and bigrams stacked with character 3-5-grams, L2-normalised.
   Characters carry morphology across paraphrases ("expired"/"expiry", "OOMKilled"/"OOM").
2. A sentence's score for a class is its best cosine similarity with the class's exemplars,
   times the sentence's weight (Why above What broke); a postmortem's score is its best
   sentence's, and that sentence is the evidence.
3. The best class at or above the dimension's confidence floor places the postmortem; below
   it the postmortem is a candidate. Candidates are grouped by average linkage over their
   sentences' mean vectors; groups of two or more become new patterns named by the words
   their members share.
4. Confirmed tags (``corrections.py``) then move postmortems where reviewers put them.

The representation was chosen by measurement on labelled real postmortems
(``benchmarks/bench_real_patterns.py``). Deterministic: documents are sorted by slug, every
tie breaks by position, no estimator is random.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from .corrections import ConfirmedTag, apply_corrections
from .distinct import distinct_texts, tfidf_of_distinct
from .features import _CharGrams, word_features
from .grouping import group_rows
from .lexicon import load_lexicon
from .model import ClusteringConfig, DimensionReport, Pattern, PostmortemText
from .sentences import Sentence, dimension_minutes, dimension_sentences
from .taxonomy import Taxonomy
from .words import stem, tokens

Progress = Callable[[str, float], None]
# The concept lexicon's dimension read for each report dimension.
LEXICON_DIMENSIONS = {
    "root_causes": "root_cause",
    "detection_gaps": "detection",
    "response_lags": "response",
}


@dataclass(frozen=True)
class _Exemplar:
    key: str
    text: str


class SentenceVectors:
    """Fit once on a dimension's sentences and exemplars; rows have unit length (or are 0).

    Each distinct text is vectorised once (``distinct.py``): ``distinct`` holds their rows and
    ``index[i]`` the row of text i, so ``rows(positions)`` equals the rows a fit over every
    text would give, at the memory of the distinct ones.
    """

    def __init__(
        self,
        texts: Sequence[str],
        *,
        word_weight: float,
        char_weight: float,
        concept_weight: float = 0.0,
        lexicon_dimension: str | None = None,
        embedding_weight: float = 0.0,
        encoder=None,
    ):
        lexicon = load_lexicon()
        stopwords = lexicon.stopwords
        unique, self.index, occurrences = distinct_texts(texts)
        raw = [tokens(t) for t in unique]
        stems = [[stem(t) for t in r] for r in raw]
        blocks = []
        if concept_weight > 0:
            concepts = tfidf_of_distinct(
                [
                    [c for c, _, _ in lexicon.find_in_tokens(r, s, lexicon_dimension)]
                    for r, s in zip(raw, stems, strict=True)
                ],
                occurrences,
            )
            blocks.append(concept_weight * normalize(concepts))
        if word_weight > 0:
            words = tfidf_of_distinct(
                [word_features(r, s, stopwords) for r, s in zip(raw, stems, strict=True)],
                occurrences,
            )
            blocks.append(word_weight * normalize(words))
        if char_weight > 0:
            grams = _CharGrams()
            chars = tfidf_of_distinct(
                [grams([t for t in r if t not in stopwords]) for r in raw], occurrences
            )
            blocks.append(char_weight * normalize(chars))
        if embedding_weight > 0 and encoder is not None:
            dense = encoder.encode(unique)
            # Averaged token vectors share a large common direction; without removing it every
            # pair of sentences looks alike and no confidence floor separates anything. The
            # mean is over every text, repeats included, as it was before deduplication.
            common = dense[self.index].mean(axis=0, keepdims=True)
            dense = normalize(dense - common)
            blocks.append(sp.csr_matrix(embedding_weight * dense))
        self.distinct = normalize(sp.hstack(blocks, format="csr", dtype=np.float32))
        self.raw = [raw[i] for i in self.index]

    def rows(self, positions) -> sp.csr_matrix:
        """The vectors of the texts at ``positions`` (indices into the texts given)."""
        return self.distinct[self.index[positions]]

    @property
    def matrix(self) -> sp.csr_matrix:
        """One row per text given (repeats materialised: prefer ``rows`` and ``distinct``)."""
        return self.rows(np.arange(len(self.index)))


def sentence_encoder(name: str):
    """The sentence model named in the settings: "" (none), "minilm-static" (the shipped
    table distilled from all-MiniLM-L6-v2), or a path to another table of the same format."""
    if not name:
        return None
    from .static_embedding import DEFAULT_TABLE, load_static_embedding

    return load_static_embedding(str(DEFAULT_TABLE) if name == "minilm-static" else name)


def exemplars(
    taxonomy: Taxonomy,
    dimension: str,
    examples: Sequence[ConfirmedTag],
    limit: int,
) -> tuple[list[_Exemplar], dict[str, str]]:
    """The dimension's exemplars and the display name of each class key.

    Confirmed examples (newest last in ``examples``) join their class; a reviewer-made key not
    in the taxonomy becomes a class of its own, so later postmortems can be placed in it.
    """
    out, names = [], {}
    for item in taxonomy.of(dimension):
        names[item.key] = item.name
        out.append(_Exemplar(item.key, item.definition))
        out.extend(_Exemplar(item.key, e) for e in item.examples)
    per_key: dict[str, list[str]] = defaultdict(list)
    for tag in reversed(examples):
        if tag.dimension != dimension or tag.not_pattern or not tag.key or not tag.sentence:
            continue
        if len(per_key[tag.key]) < limit and tag.sentence not in per_key[tag.key]:
            per_key[tag.key].append(tag.sentence)
        if tag.name:
            names.setdefault(tag.key, tag.name)
    for key in sorted(per_key):
        names.setdefault(key, key)
        out.extend(_Exemplar(key, s) for s in sorted(per_key[key]))
    return out, names


def place_dimension(
    docs: Sequence[PostmortemText],
    dimension: str,
    taxonomy: Taxonomy,
    config: ClusteringConfig,
    *,
    examples: Sequence[ConfirmedTag] = (),
    progress: Progress | None = None,
) -> DimensionReport:
    """Place the documents (sorted by slug) of one dimension; see the module docstring."""
    report = progress or (lambda stage, fraction: None)
    per_doc = [dimension_sentences(d, dimension) for d in docs]
    present = [i for i, s in enumerate(per_doc) if s]
    if not present:
        return DimensionReport()
    items, names = exemplars(taxonomy, dimension, examples, config.max_confirmed_examples)
    sentences: list[Sentence] = [s for i in present for s in per_doc[i]]
    owner = np.repeat(np.arange(len(present)), [len(per_doc[i]) for i in present])
    report("vectorising", 0.1)
    vectors = SentenceVectors(
        [s.text for s in sentences] + [e.text for e in items],
        word_weight=config.sentence_word_weight,
        char_weight=config.sentence_char_weight,
        concept_weight=config.sentence_concept_weight,
        lexicon_dimension=LEXICON_DIMENSIONS[dimension],
        embedding_weight=config.sentence_embedding_weight,
        encoder=sentence_encoder(config.sentence_model),
    )
    weights = np.array([s.weight for s in sentences], dtype=np.float32)
    report("placing", 0.3)
    keys = list(dict.fromkeys(e.key for e in items))
    best_doc, best_sentence = _scores(vectors, items, keys, weights, owner)
    floor = config.confidence_for(dimension)
    placed: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    candidates = []
    for local, _ in enumerate(present):
        column = int(np.argmax(best_doc[local]))
        score = float(best_doc[local, column])
        if score >= floor:
            placed[keys[column]].append((local, int(best_sentence[local, column]), score))
        else:
            candidates.append(local)
    slugs = [docs[i].slug for i in present]
    minutes = [dimension_minutes(docs[i], dimension) for i in present]
    patterns, one_offs = [], []
    for key, rows in placed.items():
        if len(rows) < config.min_pattern_size:
            one_offs.extend(slugs[r] for r, _, _ in rows)
            continue
        patterns.append(
            _pattern(key, names[key], rows, slugs, sentences, minutes, vectors.raw, config)
        )
    report("grouping candidates", 0.6)
    new, lonely = _group_candidates(
        candidates, owner, vectors, sentences, slugs, minutes, vectors.raw, config
    )
    patterns.extend(new)
    one_offs.extend(lonely)
    patterns.sort(key=lambda p: (-len(p.members), p.label, p.members))
    return DimensionReport(patterns=tuple(patterns), one_offs=tuple(sorted(one_offs)))


# Sentences scored at a time: bounds the dense (sentences x exemplars) block, not the result.
SCORE_CHUNK = 20_000


def _scores(vectors, items, keys, weights, owner):
    """(docs x classes) best weighted similarity, and the sentence index that reached it.

    Sentences are the first ``len(owner)`` texts of ``vectors``, exemplars the rest. Worked in
    chunks of whole documents so memory stays flat however large the quarter; every step is
    per sentence or per document, so chunking does not change a figure."""
    n_sentences = len(owner)
    exemplar_rows = vectors.rows(np.arange(n_sentences, n_sentences + len(items))).T.tocsr()
    column_of = {k: i for i, k in enumerate(keys)}
    by_key: dict[int, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_key[column_of[item.key]].append(index)
    n_docs = int(owner.max()) + 1
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    assert len(starts) == n_docs
    bounds = np.r_[starts, n_sentences]
    best = np.zeros((n_docs, len(keys)), dtype=np.float32)
    best_sentence = np.zeros((n_docs, len(keys)), dtype=np.int64)
    first = 0
    while first < n_docs:
        # Whole documents, at least one, up to about SCORE_CHUNK sentences.
        last = max(
            first + 1, int(np.searchsorted(bounds, bounds[first] + SCORE_CHUNK, "right")) - 1
        )
        last = min(last, n_docs)
        lo, hi = int(bounds[first]), int(bounds[last])
        similarity = (vectors.rows(np.arange(lo, hi)) @ exemplar_rows).toarray()
        per_class = np.zeros((hi - lo, len(keys)), dtype=np.float32)
        for column, indices in by_key.items():
            per_class[:, column] = similarity[:, indices].max(axis=1)
        per_class *= weights[lo:hi, None]
        local_starts = starts[first:last] - lo
        chunk_best = np.maximum.reduceat(per_class, local_starts, axis=0)
        # The first sentence of each document reaching its best score (earlier ones win ties).
        hit = per_class >= chunk_best[owner[lo:hi] - first] - 1e-9
        position = np.where(hit, np.arange(lo, hi)[:, None], n_sentences)
        best[first:last] = chunk_best
        best_sentence[first:last] = np.minimum.reduceat(position, local_starts, axis=0)
        first = last
    return best, best_sentence


def _pattern(key, name, rows, slugs, sentences, minutes, raw, config) -> Pattern:
    members = [r for r, _, _ in rows]
    named = [minutes[r] for r in members if minutes[r] is not None]
    return Pattern(
        label=name,
        terms=_shared_terms([raw[s] for _, s, _ in rows], config.label_terms),
        members=tuple(sorted(slugs[r] for r in members)),
        evidence=dict(sorted((slugs[r], sentences[s].text) for r, s, _ in rows)),
        concepts=(key,),
        median_minutes=float(np.median(named)) if named else None,
        key=key,
        confidence=dict(sorted((slugs[r], round(score, 3)) for r, _, score in rows)),
        anchors=dict(sorted((slugs[r], sentences[s].anchor) for r, s, _ in rows)),
    )


def _group_candidates(candidates, owner, vectors, sentences, slugs, minutes, raw, config):
    if not candidates:
        return [], []
    if len(candidates) == 1:
        return [], [slugs[candidates[0]]]
    # Each document's sentences are one run of ``owner``: its bounds, without a scan per member.
    bounds = np.r_[np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]), len(owner)]
    wanted = np.isin(owner, candidates)
    rows = np.flatnonzero(wanted)
    local = {c: i for i, c in enumerate(candidates)}
    membership = sp.csr_matrix(
        (
            np.ones(len(rows), dtype=np.float32),
            ([local[o] for o in owner[rows]], np.arange(len(rows))),
        ),
        shape=(len(candidates), len(rows)),
    )
    doc_vectors = normalize(membership @ vectors.rows(rows))
    groups = group_rows(
        sp.csr_matrix(doc_vectors),
        config.candidate_threshold,
        exact_limit=config.exact_limit,
        docs_per_cell=config.docs_per_micro_cluster,
        max_cells=config.max_micro_clusters,
        svd_components=config.svd_components,
        seed=config.seed,
    )
    patterns, lonely = [], []
    order = np.argsort(groups, kind="stable")
    group_bounds = np.searchsorted(groups[order], np.arange(int(groups.max()) + 2))
    for group in range(int(groups.max()) + 1):
        in_group = order[group_bounds[group] : group_bounds[group + 1]]
        members = [candidates[i] for i in in_group]
        if len(members) < config.min_pattern_size:
            lonely.extend(slugs[m] for m in members)
            continue
        centre = np.asarray(doc_vectors[in_group].mean(axis=0)).ravel()
        chosen = []
        for m in members:
            own = np.arange(bounds[m], bounds[m + 1])
            sims = vectors.rows(own) @ centre
            chosen.append((m, int(own[int(np.argmax(sims))]), float(sims.max())))
        terms = _shared_terms([raw[s] for _, s, _ in chosen], config.label_terms)
        name = ("New pattern: " + ", ".join(terms[:3])) if terms else "New pattern"
        pattern = _pattern(
            "new-" + "-".join(t.replace(" ", "-") for t in terms[:3]) or "new",
            name,
            chosen,
            slugs,
            sentences,
            minutes,
            raw,
            config,
        )
        patterns.append(pattern)
    return patterns, lonely


def _shared_terms(token_lists: Sequence[list[str]], count: int) -> tuple[str, ...]:
    """Content words most members' evidence shares, as written (most shared first)."""
    stopwords = load_lexicon().stopwords
    seen: Counter[str] = Counter()
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    for words in token_lists:
        kept = {stem(w) for w in words if w not in stopwords and not w.isdigit() and len(w) > 2}
        seen.update(kept)
        for w in words:
            surface[stem(w)][w] += 1
    need = max(2, (len(token_lists) + 1) // 2)
    shared = sorted((s for s, c in seen.items() if c >= need), key=lambda s: (-seen[s], s))
    return tuple(min(surface[s].items(), key=lambda kv: (-kv[1], kv[0]))[0] for s in shared[:count])


def place_corpus_dimensions(
    docs: Sequence[PostmortemText],
    taxonomy: Taxonomy,
    config: ClusteringConfig,
    *,
    confirmed: Sequence[ConfirmedTag] = (),
    examples: Sequence[ConfirmedTag] = (),
    progress: Progress | None = None,
) -> dict[str, DimensionReport]:
    """All three dimensions of sorted documents, before corrections are applied."""
    out = {}
    for index, dimension in enumerate(("root_causes", "detection_gaps", "response_lags")):

        def sub(stage: str, fraction: float, index: int = index, dimension: str = dimension):
            if progress:
                progress(f"{dimension.replace('_', ' ')}: {stage}", (index + fraction) / 3)

        out[dimension] = place_dimension(
            docs, dimension, taxonomy, config, examples=[*examples, *confirmed], progress=sub
        )
    return out


__all__ = ["ConfirmedTag", "apply_corrections", "place_corpus_dimensions", "place_dimension"]
