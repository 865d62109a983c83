"""Issue 5 figures: the commitments calendar's server time and SQL query count, month view and
list view, with 1,000 and 10,000 commitments (5 per postmortem) in the database.

    .venv/bin/python benchmarks/bench_calendar.py [--postgres] [--requests N]

A logged-in leader requests each page through Django's test Client; the query count is taken
with CaptureQueriesContext and must be the same at both sizes.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys

from django_env import percentile, setup, time_get

LABEL = setup("calendar")

from django.contrib.auth.models import Group, User  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from commitments.models import CommitmentEvent  # noqa: E402
from postmortems.models import Change, Commitment, Postmortem, Service, quarter_of  # noqa: E402

PER_POSTMORTEM = 5
SIZES = (1_000, 10_000)
REQUESTS = int(sys.argv[sys.argv.index("--requests") + 1]) if "--requests" in sys.argv else 30
OWNERS = [f"owner{i:02d}" for i in range(40)]
STATUSES = ["open"] * 6 + ["done"] * 3 + ["dropped"]
TODAY = timezone.now().date()


def fill_to(commitments: int, rng: random.Random, services: list[Service], leader: User) -> None:
    """Add postmortems with 5 changes and 5 commitments each until there are `commitments`."""
    have = Postmortem.objects.count()
    want = commitments // PER_POSTMORTEM
    start = timezone.now() - dt.timedelta(days=540)
    postmortems = []
    for i in range(have, want):
        at = start + dt.timedelta(hours=6.5 * i)
        postmortems.append(
            Postmortem(
                title=f"Incident {i}: refund agent overcharged customers",
                slug=f"bench-{i}",
                status="published",
                incident_start=at,
                incident_end=at + dt.timedelta(minutes=20),
                quarter=quarter_of(at),
            )
        )
    postmortems = Postmortem.objects.bulk_create(postmortems, batch_size=500)
    Postmortem.services.through.objects.bulk_create(
        [
            Postmortem.services.through(postmortem_id=pm.pk, service_id=rng.choice(services).pk)
            for pm in postmortems
        ],
        batch_size=1000,
    )
    changes = Change.objects.bulk_create(
        [
            Change(
                postmortem=pm,
                position=j,
                kind="pr",
                text=f"Change {j} of {pm.slug}",
                reference=f"PR #{pm.pk * 10 + j}",
            )
            for pm in postmortems
            for j in range(PER_POSTMORTEM)
        ],
        batch_size=1000,
    )
    rows = []
    for change in changes:
        rows.append(
            Commitment(
                postmortem_id=change.postmortem_id,
                change=change,
                position=change.position,
                text=f"Commitment for {change.text}",
                owner=rng.choice(OWNERS),
                due=TODAY + dt.timedelta(days=rng.randint(-270, 120)),
                status=rng.choice(STATUSES),
            )
        )
    rows = Commitment.objects.bulk_create(rows, batch_size=1000)
    CommitmentEvent.objects.bulk_create(
        [
            CommitmentEvent(
                commitment=c, actor=leader, action="status", old_value="open", new_value="done"
            )
            for c in rows
            if c.status == "done"
        ],
        batch_size=1000,
    )


def measure(client: Client, url: str) -> tuple[list[float], int]:
    return time_get(client, url, REQUESTS)


def main() -> None:
    rng = random.Random(5)
    leader = User.objects.create_user("leo", password="x")
    leader.groups.add(Group.objects.get_or_create(name="leadership")[0])
    services = [
        Service.objects.create(name=f"service-{i}", team=f"team-{i % 6}") for i in range(24)
    ]
    client = Client(HTTP_HOST="localhost")  # in the default ALLOWED_HOSTS
    client.force_login(leader)
    month = TODAY.strftime("%Y-%m")
    pages = {
        "month view": f"/commitments/?month={month}",
        "month view, one team, open": f"/commitments/?month={month}&team=team-2&status=open",
        "list view, page 1": "/commitments/?view=list",
        "list view, page 40": "/commitments/?view=list&page=40",
        "list view, overdue": "/commitments/?view=list&status=overdue",
    }
    print(f"Commitments calendar on {LABEL}, {REQUESTS} requests per page, logged-in leader")
    counts: dict[str, list[int]] = {name: [] for name in pages}
    for size in SIZES:
        fill_to(size, rng, services, leader)
        in_month = Commitment.objects.filter(due__year=TODAY.year, due__month=TODAY.month).count()
        print(
            f"\n{Commitment.objects.count():,} commitments over {Postmortem.objects.count():,} "
            f"postmortems ({in_month} due this month)"
        )
        print(f"  {'page':<30} {'median':>9} {'p95':>9} {'queries':>8}")
        for name, url in pages.items():
            times, queries = measure(client, url)
            counts[name].append(queries)
            print(
                f"  {name:<30} {statistics.median(times):7.1f}ms "
                f"{percentile(times, 0.95):7.1f}ms {queries:>8}"
            )
    steady = all(len(set(c)) == 1 for c in counts.values())
    print(f"\nquery count independent of the number of commitments: {'yes' if steady else 'NO'}")
    if not steady:
        sys.exit(1)


if __name__ == "__main__":
    main()
