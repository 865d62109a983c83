"""Importing many documents at once: a chunk is written together, and a document the database
refuses fails alone, leaves nothing half-written, and is named with its file; re-importing a
folder updates every postmortem with a revision that can be restored."""

from __future__ import annotations

import dataclasses
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from postmortems import importing
from postmortems.batch_writing import create_postmortems, update_postmortems
from postmortems.content import content_from_document
from postmortems.document import parse_document, render_document
from postmortems.document.foreign import read_postmortem
from postmortems.document_io import document_from_postmortem, import_documents
from postmortems.import_models import ImportBatch
from postmortems.importing import Upload, heading_table, preview_batch
from postmortems.models import Change, Commitment, Postmortem, Revision, TimelineEntry
from postmortems.services import restore_revision

POISON = "ROW-THE-DATABASE-REFUSES"


def team_document(number: int, *, step: str = "restarted the indexer") -> str:
    """A postmortem in a search team's own template (our own words), one per number."""
    return f"""# Search results went stale on cluster {number}

**Date:** 2025-03-{1 + number % 27:02d}

## Overview

Search showed results {20 + number} minutes old to 3{number} shoppers. The indexer stopped
reading the change feed after a certificate on the feed host rotated.

## Sequence of events

All times are UTC.

| Time | What happened |
|------|---------------|
| 08:10 | Freshness alert fired for cluster {number} |
| 08:14 | On-call {step} |
| 08:31 | Results fresh again |

## Root cause

The indexer pinned the old feed certificate; rotation {number} broke the pin.

## Follow-ups

- Load the feed certificate from the trust store instead of a pin (SRCH-{number}) — owner: @ines — due 2025-04-01
- Page when index lag > 10 minutes for 5 minutes to #search-oncall (SRCH-{number + 1})

## What went well

- The freshness alert fired within four minutes.
"""


def readings(texts: dict[str, str]):
    table = heading_table()
    taken: set[str] = set()
    found = [
        read_postmortem(text.encode(), filename=name, taken_slugs=taken, table=table)
        for name, text in texts.items()
    ]
    assert all(r.ok for r in found), [r.error for r in found if not r.ok]
    return found


def docs_of(texts: dict[str, str]):
    return [(r.doc, r.filename) for r in readings(texts)]


@pytest.fixture
def refusing_database(db):
    """A real trigger refusing any timeline row that names POISON: a failure only the
    database sees, after every check of ours has passed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.text LIKE '%{POISON}%' THEN RAISE EXCEPTION 'row refused by the test'; "
                "END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_poison BEFORE INSERT ON postmortems_timelineentry "
                "FOR EACH ROW EXECUTE FUNCTION refuse_poison()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_poison BEFORE INSERT ON postmortems_timelineentry "
                f"WHEN NEW.text LIKE '%{POISON}%' "
                "BEGIN SELECT RAISE(ABORT, 'row refused by the test'); END"
            )


def counts(slug: str) -> tuple[int, int, int, int]:
    pm = Postmortem.objects.filter(slug=slug).first()
    if pm is None:
        return (0, 0, 0, 0)
    return (
        1,
        Revision.objects.filter(postmortem=pm).count(),
        TimelineEntry.objects.filter(postmortem=pm).count(),
        Change.objects.filter(postmortem=pm).count(),
    )


def test_a_chunk_with_one_refused_document_still_writes_the_good_ones(refusing_database):
    texts = {f"search-{n}.md": team_document(n) for n in range(5)}
    texts["search-2.md"] = team_document(2, step=f"restarted it {POISON}")

    results = import_documents(docs=docs_of(texts))

    assert [r.error is None for r in results] == [True, True, False, True, True]
    assert "row refused by the test" in str(results[2].error)
    assert counts("search-2") == (0, 0, 0, 0)  # nothing half-written
    for n in (0, 1, 3, 4):
        assert counts(f"search-{n}") == (1, 1, 3, 2)
        assert results[n].created and results[n].postmortem.slug == f"search-{n}"


def test_a_reimport_with_one_refused_document_updates_the_others_and_keeps_the_bad_one(
    refusing_database,
):
    first = {f"search-{n}.md": team_document(n) for n in range(4)}
    import_documents(docs=docs_of(first))
    again = {name: text.replace("restarted the indexer", "rebuilt the index") for name, text in first.items()}  # fmt: skip
    again["search-1.md"] = team_document(1, step=f"rebuilt it {POISON}")

    results = import_documents(docs=docs_of(again))

    assert [r.error is None for r in results] == [True, False, True, True]
    assert not any(r.created for r in results)
    kept = Postmortem.objects.get(slug="search-1")
    assert kept.version == 1 and counts("search-1") == (1, 1, 3, 2)
    assert "restarted the indexer" in kept.timeline.all()[1].text
    for n in (0, 2, 3):
        pm = Postmortem.objects.get(slug=f"search-{n}")
        assert pm.version == 2 and counts(f"search-{n}") == (1, 2, 3, 2)
        assert pm.timeline.all()[1].text.endswith("rebuilt the index")


def test_the_command_names_every_failure_by_file_in_file_order(refusing_database, tmp_path):
    (tmp_path / "a-good.md").write_text(team_document(1))
    (tmp_path / "b-refused.md").write_text(team_document(2, step=f"paged {POISON}"))
    (tmp_path / "c-unreadable.md").write_text("just a line, no headings at all\n")
    (tmp_path / "d-good.md").write_text(team_document(4))
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 file"):
        call_command("import_postmortems", str(tmp_path), stdout=io.StringIO(), stderr=err)

    errors = [line for line in err.getvalue().splitlines() if ": error: " in line]
    assert errors[0].startswith(f"{tmp_path / 'b-refused.md'}:1: error: not imported")
    assert "row refused by the test" in errors[0]
    assert errors[1].startswith(f"{tmp_path / 'c-unreadable.md'}:")
    assert len(errors) == 2
    assert sorted(Postmortem.objects.values_list("slug", flat=True)) == ["a-good", "d-good"]


def test_every_reimport_keeps_a_revision_that_restores_the_earlier_text(db, author):
    original = {f"search-{n}.md": team_document(n) for n in range(3)}
    import_documents(docs=docs_of(original))
    changed = {name: text.replace("On-call restarted the indexer", "On-call failed over to cluster b") for name, text in original.items()}  # fmt: skip
    import_documents(docs=docs_of(changed))

    pm = Postmortem.objects.get(slug="search-1")
    assert list(pm.revisions.values_list("number", "kind", "applied")) == [
        (2, "import", True),
        (1, "import", True),
    ]
    assert pm.revisions.get(number=2).note == "Imported from search-1.md"
    assert pm.timeline.all()[1].text == "On-call failed over to cluster b"

    outcome = restore_revision(revision=pm.revisions.get(number=1), user=author)

    assert outcome.applied
    pm.refresh_from_db()
    assert pm.timeline.all()[1].text == "On-call restarted the indexer"
    assert pm.revisions.count() == 3


def test_a_batch_reimport_leaves_what_one_by_one_leaves(db):
    texts = {f"search-{n}.md": team_document(n) for n in range(3)}
    import_documents(docs=docs_of(texts))
    changed = {name: text.replace("#search-oncall", "#search-incidents").replace("@ines", "@omar") for name, text in texts.items()}  # fmt: skip
    import_documents(docs=docs_of(changed))
    batched = {
        slug: render_document(document_from_postmortem(Postmortem.objects.get(slug=slug)))
        for slug in ("search-0", "search-1", "search-2")
    }
    commitments = list(Commitment.objects.order_by("id").values_list("postmortem__slug", "text"))
    Postmortem.objects.all().delete()

    for docs in (docs_of(texts), docs_of(changed)):
        for doc in docs:
            import_documents(docs=[doc])  # a chunk of one: the one-by-one path

    for slug, text in batched.items():
        assert render_document(document_from_postmortem(Postmortem.objects.get(slug=slug))) == text
    assert (
        list(Commitment.objects.order_by("id").values_list("postmortem__slug", "text"))
        == commitments
    )


HOUSE = """---
title: Login codes sent twice
incident_date: 2025-06-02
severity: SEV3
status: published
incident_start: 2025-06-02T09:00:00Z
incident_end: 2025-06-02T09:40:00Z
services: [auth-mailer]
authors: [mika]
---

# Login codes sent twice

## User impact

- Users affected: 140
- Minutes of impact: 40

140 users got two login codes and 12 of them used the first, expired one.

## Timeline

- 09:00 UTC — Mailer release 3.2 starts retrying on timeouts — deploy pipeline
- 09:12 UTC — Support reports duplicate codes — @mika
- 09:40 UTC — Retry on timeout switched off — @mika

## What broke

The mailer retried a send that had succeeded but answered after 2 seconds.

## Why

Release 3.2 treated a slow answer as a failure (deterministic terminal: config `send_timeout: 2s`).

## What kept it broken longer

- Detection lag (12 min): no alert counts codes sent per login

## Specific changes

- PR #88: make sends idempotent with a key per login attempt — owner: @mika — due 2025-06-20

## Improvement commitments

- Idempotent sends (PR #88) — owner: @mika — due 2025-06-20
"""


def test_the_house_format_survives_a_batch_reimport_byte_for_byte(db):
    docs = [(parse_document(HOUSE, slug=f"login-codes-{n}"), f"login-{n}.md") for n in range(3)]
    import_documents(docs=docs)
    exported = [render_document(document_from_postmortem(Postmortem.objects.get(slug=d.slug))) for d, _ in docs]  # fmt: skip
    results = import_documents(
        docs=[
            (parse_document(t, slug=d.slug), "again.md")
            for (d, _), t in zip(docs, exported, strict=True)
        ]
    )

    assert not any(r.created or r.error for r in results)
    for (doc, _), text in zip(docs, exported, strict=True):
        pm = Postmortem.objects.get(slug=doc.slug)
        assert pm.version == 2
        assert render_document(document_from_postmortem(pm)) == text
    assert exported[0] == HOUSE


def test_create_postmortems_refuses_only_the_invalid_content(db):
    good = content_from_document(readings({"a.md": team_document(1)})[0].doc)
    bad = dataclasses.replace(good, slug="b", severity="SEV9")
    other = dataclasses.replace(good, slug="c")

    outcomes = create_postmortems(items=[(good, "from a"), (bad, "from b"), (other, "from c")])

    assert [o.applied for o in outcomes] == [True, False, True]
    assert outcomes[1].errors[0].field == "severity" and outcomes[1].postmortem is None
    assert sorted(Postmortem.objects.values_list("slug", flat=True)) == ["a", "c"]
    assert Revision.objects.get(postmortem__slug="c").note == "from c"


def test_update_postmortems_refuses_only_the_invalid_content_and_writes_nothing_of_it(db):
    import_documents(docs=docs_of({"a.md": team_document(1), "b.md": team_document(2)}))
    a, b = Postmortem.objects.get(slug="a"), Postmortem.objects.get(slug="b")
    new_a = dataclasses.replace(content_from_document(readings({"a.md": team_document(7)})[0].doc))
    bad_b = dataclasses.replace(content_from_document(readings({"b.md": team_document(8)})[0].doc), severity="SEV9")  # fmt: skip

    outcomes = update_postmortems(items=[(a, new_a, "again"), (b, bad_b, "again")])

    assert [o.applied for o in outcomes] == [True, False]
    assert outcomes[1].postmortem == b and outcomes[1].errors[0].field == "severity"
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.version, b.version) == (2, 1)
    assert "cluster 7" in a.title and "cluster 2" in b.title
    assert b.revisions.count() == 1 and a.revisions.first().note == "again"


def test_the_import_task_counts_progress_while_it_runs(db, reviewer, monkeypatch):
    uploads = [Upload(f"search-{n:02d}.md", team_document(n).encode()) for n in range(45)]
    batch = preview_batch(uploads=uploads, user=reviewer)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.QUEUED)
    seen = []
    real = importing.import_documents

    def counting(**kwargs):
        seen.append(ImportBatch.objects.get(pk=batch.pk).done)
        return real(**kwargs)

    monkeypatch.setattr(importing, "import_documents", counting)
    done = importing.run_batch(batch_id=batch.pk)

    assert seen == [0, 20, 40]
    assert (done.status, done.done, done.total) == ("done", 45, 45)
    assert Postmortem.objects.count() == 45


def test_import_documents_reports_after_each_chunk(db):
    seen = []
    docs = docs_of({f"search-{n}.md": team_document(n) for n in range(5)})

    import_documents(docs=docs, chunk=2, progress=lambda so_far: seen.append(len(so_far)))

    assert seen == [2, 4, 5]


def test_verdicts_computed_ahead_in_worker_processes_are_the_verdicts_computed_in_line(
    db, settings, monkeypatch
):
    # Five documents in chunks of two: three chunks, so the later chunks' verdicts are
    # computed by the forked workers while the first is written.
    texts = {f"search-{n}.md": team_document(n) for n in range(5)}
    texts["search-3.md"] = texts["search-3.md"].replace(
        "- Page when index lag", "- Investigate the indexer\n- Page when index lag"
    )
    taken = verdicts_taken(monkeypatch)
    import_documents(docs=docs_of(texts), chunk=2)
    ahead = dict(Postmortem.objects.values_list("slug", "verdict"))
    # The first chunk is checked in line; every later write took the workers' verdict.
    assert taken == [False, False, True, True, True]
    assert len(set(ahead.values())) == 2  # the aspiration makes one differ

    Postmortem.objects.all().delete()
    taken.clear()
    settings.HINDSIGHT_IMPORT_CHECK_AHEAD = False
    import_documents(docs=docs_of(texts), chunk=2)
    assert taken == [False] * 5  # computed in line
    assert dict(Postmortem.objects.values_list("slug", "verdict")) == ahead


def test_files_read_ahead_in_worker_processes_read_as_in_one_process_and_import_checked(
    db, monkeypatch, settings
):
    # Seven files in chunks of two, so the workers read and check the later chunks while the
    # first is written. Three share a slug, one across a chunk boundary; one does not read.
    uploads = [Upload(f"Search {n}.md", team_document(n).encode()) for n in range(3)]
    uploads += [
        Upload("search-0.md", team_document(10).encode()),
        Upload("broken.md", b"\xff\xfe not text"),
        Upload("search_0.md", team_document(11).encode()),
        Upload("later.md", team_document(12).encode()),
    ]
    expected = importing.read_uploads(uploads)
    read = [r for chunk in importing.read_ahead(uploads, chunk=2) for r in chunk]

    def plain(reading):  # an exception equals only itself: compare what it says
        error = reading.error and (reading.error.line, reading.error.reason)
        return dataclasses.replace(reading, error=None), error

    assert [plain(r) for r in read] == [plain(r) for r in expected]
    assert read[4].error.reason.startswith("not UTF-8 text")
    assert [r.slug for r in read] == [
        "search-0", "search-1", "search-2", "search-0-2", "broken", "search_0", "later",
    ]  # fmt: skip
    assert read[3].warnings[0].message == "the file name is not a slug; its URL is /search-0-2/"

    taken = verdicts_taken(monkeypatch)
    pairs = importing.import_uploads(uploads, chunk=2)
    # The first chunk is read and checked in line; the workers checked every later file.
    assert taken == [False, False, True, True, True, True]
    assert [result is None for _, result in pairs] == [False] * 4 + [True] + [False] * 2
    assert sorted(Postmortem.objects.values_list("slug", flat=True)) == sorted(
        r.slug for r in expected if r.ok
    )
    by_slug = dict(Postmortem.objects.values_list("slug", "verdict"))
    Postmortem.objects.all().delete()
    taken.clear()
    settings.HINDSIGHT_IMPORT_CHECK_AHEAD = False
    importing.import_uploads(uploads, chunk=2)
    assert taken == [False] * 6  # read and checked in line
    assert dict(Postmortem.objects.values_list("slug", "verdict")) == by_slug


def verdicts_taken(monkeypatch) -> list[bool]:
    """For each write from now on, whether it took a verdict computed ahead (in order)."""
    from postmortems import checking

    taken = []
    remembered = checking.verdict_of

    def verdict_of(inputs):
        taken.append(checking.inputs_key(inputs) in checking._KNOWN_VERDICTS)
        return remembered(inputs)

    monkeypatch.setattr(checking, "verdict_of", verdict_of)
    return taken
