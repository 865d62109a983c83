"""Benchmark of the quarterly review through the Django service, on the labelled corpus.

    .venv/bin/python benchmarks/bench_review.py [--keep DB_FILE]

Imports ``benchmarks/corpus/*.md`` into a throwaway SQLite database, then builds the review of
every quarter through ``analytics.services`` (queue a run, run it, store the report and the
patterns document), oldest quarter first so recurring patterns are counted. Prints per quarter
the postmortems read, the patterns found per dimension, how many recur, the response-lag
medians, and the wall time of the run and of its parts. The clustering itself, its accuracy
and its scaling are measured by ``bench_clustering.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "benchmarks" / "corpus"
sys.path.insert(0, str(ROOT))


def setup_django(db_file: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def import_corpus() -> tuple[int, float]:
    from postmortems.document import parse_document
    from postmortems.document_io import import_document

    started = time.perf_counter()
    paths = sorted(p for p in CORPUS.glob("*.md") if p.name.lower() != "readme.md")
    for path in paths:
        import_document(
            doc=parse_document(path.read_text(encoding="utf-8"), slug=path.stem), source=path.name
        )
    return len(paths), time.perf_counter() - started


def timed_parts(runs):
    """Wrap the service's steps to time loading, clustering and comparing separately."""
    parts: dict[str, float] = {}

    def timing(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parts[name] = parts.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    runs.load_corpus = timing("load", runs.load_corpus)
    runs.cluster_corpus = timing("cluster", runs.cluster_corpus)
    runs.store_report = timing("store", runs.store_report)
    return parts


def minutes(value):
    return "—" if value is None else f"{value:g}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="SQLite file to keep instead of a throwaway one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hindsight-bench-") as tmp:
        db_file = args.keep or Path(tmp) / "bench_review.sqlite3"
        setup_django(db_file)
        from analytics import runs, services
        from analytics.models import QuarterReview, RunStatus
        from postmortems.models import Postmortem

        imported, import_seconds = import_corpus()
        print(f"Imported {imported} postmortems in {import_seconds:.2f}s ({db_file.name})")
        quarters = sorted(
            set(
                Postmortem.objects.reviewable()
                .exclude(quarter="")
                .values_list("quarter", flat=True)
            )
        )
        parts = timed_parts(runs)
        header = (
            f"{'quarter':8} {'pms':>4} {'root':>5} {'detect':>7} {'resp':>5} {'recur':>6} "
            f"{'ack':>6} {'mitig':>6} {'load':>6} {'cluster':>8} {'other':>6} {'store':>6} "
            f"{'total':>7}"
        )
        print(header)
        print("-" * len(header))
        totals = []
        for quarter in quarters:
            parts.clear()
            started = time.perf_counter()
            run = services.request_review(quarter=quarter, enqueue=False).run
            run = services.run_review(run_id=run.pk)
            total = time.perf_counter() - started
            assert run.status == RunStatus.DONE, run.error
            totals.append(total)
            report = QuarterReview.objects.get(quarter=quarter).corpus_report()
            dims = (report.root_causes, report.detection_gaps, report.response_lags)
            recurring = sum(1 for d in dims for p in d.patterns if p.recurring_quarters > 1)
            load = parts.get("load", 0.0)
            cluster = parts.get("cluster", 0.0)
            store = parts.get("store", 0.0)
            other = total - load - cluster - store  # claiming, progress, comparing
            print(
                f"{quarter:8} {report.postmortems:>4} {len(dims[0].patterns):>5} "
                f"{len(dims[1].patterns):>7} {len(dims[2].patterns):>5} {recurring:>6} "
                f"{minutes(report.response_figures.median_page_to_ack):>6} "
                f"{minutes(report.response_figures.median_page_to_mitigation):>6} "
                f"{load:>6.2f} {cluster:>8.2f} {other:>6.2f} {store:>6.2f} {total:>7.2f}"
            )
        print(
            f"\n{len(quarters)} quarters, {sum(totals):.2f}s in all; "
            f"slowest quarter {max(totals):.2f}s. Columns: patterns per dimension, patterns "
            "recurring from the previous quarter, median page→ack / page→mitigation minutes, "
            "seconds per part (load includes the trend's earlier quarters; other is claiming the run, "
            "progress writes and matching earlier reports)."
        )


if __name__ == "__main__":
    main()
