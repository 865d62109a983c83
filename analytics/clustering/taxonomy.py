"""The team's taxonomy: root-cause, detection-gap and response-lag classes, loaded from data.

The default classes live in ``data/taxonomy.toml``; a team adds or overrides classes with more
TOML files of the same shape or with plain dicts (``extra_classes``), e.g. from settings, so a
class the team writes down appears in the next review without a code change.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_TAXONOMY = DATA_DIR / "taxonomy.toml"
# The taxonomy's table names -> the report's dimensions.
TABLES = {
    "root_cause": "root_causes",
    "detection_gap": "detection_gaps",
    "response_lag": "response_lags",
}


@dataclass(frozen=True)
class TaxonomyClass:
    """One class: stable key, the name a person reads, a one-line definition, seed examples."""

    key: str
    dimension: str
    name: str
    definition: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    classes: tuple[TaxonomyClass, ...]

    def of(self, dimension: str) -> tuple[TaxonomyClass, ...]:
        """The classes of one report dimension (``root_causes``, ...), in file order."""
        return tuple(c for c in self.classes if c.dimension == dimension)

    def get(self, dimension: str, key: str) -> TaxonomyClass | None:
        return next((c for c in self.of(dimension) if c.key == key), None)


def _dimension(name: str) -> str:
    if name in TABLES:
        return TABLES[name]
    if name in TABLES.values():
        return name
    raise ValueError(f"unknown taxonomy dimension {name!r}: use one of {', '.join(TABLES)}")


def _class_from(data: Mapping[str, Any], dimension: str, where: str) -> TaxonomyClass:
    missing = [f for f in ("key", "name", "definition") if not str(data.get(f, "")).strip()]
    if missing:
        raise ValueError(f"{where}: taxonomy class without {', '.join(missing)}")
    examples = data.get("examples") or ()
    if isinstance(examples, str):
        examples = (examples,)
    return TaxonomyClass(
        key=str(data["key"]).strip(),
        dimension=dimension,
        name=str(data["name"]).strip(),
        definition=str(data["definition"]).strip(),
        examples=tuple(str(e).strip() for e in examples if str(e).strip()),
    )


def _classes_in_file(path: Path) -> list[TaxonomyClass]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    out = []
    for table, items in data.items():
        dimension = _dimension(table)
        for index, item in enumerate(items):
            out.append(_class_from(item, dimension, f"{path.name} {table}[{index}]"))
    return out


def load_taxonomy(*files: str | Path, extra_classes: Iterable[Mapping[str, Any]] = ()) -> Taxonomy:
    """The default taxonomy plus ``files`` and ``extra_classes`` (later ones win on a key).

    An extra class is a dict with ``dimension`` (``root_cause``, ``detection_gap`` or
    ``response_lag``), ``key``, ``name``, ``definition`` and optionally ``examples``.
    """
    return _load(
        tuple(str(f) for f in files),
        tuple(tuple(sorted((k, _freeze(v)) for k, v in c.items())) for c in extra_classes),
    )


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


@lru_cache(maxsize=16)
def _load(files: tuple[str, ...], extra: tuple[tuple[tuple[str, Any], ...], ...]) -> Taxonomy:
    classes: dict[tuple[str, str], TaxonomyClass] = {}
    for path in (DEFAULT_TAXONOMY, *(Path(f) for f in files)):
        for item in _classes_in_file(path):
            classes[(item.dimension, item.key)] = item
    for index, pairs in enumerate(extra):
        data = dict(pairs)
        item = _class_from(data, _dimension(str(data.get("dimension", ""))), f"extra[{index}]")
        classes[(item.dimension, item.key)] = item
    return Taxonomy(classes=tuple(classes.values()))
