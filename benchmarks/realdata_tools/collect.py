"""Select the postmortems named in sources.py from fetched snapshots and write the manifest.

    python benchmarks/realdata_tools/collect.py          # write docs + manifest.jsonl
    python benchmarks/realdata_tools/collect.py --dry-run

Documents are copied byte for byte (``git show commit:path``) into
benchmarks/realdata/docs/<doc_id>.<ext>; the manifest records repo, commit, path and
sha256 so that rebuild.py can reproduce exactly the same bytes. Files with less than
MIN_PROSE characters of prose, and exact duplicates of a document already taken, are left out.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import mirror  # noqa: E402
from sources import COMMON_EXCLUDE, SOURCES  # noqa: E402

MIN_PROSE = 600
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "doc"


def detect_format(path: str, text: str) -> str:
    lower = path.lower()
    if lower.endswith((".html", ".htm")):
        return "html"
    if lower.endswith((".md", ".markdown", ".mdx")):
        return "md"
    if re.search(r"(?m)^#{1,6} \S", text):
        return "md"
    return "txt"


def prose_length(text: str, fmt: str) -> int:
    if fmt == "html":
        text = html.unescape(re.sub(r"(?s)<(script|style).*?</\1>|<[^>]+>", " ", text))
    text = re.sub(r"(?s)```.*?```", " ", text)
    text = re.sub(r"(?s)^---\n.*?\n---\n", " ", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|<[^>]+>|[#*_`>|\-]+", " ", text)
    return len(re.sub(r"\s+", " ", text).strip())


def first_title(text: str, fmt: str) -> str | None:
    if fmt == "html":
        match = re.search(r"(?is)<h1[^>]*>(.*?)</h1>|<title[^>]*>(.*?)</title>", text)
        if match:
            raw = match.group(1) or match.group(2)
            title = html.unescape(re.sub(r"<[^>]+>", "", raw))
            return re.sub(r"\s+", " ", title).strip()[:160] or None
        return None
    body = re.sub(r"(?s)\A---\n.*?\n---\n", "", text)
    front = re.search(r"(?m)^title:\s*['\"]?(.+?)['\"]?\s*$", text[:2000])
    for line_match in re.finditer(r"(?m)^(#{1,6})\s+(.+?)\s*#*\s*$", body):
        return line_match.group(2).strip()[:160]
    setext = re.search(r"(?m)^(\S.*)\n(=+|-{3,})\s*$", body)
    if setext:
        return setext.group(1).strip()[:160]
    if front:
        return front.group(1).strip()[:160]
    return None


def _valid(year: int, month: int, day: int) -> str | None:
    if 1990 <= year <= 2035 and 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def date_from_string(value: str) -> str | None:
    """A calendar date written in a file name or a 'Date:' line, in the common shapes."""
    if m := re.search(r"(?<!\d)(20\d{2}|19\d{2})[-_/.](\d{1,2})[-_/.](\d{1,2})(?!\d)", value):
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)", value):
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    day_month = r"(?i)(?<![a-z0-9])(\d{1,2})(?:st|nd|rd|th)?[-_ ]([a-z]{3,9})[-_ ,]+(\d{4})"
    if (m := re.search(day_month, value)) and m[2].lower() in MONTHS:
        return _valid(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    month_day = r"(?i)(?<![a-z])([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})"
    if (m := re.search(month_day, value)) and m[1].lower() in MONTHS:
        return _valid(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
    if m := re.search(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)", value):
        return _valid(int(m[3]), int(m[2]), int(m[1]))
    if (m := re.search(r"(?i)(?<!\d)(\d{1,2})([a-z]{3,9})(\d{4})(?!\d)", value)) and m[
        2
    ].lower() in MONTHS:
        return _valid(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    if m := re.search(r"(?<!\d)(\d{2})(\d{2})(20\d{2})(?!\d)", value):
        return _valid(int(m[3]), int(m[1]), int(m[2]))
    if m := re.search(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](20\d{2})(?!\d)", value):
        first, second = int(m[1]), int(m[2])
        # Day first unless that cannot be (the sources that write it so are European).
        if first <= 12 < second:
            return _valid(int(m[3]), first, second)
        return _valid(int(m[3]), second, first)
    if m := re.search(r"(?<!\d)(20\d{2})/(\d{2})(\d{2})(?!\d)", value):
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(r"(?<!\d)(\d{1,2})-(\d{1,2})-(\d{2})(?!\d)", value):
        return _valid(2000 + int(m[3]), int(m[1]), int(m[2]))
    return None


def incident_date(path: str, text: str) -> str | None:
    if found := date_from_string(path):
        return found
    for line in text.splitlines()[:40]:
        dated = re.search(r"(?i)\b(date|when|occurred|incident date)\b\W*:", line)
        if dated and (found := date_from_string(line)):
            return found
    title = first_title(text, detect_format(path, text)) or ""
    if found := date_from_string(title):
        return found
    if m := re.search(r"(?im)^#+\s*date\s*\n+\s*(.+)$", text[:3000]):
        return date_from_string(m.group(1))
    if m := re.search(r"(?m)^date:\s*(.+)$", text[:2000]):
        return date_from_string(m.group(1))
    return None


def selected(source, path: str) -> bool:
    if not re.search(source.include, path):
        return False
    excludes = list(source.exclude) + (list(COMMON_EXCLUDE) if source.common_exclude else [])
    return not any(re.search(pattern, path) for pattern in excludes)


def collect(dry_run: bool = False) -> int:
    rows: list[dict] = []
    seen_sha: dict[str, str] = {}
    rejected: Counter = Counter()
    missing: list[str] = []
    for source in SOURCES:
        gdir = mirror.git_dir(source.repo)
        if gdir is None:
            missing.append(source.repo)
            continue
        commit = mirror.head_commit(gdir)
        picked = []
        for path, _size in mirror.list_files(gdir, commit):
            if not selected(source, path):
                continue
            data = mirror.show(gdir, commit, path)
            if data is None:
                rejected["unreadable"] += 1
                continue
            text = data.decode("utf-8", errors="replace")
            fmt = detect_format(path, text)
            if prose_length(text, fmt) < MIN_PROSE:
                rejected["short"] += 1
                print(f"  short: {source.repo}:{path}")
                continue
            sha = hashlib.sha256(data).hexdigest()
            if sha in seen_sha:
                rejected["duplicate"] += 1
                print(f"  duplicate: {source.repo}:{path} = {seen_sha[sha]}")
                continue
            seen_sha[sha] = f"{source.repo}:{path}"
            picked.append((path, data, text, fmt, sha))
        stems = Counter(slugify(Path(p).stem) for p, *_ in picked)
        for path, data, text, fmt, sha in picked:
            stem = slugify(Path(path).stem)
            if stems[stem] > 1 or stem in ("readme", "upgrade", "index"):
                stem = slugify(str(Path(path).with_suffix("")))
            rows.append(
                {
                    "doc_id": f"{source.org}--{stem}",
                    "org": source.org,
                    "repo": source.repo,
                    "commit": commit,
                    "path": path,
                    "sha256": sha,
                    "bytes": len(data),
                    "format": fmt,
                    "title": first_title(text, fmt),
                    "incident_date": incident_date(path, text),
                }
            )
            if not dry_run:
                corpus.DOCS_DIR.mkdir(parents=True, exist_ok=True)
                corpus.doc_path(rows[-1]).write_bytes(data)
    ids = Counter(row["doc_id"] for row in rows)
    assert not [i for i, n in ids.items() if n > 1], "doc_id collision"
    if not dry_run:
        kept = {corpus.doc_path(row).name for row in rows}
        for stale in corpus.DOCS_DIR.glob("*--*.*"):
            if stale.name not in kept:  # a document the selection no longer takes
                stale.unlink()
        with corpus.MANIFEST_PATH.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    per_org = defaultdict(int)
    for row in rows:
        per_org[row["org"]] += 1
    print(f"{len(rows)} documents from {len(per_org)} organisations; rejected {dict(rejected)}")
    for org, count in sorted(per_org.items(), key=lambda kv: -kv[1]):
        print(f"  {org:24s} {count}")
    for repo in missing:
        print(f"  not fetched: {repo}")
    return 0 if rows else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dry-run", action="store_true")
    sys.exit(collect(dry_run=parser.parse_args().dry_run))
