"""Celery tasks of the authoring app: thin, given ids, calling services."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="postmortems.tasks.run_import_batch",
    acks_late=True,
    soft_time_limit=55 * 60,
    time_limit=60 * 60,
)
def run_import_batch(batch_id: int) -> str:
    """Import the files of one previewed ImportBatch (by id)."""
    from .importing import run_batch

    return run_batch(batch_id=batch_id).status
