"""Cut the real corpus into candidate phrases, each placed in a house section, for labelling.

    python benchmarks/realdata_tools/extract_phrases.py [--out PATH]

Reads every document on disk (corpus.load_documents), finds its section headings with a
generous synonym table, and splits each section body into phrases: a timeline row, a bullet
or a table row is one phrase; prose is split into sentences. Writes
``benchmarks/realdata/phrases.jsonl`` (outside the repository: it holds real text), one row
per phrase: phrase_id (doc_id:line:index), doc_id, org, part, section, line (1-based, in the
source file), text (the source's words, with list markers stripped and runs of whitespace
collapsed to one space) and the sha256 of that text in UTF-8. A change that names an owner
or a date is written twice, once as "changes" and once as "commitments" (other index).

House sections: timeline, user_impact, what_broke, why, kept_broken, changes, commitments.
Headings that map to nothing (background, references, thanks, ...) are left out; an
unmapped sub-heading inherits the section of the heading above it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

IGNORE = "ignore"

# (section, expression over the normalised heading). The first matching row wins, so the
# narrow names come before the broad ones ("root cause remediations" is a change, not a why).
HEADING_SYNONYMS: tuple[tuple[str, str], ...] = (
    (
        IGNORE,
        r"^(references?|links?|thanks|acknowledg|resources|additional resources|appendix|faq"
        r"|q ?& ?a|attendees|participants|authors?|status|date|logs?$|evidence|screenshots?"
        r"|glossary|table of contents|contents|involved parties|supporting information"
        r"|related|see also|third[- ]party disclosure|audits?$|background|context$)",
    ),
    ("commitments", r"owners?$|commitments?|due dates?|assignees?"),
    (
        "changes",
        r"action items?|follow[- ]?ups?|remediation|corrective|preventa|prevention|next steps"
        r"|what we (will|are going to) (change|do)|what we('re| are) (doing|changing)"
        r"|improvements?|to ?dos?$|details of (the )?fix|^fix(es)?$|possible fixes"
        r"|recommendations?|^changes|future work|going forward|mitigations? planned"
        r"|lessons learned and future",
    ),
    ("timeline", r"timeline|chronolog|sequence of events|lead-?up|events$|incident log"),
    (
        "kept_broken",
        r"detection|what went wrong|what went well|what went right|where we got lucky"
        r"|what kept|time to (detect|recover|resolve|mitigate)|lags?$|escalation"
        r"|what could have gone better|what didn'?t go well|went poorly|challenges"
        r"|critical decisions|lessons? learn|learnings|takeaways|^response$|stats$|metrics$",
    ),
    (
        "why",
        r"root cause|contributing factors?|causes?$|^why|whys|trigger|what allowed"
        r"|technical cause|^fault$|how it happened|how it works|vulnerability|attack vector"
        r"|details of (the )?(exploit|issue)|analysis|hypothes|recurrence",
    ),
    (
        "user_impact",
        r"impact|fallout|affected|scope|severity|customer|user experience|damage|losses"
        r"|duration",
    ),
    (
        "what_broke",
        r"summary|overview|what happened|description|details|incident|issue|problem"
        r"|technical|investigation|resolution|recovery|mitigation|symptoms?|the attack"
        r"|the exploit|current status|^fix",
    ),
)

# "Label: text" lines that carry a section of their own, wherever they stand.
INLINE_LABELS: tuple[tuple[str, str], ...] = (
    ("kept_broken", r"time to (detection|detect|recovery|resolve|resolution|mitigat)\w*"),
    ("user_impact", r"(customer |user )?impact|duration|users affected"),
    ("why", r"root causes?|trigger|contributing factors?"),
    ("kept_broken", r"detection|detected by"),
)

NUMBER_ABOUT_USERS = re.compile(
    r"(\$\s?\d|\d[\d,.]*\s*(%|percent|k\b|m\b)|\b\d[\d,.]*\s*(users?|customers?|accounts?|people"
    r"|minutes?|mins?|hours?|hrs?|seconds?|days?|requests?|projects?|packages?|sites?|hubs?"
    r"|orders?|sessions?|builds?|jobs?|tasks?|pods?|nodes?|blocks?|transactions?|usd|eur|dollars"
    r"|xch|eth|btc|tokens?|wallets?|validators?))",
    re.IGNORECASE,
)

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
SETEXT = re.compile(r"^(=+|-+)\s*$")
BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")
TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'(\[`*])")
ABBREVIATIONS = re.compile(
    r"(?i)\b(e\.g|i\.e|etc|vs|approx|inc|no|fig|mr|ms|dr|st|v|jan|feb|mar|apr|jun|jul|aug"
    r"|sep|sept|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)\.$"
)
OWNER_HEADER = re.compile(r"(?i)owner|assignee|who|responsible|dri|lead")
DATE_HEADER = re.compile(r"(?i)due|date|when|eta|deadline|target")
# An action item that names who does it: "[jhford] ...", "(tc, cloudops teams) ...",
# "Hypha + ICL: ...", "@db-oncall", "Owner: ...", "assigned to ...".
OWNER_IN_TEXT = re.compile(
    r"((?<![\w./])@[A-Za-z][\w-]+"
    r"|^\s*\[(?!(?i:done|wip|todo|x|fixed|complete|bug)\b)[A-Za-z][\w .,/&+-]{1,30}\](?!\()"
    r"|^\s*\([A-Za-z][\w .,/&+-]{1,40}\)\s"
    r"|^\s*[A-Z]{2,6}( ?[+&,/] ?[A-Z][\w]*)*\s*:\s|^\s*[A-Z]\w+ ?\+ ?[A-Z]\w+\s*:\s"
    r"|(?i:\bowner\s*:|\bassigned to\b|\bowned by\b))"
)
VAGUE_WHEN = re.compile(
    r"\b(Q[1-4]( 20\d{2})?|H[12] 20\d{2}|next (week|sprint|month|quarter)|this (week|sprint|month"
    r"|quarter)|end of (the )?(week|month|quarter|year)|by (monday|tuesday|wednesday|thursday"
    r"|friday))\b",
    re.IGNORECASE,
)
DATE_IN_TEXT = re.compile(
    r"\b(20\d{2}-\d{2}-\d{2}|\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* 20\d{2}"
    r"|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{1,2},? 20\d{2}|\d{1,2}/\d{1,2}/\d{2,4})",
    re.IGNORECASE,
)


def normalise_heading(text: str) -> str:
    text = re.sub(r"<[^>]+>|[*_`:\[\]()?!.]|\{#[^}]*\}", " ", text.lower())
    text = re.sub(r"^\s*(\d+(\.\d+)*|[ivx]+)[.)]?\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def section_of_heading(text: str) -> str | None:
    name = normalise_heading(text)
    if not name:
        return None
    for section, pattern in HEADING_SYNONYMS:
        if re.search(pattern, name):
            return section
    return None


def clean_phrase(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def worth_keeping(text: str) -> bool:
    if re.match(r"^\[[^\]]+\]:\s*\S+", text):  # a Markdown link reference definition
        return False
    bare = re.sub(r"!?\[([^\]]*)\]\([^)]*\)|https?://\S+|[*_`|>#-]", " ", text)
    return len(re.findall(r"[A-Za-z]{2,}", bare)) >= 3 and len(bare.strip()) >= 12


def split_sentences(text: str) -> list[str]:
    pieces, start = [], 0
    for match in SENTENCE_END.finditer(text):
        candidate = text[start : match.start() + 1].rstrip()
        if ABBREVIATIONS.search(candidate) or re.search(r"\d\.$", candidate):
            continue
        pieces.append(text[start : match.start() + 1 + len(match.group(0)) - 1].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def table_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def iter_blocks(lines: list[str]):
    """Yield (kind, first_line_number, text, extra) for one document's Markdown lines.

    kinds: heading (extra=level), row (extra=header cells), bullet, line (timeline prose),
    para (prose paragraph). Code fences, HTML comments and front matter are skipped.
    """
    i, n = 0, len(lines)
    if n and lines[0].strip() == "---":
        end = next((k for k in range(1, n) if lines[k].strip() == "---"), None)
        if end is not None:
            i = end + 1
    header: list[str] | None = None
    para: list[tuple[int, str]] = []

    def flush():
        if para:
            yield ("para", para[0][0], " ".join(t for _, t in para), None)
            para.clear()

    while i < n:
        raw = lines[i]
        stripped = raw.strip()
        if stripped.startswith(("```", "~~~")):
            yield from flush()
            fence = stripped[:3]
            i += 1
            while i < n and not lines[i].strip().startswith(fence):
                i += 1
            i += 1
            continue
        if stripped.startswith("<!--"):
            yield from flush()
            while i < n and "-->" not in lines[i]:
                i += 1
            i += 1
            continue
        if match := HEADING.match(stripped):
            yield from flush()
            header = None
            yield ("heading", i + 1, match.group(2), len(match.group(1)))
            i += 1
            continue
        setext = stripped and i + 1 < n and SETEXT.match(lines[i + 1])
        if setext and not BULLET.match(raw) and not para and "|" not in stripped:
            yield ("heading", i + 1, stripped, 1 if lines[i + 1].strip()[0] == "=" else 2)
            i += 2
            continue
        if not stripped:
            yield from flush()
            header = None
            i += 1
            continue
        if stripped.startswith("|") or (stripped.count("|") >= 2 and header is not None):
            yield from flush()
            if i + 1 < n and TABLE_SEP.match(lines[i + 1]) and header is None:
                header = table_cells(stripped)
                i += 2
                continue
            if not TABLE_SEP.match(stripped):
                yield ("row", i + 1, stripped.strip("|").strip(), header)
            i += 1
            continue
        if BULLET.match(raw):
            yield from flush()
            text = BULLET.sub("", raw, count=1)
            indent = len(raw) - len(raw.lstrip())
            first = i
            i += 1
            while i < n and lines[i].strip() and not BULLET.match(lines[i]):
                nxt = lines[i]
                if HEADING.match(nxt.strip()) or nxt.strip().startswith(("|", "```")):
                    break
                if len(nxt) - len(nxt.lstrip()) <= indent and not nxt.startswith(" "):
                    break
                text += " " + nxt.strip()
                i += 1
            yield ("bullet", first + 1, text, None)
            continue
        if stripped.startswith(">"):
            stripped = stripped.lstrip("> ").strip()
        if re.match(r"^!\[[^\]]*\]\([^)]*\)$", stripped):
            i += 1
            continue
        para.append((i + 1, stripped))
        i += 1
    yield from flush()


def summary_section(sentence: str) -> str:
    return "user_impact" if NUMBER_ABOUT_USERS.search(sentence) else "what_broke"


def is_commitment(header: list[str] | None, text: str) -> bool:
    """A change that also says who or by when: it is judged a second time as a commitment."""
    if header and any(OWNER_HEADER.search(h) or DATE_HEADER.search(h) for h in header):
        return True
    return bool(OWNER_IN_TEXT.search(text) or DATE_IN_TEXT.search(text) or VAGUE_WHEN.search(text))


def inline_label(text: str) -> tuple[str, str] | None:
    match = re.match(r"^\**([A-Za-z][A-Za-z /-]{2,40}?)\**\s*:\s*\**\s*(.+)$", text)
    if not match:
        return None
    label = match.group(1).strip().lower()
    for section, pattern in INLINE_LABELS:
        if re.fullmatch(pattern, label):
            return section, text
    return None


def extract(doc, split_part: str, default_section: str | None = None):
    """The phrases of one document, as manifest-keyed rows."""
    lines = doc.text.splitlines()
    stack: list[tuple[int, str | None]] = []  # (level, section) of open headings
    seen_heading = False
    per_line: Counter = Counter()
    rows: list[dict] = []

    def emit(section: str, line: int, text: str, header: list[str] | None = None) -> None:
        text = clean_phrase(text)
        if not worth_keeping(text):
            return
        sections = [section]
        if section == "changes" and is_commitment(header, text):
            sections.append("commitments")
        for target in sections:
            index = per_line[line]
            per_line[line] += 1
            rows.append(
                {
                    "phrase_id": f"{doc.doc_id}:{line}:{index}",
                    "doc_id": doc.doc_id,
                    "org": doc.org,
                    "part": split_part,
                    "section": target,
                    "line": line,
                    "text": text,
                    "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                }
            )

    for kind, line, text, extra in iter_blocks(lines):
        if kind == "heading":
            level = extra
            mapped = section_of_heading(text)
            is_title = not seen_heading and len(normalise_heading(text).split()) > 4
            seen_heading = True
            while stack and stack[-1][0] >= level:
                stack.pop()
            if is_title:
                mapped = default_section
            elif mapped is None and stack:
                mapped = stack[-1][1]
            elif mapped is None:
                mapped = default_section
            stack.append((level, None if mapped == IGNORE else mapped))
            continue
        section = stack[-1][1] if stack else default_section
        labelled = inline_label(text)
        if labelled and section not in ("timeline", "changes"):
            emit(labelled[0], line, labelled[1])
            continue
        if section is None:
            continue
        if kind == "para" and section == "timeline":
            # a timeline written as plain lines: one phrase per source line
            for offset, piece in enumerate(lines[line - 1 :]):
                if not piece.strip():
                    break
                emit("timeline", line + offset, piece)
            continue
        if kind in ("row", "bullet"):
            target = summary_section(text) if section == "what_broke" else section
            emit(target, line, text, extra if kind == "row" else None)
            continue
        for sentence in split_sentences(text):
            target = summary_section(sentence) if section == "what_broke" else section
            emit(target, line, sentence)
    if not rows and default_section is None:
        # No heading maps to a section (a blog post written as prose): read it as a summary.
        return extract(doc, split_part, default_section="what_broke")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=corpus.REALDATA_DIR / "phrases.jsonl")
    args = parser.parse_args()
    if not corpus.available():
        print(corpus.unavailable_message())
        return 1
    split = corpus.load_split()
    rows, docs_with = [], Counter()
    for doc in corpus.load_documents():
        for row in extract(doc, corpus.part_of(doc.org, split)):
            rows.append(row)
            docs_with[doc.doc_id] += 1
    ids = Counter(row["phrase_id"] for row in rows)
    assert max(ids.values()) == 1, "phrase_id collision"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    by_section = Counter(row["section"] for row in rows)
    by_part = Counter(row["part"] for row in rows)
    print(f"{len(rows)} phrases from {len(docs_with)} documents -> {args.out}")
    print("  by part:    " + ", ".join(f"{k} {v}" for k, v in sorted(by_part.items())))
    print("  by section: " + ", ".join(f"{k} {v}" for k, v in by_section.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
