"""A folder import names every bad file as file:line: reason, imports the rest, writes nothing
of the bad ones, and exits non-zero."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from postmortems.models import Postmortem, Revision, Service, TimelineEntry

SAMPLE = (Path(__file__).parent / "data" / "postmortems" / "refund-cents-dollars.md").read_text()

# file name -> (how the sample is spoilt, the line the error must name, words of the reason)
BAD_FILES = {
    "a-ends-before-start.md": (
        ("incident_end: 2026-08-14T18:00:00Z", "incident_end: 2026-08-14T10:00:00Z"),
        7,
        "incident_end is before incident_start",
    ),
    "b-long-title.md": (
        ("title: Refund agent wrote $4000 instead of $40.00", "title: " + "T" * 201),
        2,
        "the title is 201 characters",
    ),
    "c-long-service.md": (
        ("services: [refund-agent, payments]", "services: [refund-agent, " + "s" * 101 + "]"),
        8,
        "service name is over 100",
    ),
    "d-long-author.md": (
        ("authors: [bob, alice]", "authors: [bob, " + "a" * 151 + "]"),
        9,
        "author name is over 150",
    ),
    "e-nul-in-body.md": (
        ("Eight refunds were overcharged", "Eight refunds\x00 were overcharged"),
        23,
        "NUL control character",
    ),
    "f-huge-users.md": (
        ("- Users affected: 8", "- Users affected: 99999999999999999999"),
        19,
        "users affected must be 0 to",
    ),
    "g-huge-lag.md": (
        ("- Detection lag (2 min)", "- Detection lag (99999999999 min)"),
        54,
        "a lag of 99999999999 minutes",
    ),
}


def spoilt(old_new):
    old, new = old_new
    assert old in SAMPLE
    return SAMPLE.replace(old, new)


@pytest.mark.django_db
def test_every_bad_file_is_named_by_line_and_the_good_ones_after_it_still_import(tmp_path):
    for name, (change, _, _) in BAD_FILES.items():
        (tmp_path / name).write_text(spoilt(change), encoding="utf-8")
    (tmp_path / "z-good.md").write_text(SAMPLE, encoding="utf-8")  # sorted after every bad one
    users_before = get_user_model().objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="7 file"):
        call_command("import_postmortems", str(tmp_path), stdout=io.StringIO(), stderr=err)
    report = err.getvalue()
    for name, (_, line, reason) in BAD_FILES.items():
        matching = [
            r for r in report.splitlines() if r.startswith(f"{tmp_path / name}:{line}: error:")
        ]
        assert matching and reason in matching[0], (name, report)
    assert list(Postmortem.objects.values_list("slug", flat=True)) == ["z-good"]
    assert Revision.objects.count() == 1
    assert not Service.objects.filter(name__startswith="sss").exists()
    assert get_user_model().objects.count() == users_before + 2  # bob and alice of z-good only


@pytest.mark.django_db
def test_a_database_refusal_is_reported_per_file_and_leaves_nothing_half_written(tmp_path):
    # Validation catches what it knows before the database; anything else the database
    # refuses (here a real trigger on the timeline table) is still one file's error.
    (tmp_path / "good.md").write_text(SAMPLE, encoding="utf-8")
    call_command("import_postmortems", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    rows_before = TimelineEntry.objects.count()
    revisions_before = Revision.objects.count()
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigger below is PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_timeline() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'timeline refused by the test trigger'; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_timeline BEFORE INSERT ON postmortems_timelineentry "
            "FOR EACH ROW EXECUTE FUNCTION refuse_timeline()"
        )
    (tmp_path / "other.md").write_text(
        SAMPLE.replace("Refund agent wrote", "Refund agent again wrote"), encoding="utf-8"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 file"):
        call_command("import_postmortems", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert f"{tmp_path / 'good.md'}:1: error: not imported" in err.getvalue()
    assert "timeline refused by the test trigger" in err.getvalue()
    assert TimelineEntry.objects.count() == rows_before
    assert Revision.objects.count() == revisions_before
    assert Postmortem.objects.get(slug="good").title == "Refund agent wrote $4000 instead of $40.00"
    assert not Postmortem.objects.filter(slug="other").exists()
