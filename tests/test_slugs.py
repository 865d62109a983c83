"""Every postmortem has a slug its URL can carry, whatever its file name or title."""

from __future__ import annotations

import importlib
import io
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from analytics import services as review
from commitments import services as commitment_services
from postmortems.models import Postmortem
from postmortems.slugs import is_valid_slug, slug_from
from tests.factories import PostmortemFactory

SAMPLE = Path(__file__).parent / "data" / "postmortems" / "refund-cents-dollars.md"
NAMES = ["my incident.md", "Café crème outage.md", "支付故障报告.md", "new.md"]


def test_slug_from_folds_accents_and_names_cjk_text_by_hash():
    assert slug_from("my incident") == "my-incident"
    assert slug_from("Café crème outage") == "cafe-creme-outage"
    cjk = slug_from("支付故障报告")
    assert cjk.startswith("postmortem-") and is_valid_slug(cjk)
    assert slug_from("支付故障报告") == cjk != slug_from("数据库故障")
    assert slug_from("new") == "new-postmortem"


@pytest.mark.django_db
def test_importing_files_whose_names_are_not_slugs_keeps_every_shared_page_working(
    tmp_path, client, leader
):
    for name in NAMES:
        shutil.copy(SAMPLE, tmp_path / name)
    err = io.StringIO()
    call_command("import_postmortems", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert "my incident.md:1: warning: the file name is not a slug" in err.getvalue()
    slugs = set(Postmortem.objects.values_list("slug", flat=True))
    assert {"my-incident", "cafe-creme-outage", "new-postmortem"} <= slugs
    assert len(slugs) == len(NAMES) and all(is_valid_slug(s) for s in slugs)

    client.raise_request_exception = False
    client.force_login(leader)
    token = commitment_services.issue_feed_token(user=leader, scope="everyone")
    for url in [
        reverse("postmortem_list"),
        reverse("postmortem_list") + "?status=published",
        reverse("commitment_calendar") + "?view=list",
        reverse("commitment_feed", args=[token]),
        reverse("postmortem_detail", args=["my-incident"]),
    ]:
        assert client.get(url).status_code == 200, url
    run = review.request_review(quarter="2026Q3", enqueue=False).run
    assert review.run_review(run_id=run.pk).status == "done"

    # Importing the same files again updates them in place.
    call_command("import_postmortems", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Postmortem.objects.count() == len(NAMES)


@pytest.mark.django_db
def test_the_migration_gives_bad_existing_slugs_valid_unique_ones():
    fix = importlib.import_module("postmortems.migrations.0003_fix_invalid_slugs").fix_slugs
    PostmortemFactory(slug="my-incident")
    bad = [PostmortemFactory(slug=f"placeholder-{i}") for i in range(3)]
    for postmortem, slug in zip(bad, ["my incident", "café", "支付故障"], strict=True):
        Postmortem.objects.filter(pk=postmortem.pk).update(slug=slug)
    fix(apps, None)
    slugs = list(Postmortem.objects.order_by("pk").values_list("slug", flat=True))
    assert slugs[:3] == ["my-incident", "my-incident-2", "cafe"]
    assert all(is_valid_slug(s) for s in slugs) and len(set(slugs)) == len(slugs)
