"""The concept lexicon: surface terms -> concepts, loaded from TOML data files.

Concepts carry the meaning that plain word statistics miss when two postmortems describe the
same cause in different words ("the TLS cert lapsed" vs "x509: certificate has expired").
The lexicon is data (``data/concepts.toml``) so teams extend it without touching code.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .words import stem, tokens

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_CONCEPTS = DATA_DIR / "concepts.toml"
DEFAULT_STOPWORDS = DATA_DIR / "stopwords.txt"
LEXICON_DIMENSIONS = ("root_cause", "detection", "response")
# Words allowed between two consecutive words of a multi-word term.
MAX_GAP = 2


@dataclass(frozen=True)
class Concept:
    """One concept: its key, dimension, readable label and surface terms."""

    key: str
    dimension: str
    label: str
    terms: tuple[str, ...]
    family: str = ""
    subsumes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Term:
    # Each word is (text, is_prefix): prefixes compare with the raw token, words with the stem.
    words: tuple[tuple[str, bool], ...]
    concept: str


@dataclass
class Lexicon:
    """Concepts per dimension plus stop-words, with an index for fast phrase matching."""

    concepts: dict[str, Concept]
    stopwords: frozenset[str]
    _by_first_word: dict[str, list[_Term]] = field(default_factory=dict, repr=False)
    _by_first_prefix: dict[str, list[_Term]] = field(default_factory=dict, repr=False)
    _candidate_cache: dict[tuple[str, str | None], list[_Term]] = field(
        default_factory=dict, repr=False
    )

    def __post_init__(self) -> None:
        by_word: dict[str, list[_Term]] = defaultdict(list)
        by_prefix: dict[str, list[_Term]] = defaultdict(list)
        for concept in self.concepts.values():
            for term in concept.terms:
                words = _parse_term(term)
                if not words:
                    continue
                compiled = _Term(words, concept.key)
                first, is_prefix = words[0]
                (by_prefix if is_prefix else by_word)[first].append(compiled)
        self._by_first_word = dict(by_word)
        self._by_first_prefix = dict(by_prefix)

    @property
    def families(self) -> dict[str, tuple[str, ...]]:
        """Family key -> the concept keys in it (a family is a broader concept)."""
        out: dict[str, list[str]] = defaultdict(list)
        for concept in self.concepts.values():
            if concept.family:
                out[concept.family].append(concept.key)
        return {k: tuple(sorted(v)) for k, v in out.items()}

    def is_family(self, key: str) -> bool:
        """Whether ``key`` names a family rather than a concept."""
        return key not in self.concepts and key in self.families

    def counts(
        self, hits: list[tuple[str, int, int]], family_weight: float = 1.0
    ) -> dict[str, float]:
        """Concept counts of ``find`` hits, plus each family's total over its concepts.

        Families let "disk full" and "connection pool exhausted" share a feature (resource
        exhaustion) while each keeps its own, so the threshold decides how far to merge;
        ``family_weight`` scales the family's count. A concept's ``subsumes`` are dropped.
        """
        counts = count_hits(hits)
        for key in list(counts):
            for weaker in self.concepts[key].subsumes:
                counts.pop(weaker, None)
        for key, count in list(counts.items()):
            family = self.concepts[key].family
            if family and family_weight > 0:
                counts[family] = counts.get(family, 0) + family_weight * count
        return counts

    def concepts_of(self, dimension: str) -> list[Concept]:
        """The concepts of one lexicon dimension, sorted by key."""
        return sorted(
            (c for c in self.concepts.values() if c.dimension == dimension), key=lambda c: c.key
        )

    def find(self, text: str, dimension: str | None = None) -> list[tuple[str, int, int]]:
        """Concept hits in ``text`` as (concept key, first token index, last token index).

        Only concepts of ``dimension`` count when it is given.
        """
        raw = tokens(text)
        return self.find_in_tokens(raw, [stem(t) for t in raw], dimension)

    def find_in_tokens(
        self, raw: list[str], stems: list[str], dimension: str | None = None
    ) -> list[tuple[str, int, int]]:
        """``find`` on text already split by ``words.tokens`` and stemmed."""
        hits: list[tuple[str, int, int]] = []
        for i, (token, stemmed) in enumerate(zip(raw, stems, strict=True)):
            for term in self._candidates(token, stemmed, dimension):
                end = _match_rest(term.words, raw, stems, i)
                if end is not None:
                    hits.append((term.concept, i, end))
        return hits

    def _candidates(self, token: str, stemmed: str, dimension: str | None) -> list[_Term]:
        """Terms that may start at this token; memoised, as the vocabulary repeats a lot."""
        key = (token, dimension)
        found = self._candidate_cache.get(key)
        if found is None:
            found = list(self._by_first_word.get(stemmed, ()))
            for cut in range(2, len(token) + 1):
                found.extend(self._by_first_prefix.get(token[:cut], ()))
            if dimension:
                found = [t for t in found if self.concepts[t.concept].dimension == dimension]
            if len(self._candidate_cache) < 500_000:
                self._candidate_cache[key] = found
        return found

    def concept_counts(self, text: str, dimension: str | None = None) -> dict[str, float]:
        """How many distinct places in ``text`` evidence each concept (and family)."""
        return self.counts(self.find(text, dimension))

    def label(self, concept_key: str) -> str:
        """The readable label of a concept (the key itself if unknown)."""
        concept = self.concepts.get(concept_key)
        return concept.label if concept else concept_key.replace("_", " ")

    def family_of(self, concept_key: str) -> str:
        """The family of a concept ("" if none or unknown)."""
        concept = self.concepts.get(concept_key)
        return concept.family if concept else ""


def count_hits(hits: list[tuple[str, int, int]]) -> dict[str, int]:
    """Concept -> number of distinct start positions among ``find`` hits."""
    counts: dict[str, int] = defaultdict(int)
    seen: set[tuple[str, int]] = set()
    for concept, start, _ in hits:
        if (concept, start) not in seen:
            seen.add((concept, start))
            counts[concept] += 1
    return dict(counts)


def _parse_term(term: str) -> tuple[tuple[str, bool], ...]:
    words = []
    for part in term.lower().split():
        is_prefix = part.endswith("*")
        pieces = tokens(part)
        for j, piece in enumerate(pieces):
            last = j == len(pieces) - 1
            words.append((piece, True) if is_prefix and last else (stem(piece), False))
    return tuple(words)


def _word_matches(word: tuple[str, bool], raw: str, stemmed: str) -> bool:
    text, is_prefix = word
    return raw.startswith(text) if is_prefix else stemmed == text


def _match_rest(
    words: tuple[tuple[str, bool], ...], raw: list[str], stems: list[str], start: int
) -> int | None:
    """Index of the last matched token if the remaining words follow ``start`` in order."""
    position = start
    for word in words[1:]:
        for candidate in range(position + 1, min(position + 2 + MAX_GAP, len(raw))):
            if _word_matches(word, raw[candidate], stems[candidate]):
                position = candidate
                break
        else:
            return None
    return position


def load_lexicon(*extra_paths: str | Path) -> Lexicon:
    """Load the packaged concepts and stop-words, merged with teams' extra files.

    An extra ``.toml`` file adds concepts or terms in the packaged format
    (``[root_cause.my_concept] label = "...", terms = [...]``); an extra ``.txt`` file adds
    stop-words, one a line. Loaded lexicons are cached per process by path: a file edited
    while the process runs is read again only after a restart.
    """
    return _load(tuple(str(p) for p in extra_paths))


@lru_cache(maxsize=16)
def _load(extra_paths: tuple[str, ...]) -> Lexicon:
    concepts: dict[str, Concept] = {}
    stopwords = set(_read_stopwords(DEFAULT_STOPWORDS))
    for path in (str(DEFAULT_CONCEPTS), *extra_paths):
        if path.endswith(".txt"):
            stopwords.update(_read_stopwords(Path(path)))
            continue
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
        for dimension, table in data.items():
            if dimension not in LEXICON_DIMENSIONS:
                raise ValueError(
                    f"{path}: unknown dimension [{dimension}], expected one of "
                    f"{', '.join(LEXICON_DIMENSIONS)}"
                )
            for key, body in table.items():
                terms = tuple(str(t) for t in body.get("terms", ()))
                family = str(body.get("family", ""))
                subsumes = tuple(str(k) for k in body.get("subsumes", ()))
                existing = concepts.get(key)
                if existing and existing.dimension != dimension:
                    raise ValueError(
                        f"{path}: concept {key} already belongs to {existing.dimension}"
                    )
                if existing:
                    merged = existing.terms + tuple(t for t in terms if t not in existing.terms)
                    label = str(body.get("label", existing.label))
                    family = family or existing.family
                    subsumes = tuple(dict.fromkeys(existing.subsumes + subsumes))
                    concepts[key] = Concept(key, dimension, label, merged, family, subsumes)
                else:
                    label = str(body.get("label", key.replace("_", " ")))
                    concepts[key] = Concept(key, dimension, label, terms, family, subsumes)
    clash = {c.family for c in concepts.values()} & set(concepts)
    if clash:
        raise ValueError(f"family names clash with concept keys: {', '.join(sorted(clash))}")
    return Lexicon(concepts=concepts, stopwords=frozenset(stopwords))


def _read_stopwords(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [w.strip().lower() for w in lines if w.strip() and not w.startswith("#")]
