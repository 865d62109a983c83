"""Read fetched GitHub snapshots (bare git directories under /work/.mirror) with plain git."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

MIRROR_ROOT = Path(os.environ.get("HINDSIGHT_MIRROR_DIR", "/work/.mirror"))


def git_dir(repo: str) -> Path | None:
    """The git directory of a fetched ``owner/name``, or None when it was never fetched."""
    base = MIRROR_ROOT / repo.replace("/", "+")
    for candidate in (base / "repo" / ".git", base / "repo", base):
        if (candidate / "HEAD").exists() and (candidate / "objects").exists():
            return candidate
    return None


def _git(gdir: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", f"--git-dir={gdir}", *args], check=True, capture_output=True
    ).stdout


def head_commit(gdir: Path) -> str:
    return _git(gdir, "rev-parse", "HEAD").decode().strip()


def list_files(gdir: Path, commit: str) -> list[tuple[str, int]]:
    """(path, size) of every blob in the commit's tree."""
    out = _git(gdir, "ls-tree", "-r", "-l", "-z", commit).decode("utf-8", errors="replace")
    files = []
    for entry in out.split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        parts = meta.split()
        if parts[1] != "blob" or not parts[3].isdigit():
            continue
        files.append((path, int(parts[3])))
    return files


def show(gdir: Path, commit: str, path: str) -> bytes | None:
    """The bytes of ``path`` at ``commit``, or None when git cannot give them."""
    try:
        return _git(gdir, "show", f"{commit}:{path}")
    except subprocess.CalledProcessError:
        return None
