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

from .classifier import BACKGROUND, hashed_counts, placement_model
from .classifier import word_features as model_features
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
    # A reviewer's confirmed example (nearest one wins when close) rather than a seed.
    confirmed: bool = False


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
        out.extend(_Exemplar(key, s, confirmed=True) for s in sorted(per_key[key]))
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
    model = placement_model(config.placement_model)
    n_sentences = len(sentences)
    scores = _Scores.of(
        vectors.rows(np.arange(n_sentences)),
        vectors.rows(np.arange(n_sentences, n_sentences + len(items))),
        items,
        keys,
        weights,
        owner,
        model=model.of(dimension) if model else None,
        raw=vectors.raw[: len(sentences)],
        model_weight=config.model_weight,
        confirmed_weight=config.confirmed_weight,
    )
    floor = config.confidence_for(dimension)
    placed: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    candidates = []
    for local, _ in enumerate(present):
        column = int(np.argmax(scores.doc[local]))
        score = float(scores.doc[local, column])
        if score >= floor:
            placed[keys[column]].append((local, scores.evidence(local, column), score))
        elif not scores.background_wins(local, config.background_margin):
            candidates.append(local)
    slugs = [docs[i].slug for i in present]
    minutes = [dimension_minutes(docs[i], dimension) for i in present]
    patterns = []
    # Text the model reads as no cause/gap/lag of any kind is a one-off, not a candidate.
    placed_rows = {r for rows in placed.values() for r, _, _ in rows}
    waiting = set(candidates)
    one_offs = [slugs[r] for r in range(len(present)) if r not in waiting | placed_rows]
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


@dataclass
class _Scores:
    """Per document and class: the combined confidence, and how to find its evidence.

    ``doc`` = model_weight * the trained model's probability of the class for the whole
    dimension text + (1 - model_weight) * the best sentence's similarity to the class's seed
    exemplars, or, when a reviewer's confirmed example is closer, that similarity (times
    ``confirmed_weight``): the nearest confirmed example wins. Without a model (or for a class
    the model does not know) only the similarities count.
    """

    doc: np.ndarray  # (docs, classes)
    sentence: np.ndarray  # (sentences, classes) each sentence's own score, to pick evidence
    confirmed_doc: np.ndarray
    confirmed_sentence: np.ndarray
    starts: np.ndarray
    background: np.ndarray | None  # (docs,) the model's background probability

    @classmethod
    def of(
        cls, sentence_rows, exemplar_rows, items, keys, weights, owner, *, model, raw,
        model_weight, confirmed_weight,
    ):  # fmt: skip
        column_of = {k: i for i, k in enumerate(keys)}
        n_sentences = sentence_rows.shape[0]
        seed = np.zeros((n_sentences, len(keys)), dtype=np.float32)
        confirmed = np.zeros_like(seed)
        groups = []
        for target, flag in ((seed, False), (confirmed, True)):
            by_key: dict[int, list[int]] = defaultdict(list)
            for index, item in enumerate(items):
                if item.confirmed == flag:
                    by_key[column_of[item.key]].append(index)
            groups.append((target, by_key))
        exemplars_t = exemplar_rows.T.tocsc()
        # Row by row work, so chunks of sentences bound the dense block without changing a figure.
        for lo in range(0, n_sentences, SCORE_CHUNK):
            hi = min(lo + SCORE_CHUNK, n_sentences)
            similarity = (sentence_rows[lo:hi] @ exemplars_t).toarray()
            for target, by_key in groups:
                for column, indices in by_key.items():
                    target[lo:hi, column] = similarity[:, indices].max(axis=1)
        seed *= weights[:, None]
        confirmed *= confirmed_weight * weights[:, None]
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        background = None
        if model is None:
            doc = np.maximum.reduceat(seed, starts, axis=0)
            sentence = seed
        else:
            counts = hashed_counts(model_features(r) for r in raw)
            membership = sp.csr_matrix(
                (np.ones(len(owner), dtype=np.float32), (owner, np.arange(len(owner)))),
                shape=(len(starts), len(owner)),
            )
            known = [k for k in keys if k in model.classes]
            model_columns = [model.classes.index(k) for k in known]
            key_columns = [column_of[k] for k in known]
            doc_p = model.probabilities(membership @ counts)
            sentence_p = model.probabilities(counts)
            doc_model = np.zeros((len(starts), len(keys)), dtype=np.float32)
            sentence_model = np.zeros_like(seed)
            doc_model[:, key_columns] = doc_p[:, model_columns]
            sentence_model[:, key_columns] = sentence_p[:, model_columns]
            seed_weight = 1.0 - model_weight
            doc = model_weight * doc_model + seed_weight * np.maximum.reduceat(seed, starts, axis=0)
            sentence = model_weight * sentence_model + seed_weight * seed
            name = next((c for c in BACKGROUND.values() if c in model.classes), "")
            if name:
                best_known = doc_p[:, model_columns].max(axis=1) if model_columns else 0.0
                background = doc_p[:, model.classes.index(name)] - best_known
        confirmed_doc = np.maximum.reduceat(confirmed, starts, axis=0)
        return cls(
            doc=np.maximum(doc, confirmed_doc),
            sentence=sentence,
            confirmed_doc=confirmed_doc,
            confirmed_sentence=confirmed,
            starts=starts,
            background=background,
        )

    def evidence(self, local: int, column: int) -> int:
        """The sentence that placed document ``local`` in class ``column`` (first on ties)."""
        start = self.starts[local]
        end = self.starts[local + 1] if local + 1 < len(self.starts) else len(self.sentence)
        by_confirmed = self.confirmed_doc[local, column] >= self.doc[local, column] - 1e-9
        own = (self.confirmed_sentence if by_confirmed else self.sentence)[start:end, column]
        return int(start + np.argmax(own))

    def background_wins(self, local: int, margin: float) -> bool:
        return self.background is not None and float(self.background[local]) > margin


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
