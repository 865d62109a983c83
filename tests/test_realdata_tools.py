"""The real-corpus tools (benchmarks/realdata_tools), on documents written for these tests.

No real postmortem text is used here: every document below was written for the test, in the
shapes the public templates use (tables, bullets, "Label: value" lines, zone notes).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from types import SimpleNamespace

import pytest

from benchmarks.realdata_tools import collect, extract_phrases, make_split, rebuild

WRITTEN_POSTMORTEM = """# Queue workers stalled after the March broker upgrade

## Summary

The broker upgrade left 3,400 jobs waiting for 52 minutes. Workers reconnected to a node
that no longer accepted consumers.

## Timeline (all times UTC)

| Time | Event |
|------|-------|
| 09:02 | Upgrade of broker-2 started by the platform on-call |
| 09:14 | Queue depth alert fired in #ops-alerts |

## Contributing Factors

- The client library pinned an old reconnect strategy.

```
consumer.reconnect(strategy="sticky")
```

## Where we got lucky

Time to detection: 12 minutes

## Action Items

| Action | Owner | Due |
|--------|-------|-----|
| Set reconnect strategy to round-robin in worker.yaml | @queue-team | 2026-04-02 |

- Look into broker health checks

## References

- https://example.org/runbook
"""


def test_headings_of_other_templates_map_to_house_sections():
    expected = {
        "Root Cause": "why",
        "Contributing Factors": "why",
        "5 Whys": "why",
        "Action Items": "changes",
        "Corrective and Preventative Measures": "changes",
        "Root cause remediations": "changes",
        "Timeline (all times PST)": "timeline",
        "Chronology": "timeline",
        "Customer Impact": "user_impact",
        "Fallout": "user_impact",
        "Where we got lucky": "kept_broken",
        "Detection": "kept_broken",
        "Issue Summary": "what_broke",
        "Resolution and recovery": "what_broke",
        "References": extract_phrases.IGNORE,
        "Thanks": extract_phrases.IGNORE,
    }
    got = {heading: extract_phrases.section_of_heading(heading) for heading in expected}
    assert got == expected


def test_a_postmortem_is_cut_into_rows_bullets_and_sentences_per_section():
    doc = SimpleNamespace(doc_id="acme--queue", org="acme", text=WRITTEN_POSTMORTEM)
    rows = extract_phrases.extract(doc, "dev")
    got = [(row["section"], row["line"], row["text"]) for row in rows]
    assert got == [
        (
            "user_impact",
            5,
            "The broker upgrade left 3,400 jobs waiting for 52 minutes.",
        ),
        ("what_broke", 5, "Workers reconnected to a node that no longer accepted consumers."),
        ("timeline", 12, "09:02 | Upgrade of broker-2 started by the platform on-call"),
        ("timeline", 13, "09:14 | Queue depth alert fired in #ops-alerts"),
        ("why", 17, "The client library pinned an old reconnect strategy."),
        ("kept_broken", 25, "Time to detection: 12 minutes"),
        (
            "changes",
            31,
            "Set reconnect strategy to round-robin in worker.yaml | @queue-team | 2026-04-02",
        ),
        (
            "commitments",
            31,
            "Set reconnect strategy to round-robin in worker.yaml | @queue-team | 2026-04-02",
        ),
        ("changes", 33, "Look into broker health checks"),
    ]
    assert [row["phrase_id"] for row in rows][-3:] == [
        "acme--queue:31:0",
        "acme--queue:31:1",
        "acme--queue:33:0",
    ]
    first = rows[0]
    assert first["sha256"] == hashlib.sha256(first["text"].encode()).hexdigest()


def test_a_prose_post_without_known_headings_is_read_as_a_summary():
    text = "# Notes from the week the mirror went away\n\nThe mirror was down for 3 hours.\n"
    doc = SimpleNamespace(doc_id="acme--mirror", org="acme", text=text)
    rows = extract_phrases.extract(doc, "test")
    assert [(r["section"], r["part"], r["text"]) for r in rows] == [
        ("user_impact", "test", "The mirror was down for 3 hours.")
    ]


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("reports/2021-06-30-api-503.md", "2021-06-30"),
        ("07-Sept-2022_V3_upgrade_halt.md", "2022-09-07"),
        ("06192022-Queue-Attack-Postmortem.md", "2022-06-19"),
        ("hub/2025/0414_upgrade", "2025-04-14"),
        ("testnet/meteor-08Nov2022.md", "2022-11-08"),
        ("beginning Jun 8, 2025.", "2025-06-08"),
        ("## 3.4.2020", "2020-04-03"),
        ("no date here", None),
    ],
)
def test_incident_dates_are_read_from_file_names_and_lines(written, date):
    assert collect.date_from_string(written) == date


def test_the_split_holds_out_whole_small_organisations_the_same_way_every_time():
    counts = {"big": 40, **{f"org{i:02d}": 6 for i in range(20)}}
    total = sum(counts.values())
    first = make_split.choose_test_orgs(counts)
    assert first == make_split.choose_test_orgs(counts)
    assert "big" not in first
    share = sum(counts[org] for org in first) / total
    assert make_split.MIN_SHARE <= share <= make_split.MAX_SHARE


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_rebuild_writes_the_manifest_bytes_from_a_fetched_snapshot(tmp_path, monkeypatch):
    work = tmp_path / "acme-postmortems"
    work.mkdir()
    _git("init", "-q", cwd=work)
    (work / "pm").mkdir()
    body = WRITTEN_POSTMORTEM.encode()
    (work / "pm" / "2026-03-01-queue.md").write_bytes(body)
    _git("add", ".", cwd=work)
    _git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "pm", cwd=work)
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=work, check=True, capture_output=True, text=True
    ).stdout.strip()
    mirror_root = tmp_path / "mirror"
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(work), str(mirror_root / "acme+pm" / "repo")],
        check=True,
    )
    manifest = tmp_path / "manifest.jsonl"
    row = {
        "doc_id": "acme--2026-03-01-queue",
        "org": "acme",
        "repo": "acme/pm",
        "commit": commit,
        "path": "pm/2026-03-01-queue.md",
        "sha256": hashlib.sha256(body).hexdigest(),
        "bytes": len(body),
        "format": "md",
    }
    missing = dict(row, doc_id="other--x", org="other", repo="other/pm")
    manifest.write_text(json.dumps(row) + "\n" + json.dumps(missing) + "\n")
    docs = tmp_path / "realdata" / "docs"
    monkeypatch.setattr(rebuild.mirror, "MIRROR_ROOT", mirror_root)
    monkeypatch.setattr(rebuild.corpus, "MANIFEST_PATH", manifest)
    monkeypatch.setattr(rebuild.corpus, "DOCS_DIR", docs)
    monkeypatch.setattr(rebuild.corpus, "SPLIT_PATH", tmp_path / "split.json")

    assert rebuild.rebuild() == 0

    assert (docs / "acme--2026-03-01-queue.md").read_bytes() == body
    assert not (docs / "other--x.md").exists()
    loaded = list(rebuild.corpus.load_documents(part="dev"))
    assert [doc.doc_id for doc in loaded] == ["acme--2026-03-01-queue"]


def test_rebuild_says_which_repository_to_fetch_and_fails_when_nothing_is_built(
    tmp_path, monkeypatch, capsys
):
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text(
        json.dumps(
            {
                "doc_id": "acme--a",
                "org": "acme",
                "repo": "acme/pm",
                "commit": "0" * 40,
                "path": "a.md",
                "sha256": "0" * 64,
                "format": "md",
            }
        )
        + "\n"
    )
    monkeypatch.setattr(rebuild.mirror, "MIRROR_ROOT", tmp_path / "nothing-fetched")
    monkeypatch.setattr(rebuild.corpus, "MANIFEST_PATH", manifest)
    monkeypatch.setattr(rebuild.corpus, "DOCS_DIR", tmp_path / "docs")

    assert rebuild.rebuild() == 1

    out = capsys.readouterr().out
    assert "realdata not available: fetch acme/pm first" in out
    assert rebuild.corpus.available() is False
