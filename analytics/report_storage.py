"""A period's report: the clustering settings, the comparison with earlier periods, storage.

Stored reports are the memory of the review: recurrence reads earlier periods' stored
reports, never their postmortems, so a review's cost does not grow with the history.
"""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import patterns_document
from .clustering import (
    ClusteringConfig,
    CorpusReport,
    QuarterFigures,
    apply_corrections,
    mark_recurring,
    report_to_dict,
)
from .corpus_loading import confirmed_tags, quarter_figures
from .models import QuarterReview, ReviewRun, RunStatus
from .periods import parse_period
from .quarters import quarters_up_to

# How many quarters, this one included, the response-lag trend shows.
TREND_QUARTERS = 6
# Earlier stored reports compared for recurrence.
EARLIER_REPORTS = 8


class ClaimLost(Exception):
    """This attempt was presumed dead and another took the run over; it must not write."""


def clustering_config() -> ClusteringConfig:
    """The core's settings: method (taxonomy or lexicon), the placement model and the team's
    taxonomy additions."""
    return ClusteringConfig(
        extra_lexicons=tuple(settings.HINDSIGHT_CLUSTERING_LEXICONS),
        method=getattr(settings, "HINDSIGHT_CLUSTERING_METHOD", "taxonomy"),
        # "default" (the shipped model file), "" (seed similarity only) or a model file's path.
        placement_model=getattr(settings, "HINDSIGHT_PLACEMENT_MODEL", "default"),
        taxonomy_files=tuple(getattr(settings, "HINDSIGHT_TAXONOMY_FILES", ())),
        taxonomy_classes=tuple(
            tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in c.items()))
            for c in getattr(settings, "HINDSIGHT_TAXONOMY_CLASSES", ())
        ),
    )


def _earlier_names(period) -> list[str]:
    names, step = [], period
    for _ in range(EARLIER_REPORTS):
        step = step.shifted(-1)
        if step is None:
            break
        names.append(step.name)
    return names


def compare_with_earlier(*, quarter: str, report: CorpusReport) -> CorpusReport:
    """Mark recurring patterns against earlier periods' stored reports (same kind of period);
    for a quarter, fill the trend's quarters that have no stored report from their timelines."""
    period = parse_period(quarter)
    earlier = [
        (review.quarter, review.report)
        for review in QuarterReview.objects.filter(quarter__in=_earlier_names(period))
    ]
    report = mark_recurring(replace(report, quarter=quarter), earlier)
    if period.kind != "quarter":
        return report
    window = quarters_up_to(quarter, TREND_QUARTERS)[:-1]
    have = {item.quarter for item in report.previous_figures}
    missing = [q for q in window if q not in have]
    if not missing:
        return report
    filled = [QuarterFigures(quarter=q, figures=quarter_figures(q)) for q in missing]
    figures = sorted([*report.previous_figures, *filled], key=lambda item: item.quarter)
    # Quarters before the first postmortem would only add empty columns to the chart.
    kept = tuple(item for item in figures if item.quarter in have or item.figures.counted)
    return replace(report, previous_figures=kept)


@transaction.atomic
def store_report(*, run_id: int, claim: str, quarter: str, report: CorpusReport) -> None:
    """Write the period's report and refresh its document, if this attempt still holds the run."""
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


@transaction.atomic
def reapply_corrections(*, quarter: str) -> CorpusReport | None:
    """Apply the period's confirmed tags to its stored report now (no rerun needed to see a
    correction), and refresh the document while nobody has written in it."""
    review = QuarterReview.objects.select_for_update().filter(quarter=quarter).first()
    if review is None:
        return None
    report = apply_corrections(review.corpus_report(), confirmed_tags(quarter=quarter))
    review.report = report_to_dict(report)
    review.save(update_fields=["report"])
    patterns_document.prefill(quarter=quarter, report=report, run_id=None)
    return report
