"""Celery tasks of the quarterly review: thin, given ids and strings, calling services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services
from .quarters import previous_quarter

# A run's retries wait for a presumed-dead attempt to go stale; this bounds the wait.
BUSY_RETRIES = 20


@shared_task(
    bind=True,
    name="analytics.tasks.build_quarterly_review",
    # A worker killed mid-run puts the message back; the next attempt takes the run over.
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=14 * 60,
    time_limit=15 * 60,
    max_retries=BUSY_RETRIES,
)
def build_quarterly_review(self, run_id: int) -> str:
    """Build the report of one ReviewRun (by id)."""
    try:
        run = services.run_review(run_id=run_id)
    except services.RunBusy as busy:
        raise self.retry(countdown=busy.retry_in) from None
    return run.status


@shared_task(
    name="analytics.tasks.review_previous_quarter",
    soft_time_limit=50,
    time_limit=60,
)
def review_previous_quarter() -> int:
    """Beat, on the first day of a quarter: queue the review of the quarter just ended."""
    request = services.request_review(quarter=previous_quarter(timezone.now()), user=None)
    return request.run.pk


@shared_task(
    name="analytics.tasks.expire_abandoned_review_runs",
    soft_time_limit=50,
    time_limit=60,
)
def expire_abandoned_review_runs() -> int:
    """Beat, every few minutes: mark abandoned the review runs whose worker died."""
    return services.expire_abandoned_runs()
