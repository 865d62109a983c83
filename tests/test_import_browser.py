"""A reviewer imports a folder of old postmortems in Chromium: preview, import, result."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from postmortems.import_models import ImportBatch
from postmortems.models import Postmortem, Revision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOREIGN = Path(__file__).parent / "data" / "foreign"


def test_a_reviewer_imports_a_folder_with_one_unreadable_file(
    live_server, login, reviewer, tmp_path
):
    folder = tmp_path / "history"
    folder.mkdir()
    for name in ("atlassian-shape.md", "sre-book-shape.md", "confluence-export.html"):
        shutil.copy(FOREIGN / name, folder / name)
    # Readable as text, but no heading of it names a postmortem part.
    (folder / "team-offsite.md").write_text("# Offsite\n\n## Agenda\n\nLunch at noon.\n")
    page = login(reviewer)

    page.goto(f"{live_server.url}/postmortems/import/")
    page.set_input_files("#import-folder", str(folder))
    page.click("button:has-text('Preview')")

    preview = page.locator("#import-preview")
    preview.wait_for()
    text = preview.inner_text()
    assert "Webhook deliveries stalled for EU tenants" in text
    assert "2024-02-19" in text
    assert "“Root Causes” → Why" in text
    assert "team-offsite.md:3" in text
    assert Postmortem.objects.count() == 0
    assert page.locator("#import-start").inner_text() == "Import 3 postmortems"

    page.click("#import-start")
    page.locator("#import-done").wait_for(timeout=20_000)
    assert (
        "Imported 3 postmortems; 1 file not imported" in page.locator("#import-done").inner_text()
    )
    errors = page.locator("#import-errors").inner_text()
    assert "team-offsite.md:3" in errors and "no heading names a postmortem part" in errors

    assert set(Postmortem.objects.values_list("slug", flat=True)) == {
        "atlassian-shape",
        "sre-book-shape",
        "confluence-export",
    }
    assert Revision.objects.count() == 3
    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE

    page.click("#import-preview a:has-text('Search suggestions went blank')")
    page.wait_for_url(f"{live_server.url}/postmortems/sre-book-shape/")
    assert "Kept from the source" in page.locator("#kept-from-source").inner_text()
    assert "03:14 UTC" in page.locator("#timeline").inner_text()
