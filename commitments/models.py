"""What happens to a commitment after the postmortem: its history, feeds and reminders."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone


class CommitmentEvent(models.Model):
    """One change to a commitment made from the calendar: who, when, from what to what."""

    class Action(models.TextChoices):
        STATUS = "status", "Status changed"
        MOVE = "move", "Due date moved"

    commitment = models.ForeignKey(
        "postmortems.Commitment", on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=10, choices=Action.choices)
    old_value = models.CharField(max_length=20, blank=True)
    new_value = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["commitment", "action", "-at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.old_value or '—'} → {self.new_value or '—'}"


class FeedScope(models.TextChoices):
    MINE = "mine", "My commitments"
    EVERYONE = "everyone", "Everyone's commitments"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FeedToken(models.Model):
    """A calendar subscription secret. Only its hash is stored: a leaked database leaks no feed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commitment_feed_tokens"
    )
    scope = models.CharField(max_length=10, choices=FeedScope.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scope"], name="one_feed_token_per_user_scope")
        ]

    def __str__(self):
        return f"{self.user} · {self.scope}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due within 7 days"
    OVERDUE = "overdue", "Overdue"


class ReminderLog(models.Model):
    """Claimed before a reminder is sent; the constraint makes a second beat send nothing."""

    commitment = models.ForeignKey(
        "postmortems.Commitment", on_delete=models.CASCADE, related_name="reminders"
    )
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    recipient = models.EmailField(blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "day", "kind"], name="one_reminder_per_commitment_day_kind"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.day} #{self.commitment_id}"


class DigestLog(models.Model):
    """Claimed before the weekly leadership digest goes to one person."""

    week = models.DateField(help_text="Monday of the ISO week")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["week", "recipient"], name="one_digest_per_week_recipient"
            )
        ]

    def __str__(self):
        return f"digest {self.week} → {self.recipient}"
