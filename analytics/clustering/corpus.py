"""The entry point: a quarter's postmortems -> a CorpusReport of patterns in three dimensions."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from .corrections import ConfirmedTag, apply_corrections
from .describe import describe_group
from .features import build_features
from .grouping import group_rows
from .lexicon import Lexicon, load_lexicon
from .model import (
    ClusteringConfig,
    CorpusReport,
    DimensionReport,
    Pattern,
    PostmortemText,
    ResponseLagFigures,
)
from .placement import place_corpus_dimensions
from .taxonomy import load_taxonomy
from .words import stem, tokens

Progress = Callable[[str, float], None]

# Which lexicon dimension explains each report dimension.
LEXICON_DIMENSION = {
    "root_causes": "root_cause",
    "detection_gaps": "detection",
    "response_lags": "response",
}
STAGE_NAMES = {
    "root_causes": "root causes",
    "detection_gaps": "detection gaps",
    "response_lags": "response lags",
}


def cluster_corpus(
    docs: Sequence[PostmortemText],
    *,
    progress: Progress | None = None,
    config: ClusteringConfig | None = None,
    confirmed: Sequence[ConfirmedTag] = (),
    examples: Sequence[ConfirmedTag] = (),
) -> CorpusReport:
    """Find repeated root causes, detection gaps and response lags in postmortems.

    ``config.method`` picks taxonomy placement (``placement.py``, the default) or the concept
    lexicon clustering below. ``confirmed`` are reviewers' tags on these postmortems (they win
    and teach placement); ``examples`` are confirmed tags from elsewhere in the history, used
    only as examples. The result depends only on the set of documents (they are sorted by slug
    first), not on their order. ``progress`` receives (stage name, overall fraction 0..1).
    """
    config = config or ClusteringConfig()
    lexicon = load_lexicon(*config.extra_lexicons)
    ordered = sorted(docs, key=lambda d: d.slug)
    slugs = [d.slug for d in ordered]
    if len(set(slugs)) != len(slugs):
        duplicated = sorted(s for s, c in Counter(slugs).items() if c > 1)
        raise ValueError(f"duplicate postmortem slugs: {', '.join(duplicated[:5])}")

    def report_progress(stage: str, fraction: float) -> None:
        if progress:
            progress(stage, min(1.0, max(0.0, fraction)))

    dimensions = {}
    if config.method == "taxonomy":
        taxonomy = load_taxonomy(
            *config.taxonomy_files, extra_classes=[dict(c) for c in config.taxonomy_classes]
        )
        dimensions = place_corpus_dimensions(
            ordered,
            taxonomy,
            config,
            confirmed=confirmed,
            examples=examples,
            progress=report_progress,
        )
    elif config.method != "lexicon":
        raise ValueError(f"unknown clustering method {config.method!r}: taxonomy or lexicon")
    for index, dimension in enumerate(LEXICON_DIMENSION):
        if dimension in dimensions:
            continue
        texts, minutes = dimension_texts(ordered, dimension, lexicon)
        leads = [len(tokens(d.why)) if dimension == "root_causes" else 0 for d in ordered]

        def sub_progress(stage: str, fraction: float, index: int = index) -> None:
            report_progress(stage, (index + fraction) / 3)

        dimensions[dimension] = cluster_dimension(
            slugs, texts, minutes, dimension, lexicon, config, sub_progress, leads
        )
    report_progress("done", 1.0)
    quarters = Counter(d.quarter for d in ordered)
    quarter = min(quarters, key=lambda q: (-quarters[q], _neg_sort_key(q))) if quarters else ""
    report = CorpusReport(
        root_causes=dimensions["root_causes"],
        detection_gaps=dimensions["detection_gaps"],
        response_lags=dimensions["response_lags"],
        postmortems=len(ordered),
        response_figures=response_figures(ordered),
        quarter=quarter,
    )
    if confirmed:
        report = apply_corrections(report, confirmed, min_pattern_size=config.min_pattern_size)
    return report


def _neg_sort_key(quarter: str) -> tuple[int, ...]:
    # Ties between equally common quarters go to the latest one.
    return tuple(-ord(ch) for ch in quarter)


def dimension_texts(
    docs: Sequence[PostmortemText], dimension: str, lexicon: Lexicon
) -> tuple[list[str], list[float | None]]:
    """The text each postmortem contributes to one dimension ("" if none), and lag minutes.

    Lags of kind "other" go to whichever of detection/response their words evidence more.
    A postmortem with no response or escalation entry but a slow timeline (page to ack over
    5 minutes, page to mitigation over 30) gets a sentence stating those minutes, so a team
    that never writes response lags down still shows up in the response dimension.
    """
    texts: list[str] = []
    minutes: list[float | None] = []
    for doc in docs:
        if dimension == "root_causes":
            # Why first: its sentences win evidence ties, and its concepts are read twice
            # (see ``root_cause_hits``) because Why names the cause, What broke the mechanism.
            texts.append(" ".join(p for p in (doc.why.strip(), doc.what_broke.strip()) if p))
            minutes.append(None)
            continue
        wanted = {"detection"} if dimension == "detection_gaps" else {"response", "escalation"}
        entries = [lag for lag in doc.lags if _lag_dimension(lag, lexicon) in wanted]
        parts = [lag.text.strip() for lag in entries if lag.text.strip()]
        if dimension == "response_lags" and not parts:
            parts = _timeline_sentences(doc)
        texts.append(" ".join(_sentence(p) for p in parts))
        named = [lag.minutes for lag in entries if lag.minutes is not None]
        if dimension == "response_lags" and not named and doc.page_to_mitigation_minutes:
            named = [doc.page_to_mitigation_minutes]
        minutes.append(float(sum(named)) if named else None)
    return texts, minutes


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _lag_dimension(lag, lexicon: Lexicon) -> str:
    if lag.kind != "other":
        return lag.kind
    detection = sum(lexicon.concept_counts(lag.text, "detection").values())
    response = sum(lexicon.concept_counts(lag.text, "response").values())
    if detection == response == 0:
        return "other"
    return "detection" if detection > response else "response"


def _timeline_sentences(doc: PostmortemText) -> list[str]:
    parts = []
    if doc.page_to_ack_minutes is not None and doc.page_to_ack_minutes > 5:
        parts.append(f"The page was not acknowledged for {doc.page_to_ack_minutes:g} minutes")
    if doc.page_to_mitigation_minutes is not None and doc.page_to_mitigation_minutes > 30:
        parts.append(f"Mitigation came {doc.page_to_mitigation_minutes:g} minutes after the page")
    return parts


def cluster_dimension(
    slugs: Sequence[str],
    texts: Sequence[str],
    minutes: Sequence[float | None],
    dimension: str,
    lexicon: Lexicon,
    config: ClusteringConfig,
    progress: Progress,
    leads: Sequence[int] | None = None,
) -> DimensionReport:
    """Cluster one dimension's texts; postmortems with no text in it are left out entirely.

    ``leads[i]`` is how many leading tokens of text i are emphasised: concepts found there
    count twice (the Why section, which names the cause, ahead of What broke).
    """
    stage = STAGE_NAMES[dimension]
    present = [i for i, t in enumerate(texts) if t.strip()]
    if not present:
        progress(stage, 1.0)
        return DimensionReport()
    kept_slugs = [slugs[i] for i in present]
    kept_texts = [texts[i] for i in present]
    kept_minutes = [minutes[i] for i in present]
    kept_leads = [leads[i] if leads else 0 for i in present]
    lexicon_dimension = LEXICON_DIMENSION[dimension]
    progress(f"{stage}: reading concepts", 0.0)
    raw_tokens = [tokens(t) for t in kept_texts]
    stemmed = [[stem(t) for t in r] for r in raw_tokens]
    hits = [
        lexicon.find_in_tokens(r, s, lexicon_dimension)
        for r, s in zip(raw_tokens, stemmed, strict=True)
    ]
    progress(f"{stage}: vectorising", 0.2)
    features = build_features(
        raw_tokens,
        stemmed,
        [
            _emphasised_counts(lexicon, h, lead, config.family_weight)
            for h, lead in zip(hits, kept_leads, strict=True)
        ],
        lexicon,
        concept_weight=config.concept_weight,
        word_weight=config.word_weight,
        char_weight=config.char_weight,
    )
    progress(f"{stage}: clustering", 0.4)
    groups = group_rows(
        features.matrix,
        config.threshold_for(dimension),
        exact_limit=config.exact_limit,
        docs_per_cell=config.docs_per_micro_cluster,
        max_cells=config.max_micro_clusters,
        svd_components=config.svd_components,
        seed=config.seed,
        progress=lambda f: progress(f"{stage}: clustering", 0.4 + 0.4 * f),
    )
    progress(f"{stage}: labelling", 0.8)
    corpus_word_mean = np.asarray(features.words.mean(axis=0)).ravel()
    patterns: list[Pattern] = []
    one_offs: list[str] = []
    sizes = np.bincount(groups)
    for group in range(len(sizes)):
        rows = np.flatnonzero(groups == group)
        if len(rows) < config.min_pattern_size:
            one_offs.extend(kept_slugs[r] for r in rows)
            continue
        patterns.append(
            describe_group(
                rows,
                slugs=kept_slugs,
                texts=kept_texts,
                raw_tokens=raw_tokens,
                hits=hits,
                minutes=kept_minutes,
                features=features,
                corpus_word_mean=corpus_word_mean,
                lexicon=lexicon,
                label_terms=config.label_terms,
                evidence_chars=config.evidence_chars,
            )
        )
    patterns.sort(key=lambda p: (-len(p.members), p.label, p.members))
    progress(stage, 1.0)
    return DimensionReport(patterns=tuple(patterns), one_offs=tuple(sorted(one_offs)))


def _emphasised_counts(
    lexicon: Lexicon, hits: list, lead: int, family_weight: float
) -> dict[str, float]:
    counts = lexicon.counts(hits, family_weight)
    if lead:
        lead_hits = [h for h in hits if h[1] < lead]
        for key, count in lexicon.counts(lead_hits, family_weight).items():
            counts[key] = counts.get(key, 0) + count
    return counts


def response_figures(docs: Sequence[PostmortemText]) -> ResponseLagFigures:
    """Median page->ack and page->mitigation minutes over the postmortems that show them."""
    acks = [d.page_to_ack_minutes for d in docs if d.page_to_ack_minutes is not None]
    mitigations = [
        d.page_to_mitigation_minutes for d in docs if d.page_to_mitigation_minutes is not None
    ]
    counted = sum(
        1
        for d in docs
        if d.page_to_ack_minutes is not None or d.page_to_mitigation_minutes is not None
    )
    return ResponseLagFigures(
        median_page_to_ack=float(statistics.median(acks)) if acks else None,
        median_page_to_mitigation=float(statistics.median(mitigations)) if mitigations else None,
        counted=counted,
    )
