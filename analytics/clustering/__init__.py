"""Cross-incident pattern recognition: postmortem texts -> repeated causes, gaps and lags.

Pure Python + scikit-learn; no Django import, no model download.

Method (``cluster_corpus``), per dimension (root causes from Why + What broke; detection gaps
from detection lags; response lags from response and escalation lags):

1. The concept lexicon (``data/concepts.toml``, extendable with ``load_lexicon``) maps surface
   terms to concepts ("x509", "cert lapsed" -> certificate expiry); concepts may belong to a
   family (disk, memory, connection-pool exhaustion -> resource exhaustion) and may subsume a
   vaguer concept (dashboard-only overrides "no alert").
2. Features: tf-idf of concept (and family) counts, stacked with stemmed word uni/bigram tf-idf
   at a lower weight; rows L2-normalised so dot products are cosine similarities.
3. Average-linkage (UPGMA) clustering with a cosine distance threshold tuned on labelled
   postmortems, exact up to ``exact_limit`` documents; above it, MiniBatchKMeans cells on an
   SVD projection, split by the same threshold and merged across cells from their mean vectors
   (exact for average linkage), so time and memory grow linearly rather than with n^2.
4. Groups of two or more are patterns, labelled by their dominant concept and distinctive
   words, with one evidence sentence per member; the rest are one-offs.

Documents are sorted by slug first and every estimator has a fixed seed, so the same corpus
gives the same report whatever its order. ``benchmarks/bench_clustering.py`` measures it.
"""

from .corpus import cluster_corpus, response_figures
from .corrections import ConfirmedTag, apply_corrections, pattern_key
from .lexicon import Concept, Lexicon, load_lexicon
from .model import (
    ClusteringConfig,
    CorpusReport,
    DimensionReport,
    LagText,
    Pattern,
    PostmortemText,
    QuarterFigures,
    ResponseLagFigures,
)
from .recurring import mark_recurring, patterns_match, recurrence_phrase
from .serialise import report_from_dict, report_to_dict
from .taxonomy import Taxonomy, TaxonomyClass, load_taxonomy

__all__ = [
    "ClusteringConfig",
    "ConfirmedTag",
    "Taxonomy",
    "TaxonomyClass",
    "apply_corrections",
    "load_taxonomy",
    "pattern_key",
    "Concept",
    "CorpusReport",
    "DimensionReport",
    "LagText",
    "Lexicon",
    "Pattern",
    "PostmortemText",
    "QuarterFigures",
    "ResponseLagFigures",
    "cluster_corpus",
    "load_lexicon",
    "mark_recurring",
    "patterns_match",
    "recurrence_phrase",
    "report_from_dict",
    "report_to_dict",
    "response_figures",
]
