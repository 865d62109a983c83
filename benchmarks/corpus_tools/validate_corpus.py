"""Validate benchmarks/corpus and print label counts per kind and quarter.

    /work/main/.venv/bin/python benchmarks/corpus_tools/validate_corpus.py
Exit code 1 on any problem.
"""

from __future__ import annotations

import collections
import json
import pathlib
import re

import yaml

CORPUS = pathlib.Path(__file__).resolve().parent.parent / "corpus"
HEADINGS = [
    "## User impact",
    "## Timeline",
    "## What broke",
    "## Why",
    "## What kept it broken longer",
    "## Specific changes",
    "## Improvement commitments",
]
FM_KEYS = [
    "title",
    "incident_date",
    "severity",
    "status",
    "incident_start",
    "incident_end",
    "services",
    "authors",
    "team",
]
QUARTERS = {
    "2025Q4": ("2025-10-01", "2025-12-31"),
    "2026Q1": ("2026-01-01", "2026-03-31"),
    "2026Q2": ("2026-04-01", "2026-06-30"),
    "2026Q3": ("2026-07-01", "2026-09-30"),
}
TL = re.compile(r"^- (\d{4}-\d{2}-\d{2} )?\d{2}:\d{2} UTC — .+ — .+$")
LAG = re.compile(r"^- (Detection|Response|Escalation) lag( \(\d+ min\))?: .+$")


def quarter(d: str) -> str | None:
    for q, (a, b) in QUARTERS.items():
        if a <= d <= b:
            return q
    return None


def main() -> int:
    problems = []
    labels = json.loads((CORPUS / "labels.json").read_text())
    files = sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")
    slugs = {p.stem for p in files}
    if slugs != set(labels):
        problems.append(
            f"labels/slug mismatch: missing={slugs - set(labels)} extra={set(labels) - slugs}"
        )
    quarter_of = {}
    for p in files:
        text = p.read_text()
        lines = text.splitlines()
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p.stem):
            problems.append(f"{p.name}: slug not kebab-case")
        if not (35 <= len(lines) <= 90):
            problems.append(f"{p.name}: {len(lines)} lines")
        if lines[0] != "---":
            problems.append(f"{p.name}: no front matter")
            continue
        end = lines.index("---", 1)
        fm = yaml.safe_load("\n".join(lines[1:end]))
        if list(fm) != FM_KEYS:
            problems.append(f"{p.name}: front matter keys {list(fm)}")
        d = str(fm["incident_date"])
        q = quarter(d)
        if q is None:
            problems.append(f"{p.name}: date {d} outside quarters")
        quarter_of[p.stem] = q
        start, stop = str(fm["incident_start"]), str(fm["incident_end"])
        if not start.startswith(d) or stop <= start:
            problems.append(f"{p.name}: start/end {start} {stop}")
        if lines[end + 1] != f"# {fm['title']}":
            problems.append(f"{p.name}: title heading")
        pos = [lines.index(h) if h in lines else -1 for h in HEADINGS]
        if -1 in pos or pos != sorted(pos):
            problems.append(f"{p.name}: headings {pos}")
            continue
        sec = {
            h: [
                line
                for line in lines[pos[i] + 1 : (pos[i + 1] if i + 1 < len(pos) else len(lines))]
                if line.strip()
            ]
            for i, h in enumerate(HEADINGS)
        }
        if not sec["## User impact"][0].startswith("Users affected: ") or not sec["## User impact"][
            1
        ].startswith("Minutes of impact: "):
            problems.append(f"{p.name}: impact header lines")
        tl = sec["## Timeline"]
        if not 4 <= len(tl) <= 14 or not all(TL.match(line) for line in tl):
            problems.append(
                f"{p.name}: timeline ({len(tl)} lines) {[line for line in tl if not TL.match(line)][:1]}"
            )
        kept = sec["## What kept it broken longer"]
        if (
            not kept
            or not all(LAG.match(line) for line in kept)
            or not kept[0].startswith("- Detection lag")
        ):
            problems.append(f"{p.name}: lag lines")
        for h in HEADINGS[2:4]:
            if not sec[h]:
                problems.append(f"{p.name}: empty {h}")
        for h in HEADINGS[5:]:
            if not sec[h] or not all(
                " — owner: @" in line and " — due 20" in line for line in sec[h]
            ):
                problems.append(f"{p.name}: {h} items need owner and due")
    for dim in ("root_cause", "detection_gap", "response_lag"):
        table = collections.defaultdict(collections.Counter)
        for slug, lab in labels.items():
            table[lab[dim]][quarter_of.get(slug)] += 1
        qs = list(QUARTERS)
        print(f"\n{dim:<34}" + "".join(f"{q:>8}" for q in qs) + f"{'total':>8}")
        for kind in sorted(table, key=lambda k: (k == "one-off", k)):
            row = table[kind]
            print(f"{kind:<34}" + "".join(f"{row[q]:>8}" for q in qs) + f"{sum(row.values()):>8}")
        print(
            f"{'(all)':<34}"
            + "".join(f"{sum(table[k][q] for k in table):>8}" for q in qs)
            + f"{len(labels):>8}"
        )
    print(f"\n{len(files)} documents checked, {len(problems)} problems")
    for pr in problems:
        print("  -", pr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
