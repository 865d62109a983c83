"""Issue 13 figures: every page under 8 concurrent clients, on PostgreSQL, through gunicorn.

Builds a 10,000-postmortem PostgreSQL database from the hand-written corpus, starts gunicorn with
3 workers on a loopback port, and drives each page with wrk (8 connections, 2 threads) for a fixed
time. Prints requests/s, p50, p95, p99, errors and response size per page.

    .venv/bin/python benchmarks/bench_load.py [--seconds 20] [--postmortems 10000] [--reuse]

`--reuse` keeps the database built by an earlier run. Skips, saying why, when PostgreSQL or wrk
is absent (Debian: `apt-get install wrk`). Traffic goes to 127.0.0.1 only, and every wrk run
stops by itself after --seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# BENCH_LOAD_DATABASE names another database, so that two checkouts can measure side by side.
DB_NAME = os.environ.get("BENCH_LOAD_DATABASE", "hindsight_bench_load")
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
SERVICE_VARIANTS = 11
WARM_UP_SECONDS = 2
CSRF_TOKEN = "benchloadcsrftokenbenchloadcsrft"  # 32 characters: an unmasked CSRF secret

WRK_SCRIPT = r"""
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
if wrk.method == "POST" then
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["X-CSRFToken"] = os.getenv("BENCH_CSRF")
  wrk.headers["HX-Request"] = "true"
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, ' ..
    '"errors": %d, "bytes": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout, summary.bytes))
end
"""


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = DB_URL
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()


def create_database(reuse: bool) -> bool:
    """Create the benchmark database; True when it already holds data to reuse."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if exists and reuse:
            return True
        c.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        c.execute(f"CREATE DATABASE {DB_NAME}")
    return False


def build_corpus(total: int) -> None:
    """Import the hand-written corpus, then copy it (with its rows) up to `total` postmortems,
    spread over two years, so one quarter holds about an eighth of them.

    Copies name variants of their source's services ("checkout-3"), SERVICE_VARIANTS in all,
    so a team's 10,000 postmortems name about 1,800 services rather than the corpus's 168."""
    from django.core.management import call_command
    from django.db import connection

    from postmortems.models import (
        Change,
        Commitment,
        Lag,
        Postmortem,
        Service,
        TimelineEntry,
        quarter_of,
    )

    call_command("migrate", verbosity=0)
    call_command(
        "import_postmortems",
        str(ROOT / "benchmarks" / "corpus"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    templates = list(
        Postmortem.objects.prefetch_related(
            "timeline", "lags", "changes", "commitments", "services"
        )
    )
    originals = list(Service.objects.all())
    Service.objects.bulk_create(
        [
            Service(name=f"{s.name}-{variant}", team=s.team)
            for variant in range(1, SERVICE_VARIANTS)
            for s in originals
        ]
    )
    service_ids = dict(Service.objects.values_list("name", "pk"))
    links = Postmortem.services.through
    row_sets = (
        (TimelineEntry, "timeline"),
        (Lag, "lags"),
        (Change, "changes"),
        (Commitment, "commitments"),
    )
    today = dt.date.today()
    batch_size = 500
    have = len(templates)
    while have < total:
        batch = []
        sources = []
        for i in range(have, min(total, have + batch_size)):
            source = templates[i % len(templates)]
            shift = dt.timedelta(days=(i * 7) % 730)
            batch.append(
                Postmortem(
                    title=f"{source.title} ({i})",
                    slug=f"{source.slug}-{i}",
                    severity=source.severity,
                    status=source.status,
                    incident_start=source.incident_start - shift,
                    incident_end=source.incident_end - shift if source.incident_end else None,
                    quarter=quarter_of(source.incident_start - shift),
                    what_broke=source.what_broke,
                    why=source.why,
                    search_text=source.search_text,
                    verdict=source.verdict,
                )
            )
            sources.append(source)
        created = Postmortem.objects.bulk_create(batch)
        for model, related in row_sets:
            copies = []
            for pm, source in zip(created, sources, strict=True):
                for obj in getattr(source, related).all():
                    fields = {
                        f.attname: getattr(obj, f.attname)
                        for f in model._meta.concrete_fields
                        if f.name not in ("id", "postmortem", "change")
                    }
                    if model is Commitment:
                        # Due dates spread over the calendar's months around today.
                        fields["due"] = today + dt.timedelta(days=(pm.pk % 240) - 120)
                    copies.append(model(postmortem=pm, **fields))
            model.objects.bulk_create(copies, batch_size=2000)
        copies = []
        for index, (pm, source) in enumerate(zip(created, sources, strict=True), start=have):
            variant = (index // len(templates)) % SERVICE_VARIANTS
            for service in source.services.all():
                name = f"{service.name}-{variant}" if variant else service.name
                copies.append(links(postmortem_id=pm.pk, service_id=service_ids[name]))
        links.objects.bulk_create(copies, batch_size=2000)
        have += len(batch)
    with connection.cursor() as cursor:
        # What autovacuum does soon after a bulk load: planner statistics, visibility map.
        cursor.execute("VACUUM ANALYZE")


def busiest_quarter() -> str:
    from django.db.models import Count

    from postmortems.models import Postmortem

    row = (
        Postmortem.objects.exclude(quarter="")
        .values("quarter")
        .annotate(n=Count("id"))
        .order_by("-n", "quarter")
        .first()
    )
    return row["quarter"]


def ensure_review(quarter: str) -> None:
    from django.core.management import call_command

    from analytics.models import QuarterReview

    if not QuarterReview.objects.filter(quarter=quarter).exists():
        call_command("quarterly_review", quarter, stdout=io.StringIO())


def session_cookie() -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore

    user, _ = User.objects.get_or_create(username="bench-load-reviewer")
    user.groups.add(Group.objects.get_or_create(name="reviewer")[0])
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=DB_URL,
        DJANGO_DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_CONN_MAX_AGE="60",
        PYTHONWARNINGS="ignore:No directory at",  # WhiteNoise: no collectstatic for a benchmark
    )
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return process
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise SystemExit("gunicorn did not start within 60 s")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def check_body() -> str:
    from urllib.parse import urlencode

    return urlencode(
        {
            "title": "Checkout timeouts",
            "what_broke": "Checkout returned 504 for 14% of requests for 23 minutes. "
            "Things were slow for a while.",
            "why": "The envoy route timeout was set to 50ms in config/envoy/checkout.yaml. "
            "There was a bug in the service.",
            "impact_summary": "1,240 customers could not pay between 14:02 and 14:25 UTC.",
        }
    )


def run_wrk(url: str, seconds: int, cookie: str, script: Path, method: str = "GET", body=""):
    env = dict(
        os.environ, BENCH_COOKIE=cookie, BENCH_METHOD=method, BENCH_BODY=body, BENCH_CSRF=CSRF_TOKEN
    )
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "30s", "-s", str(script), url],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    for line in out.stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[6:])
    raise SystemExit(f"wrk printed no figures for {url}:\n{out.stdout}\n{out.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--postmortems", type=int, default=10000)
    parser.add_argument("--reuse", action="store_true")
    args, _ = parser.parse_known_args()
    if not shutil.which("wrk"):
        print("load benchmark skipped: wrk is not installed (Debian: apt-get install wrk)")
        return 0
    if not postgres_available():
        print("load benchmark skipped: no PostgreSQL on 127.0.0.1:5432")
        return 0
    reused = create_database(args.reuse)
    django_setup()
    from urllib.parse import quote

    from django.db.models import Count

    from postmortems.models import Postmortem, Service

    if not reused:
        started = time.perf_counter()
        build_corpus(args.postmortems)
        print(
            f"built {Postmortem.objects.count()} postmortems in {time.perf_counter() - started:.0f} s"
        )
    quarter = busiest_quarter()
    ensure_review(quarter)
    cookie = session_cookie()
    slug = (
        Postmortem.objects.filter(status="published")
        .order_by("pk")
        .values_list("slug", flat=True)[0]
    )
    busiest_service = (
        Service.objects.annotate(n=Count("postmortems")).order_by("-n", "name").first().name
    )
    month = dt.date.today().strftime("%Y-%m")
    quarter_size = Postmortem.objects.filter(quarter=quarter).count()
    pages = [
        ("list", "/postmortems/", "GET"),
        ("search", "/postmortems/?q=certificate", "GET"),
        ("list, one service", f"/postmortems/?service={quote(busiest_service)}", "GET"),
        ("detail", f"/postmortems/{slug}/", "GET"),
        ("edit", f"/postmortems/{slug}/edit/", "GET"),
        ("calendar month", f"/commitments/?month={month}", "GET"),
        (f"review {quarter} ({quarter_size} pm)", f"/review/{quarter}/", "GET"),
        ("live check POST", "/postmortems/check/", "POST"),
    ]
    port = free_port()
    server = start_gunicorn(port)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(WRK_SCRIPT)
            script = Path(handle.name)
        print(
            f"# Load: {Postmortem.objects.count()} postmortems, PostgreSQL, gunicorn 3 workers, "
            f"wrk 8 connections, {args.seconds} s per page after {WARM_UP_SECONDS} s of warm-up, "
            "load generator on the same machine"
        )
        print(
            f"{'page':<34} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'KB/resp':>8}"
        )
        for name, path, method in pages:
            url = f"http://127.0.0.1:{port}{path}"
            body = check_body() if method == "POST" else ""
            request = urllib.request.Request(url, data=body.encode() or None, method=method)
            request.add_header("Cookie", cookie)
            if method == "POST":
                request.add_header("X-CSRFToken", CSRF_TOKEN)
                request.add_header("Content-Type", "application/x-www-form-urlencoded")
            with urllib.request.urlopen(request, timeout=60) as response:
                if response.status != 200 or response.url.rstrip("/").endswith("login"):
                    raise SystemExit(f"{path} answered {response.status} at {response.url}")
            # Every worker answers the page once before the clock starts: a worker's first
            # request loads templates, rules and a database connection, which is start-up,
            # not the page's steady cost.
            run_wrk(url, WARM_UP_SECONDS, cookie, script, method, body)
            figures = run_wrk(url, args.seconds, cookie, script, method, body)
            per_second = figures["requests"] / figures["seconds"]
            size = figures["bytes"] / max(1, figures["requests"]) / 1024
            print(
                f"{name:<34} {per_second:>7.1f} {figures['p50']:>8.1f} {figures['p95']:>8.1f} "
                f"{figures['p99']:>8.1f} {figures['errors']:>7} {size:>8.1f}",
                flush=True,
            )
        script.unlink()
    finally:
        stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
