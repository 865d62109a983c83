"""The import page: drop files, a folder or a .zip; preview what was read; then import."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .import_models import ImportBatch, ImportFile
from .importing import preview_batch, start_batch, uploads_from_files
from .permissions import is_reviewer

MAX_FILES = 5000


def _require_importer(request):
    if not is_reviewer(request.user):
        raise PermissionDenied("Only reviewers import postmortems.")


def _get_batch_for_user(request, pk) -> ImportBatch:
    _require_importer(request)
    return get_object_or_404(ImportBatch, pk=pk)


@require_http_methods(["GET", "POST"])
def postmortem_import(request):
    _require_importer(request)
    error = ""
    if request.method == "POST":
        files = request.FILES.getlist("files")
        uploads = uploads_from_files(files[:MAX_FILES])
        if uploads:
            batch = preview_batch(uploads=uploads, user=request.user)
            return redirect("import_batch", pk=batch.pk)
        error = "Choose Markdown (.md) or HTML files, a folder of them, or a .zip."
    return render(request, "postmortems/import.html", {"error": error}, status=200)


@require_GET
def import_batch(request, pk):
    batch = _get_batch_for_user(request, pk)
    files = list(batch.files.select_related("postmortem").defer("content"))
    context = {
        "batch": batch,
        "files": files,
        "ready": [f for f in files if f.status == ImportFile.Status.READY],
        "errors": [
            f for f in files if f.status in (ImportFile.Status.UNREADABLE, ImportFile.Status.FAILED)
        ],
        "imported": [f for f in files if f.status == ImportFile.Status.IMPORTED],
    }
    template = "postmortems/import_batch.html"
    if request.htmx and request.GET.get("part") == "progress":
        template += "#progress"
    return render(request, template, context)


@require_POST
def import_batch_start(request, pk):
    batch = _get_batch_for_user(request, pk)
    if batch.status == ImportBatch.Status.PREVIEWED and batch.total:
        start_batch(batch=batch)
    return redirect("import_batch", pk=batch.pk)
