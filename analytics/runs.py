"""Runs of the review and their claims: queue a run, build its report, hand it to storage.

A run moves queued → running → done or failed. The report of a period is written once, at the
end, in one transaction that also checks the run still belongs to this attempt, so a killed
worker leaves the previous report as it was and two attempts never both write.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .clustering import cluster_corpus
from .corpus_loading import confirmed_tags, example_tags, load_corpus
from .models import ReviewRun, RunStatus
from .periods import period_name
from .report_storage import ClaimLost, clustering_config, compare_with_earlier, store_report

logger = logging.getLogger(__name__)

BUILD_TASK = "analytics.tasks.build_quarterly_review"

# A running attempt that has not reported progress for this long is presumed dead.
STALE_RUNNING = dt.timedelta(minutes=2)
# A queued run nobody picked up in this long lost its message (broker flushed, say).
STALE_QUEUED = dt.timedelta(hours=24)
# Progress is written at most this often (seconds), and on every change of stage.
PROGRESS_INTERVAL = 0.5


class RunBusy(Exception):
    """Another live attempt is building this run; try again after ``retry_in`` seconds."""

    def __init__(self, run: ReviewRun, retry_in: int = 30):
        super().__init__(f"run #{run.pk} of {run.quarter} is being built by {run.claimed_by}")
        self.run = run
        self.retry_in = retry_in


@dataclass(frozen=True)
class RunRequest:
    run: ReviewRun
    created: bool


# ---------------------------------------------------------------------------- queueing


def expire_abandoned_runs(*, quarter: str | None = None) -> int:
    """Mark abandoned the runs (of the quarter, or of every quarter) whose worker is gone, so
    the page stops polling, offers Re-run, and they stop blocking new runs.

    Gone means: running with no progress for STALE_RUNNING, or held by a process of this host
    that no longer exists (a ``kill -9`` of the whole worker); queued and never picked up for
    STALE_QUEUED. Called on every load of the review page and by a beat job."""
    now = timezone.now()
    count = 0
    runs = ReviewRun.objects.active()
    if quarter is not None:
        runs = runs.filter(quarter=quarter)
    for run in runs:
        if is_abandoned(run, now=now):
            count += ReviewRun.objects.filter(pk=run.pk, status=run.status).update(
                status=RunStatus.FAILED, finished_at=now, error=abandoned_reason(run)
            )
    return count


def is_abandoned(run: ReviewRun, *, now: dt.datetime) -> bool:
    """Whether an active run's worker is gone (see expire_abandoned_runs); reads only."""
    if run.status == RunStatus.RUNNING:
        last = run.heartbeat_at or run.created_at
        return last < now - STALE_RUNNING or (
            bool(run.claimed_by) and _claimer_is_dead(run.claimed_by)
        )
    if run.status == RunStatus.QUEUED:
        return run.created_at < now - STALE_QUEUED
    return False


def abandoned_reason(run: ReviewRun) -> str:
    stage = f", {run.stage}" if run.stage else ""
    return f"Abandoned: its worker stopped (last progress {_utc(run.heartbeat_at or run.created_at)}{stage})"


def request_review(*, quarter: str, user=None, enqueue: bool = True) -> RunRequest:
    """Queue a review of the quarter, or return the run already queued or running for it.

    With ``enqueue`` the build task is sent once the transaction commits; the command passes
    False and runs the task function itself.
    """
    quarter = period_name(quarter)
    with transaction.atomic():
        expire_abandoned_runs(quarter=quarter)
        active = ReviewRun.objects.active().filter(quarter=quarter).first()
        if active is not None:
            return RunRequest(active, created=False)
        try:
            with transaction.atomic():
                run = ReviewRun.objects.create(
                    quarter=quarter,
                    requested_by=user if getattr(user, "is_authenticated", False) else None,
                )
        except IntegrityError:
            # Someone queued the same quarter between our read and our insert.
            return RunRequest(ReviewRun.objects.active().get(quarter=quarter), created=False)
        if enqueue:
            transaction.on_commit(lambda: _send(run.pk))
    return RunRequest(run, created=True)


def _send(run_id: int) -> None:
    # The task is looked up by name in the Celery app's registry: importing the tasks module
    # here would make services and tasks import each other.
    from celery import current_app

    try:
        current_app.tasks[BUILD_TASK].delay(run_id)
    except Exception as error:
        # Without a message the run would stay queued and block the quarter for a day.
        if ReviewRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=f"Could not reach the task queue: {error}",
        ):
            logger.exception("quarterly review run %s could not be queued", run_id)
            return
        # The run was taken (eager mode runs it in-process): its own failure is recorded.
        if not ReviewRun.objects.filter(pk=run_id, status=RunStatus.FAILED).exists():
            raise


# ---------------------------------------------------------------------------- building


def run_review(*, run_id: int) -> ReviewRun:
    """Build the report of a run and store it as its quarter's report.

    Returns the run (done, or as it was when it had already finished). Raises RunBusy when a
    live attempt holds it, ClaimLost when this attempt was taken over, and re-raises any
    error of the build after recording it on the run.
    """
    claim = _claim(run_id)
    if claim is None:
        return ReviewRun.objects.get(pk=run_id)
    run = ReviewRun.objects.get(pk=run_id)
    progress = _ProgressWriter(run_id, claim)
    try:
        progress("loading postmortems", 0.0)
        docs = load_corpus(quarter=run.quarter)
        confirmed = confirmed_tags(quarter=run.quarter)
        examples = example_tags(quarter=run.quarter)
        progress("loading postmortems", 0.05)
        report = cluster_corpus(
            docs,
            progress=lambda stage, fraction: progress(stage, 0.05 + 0.85 * fraction),
            config=clustering_config(),
            confirmed=confirmed,
            examples=examples,
        )
        progress("comparing with earlier quarters", 0.9)
        report = compare_with_earlier(quarter=run.quarter, report=report)
        progress("saving the report", 0.97)
        store_report(run_id=run_id, claim=claim, quarter=run.quarter, report=report)
    except ClaimLost:
        logger.warning("quarterly review run %s was taken over; this attempt wrote nothing", run_id)
        raise
    except Exception as error:
        ReviewRun.objects.filter(pk=run_id, claim=claim).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    return ReviewRun.objects.get(pk=run_id)


def _host_and_pid() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claimer_is_dead(claimed_by: str) -> bool:
    """Whether the attempt holding a run was a process on this host that no longer exists."""
    host, _, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(int(pid))


def _is_zombie(pid: int) -> bool:
    """A killed process nobody has reaped yet (its parent died too) still answers kill(0)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False  # not Linux, or gone meanwhile: kill(0) said it was there
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


@transaction.atomic
def _claim(run_id: int) -> str | None:
    run = ReviewRun.objects.select_for_update().get(pk=run_id)
    if run.status in (RunStatus.DONE, RunStatus.FAILED):
        return None
    now = timezone.now()
    if run.status == RunStatus.RUNNING:
        fresh = run.heartbeat_at and run.heartbeat_at >= now - STALE_RUNNING
        if fresh and not _claimer_is_dead(run.claimed_by):
            raise RunBusy(run, retry_in=int(STALE_RUNNING.total_seconds() // 4))
        logger.warning("taking over quarterly review run %s from %s", run_id, run.claimed_by)
    claim = uuid.uuid4().hex
    ReviewRun.objects.filter(pk=run_id).update(
        status=RunStatus.RUNNING,
        claim=claim,
        claimed_by=_host_and_pid()[:200],
        attempts=F("attempts") + 1,
        started_at=run.started_at or now,
        heartbeat_at=now,
        stage="starting",
        fraction=0.0,
        error="",
    )
    return claim


class _ProgressWriter:
    """Writes stage and fraction to the run, throttled; notices when the claim was lost."""

    def __init__(self, run_id: int, claim: str):
        self.run_id, self.claim = run_id, claim
        self.stage, self.written_at = None, 0.0

    def __call__(self, stage: str, fraction: float) -> None:
        now = time.monotonic()
        if stage == self.stage and now - self.written_at < PROGRESS_INTERVAL:
            return
        self.stage, self.written_at = stage, now
        updated = ReviewRun.objects.filter(
            pk=self.run_id, claim=self.claim, status=RunStatus.RUNNING
        ).update(
            stage=stage[:100], fraction=min(1.0, max(0.0, fraction)), heartbeat_at=timezone.now()
        )
        if not updated:
            raise ClaimLost(f"run #{self.run_id}")


def _utc(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "never"
