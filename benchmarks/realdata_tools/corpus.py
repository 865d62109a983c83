"""Load the real-postmortem development corpus kept outside the repository.

Pure standard library, so any benchmark can import it::

    from benchmarks.realdata_tools import corpus   # or: sys.path insert + import corpus
    if not corpus.available():
        print(corpus.unavailable_message())
    for doc in corpus.load_documents(part="dev"):
        ...

The text lives in ``benchmarks/realdata/docs`` (a git-ignored link to /work/realdata);
the repository holds only ``manifest.jsonl`` (where each document came from, with its
sha256) and ``split.json`` (which organisations are held out as the test part).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TOOLS_DIR = Path(__file__).resolve().parent
MANIFEST_PATH = TOOLS_DIR / "manifest.jsonl"
SPLIT_PATH = TOOLS_DIR / "split.json"
REALDATA_DIR = Path(
    os.environ.get("HINDSIGHT_REALDATA_DIR", TOOLS_DIR.parent / "realdata")
).resolve()
DOCS_DIR = REALDATA_DIR / "docs"

EXTENSIONS = {"md": ".md", "html": ".html", "txt": ".txt"}


@dataclass(frozen=True)
class Document:
    doc_id: str
    org: str
    path: str  # path inside the source repository
    text: str
    part: str  # "dev" or "test"
    repo: str = ""
    format: str = "md"
    title: str | None = None
    incident_date: str | None = None


def load_manifest() -> list[dict]:
    """Every manifest row, in file order."""
    with MANIFEST_PATH.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_split() -> dict:
    """The frozen split; empty test set when it has not been written yet."""
    if not SPLIT_PATH.exists():
        return {"test_orgs": [], "dev_orgs": []}
    return json.loads(SPLIT_PATH.read_text(encoding="utf-8"))


def part_of(org: str, split: dict | None = None) -> str:
    """Organisations listed as test are test; every other one (also new ones) is dev."""
    split = load_split() if split is None else split
    return "test" if org in set(split.get("test_orgs", [])) else "dev"


def doc_path(row: dict) -> Path:
    return DOCS_DIR / f"{row['doc_id']}{EXTENSIONS.get(row.get('format', 'md'), '.md')}"


def available() -> bool:
    """True when the manifest exists and at least one of its documents is on disk."""
    if not MANIFEST_PATH.exists() or not DOCS_DIR.is_dir():
        return False
    return any(doc_path(row).exists() for row in load_manifest())


def unavailable_message() -> str:
    return (
        "realdata not available: the real postmortem corpus is kept outside the repository. "
        f"Fetch the repositories named in {MANIFEST_PATH.name} into /work/.mirror, then run "
        "`python benchmarks/realdata_tools/rebuild.py` to rebuild "
        f"{DOCS_DIR} (it says which repository to fetch first)."
    )


def load_documents(part: str | None = None, *, verify: bool = True) -> Iterator[Document]:
    """Yield the documents on disk, optionally only one part ("dev" or "test").

    A document whose bytes no longer match the manifest's sha256 is skipped, so a
    benchmark never scores text other than the one the labels were made on.
    """
    if part not in (None, "dev", "test"):
        raise ValueError(f"part must be 'dev', 'test' or None, not {part!r}")
    split = load_split()
    for row in load_manifest():
        row_part = part_of(row["org"], split)
        if part is not None and row_part != part:
            continue
        path = doc_path(row)
        if not path.exists():
            continue
        data = path.read_bytes()
        if verify and hashlib.sha256(data).hexdigest() != row["sha256"]:
            continue
        yield Document(
            doc_id=row["doc_id"],
            org=row["org"],
            path=row["path"],
            text=data.decode("utf-8", errors="replace"),
            part=row_part,
            repo=row["repo"],
            format=row.get("format", "md"),
            title=row.get("title"),
            incident_date=row.get("incident_date"),
        )
