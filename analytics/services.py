"""The quarterly review's workflows, by job:

* ``runs`` — queue a run, claim it, build its report (runs and their claims);
* ``corpus_loading`` — a period's postmortems and confirmed tags as the clustering's input;
* ``report_storage`` — compare with earlier periods, store the report and its document;
* ``review_corrections`` — reviewers' corrections (move, merge, split, rename, not a pattern).

This module names them in one place for the views, the command and the tasks; nothing here
imports ``tasks`` (the run is sent by task name), so there is no services <-> tasks cycle.
"""

from __future__ import annotations

from .corpus_loading import load_corpus, page_minutes, postmortem_text
from .report_storage import (
    TREND_QUARTERS,
    ClaimLost,
    clustering_config,
    compare_with_earlier,
    reapply_corrections,
    store_report,
)
from .runs import (
    PROGRESS_INTERVAL,
    STALE_QUEUED,
    STALE_RUNNING,
    RunBusy,
    RunRequest,
    abandoned_reason,
    expire_abandoned_runs,
    is_abandoned,
    request_review,
    run_review,
)

__all__ = [
    "PROGRESS_INTERVAL",
    "STALE_QUEUED",
    "STALE_RUNNING",
    "TREND_QUARTERS",
    "ClaimLost",
    "RunBusy",
    "RunRequest",
    "clustering_config",
    "compare_with_earlier",
    "abandoned_reason",
    "expire_abandoned_runs",
    "is_abandoned",
    "load_corpus",
    "page_minutes",
    "postmortem_text",
    "reapply_corrections",
    "request_review",
    "run_review",
    "store_report",
]
