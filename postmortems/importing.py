"""Importing postmortems written in any template: reading a batch, previewing it, running it.

The reading is the pure ``postmortems.document.foreign`` core; this module gathers the files
(a folder, many files, a .zip), reports what was read in one format for the command line and
the preview, and writes the readable files through ``import_documents`` (a chunk of new
postmortems in one go), so a file that fails leaves nothing half-written and the others
still import.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import checking
from .check_ahead import verdict_pair, worked_ahead
from .document import DocumentError, DocumentWarning
from .document.foreign import ImportReading, free_slug, load_table, read_postmortem
from .document_io import (
    IMPORT_CHUNK,
    ImportResult,
    cut_row_warnings,
    import_documents,
    import_problems,
)
from .import_models import ImportBatch, ImportFile

DOCUMENT_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt")
MAX_ZIP_MEMBERS = 5000
# The task writes and counts a batch this many files at a time: the progress bar moves
# every 20 files (a second or less), while each step still writes its files together.
RUN_STEP = 20


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes | None  # None: the named file does not exist


def heading_table():
    """The synonym table, extended by the files named in HINDSIGHT_IMPORT_HEADINGS."""
    return load_table(tuple(getattr(settings, "HINDSIGHT_IMPORT_HEADINGS", ())))


def is_document_name(name: str) -> bool:
    path = PurePosixPath(name)
    if any(part.startswith((".", "__MACOSX")) for part in path.parts):
        return False
    # A folder's README describes the folder; it is not a postmortem.
    return path.suffix.lower() in DOCUMENT_SUFFIXES and path.stem.lower() != "readme"


def uploads_from_files(files) -> list[Upload]:
    """Uploaded files (``name``/``read()``), a .zip expanded into its documents, sorted by name."""
    uploads: list[Upload] = []
    for file in files:
        name = getattr(file, "name", "") or "upload"
        data = file.read()
        if name.lower().endswith(".zip"):
            uploads += _from_zip(name, data)
        elif is_document_name(name):
            uploads.append(Upload(name, data))
    return sorted(uploads, key=lambda upload: upload.name)


def uploads_from_paths(paths) -> list[Upload]:
    """Files and folders (searched recursively) on disk, for the command line."""
    uploads: list[Upload] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and is_document_name(str(found.relative_to(path))):
                    uploads.append(Upload(str(found), found.read_bytes()))
        elif path.suffix.lower() == ".zip" and path.is_file():
            uploads += _from_zip(str(path), path.read_bytes())
        else:
            uploads.append(Upload(str(path), path.read_bytes() if path.is_file() else None))
    return uploads


def read_uploads(uploads: list[Upload]) -> list[ImportReading]:
    """Every upload read, in order, with slugs made unique within the batch."""
    table, taken = heading_table(), set()
    return [settle_slug(read_upload(upload, table), taken) for upload in uploads]


def read_upload(upload: Upload, table) -> ImportReading:
    """One upload read on its own: its slug is its file name's, not yet unique in the batch
    (``settle_slug``), so files can be read in any order or process."""
    if upload.data is None:
        missing = DocumentError(None, "no such file")
        return ImportReading(upload.name, "", "unknown", error=missing)
    reading = read_postmortem(upload.data, filename=upload.name, table=table)
    return _within_limits(reading, upload)


def settle_slug(reading: ImportReading, taken: set[str]) -> ImportReading:
    """The reading with its slug made unique among ``taken`` (updated), in file order, and a
    warning when the URL differs from the file name."""
    if not reading.slug:  # a file that does not exist takes no slug
        return reading
    slug = free_slug(reading.slug, taken)
    doc = reading.doc
    if doc is None:
        return dataclasses.replace(reading, slug=slug) if slug != reading.slug else reading
    if slug != PurePosixPath(reading.filename).stem:
        note = DocumentWarning(1, f"the file name is not a slug; its URL is /{slug}/")
        doc = dataclasses.replace(doc, warnings=(note, *doc.warnings))
    if doc is reading.doc and slug == reading.slug:
        return reading
    return dataclasses.replace(reading, slug=slug, doc=dataclasses.replace(doc, slug=slug))


def _within_limits(reading: ImportReading, upload: Upload) -> ImportReading:
    """A readable file whose content the database would refuse (lengths, bounds, control
    characters) becomes an error named by line; rows cut to fit become warnings."""
    if not reading.ok:
        return reading
    try:
        text = upload.data.decode("utf-8")
    except UnicodeDecodeError:
        return reading  # read_postmortem already refused undecodable bytes
    problems = import_problems(reading.doc, text)
    if problems:
        line, reason = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return dataclasses.replace(reading, doc=None, error=DocumentError(line, reason + more))
    notes = [
        DocumentWarning(line, message) for line, message in cut_row_warnings(reading.doc, text)
    ]
    if not notes:
        return reading
    return dataclasses.replace(
        reading, doc=dataclasses.replace(reading.doc, warnings=(*notes, *reading.doc.warnings))
    )


def _read_part(uploads: list[Upload], *, check: bool) -> list[tuple[ImportReading, tuple | None]]:
    """(reading, verdict pair or None) of each upload: a worker's share of ``read_ahead``."""
    table = heading_table()
    out = []
    for upload in uploads:
        reading = read_upload(upload, table)
        out.append((reading, verdict_pair(reading.doc) if check and reading.ok else None))
    return out


def read_ahead(
    uploads: list[Upload], *, check: bool = True, chunk: int = IMPORT_CHUNK
) -> Iterator[list[ImportReading]]:
    """The uploads read, a chunk at a time in file order, as ``read_uploads`` reads them.

    With two or more chunks, worker processes read the coming chunks while the caller writes
    the current one, and (``check``) compute the checker's verdict of each readable document,
    which the write then takes instead of checking again (``check_ahead``). Each chunk's
    slugs are made unique here, in file order, so the result is the same either way."""
    taken: set[str] = set()
    read_only = functools.partial(_read_part, check=False)
    work = functools.partial(_read_part, check=True) if check else read_only
    for _part, pairs in worked_ahead(uploads, chunk, work, read_only, checks=check):
        checking.remember_verdicts([pair for _, pair in pairs if pair is not None])
        yield [settle_slug(reading, taken) for reading, _ in pairs]


def import_uploads(
    uploads: list[Upload],
    *,
    user=None,
    dry_run: bool = False,
    on_chunk=None,
    chunk: int = IMPORT_CHUNK,
) -> list[tuple[ImportReading, ImportResult | None]]:
    """Read and import every upload, a chunk at a time (``read_ahead``): (reading, result) for
    each, in order; the result is None for a file that did not read, and for every file of a
    dry run, which writes nothing. ``on_chunk`` is called with each chunk's pairs once it is
    written, so a caller can report as the import goes."""
    done: list[tuple[ImportReading, ImportResult | None]] = []
    for readings in read_ahead(uploads, check=not dry_run, chunk=chunk):
        readable = [reading for reading in readings if reading.ok]
        written = (
            iter(import_documents(docs=[(r.doc, r.filename) for r in readable], user=user))
            if readable and not dry_run
            else iter(())
        )
        pairs = [
            (reading, next(written) if reading.ok and not dry_run else None) for reading in readings
        ]
        done += pairs
        if on_chunk is not None:
            on_chunk(pairs)
    return done


def report_lines(reading: ImportReading) -> list[str]:
    """The lines the command line prints and the preview shows for one file."""
    if reading.error is not None:
        return [f"{reading.where(reading.error.line)}: error: {reading.error.reason}"]
    doc = reading.doc
    lines = [
        f"{reading.filename}: {reading.source_format} → {doc.slug}: {doc.title!r}, "
        f"{doc.incident_date.isoformat()}; timeline {len(doc.timeline)} rows, why "
        f"{'yes' if doc.why else 'no'}, changes {len(doc.changes)}, kept {len(doc.extra_sections)}"
    ]
    for mapping in reading.mappings:
        lines.append(
            f"{reading.where(mapping.line)}: heading {mapping.heading!r} → {mapping.label}"
        )
    for warning in doc.warnings:
        lines.append(f"{reading.where(warning.line)}: warning: {warning.message}")
    return lines


def summary_of(reading: ImportReading) -> dict:
    doc = reading.doc
    return {
        "timeline": len(doc.timeline),
        "timed": sum(1 for entry in doc.timeline if entry.at is not None),
        "why": bool(doc.why),
        "changes": len(doc.changes),
        "kept": len(doc.extra_sections),
        "status": doc.import_status,
    }


@transaction.atomic
def preview_batch(*, uploads: list[Upload], user) -> ImportBatch:
    """Read every upload and keep it with what was read; nothing is imported yet."""
    readings = read_uploads(uploads)
    batch = ImportBatch.objects.create(requested_by=user)
    rows = []
    for position, (upload, reading) in enumerate(zip(uploads, readings, strict=True)):
        row = ImportFile(
            batch=batch, position=position, filename=reading.filename[:500],
            slug=reading.slug, source_format=reading.source_format,
        )  # fmt: skip
        if reading.ok:
            row.content = upload.data.decode("utf-8")
            row.title = reading.doc.title
            row.incident_date = reading.doc.incident_date
            row.mappings = [
                {"line": m.line, "heading": m.heading, "part": m.label} for m in reading.mappings
            ]
            row.warnings = [{"line": w.line, "message": w.message} for w in reading.warnings]
            row.summary = summary_of(reading)
        else:
            row.status = ImportFile.Status.UNREADABLE
            row.error = reading.error.reason
            row.error_line = reading.error.line
        rows.append(row)
    ImportFile.objects.bulk_create(rows)
    batch.total = sum(1 for row in rows if row.status == ImportFile.Status.READY)
    batch.save(update_fields=["total"])
    return batch


def start_batch(*, batch: ImportBatch) -> ImportBatch:
    """Queue a previewed batch; its task starts once this transaction commits."""
    from .tasks import run_import_batch

    with transaction.atomic():
        claimed = ImportBatch.objects.filter(
            pk=batch.pk, status=ImportBatch.Status.PREVIEWED
        ).update(status=ImportBatch.Status.QUEUED)
        if claimed:
            transaction.on_commit(lambda: run_import_batch.delay(batch.pk))
    batch.refresh_from_db()
    return batch


def run_batch(*, batch_id: int) -> ImportBatch:
    """Import every readable file of the batch, a chunk at a time, counting progress; each
    file is imported whole or fails on its own."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status not in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING):
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING, started_at=timezone.now()
    )
    table = heading_table()
    files = list(batch.files.filter(status=ImportFile.Status.READY))
    done = batch.done
    for start in range(0, len(files), RUN_STEP):
        chunk = files[start : start + RUN_STEP]
        readable = []
        for file in chunk:
            reading = read_postmortem(file.content, filename=file.filename, table=table)
            if reading.ok:
                readable.append((file, dataclasses.replace(reading.doc, slug=file.slug)))
            else:  # the stored text no longer reads (a changed heading table)
                file.status = ImportFile.Status.FAILED
                file.error = f"line {reading.error.line}: {reading.error.reason}"
        results = import_documents(
            docs=[(doc, file.filename) for file, doc in readable], user=batch.requested_by
        )
        for (file, _), result in zip(readable, results, strict=True):
            if result.error is None:
                file.status, file.postmortem = ImportFile.Status.IMPORTED, result.postmortem
            else:
                file.status, file.error = ImportFile.Status.FAILED, str(result.error)[:2000]
        ImportFile.objects.bulk_update(chunk, ["status", "postmortem", "error"])
        done += len(chunk)
        ImportBatch.objects.filter(pk=batch.pk).update(done=done)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.DONE, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


def _from_zip(name: str, data: bytes) -> list[Upload]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return [Upload(name, data)]  # read as a document, so the preview names the problem
    uploads = []
    for member in archive.infolist()[:MAX_ZIP_MEMBERS]:
        if not member.is_dir() and is_document_name(member.filename):
            uploads.append(Upload(member.filename, archive.read(member)))
    return uploads
