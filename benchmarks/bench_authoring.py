"""Issue 2 figures: importing 1,000 Markdown postmortems, and the edit and detail pages' server
time and SQL query count with 1,000 and 10,000 postmortems in the database.

    .venv/bin/python benchmarks/bench_authoring.py [--postgres]
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from django_env import ROOT, percentile, setup, time_get

LABEL = setup("authoring")

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from postmortems.models import Change, Commitment, Lag, Postmortem, TimelineEntry  # noqa: E402
from postmortems.services import refresh_derived  # noqa: E402

SOURCES = sorted(
    p for p in (ROOT / "benchmarks" / "corpus").glob("*.md") if p.name != "README.md"
) + sorted((ROOT / "tests" / "data" / "postmortems").glob("refund-*.md"))


def bench_import(count: int = 1000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for i in range(count):
            source = SOURCES[i % len(SOURCES)]
            (Path(folder) / f"{source.stem}-{i:04d}.md").write_text(source.read_text())
        started = time.perf_counter()
        call_command("import_postmortems", folder, stdout=io.StringIO(), stderr=io.StringIO())
        elapsed = time.perf_counter() - started
    print(
        f"import {count} Markdown postmortems: {elapsed:.1f} s ({count / elapsed:.0f} per second)"
    )


def fill_to(total: int, template: Postmortem) -> None:
    """Copy the template postmortem (with its rows) until the database holds `total`."""
    have = Postmortem.objects.count()
    rows = {
        TimelineEntry: list(template.timeline.all()),
        Lag: list(template.lags.all()),
        Change: list(template.changes.all()),
        Commitment: list(template.commitments.all()),
    }
    batch = []
    for i in range(have, total):
        batch.append(
            Postmortem(
                title=f"{template.title} #{i}",
                slug=f"bench-{i}",
                severity=template.severity,
                status="published",
                incident_start=template.incident_start - dt.timedelta(days=i % 700),
                quarter="",
                what_broke=template.what_broke,
                why=template.why,
                search_text=template.search_text,
                verdict=template.verdict,
            )
        )
    created = Postmortem.objects.bulk_create(batch, batch_size=500)
    for model, objects in rows.items():
        copies = []
        for pm in created:
            for obj in objects:
                copy = model(
                    **{
                        f.attname: getattr(obj, f.attname)
                        for f in model._meta.concrete_fields
                        if f.name not in ("id", "postmortem", "change")
                    }
                )
                copy.postmortem = pm
                copies.append(copy)
        model.objects.bulk_create(copies, batch_size=2000)


def page_figures(client: Client, url: str, runs: int = 30) -> tuple[float, float, int]:
    times, queries = time_get(client, url, runs)
    return statistics.median(times), percentile(times, 0.95), queries


def main() -> None:
    print(f"# Authoring benchmark ({LABEL})")
    bench_import(1000)
    user = User.objects.create_user("bench-reviewer", password="x")
    user.groups.add(Group.objects.get_or_create(name="reviewer")[0])
    client = Client()
    client.force_login(user)
    template = Postmortem.objects.filter(slug__startswith="refund-cents-dollars").first()
    refresh_derived(template)
    big = Postmortem.objects.exclude(pk=template.pk).first()
    # A postmortem with ten times the rows, to show queries do not grow with rows.
    for i in range(40):
        TimelineEntry.objects.create(
            postmortem=big,
            position=100 + i,
            at=big.incident_start,
            text=f"Extra event {i}",
            actor="bench",
        )
        Lag.objects.create(
            postmortem=big, position=100 + i, kind="response", minutes=i, text=f"Extra lag {i}"
        )
    print(f"{'postmortems':>12} {'page':<22} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for total in (1000, 10000):
        fill_to(total, template)
        for name, slug in (("typical", template.slug), ("+80 rows", big.slug)):
            for page in ("edit", "detail"):
                url = f"/postmortems/{slug}/" + ("edit/" if page == "edit" else "")
                median, p95, queries = page_figures(client, url)
                print(
                    f"{Postmortem.objects.count():>12} {page + ' (' + name + ')':<22} {median:>10.1f} {p95:>8.1f} {queries:>8}"
                )
    median, p95, queries = page_figures(client, "/postmortems/?q=certificate")
    print(
        f"{Postmortem.objects.count():>12} {'list + search':<22} {median:>10.1f} {p95:>8.1f} {queries:>8}"
    )


if __name__ == "__main__":
    sys.exit(main())
