"""Rebuild benchmarks/realdata/docs from fetched snapshots, using manifest.jsonl alone.

    python benchmarks/realdata_tools/rebuild.py

For every manifest row it runs ``git show <commit>:<path>`` in the snapshot of the row's
repository (a bare git directory under /work/.mirror, brought by the search tool's
``fetch``), checks the sha256 and writes the bytes. It prints, per repository, how many
documents were built and what is missing. Exit status 1 when nothing could be built.
Pure standard library.
"""

from __future__ import annotations

import hashlib
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import mirror  # noqa: E402


def rebuild() -> int:
    if not corpus.MANIFEST_PATH.exists():
        print(f"realdata not available: no manifest at {corpus.MANIFEST_PATH}")
        return 1
    by_repo: dict[str, list[dict]] = defaultdict(list)
    for row in corpus.load_manifest():
        by_repo[row["repo"]].append(row)
    built = 0
    for repo, rows in sorted(by_repo.items()):
        gdir = mirror.git_dir(repo)
        if gdir is None:
            print(f"{repo}: 0/{len(rows)} built; realdata not available: fetch {repo} first")
            continue
        problems = []
        done = 0
        for row in rows:
            data = mirror.show(gdir, row["commit"], row["path"])
            if data is None:
                problems.append(f"    missing in snapshot: {row['commit'][:12]}:{row['path']}")
                continue
            if hashlib.sha256(data).hexdigest() != row["sha256"]:
                problems.append(f"    sha256 differs: {row['path']}")
                continue
            corpus.DOCS_DIR.mkdir(parents=True, exist_ok=True)
            corpus.doc_path(row).write_bytes(data)
            done += 1
        built += done
        print(f"{repo}: {done}/{len(rows)} built")
        for line in problems:
            print(line)
        if problems and done < len(rows):
            print(f"    (re-fetch {repo} if its snapshot is older than the manifest's commit)")
    total = sum(len(rows) for rows in by_repo.values())
    print(f"{built}/{total} documents in {corpus.DOCS_DIR}")
    if not built:
        print(corpus.unavailable_message())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(rebuild())
