"""The quarterly review workflow: queue a run, build the report, store it.

A run moves queued → running → done or failed. The report of a quarter is written once, at the
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
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from postmortems.document import response_figures, suggest_phase
from postmortems.models import Postmortem, TimelineEntry

from . import patterns_document
from .clustering import (
    ClusteringConfig,
    CorpusReport,
    LagText,
    PostmortemText,
    QuarterFigures,
    cluster_corpus,
    mark_recurring,
    report_to_dict,
)
from .clustering.corpus import response_figures as median_figures
from .models import (
    QuarterReview,
    ReviewRun,
    RunStatus,
)
from .quarters import parse_quarter, quarters_up_to

logger = logging.getLogger(__name__)

# A running attempt that has not reported progress for this long is presumed dead.
STALE_RUNNING = dt.timedelta(minutes=2)
# A queued run nobody picked up in this long lost its message (broker flushed, say).
STALE_QUEUED = dt.timedelta(hours=24)
# How many quarters, this one included, the response-lag trend shows.
TREND_QUARTERS = 6
# Progress is written at most this often (seconds), and on every change of stage.
PROGRESS_INTERVAL = 0.5


class RunBusy(Exception):
    """Another live attempt is building this run; try again after ``retry_in`` seconds."""

    def __init__(self, run: ReviewRun, retry_in: int = 30):
        super().__init__(f"run #{run.pk} of {run.quarter} is being built by {run.claimed_by}")
        self.run = run
        self.retry_in = retry_in


class ClaimLost(Exception):
    """This attempt was presumed dead and another took the run over; it must not write."""


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
    quarter = parse_quarter(quarter)
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
    from .tasks import build_quarterly_review

    try:
        build_quarterly_review.delay(run_id)
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
        progress("loading postmortems", 0.05)
        report = cluster_corpus(
            docs,
            progress=lambda stage, fraction: progress(stage, 0.05 + 0.85 * fraction),
            config=clustering_config(),
        )
        progress("comparing with earlier quarters", 0.9)
        report = compare_with_earlier(quarter=run.quarter, report=report)
        progress("saving the report", 0.97)
        _store(run_id=run_id, claim=claim, quarter=run.quarter, report=report)
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


def clustering_config() -> ClusteringConfig:
    return ClusteringConfig(extra_lexicons=tuple(settings.HINDSIGHT_CLUSTERING_LEXICONS))


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


def load_corpus(*, quarter: str) -> list[PostmortemText]:
    """The quarter's published and in-review postmortems as the clustering's input."""
    postmortems = (
        Postmortem.objects.reviewable()
        .in_quarter(quarter)
        .only("slug", "title", "quarter", "why", "what_broke")
        .prefetch_related(
            Prefetch(
                "timeline", queryset=TimelineEntry.objects.only("postmortem", "at", "text", "phase")
            ),
            "lags",
        )
        .order_by("slug")
    )
    return [postmortem_text(p) for p in postmortems]


def postmortem_text(postmortem: Postmortem) -> PostmortemText:
    to_ack, to_mitigation = page_minutes(
        [
            (entry.at, entry.phase or suggest_phase(entry.text))
            for entry in postmortem.timeline.all()
        ]
    )
    return PostmortemText(
        slug=postmortem.slug,
        quarter=postmortem.quarter,
        why=postmortem.why,
        what_broke=postmortem.what_broke,
        lags=tuple(LagText(lag.kind, lag.text, lag.minutes) for lag in postmortem.lags.all()),
        page_to_ack_minutes=to_ack,
        page_to_mitigation_minutes=to_mitigation,
        title=postmortem.title,
    )


def page_minutes(entries) -> tuple[float | None, float | None]:
    """Minutes from the page to the acknowledgement and to the first stop-the-bleed action.

    Only timelines with a page count: measuring from the first event instead would count
    detection lag as response lag (the clustering core's document reader does the same).
    """
    if not any(phase == "page" for at, phase in entries if at is not None):
        return None, None
    figures = response_figures(entries)

    def minutes(delta):
        return None if delta is None else delta.total_seconds() / 60

    return minutes(figures.time_to_ack), minutes(figures.time_to_stop_bleed)


def compare_with_earlier(*, quarter: str, report: CorpusReport) -> CorpusReport:
    """Mark recurring patterns against earlier reports; fill the trend's quarters without one."""
    window = quarters_up_to(quarter, TREND_QUARTERS)[:-1]
    earlier = [
        (review.quarter, review.report)
        for review in QuarterReview.objects.filter(quarter__lt=quarter).order_by("-quarter")[:8]
    ]
    report = mark_recurring(replace(report, quarter=quarter), earlier)
    have = {item.quarter for item in report.previous_figures}
    missing = [q for q in window if q not in have]
    if not missing:
        return report
    filled = [
        QuarterFigures(quarter=q, figures=median_figures(load_corpus(quarter=q))) for q in missing
    ]
    figures = sorted([*report.previous_figures, *filled], key=lambda item: item.quarter)
    # Quarters before the first postmortem would only add empty columns to the chart.
    kept = tuple(item for item in figures if item.quarter in have or item.figures.counted)
    return replace(report, previous_figures=kept)


@transaction.atomic
def _store(*, run_id: int, claim: str, quarter: str, report: CorpusReport) -> None:
    run = ReviewRun.objects.select_for_update().get(pk=run_id)
    if run.claim != claim or run.status != RunStatus.RUNNING:
        raise ClaimLost(f"run #{run_id}")
    now = timezone.now()
    QuarterReview.objects.update_or_create(
        quarter=quarter,
        defaults={
            "report": report_to_dict(report),
            "postmortems": report.postmortems,
            "run": run,
            "generated_at": now,
        },
    )
    patterns_document.prefill(quarter=quarter, report=report, run_id=run_id)
    ReviewRun.objects.filter(pk=run_id).update(
        status=RunStatus.DONE,
        stage="done",
        fraction=1.0,
        finished_at=now,
        heartbeat_at=now,
        postmortems=report.postmortems,
    )


def _utc(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "never"
