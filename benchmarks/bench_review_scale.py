"""Scale of the review through the production path: ``quarterly_review`` on PostgreSQL.

    .venv/bin/python benchmarks/bench_review_scale.py [--sizes 1000 10000] [--history 10000]

For each size: a fresh PostgreSQL database (``<DATABASE_URL name>_scale``), migrated, filled
with that many published postmortems in 2026Q3 (resampled from the labelled corpus, with
timelines and lags, bulk-inserted), then the command runs in a fresh process; printed are its
wall time and peak RSS. Then a 1,000-postmortem quarter is reviewed inside a database that also
holds ``--history`` postmortems in eight earlier quarters: its time should not grow with them.
The first review there reads the earlier quarters' timelines once for the trend and stores
their figures; the second (what every later review costs) reuses them: both are printed.

The corpus resamples ~100 labelled postmortems, so most sentences repeat (about 9 in 10 at
10,000) and the review vectorises each distinct sentence once. ``--distinct`` adds a marker
word to every sentence so none repeats: the worst case for that saving.
Skips (exit 0) without PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hindsight"
EARLIER = ["2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2"]


def scale_url() -> str:
    base = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not base.startswith("postgres"):
        base = DEFAULT_URL
    head, _, name = base.rpartition("/")
    return f"{head}/{name.split('?')[0]}_scale"


def recreate(url: str) -> bool:
    import psycopg

    head, _, name = url.rpartition("/")
    try:
        with psycopg.connect(f"{head}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable ({error}): skipped")
        return False
    return True


def child(args: list[str], url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    env.pop("CELERY_BROKER_URL", None)
    out = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, cwd=ROOT
    )
    if out.returncode:
        raise SystemExit(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


_SENTENCE_END = re.compile(r"([.!?;])(\s|$)")


def _make_distinct(text: str, tag: str) -> str:
    """Every sentence of ``text`` gets a word of its own, so no two sentences are equal."""
    count = iter(range(1_000_000))
    return _SENTENCE_END.sub(lambda m: f" at {tag}x{next(count)}{m.group(1)}{m.group(2)}", text)


def populate(n: int, quarters: list[str], seed: int, distinct: bool = False) -> dict:
    """Insert n published postmortems spread over ``quarters`` (bulk, in batches)."""
    setup_django()
    from bench_clustering import load_corpus, synthesise
    from django.core.management import call_command
    from django.db import transaction

    from postmortems.models import Lag, Postmortem, TimelineEntry

    call_command("migrate", verbosity=0)
    docs, _, services = load_corpus()
    started = time.perf_counter()
    synthetic = synthesise(docs, services, n, seed=seed)
    if distinct:
        synthetic = [
            replace(
                doc,
                why=_make_distinct(doc.why, f"w{i}"),
                what_broke=_make_distinct(doc.what_broke, f"b{i}"),
                lags=tuple(
                    replace(lag, text=_make_distinct(lag.text, f"l{i}y{k}"))
                    for k, lag in enumerate(doc.lags)
                ),
            )
            for i, doc in enumerate(synthetic)
        ]
    batch = 2000
    for offset in range(0, n, batch):
        chunk = synthetic[offset : offset + batch]
        rows = []
        for i, doc in enumerate(chunk, start=offset):
            quarter = quarters[i % len(quarters)]
            year, number = int(quarter[:4]), int(quarter[5])
            start = dt.datetime(year, 3 * number - 2, 1 + i % 28, 9, tzinfo=dt.UTC)
            rows.append(
                Postmortem(
                    title=doc.title[:200],
                    slug=f"{quarter.lower()}-{doc.slug}"[:200],
                    status="published",
                    incident_start=start,
                    incident_end=start + dt.timedelta(hours=1),
                    quarter=quarter,
                    why=doc.why,
                    what_broke=doc.what_broke,
                )
            )
        with transaction.atomic():
            created = Postmortem.objects.bulk_create(rows)
            entries, lags = [], []
            for pm, doc in zip(created, chunk, strict=True):
                page = pm.incident_start + dt.timedelta(minutes=5)
                ack = doc.page_to_ack_minutes or 2
                stop = doc.page_to_mitigation_minutes or 20
                for position, (minutes, text, phase) in enumerate(
                    [
                        (-5, "Change rolled out", ""),
                        (0, "Alert pages the on-call", "page"),
                        (ack, "On-call acknowledged", "acknowledge"),
                        (stop, "Rolled back the change", "stop_bleed"),
                        (stop + 10, "All-clear", ""),
                    ]
                ):
                    entries.append(
                        TimelineEntry(
                            postmortem=pm,
                            position=position,
                            at=page + dt.timedelta(minutes=minutes),
                            text=text,
                            phase=phase,
                        )
                    )
                for position, lag in enumerate(doc.lags):
                    lags.append(
                        Lag(
                            postmortem=pm,
                            position=position,
                            kind=lag.kind if lag.kind != "other" else "response",
                            minutes=lag.minutes,
                            text=lag.text[:500],
                        )
                    )
            TimelineEntry.objects.bulk_create(entries, batch_size=5000)
            Lag.objects.bulk_create(lags, batch_size=5000)
    return {"inserted": n, "seconds": time.perf_counter() - started}


def measure(period: str) -> dict:
    """Run the command in this (fresh) process; its time and this process's peak RSS."""
    setup_django()
    from django.core.management import call_command

    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        call_command("quarterly_review", period, stdout=sink)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_rss_mb": peak}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 100,000 takes minutes to insert and ~4 GB to cluster: pass --sizes 100000 to add it.
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--history", type=int, default=10000)
    parser.add_argument(
        "--distinct", action="store_true", help="no sentence repeats (see the module docstring)"
    )
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--quarters", default="2026Q3", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=7, help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate is not None:
        print(
            json.dumps(populate(args.populate, args.quarters.split(","), args.seed, args.distinct))
        )
        return 0
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    url = scale_url()
    kind = ", no sentence repeated" if args.distinct else ""
    print(f"quarterly_review 2026Q3 through the command on PostgreSQL (fresh process each{kind})")
    for n in args.sizes:
        if not recreate(url):
            return 0
        filled = child(["--populate", str(n), *(["--distinct"] if args.distinct else [])], url)
        figures = child(["--measure", "2026Q3"], url)
        print(
            f"  {n:>7} postmortems in the quarter: {figures['seconds']:7.1f} s, "
            f"peak RSS {figures['peak_rss_mb']:6.0f} MB (inserted in {filled['seconds']:.0f} s)",
            flush=True,
        )
    if args.history:
        for history in (0, args.history):
            if not recreate(url):
                return 0
            child(["--populate", "1000"], url)
            if history:
                child(
                    ["--populate", str(history), "--quarters", ",".join(EARLIER), "--seed", "11"],
                    url,
                )
            first = child(["--measure", "2026Q3"], url)
            again = child(["--measure", "2026Q3"], url)
            print(
                f"  1,000 in the quarter, {history:>6} in earlier quarters: "
                f"{again['seconds']:6.1f} s, peak RSS {again['peak_rss_mb']:.0f} MB "
                f"(first review, storing the trend: {first['seconds']:.1f} s)",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
