"""The quarterly review: runs of the job, the report each quarter keeps, and the
"patterns we're seeing" document the senior engineer edits from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class ReviewRunQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)


class ReviewRun(models.Model):
    """One build of a quarter's review; its progress lives here so any web process can show it.

    ``claim`` names the attempt allowed to write the report: a task redelivered after its
    worker died takes the run over with a new claim, and the old attempt, should it still be
    alive, finds its claim gone and writes nothing.
    """

    quarter = models.CharField(
        max_length=22, db_index=True, help_text="a period: 2026Q3, 2025 or a date range"
    )
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    fraction = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    claim = models.CharField(max_length=32, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True, help_text="host:pid of the attempt")
    postmortems = models.PositiveIntegerField(null=True, blank=True)

    objects = ReviewRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two runs of one quarter never both queue or run: the second request gets the first.
            models.UniqueConstraint(
                fields=["quarter"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_review_run_per_quarter",
            ),
            models.CheckConstraint(
                condition=Q(fraction__gte=0) & Q(fraction__lte=1), name="review_fraction_0_to_1"
            ),
        ]

    def __str__(self):
        return f"{self.quarter} run #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def percent(self) -> int:
        return round(self.fraction * 100)


class QuarterReview(models.Model):
    """The latest finished report of one quarter; a re-run replaces it in one transaction."""

    quarter = models.CharField(
        max_length=22, unique=True, help_text="a period: 2026Q3, 2025 or a date range"
    )
    report = models.JSONField(help_text="analytics.clustering.report_to_dict output")
    postmortems = models.PositiveIntegerField(default=0)
    run = models.ForeignKey(
        ReviewRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    generated_at = models.DateTimeField(default=timezone.now)
    # One more on every save: the review page caches what it shows of the report on it.
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-quarter"]

    def __str__(self):
        return f"Review of {self.quarter}"

    def save(self, *args, **kwargs):
        # Writers hold the row lock (update_or_create, select_for_update), so two saves never
        # share a version.
        self.version += 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("review_quarter", args=[self.quarter])

    def corpus_report(self):
        from .clustering import report_from_dict

        return report_from_dict(self.report)


class QuarterTrendFigures(models.Model):
    """One quarter's response medians, kept for the trend of later reviews so a review does not
    re-read earlier quarters' timelines. ``fingerprint`` sums what any change to the quarter's
    postmortems moves (their number, ids and versions); a different one means recompute."""

    quarter = models.CharField(max_length=6, unique=True)
    fingerprint = models.CharField(max_length=100)
    figures = models.JSONField(help_text="ResponseLagFigures as a dict")
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Response figures of {self.quarter}"


class PatternsDocument(models.Model):
    """The "patterns we're seeing" Markdown of a quarter: input to next quarter's roadmap."""

    quarter = models.CharField(
        max_length=22, unique=True, help_text="a period: 2026Q3, 2025 or a date range"
    )
    text = models.TextField(blank=True)
    text_html = models.TextField(blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-quarter"]

    def __str__(self):
        return f"Patterns we're seeing, {self.quarter}"


class PatternsRevision(models.Model):
    """One save of a patterns document, kept even when it was not applied."""

    document = models.ForeignKey(
        PatternsDocument, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)
    generated = models.BooleanField(
        default=False, help_text="written by the review job, not by a person"
    )
    applied = models.BooleanField(default=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="one_number_per_patterns_revision"
            )
        ]

    def __str__(self):
        return f"{self.document.quarter} r{self.number}"


class Dimension(models.TextChoices):
    ROOT_CAUSES = "root_causes", "Root cause"
    DETECTION_GAPS = "detection_gaps", "Detection gap"
    RESPONSE_LAGS = "response_lags", "Response lag"


class PatternTag(models.Model):
    """A reviewer's confirmed placement of one postmortem in one dimension.

    It wins over the model in every later review of any period that holds the postmortem, and
    its sentence serves as a confirmed example when new postmortems are placed. ``key`` names a
    taxonomy class or a reviewer-made pattern; ``not_pattern`` says "a one-off, whatever the
    model thinks".
    """

    postmortem = models.ForeignKey(
        "postmortems.Postmortem", on_delete=models.CASCADE, related_name="pattern_tags"
    )
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    key = models.CharField(max_length=80, blank=True)
    name = models.CharField(max_length=200, blank=True)
    not_pattern = models.BooleanField(default=False)
    sentence = models.TextField(blank=True)
    anchor = models.CharField(max_length=40, blank=True)
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tagged_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["tagged_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["postmortem", "dimension"], name="one_confirmed_tag_per_dimension"
            ),
            models.CheckConstraint(
                condition=Q(not_pattern=True) | ~Q(key=""), name="pattern_tag_names_a_pattern"
            ),
        ]

    def __str__(self):
        target = "not a pattern" if self.not_pattern else self.key
        return f"{self.postmortem_id} {self.dimension}: {target}"
