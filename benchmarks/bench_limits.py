"""Issue 9 figures: the live check's time for 10 KB, 100 KB and 1 MB of text (it should grow
linearly), and a search's time with one 50 MB postmortem in the corpus.

.venv/bin/python benchmarks/bench_limits.py [--postgres]
"""

from __future__ import annotations

import statistics
import sys
import time

from django_env import setup

label = setup("limits")

from django.contrib.auth.models import Group, User  # noqa: E402
from django.test import Client  # noqa: E402

from postmortems.checking import ruleset  # noqa: E402
from postmortems.models import Postmortem  # noqa: E402

SENTENCES = (
    "Refund {n} was written as $4000 instead of $40.00 because lookup_order.amount has no unit field.",
    "Around 2pm things were slow for a while.",
    "p99 latency of refunds-api rose from 180 ms to {n} ms for 11 minutes after bundle v5.",
    "We should add more monitoring.",
    "The amount-anomaly alert fired at 14:05 UTC to the primary on-call (threshold 3x, 5 min window).",
)


def prose(size: int) -> str:
    """Written-looking text of ``size`` characters, one paragraph per five sentences."""
    parts, total, n = [], 0, 0
    while total < size:
        sentence = SENTENCES[n % len(SENTENCES)].format(n=1000 + n)
        parts.append(sentence + ("\n" if n % 5 == 4 else " "))
        total += len(parts[-1])
        n += 1
    return "".join(parts)[:size]


def check_times(client) -> None:
    print(f"# Live check of one section's text ({label}; nothing remembered, 3 runs each)")
    per_kb = []
    for size in (10_000, 100_000, 1_000_000):
        body = {"what_broke": prose(size), "title": "Bench"}
        times = []
        for _ in range(3):
            rules = ruleset()
            for cache in (rules.section_cache, rules.phrase_cache, rules.words_cache):
                cache.clear()
            started = time.perf_counter()
            response = client.post("/postmortems/check/", body, HTTP_HX_REQUEST="true")
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        median = statistics.median(times)
        per_kb.append(median / (size / 1000))
        print(
            f"{size // 1000:>5} KB   median {median * 1000:8.1f} ms   {per_kb[-1] * 1000:6.2f} ms per KB"
        )
    print(f"per-KB cost, 1 MB vs 10 KB: x{per_kb[-1] / per_kb[0]:.2f} (1.0 = linear)")


def search_times(client) -> None:
    author = User.objects.get(username="bench-reader")
    for i in range(200):
        Postmortem.objects.create(
            title=f"Incident {i}",
            slug=f"incident-{i}",
            why=prose(2_000).replace("Refund", f"Refund{i}"),
            search_text=prose(2_000).replace("Refund", f"Refund{i}"),
            created_by=author,
        )
    text = prose(50_000_000)
    started = time.perf_counter()
    # What an import stores (search_text is the sections' text); the checker's verdict is
    # left out here, it is timed above.
    Postmortem.objects.create(
        title="The huge import", slug="huge-import", why=text, search_text=text, created_by=author
    )
    print(f"\n# Search, 200 postmortems plus one of 50 MB ({label})")
    print(
        f"storing the 50 MB postmortem (and its search vector) {time.perf_counter() - started:6.1f} s"
    )
    for query in ("refund anomaly", "unit field", "nothing-matches-this"):
        client.get("/postmortems/", {"q": query})  # warm
        times = []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get("/postmortems/", {"q": query})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        print(f"q={query!r:<24} median {statistics.median(times):8.1f} ms")


def editor_times(client) -> None:
    import datetime as dt
    from urllib.parse import urlencode

    from postmortems.models import TimelineEntry
    from postmortems.snapshot import snapshot

    author = User.objects.get(username="bench-reader")
    postmortem = Postmortem.objects.create(
        title="Long timeline", slug="long-timeline", created_by=author
    )
    start = dt.datetime(2026, 8, 14, 14, 0, tzinfo=dt.UTC)
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            postmortem=postmortem,
            position=i,
            at=start + dt.timedelta(seconds=30 * i),
            text=f"Event {i}: retried refund batch {i}",
            actor="alice",
        )
        for i in range(500)
    )
    url = f"/postmortems/{postmortem.slug}/edit/"
    client.get(url)
    times, size = [], 0
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        size = len(response.content)
    print(f"\n# Editor with 500 timeline rows ({label})")
    print(f"edit page: {size / 1024:7.0f} KB, median {statistics.median(times):7.1f} ms")
    data = urlencode(dict(snapshot(postmortem), action="save", why="The schema has no unit field."))
    started = time.perf_counter()
    response = client.post(url, data, content_type="application/x-www-form-urlencoded")
    print(
        f"save of all 500 rows: {(time.perf_counter() - started) * 1000:7.1f} ms "
        f"(status {response.status_code})"
    )


def main() -> None:
    user = User.objects.create_user("bench-reader", password="x")
    user.groups.add(Group.objects.get_or_create(name="reviewer")[0])
    client = Client()
    client.force_login(user)
    check_times(client)
    editor_times(client)
    search_times(client)


if __name__ == "__main__":
    sys.exit(main())
