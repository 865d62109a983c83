"""The canonical Markdown document: export, import, round trip, and what fails loudly."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from postmortems.models import Postmortem
from tests.factories import PostmortemFactory

DATA = Path(__file__).parent / "data" / "postmortems"
pytestmark = pytest.mark.django_db


def export(slug: str) -> str:
    out = io.StringIO()
    call_command("export_postmortem", slug, stdout=out)
    return out.getvalue()


def run_import(*paths) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_postmortems", *map(str, paths), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_then_import_is_lossless(tmp_path):
    postmortem = PostmortemFactory(
        slug="refund-overcharge", metadata={"team": "payments", "jira": "PAY-77"}
    )
    first = export("refund-overcharge")
    assert first.startswith("---\n")
    for heading in [
        "# Refund agent overcharged",
        "## User impact",
        "## Timeline",
        "## What broke",
        "## Why",
        "## What kept it broken longer",
        "## Specific changes",
        "## Improvement commitments",
    ]:
        assert heading in first
    assert "team: payments" in first
    postmortem.delete()
    path = tmp_path / "refund-overcharge.md"
    path.write_text(first)
    run_import(path)
    assert export("refund-overcharge") == first
    imported = Postmortem.objects.get(slug="refund-overcharge")
    assert imported.metadata == {"team": "payments", "jira": "PAY-77"}
    assert imported.commitments.get().change.reference == "PR #2341"


def test_import_of_the_canonical_example_publishes_it():
    out, err = run_import(DATA / "refund-cents-dollars.md")
    postmortem = Postmortem.objects.get(slug="refund-cents-dollars")
    assert postmortem.status == "published"
    assert postmortem.timeline.count() >= 5
    assert postmortem.changes.filter(kind="pr").exists()
    assert "1 created" in out


def test_a_handwritten_legacy_document_imports_with_warnings():
    out, err = run_import(DATA / "legacy-webhook-retries.md")
    postmortem = Postmortem.objects.get(slug="legacy-webhook-retries")
    assert "legacy-webhook-retries.md:" in err and "warning" in err
    assert postmortem.timeline.filter(at__isnull=True).exists() or "heading" in err


def test_a_file_that_is_not_a_postmortem_fails_alone(tmp_path):
    good = tmp_path / "good.md"
    good.write_text((DATA / "refund-cents-dollars.md").read_text())
    bad_date = tmp_path / "bad-date.md"
    bad_date.write_text("---\ntitle: X\nincident_date: 2026-13-45\n---\n# X\n")
    no_title = tmp_path / "no-title.md"
    no_title.write_text("---\nincident_date: 2026-08-14\n---\n## Why\nx\n")
    with pytest.raises(CommandError) as failure:
        run_import(tmp_path, DATA / "no-front-matter.md")
    assert "3 file(s) could not be imported" in str(failure.value)
    assert set(Postmortem.objects.values_list("slug", flat=True)) == {"good"}


def test_import_errors_name_file_line_and_reason(tmp_path):
    bad = tmp_path / "bad-date.md"
    bad.write_text("---\ntitle: X\nincident_date: 2026-13-45\n---\n# X\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_postmortems", str(bad), stdout=io.StringIO(), stderr=err)
    assert f"{bad}:3: error:" in err.getvalue()
    assert "incident_date" in err.getvalue()


def test_reimport_updates_in_place_and_keeps_history(tmp_path):
    path = tmp_path / "refund-cents-dollars.md"
    text = (DATA / "refund-cents-dollars.md").read_text()
    path.write_text(text)
    run_import(path)
    path.write_text(text.replace("## Why\n", "## Why\nAn extra first line.\n", 1))
    out, _ = run_import(path)
    postmortem = Postmortem.objects.get(slug="refund-cents-dollars")
    assert "1 updated" in out
    assert postmortem.why.startswith("An extra first line.")
    assert postmortem.revisions.count() == 2


def test_the_detail_page_downloads_the_markdown(author_client):
    PostmortemFactory(slug="dl")
    response = author_client.get(reverse("postmortem_export", args=["dl"]))
    assert response["Content-Disposition"] == 'attachment; filename="dl.md"'
    assert response.content.decode() == export("dl")


def test_exporting_an_unknown_slug_is_an_error():
    with pytest.raises(CommandError, match="No postmortem"):
        export("nope")
