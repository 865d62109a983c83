"""Regression check for the specificity checker: every tag, reason and suggestion, before/after.

    .venv/bin/python benchmarks/specificity_snapshot.py record    # before changing the engine
    .venv/bin/python benchmarks/specificity_snapshot.py compare   # after: lists every difference

It checks every phrase of the project's own labelled sets and every development-part phrase of
the real corpus in all seven sections (not only the section it was labelled in, so every
section rule sees every kind of phrase), and every development-part document as the free text
of each section through ``check_postmortem`` (splitting, verdicts, cross-section findings).
The test part is never read. The snapshot holds real text, so it is written under the
git-ignored ``benchmarks/realdata/``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

from postmortems.specificity import SECTIONS, check_phrase, check_postmortem  # noqa: E402
from postmortems.specificity.ruleset import default_ruleset  # noqa: E402

SNAPSHOT = REPO_ROOT / "benchmarks" / "realdata" / "specificity_snapshot.jsonl"
OWN_SETS = ("specificity_phrases", "specificity_heldout", "specificity_unseen")


def _phrase_record(result) -> list:
    return [result.tag, list(result.reasons), result.suggestion, result.start, result.end]


def _texts() -> list[tuple[str, str]]:
    """(origin, phrase text) of every phrase to check, own sets first, no duplicates."""
    seen: dict[str, str] = {}
    for name in OWN_SETS:
        with (REPO_ROOT / "tests" / "data" / f"{name}.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    seen.setdefault(json.loads(line)["text"], name)
    phrases = REPO_ROOT / "benchmarks" / "realdata" / "phrases.jsonl"
    if phrases.exists():
        with phrases.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                if row.get("part") == "dev":
                    seen.setdefault(row["text"], "dev")
    return [(origin, text) for text, origin in seen.items()]


def _documents() -> list[tuple[str, str]]:
    from realdata_tools import corpus

    if not corpus.available():
        return []
    return [(doc.doc_id, doc.text) for doc in corpus.load_documents(part="dev")]


def build() -> dict[str, list]:
    records: dict[str, list] = {}
    for origin, text in _texts():
        for section in SECTIONS:
            key = f"{origin}|{section}|{hashlib.sha256(text.encode()).hexdigest()[:16]}"
            records[key] = [text, _phrase_record(check_phrase(section, text))]
    rules = default_ruleset()
    for doc_id, text in _documents():
        for cache in (rules.section_cache, rules.phrase_cache, rules.words_cache):
            cache.clear()
        result = check_postmortem(dict.fromkeys(SECTIONS, text))
        sections = {
            key: [section.verdict, [_phrase_record(p) for p in section.phrases]]
            for key, section in result.sections.items()
        }
        findings = [repr(f) for f in result.findings]
        records[f"doc|{doc_id}"] = [doc_id, [result.verdict, sections, findings]]
    return records


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "compare"
    records = build()
    if command == "record":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        with SNAPSHOT.open("w", encoding="utf-8") as handle:
            for key, value in records.items():
                handle.write(json.dumps([key, *value], ensure_ascii=False) + "\n")
        print(f"recorded {len(records)} results -> {SNAPSHOT}")
        return 0
    old = {}
    with SNAPSHOT.open(encoding="utf-8") as handle:
        for line in handle:
            key, text, value = json.loads(line)
            old[key] = (text, value)
    differences = 0
    for key in sorted(set(old) | set(records)):
        before = old.get(key, (None, None))[1]
        after = json.loads(json.dumps(records[key][1])) if key in records else None
        if before != after:
            differences += 1
            if differences <= 20:
                text = (records.get(key) or old[key])[0]
                print(
                    f"DIFF {key}\n  text:   {text[:200]!r}\n  before: {before}\n  after:  {after}"
                )
    print(f"{len(records)} results compared with {len(old)} recorded: {differences} differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
