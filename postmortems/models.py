"""The postmortem in the house standard: user impact, five sections, commitments."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


def display_title(title: str) -> str:
    """A postmortem's title as pages show it: "Untitled" while it has none."""
    return title or "Untitled"


def quarter_of(moment) -> str:
    """The quarter label ("2026Q3") of a date or datetime, in UTC."""
    if hasattr(moment, "astimezone") and getattr(moment, "tzinfo", None):
        moment = moment.astimezone(dt.UTC)
    return f"{moment.year}Q{(moment.month - 1) // 3 + 1}"


class Severity(models.TextChoices):
    SEV1 = "SEV1", "SEV1 — critical"
    SEV2 = "SEV2", "SEV2 — major"
    SEV3 = "SEV3", "SEV3 — minor"
    SEV4 = "SEV4", "SEV4 — low"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class Verdict(models.TextChoices):
    ANTI_PATTERNS = "Anti-patterns present"
    NEEDS_DETAIL = "Needs detail"
    SPECIFIC = "Specific enough to act on"


class Service(models.Model):
    name = models.CharField(max_length=100, unique=True)
    team = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PostmortemQuerySet(models.QuerySet):
    def current(self):
        """Not deleted or archived: what lists, reviews and calendars show."""
        return self.filter(removed_at__isnull=True)

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def reviewable(self):
        """What the quarterly review reads: published and in review, not archived."""
        return self.current().filter(status__in=[Status.PUBLISHED, Status.IN_REVIEW])

    def in_quarter(self, quarter: str):
        return self.filter(quarter=quarter)

    def with_service(self, name: str):
        """Of the service named ``name`` (any case). A subquery, not a join: no DISTINCT is
        needed, so the list's count and page keep using the list-order index."""
        links = Postmortem.services.through.objects.filter(service__name__iexact=name)
        return self.filter(pk__in=links.values("postmortem_id"))

    def search(self, query: str):
        """Full-text search over every section.

        PostgreSQL ranks with its text search; other databases fall back to matching every
        word somewhere in the searchable text.
        """
        query = query.strip()
        if not query:
            return self
        from django.db import connection

        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery

            # The stored, GIN-indexed vector (a trigger keeps it current): one large
            # postmortem no longer makes every query re-read all the text.
            return self.filter(
                search_vector=SearchQuery(query, config="english", search_type="websearch")
            )
        condition = Q()
        for word in query.split():
            condition &= Q(search_text__icontains=word)
        return self.filter(condition)


class Postmortem(models.Model):
    title = models.CharField(max_length=200, blank=True)
    slug = models.SlugField(max_length=200, unique=True)
    severity = models.CharField(max_length=4, choices=Severity.choices, default=Severity.SEV3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    incident_start = models.DateTimeField(null=True, blank=True, help_text="UTC")
    incident_end = models.DateTimeField(null=True, blank=True, help_text="UTC")
    quarter = models.CharField(max_length=6, blank=True, db_index=True, editable=False)
    services = models.ManyToManyField(Service, blank=True, related_name="postmortems")
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="authored_postmortems"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    impact_users = models.PositiveIntegerField("users affected", null=True, blank=True)
    impact_minutes = models.PositiveIntegerField("minutes of impact", null=True, blank=True)
    impact_money = models.DecimalField(
        "money", max_digits=14, decimal_places=2, null=True, blank=True
    )
    impact_currency = models.CharField("currency", max_length=3, default="USD", blank=True)
    impact_summary = models.TextField("user-impact summary", blank=True)
    impact_summary_html = models.TextField(blank=True, editable=False)
    what_broke = models.TextField(blank=True)
    what_broke_html = models.TextField(blank=True, editable=False)
    why = models.TextField(blank=True)
    why_html = models.TextField(blank=True, editable=False)

    metadata = models.JSONField(default=dict, blank=True)
    # Sections of an imported document that map to no house part ("Lessons learned"), kept
    # so the page shows them and an export writes them again: [{heading, level, text, html}].
    extra_sections = models.JSONField(default=list, blank=True, editable=False)
    verdict = models.CharField(max_length=40, choices=Verdict.choices, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    # PostgreSQL only: to_tsvector of the first SEARCH_INDEX_CHARS of search_text, written by a
    # database trigger on every insert and update (migration 0004); NULL elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    imported = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # A deleted draft or an archived published postmortem: hidden, revisions kept, restorable.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PostmortemQuerySet.as_manager()

    class Meta:
        ordering = ["-incident_start", "-id"]
        indexes = [
            models.Index(fields=["status", "quarter"]),
            models.Index(fields=["severity"]),
            GinIndex(fields=["search_vector"], name="postmortem_search_vector_gin"),
            # The list's order over current postmortems: a page is read off the index, not
            # sorted out of every row.
            models.Index(
                F("incident_start").desc(),
                F("id").desc(),
                condition=Q(removed_at__isnull=True),
                name="postmortem_current_order",
            ),
            # The few removed ones: the calendar leaves their commitments out by probing this
            # instead of joining every current postmortem.
            models.Index(
                fields=["id"], condition=Q(removed_at__isnull=False), name="postmortem_removed"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(incident_end__isnull=True)
                | Q(incident_start__isnull=True)
                | Q(incident_end__gte=models.F("incident_start")),
                name="incident_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.display_title

    def save(self, *args, **kwargs):
        self.quarter = quarter_of(self.incident_start) if self.incident_start else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("postmortem_detail", args=[self.slug])

    @property
    def display_title(self) -> str:
        return display_title(self.title)

    @property
    def removal_word(self) -> str:
        """Published postmortems are archived; drafts are deleted (and both can come back)."""
        return "archived" if self.status == Status.PUBLISHED else "deleted"

    @property
    def incident_date(self):
        return self.incident_start.date() if self.incident_start else None

    def is_author(self, user) -> bool:
        return self.created_by_id == user.pk or self.authors.filter(pk=user.pk).exists()


class TimelineEntry(models.Model):
    class Phase(models.TextChoices):
        PAGE = "page", "Page"
        ACKNOWLEDGE = "acknowledge", "Acknowledge"
        CONFIRM_SCOPE = "confirm_scope", "Confirm scope"
        STOP_BLEED = "stop_bleed", "Stop the bleed"
        CAPTURE_TRACE = "capture_trace", "Capture trace"
        POST_STATUS = "post_status", "Post status"
        INVESTIGATE = "investigate", "Investigate"
        RESOLVED = "resolved", "Resolved"

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="timeline")
    position = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(null=True, blank=True, help_text="UTC")
    text = models.CharField("what happened", max_length=500)
    actor = models.CharField("who", max_length=100, blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "timeline entries"

    def __str__(self):
        return self.text


class Lag(models.Model):
    class Kind(models.TextChoices):
        DETECTION = "detection", "Detection lag"
        RESPONSE = "response", "Response lag"
        ESCALATION = "escalation", "Escalation lag"
        OTHER = "other", "Other"

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="lags")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DETECTION)
    minutes = models.PositiveIntegerField(null=True, blank=True)
    text = models.CharField("cause", max_length=500)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text}"


class ItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Change(models.Model):
    class Kind(models.TextChoices):
        PR = "pr", "PR"
        ALERT = "alert", "Alert"
        EVAL = "eval", "Eval case"
        RUNBOOK = "runbook", "Runbook edit"
        CONFIG = "config", "Config"
        OTHER = "other", "Other"

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="changes")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PR)
    text = models.CharField("change", max_length=500)
    reference = models.CharField(max_length=200, blank=True, help_text="PR #2341, PROJ-123")
    url = models.URLField(max_length=500, blank=True)
    owner = models.CharField(max_length=100, blank=True, help_text="username, e.g. alice")
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class CommitmentQuerySet(models.QuerySet):
    def current(self):
        """Of postmortems that are not deleted or archived."""
        return self.filter(postmortem__removed_at__isnull=True)

    def not_removed(self):
        """The same rows as current(), without a join: no postmortem among the few removed
        ones (read off their own index). Cheaper where thousands of commitments are read and
        nothing else of their postmortem is needed."""
        removed = Postmortem.objects.filter(removed_at__isnull=False).values("pk")
        return self.exclude(postmortem_id__in=removed)

    def open(self):
        # Reminders, feeds and digests: a deleted draft's promises are nobody's job.
        return self.current().filter(status=ItemStatus.OPEN)

    def overdue(self, today=None):
        today = today or timezone.now().date()
        return self.open().filter(due__lt=today)


class Commitment(models.Model):
    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="commitments")
    position = models.PositiveIntegerField(default=0)
    change = models.ForeignKey(
        Change, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    text = models.CharField("commitment", max_length=500)
    owner = models.CharField(max_length=100, blank=True, help_text="username, e.g. alice")
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    # The learning metric judges a commitment by the date first promised, however often it moved.
    first_due = models.DateField(null=True, blank=True)
    due_moves = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["owner"]),
            # The calendar reads one month's dates.
            models.Index(fields=["due", "id"], name="commitment_due"),
        ]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        if self.first_due is None:
            self.first_due = self.due
        super().save(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == ItemStatus.OPEN
            and self.due is not None
            and self.due < timezone.now().date()
        )

    @property
    def slip_days(self) -> int:
        if self.first_due is None or self.due is None:
            return 0
        return (self.due - self.first_due).days

    @property
    def slip_text(self) -> str:
        """ "moved twice, +19 days" when the due date moved; empty when it never did."""
        return slip_text(self.due_moves, self.slip_days)

    def move_due(self, new_due) -> None:
        """Set a new due date, remembering the first one and counting the move."""
        if new_due == self.due:
            return
        if self.due is not None and new_due is not None:
            self.due_moves += 1
        if self.first_due is None:
            self.first_due = self.due if self.due is not None else new_due
        self.due = new_due


_TIMES = {1: "once", 2: "twice"}


def slip_text(moves: int, days: int) -> str:
    if not moves:
        return ""
    times = _TIMES.get(moves, f"{moves} times")
    return f"moved {times}, {days:+d} day{'s' if abs(days) != 1 else ''}"


class RevisionKind(models.TextChoices):
    SAVE = "save", "Saved"
    AUTOSAVE = "autosave", "Autosaved"
    RESTORE = "restore", "Restored"
    IMPORT = "import", "Imported"
    STATUS = "status", "Status changed"
    REMOVAL = "removal", "Deleted or archived"


class Revision(models.Model):
    """One save of a postmortem: the form data exactly as submitted, valid or not."""

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField()
    valid = models.BooleanField(default=True)
    # False when the text is kept but not on the postmortem: it had errors, it lost a
    # conflict, or it was an autosave.
    applied = models.BooleanField(default=True)
    kind = models.CharField(max_length=10, choices=RevisionKind.choices, default=RevisionKind.SAVE)
    note = models.CharField(max_length=200, blank=True)
    base_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["postmortem", "number"], name="one_number_per_revision")
        ]

    def __str__(self):
        return f"{self.postmortem.slug} r{self.number}"

    @property
    def conflicted(self) -> bool:
        return self.valid and not self.applied and self.kind != RevisionKind.AUTOSAVE


from .import_models import ImportBatch, ImportFile  # noqa: E402,F401  (registered with this app)
