"""Importing postmortems written in other teams' templates.

1. Speed: 1,000 generated documents in a foreign template (a platform team's layout: table
   timeline with a zone note, contributing factors, action items, lessons learned, stats),
   read alone and read + written to the database through the import path; docs/second.
2. Coverage on the real corpus kept outside the repository (benchmarks/realdata, see
   realdata_tools/README.md): how many documents import with a date, a timeline with times,
   a why and changes mapped, per part of the frozen split (dev used for tuning, test held out).
   Says plainly when the folder is absent.

    python benchmarks/bench_import.py [--postgres] [--count N] [--held-out]
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import django_env  # noqa: E402

DATED_ROW = re.compile(r"^\d{4}-\d{2}-\d{2} — ")
COUNT = int(sys.argv[sys.argv.index("--count") + 1]) if "--count" in sys.argv else 1000


def generated_document(n: int) -> tuple[str, bytes]:
    day = 1 + n % 28
    month = 1 + (n // 28) % 12
    name = f"PM2024-{n:04d} - Queue consumers stalled on shard {n % 17}.md"
    rows = "\n".join(
        f"| {9 + i // 6:02d}:{(i * 7) % 60:02d} | Step {i}: consumer group {n % 5} rebalanced, lag {i * 40} msgs | svc-{i % 3} |"
        for i in range(12)
    )
    text = f"""# Queue consumers stalled on shard {n % 17}

**Date:** 2024-{month:02d}-{day:02d}
**Severity:** P{1 + n % 3}

## Summary

Order events were delayed for {10 + n % 50} minutes for {200 + n} customers. The consumer group kept a stale assignment after broker {n % 4} restarted.

## Timeline

All times are CET.

| Time | Event | Service |
|------|-------|---------|
{rows}

## Contributing Factors

- `session.timeout.ms` was {30 + n % 9}000 while the broker restart took longer.
- The lag alert window was 30 minutes.

## Action Items

| Action | Owner | Due | Ticket |
|--------|-------|-----|--------|
| Lower session.timeout.ms to 10000 | @queue-oncall | 2024-12-01 | Q-{n} |
| Page on consumer lag > 5000 for 5 min to #queue-oncall | @sre | 2024-12-15 | Q-{n + 1} |
- Add a rebalance drill to the runbook section "Broker restarts" (Q-{n + 2})

## Lessons Learned

### What went well

- The rollback of the consumer config took two minutes.

### Where we got lucky

- It happened outside the sale window.

## Stats

- Time to detection: {n % 20 + 1} minutes
- Time to recovery: {n % 50 + 10} minutes
"""
    return name, text.encode()


def speed() -> None:
    label = django_env.setup("import")
    from postmortems.importing import Upload, import_uploads, read_uploads

    uploads = [Upload(*generated_document(n)) for n in range(COUNT)]
    start = time.perf_counter()
    readings = read_uploads(uploads)
    read_seconds = time.perf_counter() - start
    assert all(r.ok for r in readings), [r.error for r in readings if not r.ok][:3]
    start = time.perf_counter()
    pairs = import_uploads(uploads)
    seconds = time.perf_counter() - start
    assert all(result.error is None for _, result in pairs), [
        result.error for _, result in pairs if result.error
    ][:3]
    print(f"foreign-template import of {COUNT} documents ({label}):")
    print(
        f"  reading only, in one process: {COUNT / read_seconds:8.0f} docs/s ({read_seconds * 1000 / COUNT:.2f} ms each)"
    )
    print(f"  reading + writing:            {COUNT / seconds:8.0f} docs/s "
          f"({seconds * 1000 / COUNT:.1f} ms each, files to rows through importing.import_uploads, "
          "as the command imports)")  # fmt: skip
    start = time.perf_counter()
    pairs = import_uploads(uploads)
    again = time.perf_counter() - start
    assert not any(result.created or result.error for _, result in pairs)
    print(f"  importing the same {COUNT} again (every one an update): {COUNT / again:8.0f} docs/s")


def coverage() -> None:
    from benchmarks.realdata_tools import corpus
    from postmortems.document.foreign import load_table, read_postmortem
    from postmortems.document_io import ImportRefused, import_document

    if not corpus.available():
        print("real corpus: ABSENT — no figures. " + corpus.unavailable_message())
        return
    table = load_table()
    # The held-out part is scored only when asked, so tuning runs never show it.
    parts = ("dev", "test") if "--held-out" in sys.argv or "--all" in sys.argv else ("dev",)
    for part in parts:
        counts: Counter = Counter()
        orgs: set[str] = set()
        taken: set[str] = set()
        for doc in corpus.load_documents(part=part):
            orgs.add(doc.org)
            counts["documents"] += 1
            name = PurePosixPath(doc.path).name
            reading = read_postmortem(
                doc.text.encode(), filename=name, table=table, taken_slugs=taken
            )
            if not reading.ok:
                counts["unreadable"] += 1
                continue
            d = reading.doc
            try:
                import_document(doc=d, source=name)
            except ImportRefused as refused:
                counts["refused"] += 1
                print(f"  refused by the write service: {doc.doc_id}: {refused}")
                continue
            dated = not any("only the year is known" in w.message for w in d.warnings)
            mapped = {
                "date": dated,
                # A row with a time, or with a day when the source gives days only.
                "timeline": any(e.at is not None or DATED_ROW.match(e.text) for e in d.timeline),
                "why": bool(d.why.strip()),
                "changes": bool(d.changes),
            }
            counts.update(key for key, ok in mapped.items() if ok)
            if all(mapped.values()):
                counts["all four"] += 1
            if doc.incident_date:
                counts["labelled date"] += 1
                counts["date right"] += d.incident_date.isoformat() == doc.incident_date
        n = counts["documents"]
        held = "held out, not read while tuning" if part == "test" else "used for tuning"
        print(f"real corpus, {part} part ({n} documents, {len(orgs)} organisations; {held}):")
        print(f"  read without error:            {n - counts['unreadable']:4d} / {n}")
        written = n - counts["unreadable"] - counts["refused"]
        print(f"  written to the database:       {written:4d} / {n}")
        for key in ("date", "timeline", "why", "changes", "all four"):
            print(f"  with {key + ' mapped:':<25}{counts[key]:4d} / {n}")
        print(
            f"  date equal to the manifest's:  {counts['date right']:4d} / {counts['labelled date']}"
        )
    if parts == ("dev",):
        print("  (the held-out test part is scored with --held-out; tuning runs never show it)")


if __name__ == "__main__":
    speed()
    coverage()
