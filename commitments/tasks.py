"""Beat jobs: thin wrappers over commitments.services; safe to run twice (claims are unique)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import services


def _day(day: str | None) -> dt.date:
    return dt.date.fromisoformat(day) if day else timezone.now().date()


@shared_task(
    name="commitments.tasks.send_commitment_reminders",
    acks_late=True,
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
)
def send_commitment_reminders(day: str | None = None) -> int:
    """Remind owners of commitments due within 7 days or overdue; `day` as YYYY-MM-DD."""
    return services.send_commitment_reminders(today=_day(day))


@shared_task(
    name="commitments.tasks.send_leadership_digest",
    acks_late=True,
    time_limit=5 * 60,
    soft_time_limit=4 * 60,
)
def send_leadership_digest(day: str | None = None) -> int:
    """The weekly digest for the leadership group; `day` as YYYY-MM-DD."""
    return services.send_leadership_digest(today=_day(day))
