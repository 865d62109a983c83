"""Importing history from other templates: the page, its preview, the batch run, the command."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from postmortems.document import parse_document
from postmortems.import_models import ImportBatch, ImportFile
from postmortems.models import Postmortem, Revision, Status

FOREIGN = Path(__file__).parent / "data" / "foreign"
pytestmark = pytest.mark.django_db

UNREADABLE = b"# Notes from the offsite\n\nWe talked about many things.\n\xff\xfe\n"


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else (FOREIGN / name).read_bytes())


def preview(client, *files) -> ImportBatch:
    response = client.post(reverse("postmortem_import"), {"files": list(files)})
    assert response.status_code == 302
    return ImportBatch.objects.get()


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_import_page_is_for_reviewers_only(author, reviewer):
    assert as_user(reviewer).get(reverse("postmortem_import")).status_code == 200
    assert as_user(author).get(reverse("postmortem_import")).status_code == 403
    assert Client().get(reverse("postmortem_import")).status_code == 302


def test_preview_lists_each_file_and_writes_no_postmortem(reviewer_client):
    batch = preview(
        reviewer_client,
        upload("atlassian-shape.md"),
        upload("pagerduty-shape.md"),
        upload("offsite-notes.md", UNREADABLE),
    )
    assert Postmortem.objects.count() == 0
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.total == 2
    page = reviewer_client.get(reverse("import_batch", args=[batch.pk])).content.decode()
    assert "Webhook deliveries stalled for EU tenants" in page
    assert "2022-11-14" in page
    assert "“Five whys” → Why" in page
    assert "“Lessons learned” → Kept as an extra section" in page
    assert "offsite-notes.md:4" in page and "not UTF-8" in page
    assert "Import 2 postmortems" in page


def test_pressing_import_writes_each_readable_file_published_with_its_verdict(
    reviewer_client, django_capture_on_commit_callbacks
):
    batch = preview(
        reviewer_client, upload("atlassian-shape.md"), upload("offsite-notes.md", UNREADABLE)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(reverse("import_batch_start", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total) == (ImportBatch.Status.DONE, 1, 1)
    postmortem = Postmortem.objects.get()
    assert postmortem.slug == "atlassian-shape"
    assert postmortem.status == Status.PUBLISHED and postmortem.imported
    assert postmortem.verdict != ""
    assert Revision.objects.filter(postmortem=postmortem).count() == 1
    assert [part["heading"] for part in postmortem.extra_sections] == [
        "Recovery",
        "Lessons learned",
    ]
    unreadable = batch.files.get(filename="offsite-notes.md")
    assert unreadable.status == ImportFile.Status.UNREADABLE and unreadable.postmortem is None
    detail = reviewer_client.get(postmortem.get_absolute_url()).content.decode()
    assert "Kept from the source" in detail and "Maintenance on shared queues" in detail


def test_a_draft_in_the_source_stays_a_draft(reviewer_client, django_capture_on_commit_callbacks):
    text = b"# Cache purge\n\nStatus: Draft\nDate: 2024-03-02\n\n## Root cause\n\nTTL 0.\n"
    batch = preview(reviewer_client, upload("cache-purge.md", text))
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(reverse("import_batch_start", args=[batch.pk]))
    assert Postmortem.objects.get().status == Status.DRAFT


def test_a_zip_is_expanded_and_its_readme_skipped(reviewer_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("history/README.md", "# Our postmortems\n")
        archive.writestr("history/sre-book-shape.md", (FOREIGN / "sre-book-shape.md").read_bytes())
        archive.writestr("history/morgue-shape.md", (FOREIGN / "morgue-shape.md").read_bytes())
    batch = preview(reviewer_client, upload("history.zip", buffer.getvalue()))
    assert list(batch.files.values_list("filename", flat=True)) == [
        "history/morgue-shape.md",
        "history/sre-book-shape.md",
    ]


def test_starting_needs_post_and_a_reviewer(reviewer, author):
    batch = preview(as_user(reviewer), upload("morgue-shape.md"))
    assert as_user(reviewer).get(reverse("import_batch_start", args=[batch.pk])).status_code == 405
    assert as_user(author).post(reverse("import_batch_start", args=[batch.pk])).status_code == 403
    assert as_user(author).get(reverse("import_batch", args=[batch.pk])).status_code == 403
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED


def test_the_progress_partial_answers_htmx(reviewer_client):
    batch = preview(reviewer_client, upload("morgue-shape.md"))
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
    response = reviewer_client.get(
        reverse("import_batch", args=[batch.pk]) + "?part=progress", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="progress"') and "<progress" in body
    assert "<html" not in body


def run_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_postmortems", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_prints_the_report_and_writes_nothing():
    out, err = run_command(FOREIGN / "pagerduty-shape.md", "--dry-run")
    assert (
        "pagerduty-shape.md: markdown → pagerduty-shape: 'Checkout retries doubled card authorisations', 2023-06-08"
        in out
    )
    assert "pagerduty-shape.md:11: heading 'Contributing Factors' → Why" in out
    assert "Nothing was written" in out
    assert Postmortem.objects.count() == 0


def test_the_command_imports_a_folder_of_foreign_files_and_names_the_bad_one(tmp_path):
    for name in ("atlassian-shape.md", "confluence-export.html"):
        (tmp_path / name).write_bytes((FOREIGN / name).read_bytes())
    (tmp_path / "offsite-notes.md").write_bytes(UNREADABLE)
    out = io.StringIO()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_postmortems", str(tmp_path), stdout=out, stderr=err)
    assert f"{tmp_path / 'offsite-notes.md'}:4: error: not UTF-8" in err.getvalue()
    assert set(Postmortem.objects.values_list("slug", flat=True)) == {
        "atlassian-shape",
        "confluence-export",
    }


def test_an_imported_postmortem_exports_its_kept_sections_again(tmp_path):
    run_command(FOREIGN / "sre-book-shape.md")
    out = io.StringIO()
    call_command("export_postmortem", "sre-book-shape", stdout=out)
    exported = out.getvalue()
    assert "## Kept from the source\n\n#### Resolution\n\nPointed the alias back" in exported
    assert "#### Where we got lucky\n\n- Traffic was at its daily low." in exported
    doc = parse_document(exported, slug="sre-book-shape")
    assert [e.heading for e in doc.extra_sections][:2] == ["Resolution", "Lessons Learned"]


def test_the_command_names_a_missing_file_and_imports_the_others(tmp_path):
    good = tmp_path / "morgue-shape.md"
    good.write_bytes((FOREIGN / "morgue-shape.md").read_bytes())
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_postmortems", str(tmp_path / "gone.md"), str(good), stdout=out, stderr=err
        )
    assert f"{tmp_path / 'gone.md'}: error: no such file" in err.getvalue()
    assert list(Postmortem.objects.values_list("slug", flat=True)) == ["morgue-shape"]
