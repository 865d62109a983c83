"""The quarterly review task against a real Celery worker and the Redis broker (not eager)."""

from __future__ import annotations

import os
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker

from analytics import runs, services
from analytics.models import QuarterReview, ReviewRun, RunStatus
from tests.conftest import service_missing
from tests.factories import PostmortemFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
# Every Redis key of this session carries its own prefix, so other test runs sharing the
# Redis never take these messages (nor these tests theirs).
KEY_PREFIX = f"hindsight-test-{uuid.uuid4().hex[:8]}:"


def drop_connections(app):
    """Forget pooled broker connections: eager calls made earlier pooled the default broker."""
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture
def worker_app():
    """The project's Celery app pointed at the test broker, with one worker consuming it."""
    import redis

    client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except Exception as error:
        service_missing(f"redis broker {BROKER_URL} is not reachable: {error}")

    from config.celery import app

    keys = ("broker_url", "task_always_eager", "broker_transport_options", "result_backend")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        broker_url=BROKER_URL,
        task_always_eager=False,
        broker_transport_options={"global_keyprefix": KEY_PREFIX},
        result_backend=None,
    )
    drop_connections(app)
    try:
        with start_worker(app, perform_ping_check=False, loglevel="WARNING"):
            yield app
    finally:
        app.conf.update(saved)
        drop_connections(app)
        for key in client.scan_iter(match=f"{KEY_PREFIX}*"):
            client.delete(key)


def wait_for(run_id: int, timeout: float = 60.0) -> ReviewRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = ReviewRun.objects.get(pk=run_id)
        if not run.is_active:
            return run
        time.sleep(0.2)
    pytest.fail(f"run {run_id} still {run.status} ({run.stage}) after {timeout}s")


def test_the_worker_builds_the_report_queued_by_a_review_request(worker_app, reviewer):
    PostmortemFactory(slug="refund-a", status="published")
    PostmortemFactory(slug="refund-b", status="in_review")

    request = services.request_review(quarter="2026Q3", user=reviewer)

    run = wait_for(request.run.pk)
    assert run.status == RunStatus.DONE, run.error
    assert run.attempts == 1
    assert run.claimed_by  # written by the worker's attempt, host:pid
    review = QuarterReview.objects.get(quarter="2026Q3")
    assert review.run_id == run.pk
    assert review.postmortems == 2
    members = review.corpus_report().root_causes.patterns[0].members
    assert members == ("refund-a", "refund-b")


def test_a_run_left_by_a_killed_attempt_is_taken_over_when_redelivered(worker_app):
    """What reject_on_worker_lost leads to: the message comes back while the run still says
    running, claimed by a process that no longer exists; the next attempt finishes it."""
    import socket
    import subprocess
    import sys

    from django.utils import timezone

    PostmortemFactory(slug="refund-a", status="published")
    PostmortemFactory(slug="refund-b", status="published")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    run = services.request_review(quarter="2026Q3", enqueue=False).run
    ReviewRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING,
        claim="killed",
        attempts=1,
        heartbeat_at=timezone.now(),
        claimed_by=f"{socket.gethostname()}:{dead.pid}",
        stage="root causes: clustering",
    )

    runs._send(run.pk)

    run = wait_for(run.pk)
    assert run.status == RunStatus.DONE, run.error
    assert run.attempts == 2
    assert QuarterReview.objects.get(quarter="2026Q3").run_id == run.pk
