"""An import batch run by a real Celery worker against the Redis broker (not eager)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from postmortems.import_models import ImportBatch, ImportFile
from postmortems.importing import Upload, preview_batch, start_batch
from postmortems.models import Postmortem
from tests.test_review_worker import worker_app  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

FOREIGN = Path(__file__).parent / "data" / "foreign"


def wait_for(batch_id: int, timeout: float = 60.0) -> ImportBatch:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch = ImportBatch.objects.get(pk=batch_id)
        if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
            return batch
        time.sleep(0.2)
    pytest.fail(f"import {batch_id} still {batch.status} after {timeout}s")


def test_the_worker_imports_a_started_batch_and_counts_progress(worker_app, reviewer):  # noqa: F811
    names = ["atlassian-shape.md", "morgue-shape.md", "sre-book-shape.md"]
    uploads = [Upload(name, (FOREIGN / name).read_bytes()) for name in names]
    uploads.append(Upload("scratch.md", b"# Scratch\n\n## Agenda\n\nNothing.\n"))
    batch = preview_batch(uploads=uploads, user=reviewer)
    assert Postmortem.objects.count() == 0

    start_batch(batch=batch)
    done = wait_for(batch.pk)

    assert (done.status, done.done, done.total) == (ImportBatch.Status.DONE, 3, 3)
    assert set(Postmortem.objects.values_list("slug", flat=True)) == {
        "atlassian-shape",
        "morgue-shape",
        "sre-book-shape",
    }
    assert batch.files.get(filename="scratch.md").status == ImportFile.Status.UNREADABLE
