"""An import of many files from the UI: previewed first, then run by a Celery task.

The uploaded text is kept on each ImportFile, so the preview and the run read the same
bytes and a worker on another host can run it; progress lives here for any web process.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.PositiveIntegerField(default=0, help_text="files that will be imported")
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="import_done_le_total"
            )
        ]

    def __str__(self):
        return f"import #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


class ImportFile(models.Model):
    class Status(models.TextChoices):
        READY = "ready", "Ready to import"
        UNREADABLE = "unreadable", "Cannot be read"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed while writing"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    filename = models.CharField(max_length=500)
    content = models.TextField(blank=True)
    source_format = models.CharField(max_length=10, blank=True)
    slug = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    incident_date = models.DateField(null=True, blank=True)
    mappings = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    error_line = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    postmortem = models.ForeignKey(
        "postmortems.Postmortem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="one_file_per_position")
        ]

    def __str__(self):
        return self.filename

    @property
    def where(self) -> str:
        return f"{self.filename}:{self.error_line}" if self.error_line else self.filename
