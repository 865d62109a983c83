"""The plain data the clustering core takes and returns.

Everything here is a frozen dataclass of strings, numbers and tuples so that reports compare
equal when they are equal (the determinism tests rely on it) and serialise to JSON without
custom encoders (see ``serialise.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

LAG_KINDS = ("detection", "response", "escalation", "other")
DIMENSIONS = ("root_causes", "detection_gaps", "response_lags")


@dataclass(frozen=True)
class LagText:
    """One entry of "What kept it broken longer": its kind, its words, its minutes if named."""

    kind: str
    text: str
    minutes: int | None = None


@dataclass(frozen=True)
class PostmortemText:
    """The parts of one published postmortem the clustering reads.

    ``why`` and ``what_broke`` feed the root-cause dimension; detection lags feed the
    detection-gap dimension; response and escalation lags (plus the timeline minutes) feed the
    response-lag dimension.
    """

    slug: str
    quarter: str
    why: str
    what_broke: str
    lags: tuple[LagText, ...] = ()
    page_to_ack_minutes: float | None = None
    page_to_mitigation_minutes: float | None = None
    title: str = ""


@dataclass(frozen=True)
class Pattern:
    """A group of at least two postmortems sharing a cause, gap or lag.

    ``evidence`` maps each member slug to a short excerpt (at most ~200 characters) of the text
    that put it in the pattern. ``recurring_quarters`` counts consecutive quarters, this one
    included, in which a matching pattern appeared (set by ``mark_recurring``).
    ``median_minutes`` is the median of the minutes the members' lag entries name (detection and
    response dimensions only).
    """

    label: str
    terms: tuple[str, ...]
    members: tuple[str, ...]
    evidence: dict[str, str] = field(default_factory=dict, compare=True, hash=False)
    recurring_quarters: int = 1
    concepts: tuple[str, ...] = ()
    median_minutes: float | None = None
    # Taxonomy placement: the class (or reviewer pattern) key, each member's confidence and
    # the section anchor of its evidence sentence, and the members a reviewer confirmed.
    key: str = ""
    confidence: dict[str, float] = field(default_factory=dict, compare=True, hash=False)
    anchors: dict[str, str] = field(default_factory=dict, compare=True, hash=False)
    confirmed: tuple[str, ...] = ()


@dataclass(frozen=True)
class DimensionReport:
    """Patterns of one dimension (largest first, ties by label) and the postmortems in none.

    A postmortem with no text in a dimension (say, no detection lag written down) is neither a
    member nor a one-off there: it has nothing to compare.
    """

    patterns: tuple[Pattern, ...] = ()
    one_offs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResponseLagFigures:
    """Median minutes from page to acknowledgement and to mitigation over a set of postmortems.

    ``counted`` is the number of postmortems whose timeline gave at least one of the two figures.
    """

    median_page_to_ack: float | None = None
    median_page_to_mitigation: float | None = None
    counted: int = 0


@dataclass(frozen=True)
class QuarterFigures:
    """Response-lag figures of one earlier quarter, for comparison with the current one."""

    quarter: str
    figures: ResponseLagFigures


@dataclass(frozen=True)
class CorpusReport:
    """The quarterly "patterns we're seeing" result for one corpus of postmortems.

    ``quarter`` is the most common quarter of the documents ("" for an empty corpus).
    ``previous_figures`` holds earlier quarters' response figures, oldest first, once
    ``mark_recurring`` has compared them.
    """

    root_causes: DimensionReport = field(default_factory=DimensionReport)
    detection_gaps: DimensionReport = field(default_factory=DimensionReport)
    response_lags: DimensionReport = field(default_factory=DimensionReport)
    postmortems: int = 0
    response_figures: ResponseLagFigures = field(default_factory=ResponseLagFigures)
    quarter: str = ""
    previous_figures: tuple[QuarterFigures, ...] = ()


@dataclass(frozen=True)
class ClusteringConfig:
    """Knobs of ``cluster_corpus``; the defaults were tuned on the labelled benchmark corpus.

    Thresholds are cosine distances for average linkage: two groups merge while the mean
    pairwise distance between their members stays below the threshold.
    """

    root_cause_threshold: float = 0.65
    detection_threshold: float = 0.6
    response_threshold: float = 0.75
    # Weights of the three feature blocks (each block is L2-normalised before weighting).
    concept_weight: float = 1.0
    word_weight: float = 0.4
    # Character 3-5-grams: +0.06-0.08 ARI over words alone without the lexicon, nothing
    # measurable with it, and a third of the vectorising time; off by default.
    char_weight: float = 0.0
    # A concept family's count (e.g. resource exhaustion over disk, memory, connections) is
    # this many times the sum of its concepts' counts: sub-kinds of one family merge.
    family_weight: float = 3.0
    # Up to this many documents, exact average linkage over all pairs (n^2 memory); above it,
    # MiniBatchKMeans micro-clusters first, merged with the same average-linkage threshold.
    exact_limit: int = 2500
    docs_per_micro_cluster: int = 40
    max_micro_clusters: int = 400
    svd_components: int = 48
    min_pattern_size: int = 2
    evidence_chars: int = 200
    label_terms: int = 4
    seed: int = 0
    extra_lexicons: tuple[str, ...] = ()
    # "taxonomy": place each postmortem in a class of the team's taxonomy, group the rest
    # (placement.py); "lexicon": cluster everything by concepts and words (this file's knobs).
    method: str = "taxonomy"
    taxonomy_files: tuple[str, ...] = ()
    # Dicts as load_taxonomy's extra_classes, frozen to (key, value) pairs to stay hashable.
    taxonomy_classes: tuple[tuple[tuple[str, object], ...], ...] = ()
    # Below this similarity to its best class a postmortem stays a candidate for a new pattern.
    # Chosen leave-one-organisation-out on the dev part (bench_real_patterns.py --cv) for the
    # combined score of the trained model and seed similarity.
    root_cause_confidence: float = 0.2
    detection_confidence: float = 0.25
    response_confidence: float = 0.3
    # Candidates merge into a new pattern while their mean cosine distance stays below this.
    candidate_threshold: float = 0.75
    # Weights of the sentence representation's blocks (stemmed words, character n-grams).
    sentence_word_weight: float = 1.0
    sentence_char_weight: float = 0.6
    sentence_concept_weight: float = 1.0
    # A dense sentence model (placement.sentence_encoder) stacked with the blocks above.
    sentence_model: str = ""
    sentence_embedding_weight: float = 0.0
    # Confirmed examples from earlier reviews added per class (newest first), bounding the cost.
    max_confirmed_examples: int = 50
    # The trained placement model (classifier.py): "" none, "default" the shipped file, or a
    # path. Its probability weighs model_weight; seed-example similarity the rest.
    placement_model: str = "default"
    model_weight: float = 0.7
    # A reviewer's confirmed example this similar (times the weight) beats the combined score.
    confirmed_weight: float = 1.0
    # A postmortem whose background probability ("other"/"none") beats its best class by more
    # than this is a one-off, not a candidate for a new pattern.
    background_margin: float = 0.0

    def confidence_for(self, dimension: str) -> float:
        return {
            "root_causes": self.root_cause_confidence,
            "detection_gaps": self.detection_confidence,
            "response_lags": self.response_confidence,
        }[dimension]

    def threshold_for(self, dimension: str) -> float:
        """The distance threshold of one dimension (``root_causes``, ``detection_gaps``, ...)."""
        return {
            "root_causes": self.root_cause_threshold,
            "detection_gaps": self.detection_threshold,
            "response_lags": self.response_threshold,
        }[dimension]
