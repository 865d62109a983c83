"""A review survives its whole worker being killed: the page shows it abandoned with Re-run,
and the unacknowledged message comes back to the next worker, which finishes the run."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from analytics import services, tasks
from analytics.models import QuarterReview, ReviewRun, RunStatus
from tests.conftest import service_missing
from tests.factories import PostmortemFactory
from tests.test_review_worker import BROKER_URL, drop_connections

ROOT = Path(__file__).resolve().parent.parent
QUARTER = "2026Q3"


def test_the_page_shows_a_silent_run_abandoned_with_re_run_and_changes_nothing(
    db, client, reviewer
):
    run = services.request_review(quarter=QUARTER, enqueue=False).run
    long_ago = timezone.now() - services.STALE_RUNNING * 3
    ReviewRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, heartbeat_at=long_ago, claimed_by="other-host:4242"
    )
    client.force_login(reviewer)
    page = client.get(reverse("review_quarter", args=[QUARTER])).content.decode()
    assert "Abandoned" in page
    assert "Run the review" in page
    assert 'hx-trigger="every 1s"' not in page
    assert ReviewRun.objects.get(pk=run.pk).status == RunStatus.RUNNING  # a GET wrote nothing


def test_the_beat_job_marks_silent_runs_abandoned_so_a_new_run_can_start(db):
    run = services.request_review(quarter=QUARTER, enqueue=False).run
    ReviewRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING,
        heartbeat_at=timezone.now() - services.STALE_RUNNING * 3,
        claimed_by="other-host:4242",
    )
    assert tasks.expire_abandoned_review_runs() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error.startswith("Abandoned")
    assert services.request_review(quarter=QUARTER, enqueue=False).created


def test_the_broker_redelivers_within_the_task_time_limit_plus_a_margin(settings):
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_TIME_LIMIT < timeout < 3600


def _worker(env):
    log = open(env["WORKER_LOG"], "ab")  # noqa: SIM115 - the worker writes to it until killed
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


def _wait(predicate, what, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_killing_the_whole_worker_mid_run_leaves_it_abandoned_then_redelivered(
    client, reviewer, tmp_path
):
    import psycopg
    import redis

    if connection.vendor != "postgresql":
        service_missing("a worker process shares the test database only on PostgreSQL")
    broker = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2)
    try:
        broker.ping()
    except Exception as error:
        service_missing(f"redis broker {BROKER_URL} is not reachable: {error}")

    PostmortemFactory(slug="refund-a", status="published")
    PostmortemFactory(slug="refund-b", status="published")
    first = services.request_review(quarter=QUARTER, enqueue=False).run
    services.run_review(run_id=first.pk)  # a previous report, whose row the next run updates

    db = connection.settings_dict
    dsn = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    prefix = f"hindsight-kill-{uuid.uuid4().hex[:8]}:"
    env = {
        **os.environ,
        "DATABASE_URL": dsn.replace("postgresql://", "postgres://"),
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_BROKER_KEY_PREFIX": prefix,
        "CELERY_BROKER_VISIBILITY_TIMEOUT": "3",
        "CELERY_BROKER_RESTORE_INTERVAL": "1",
        "WORKER_LOG": str(tmp_path / "worker.log"),
    }
    from config.celery import app

    saved = {
        k: app.conf[k] for k in ("broker_url", "task_always_eager", "broker_transport_options")
    }
    app.conf.update(
        broker_url=BROKER_URL,
        task_always_eager=False,
        broker_transport_options={"global_keyprefix": prefix, "visibility_timeout": 3},
    )
    drop_connections(app)
    # Hold the quarter's report row: the run gets as far as saving and waits there.
    holder = psycopg.connect(dsn)
    holder.execute(
        "SELECT id FROM analytics_quarterreview WHERE quarter = %s FOR UPDATE", [QUARTER]
    )
    workers = []
    try:
        workers.append(_worker(env))
        run = services.request_review(quarter=QUARTER, user=reviewer).run
        _wait(
            lambda: ReviewRun.objects.filter(pk=run.pk, stage="saving the report").exists(),
            "the run to reach its last stage",
        )
        os.killpg(workers[0].pid, signal.SIGKILL)  # the main process and its child
        workers[0].wait()
        holder.rollback()

        run.refresh_from_db()
        assert (run.status, run.attempts) == (RunStatus.RUNNING, 1)  # nobody acknowledged it
        client.force_login(reviewer)
        page = client.get(reverse("review_quarter", args=[QUARTER])).content.decode()
        assert "Abandoned" in page
        assert "Re-run the review" in page
        assert 'hx-trigger="every 1s"' not in page

        workers.append(_worker(env))  # the message comes back once its visibility lapses
        run = _wait(
            lambda: ReviewRun.objects.filter(pk=run.pk, status=RunStatus.DONE).first(),
            "the redelivered run to finish",
        )
        assert run.attempts == 2
        assert QuarterReview.objects.get(quarter=QUARTER).run_id == run.pk
    finally:
        holder.close()
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=30)
        app.conf.update(saved)
        drop_connections(app)
        for key in broker.scan_iter(match=f"{prefix}*"):
            broker.delete(key)


def test_stale_running_is_shorter_than_the_visibility_timeout(settings):
    visibility = dt.timedelta(
        seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    )
    assert visibility > services.STALE_RUNNING
