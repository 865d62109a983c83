"""The ``hindsight-check`` console script, run by subprocess on folders of postmortems.

The script is the one pip installs from pyproject's [project.scripts] (``make test`` installs
the package editable first), found next to the Python running the tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "hindsight-check"

SPECIFIC = """---
title: Search index rebuild dropped synonyms
incident_date: 2026-05-04
---

# Search index rebuild dropped synonyms

## User impact

3,100 shoppers got empty results for 38 minutes.

## Timeline

- 09:12 UTC — search_empty_results alert fired — PagerDuty
- 09:15 UTC — acknowledged the page — @maria
- 09:31 UTC — rolled back index build v41 to v40 — @maria

## What broke

The v41 index build skipped synonyms.txt, so 22% of queries returned nothing.

## Why

`build_index.py` read `SYNONYMS_PATH` from an unset variable and fell back to an empty file.

## What kept it broken longer

- Detection lag (3 min): the search_empty_results alert waits 3 minutes before paging

## Specific changes

- PR #418: fail the build when synonyms.txt is missing — owner: @maria — due 2026-05-11

## Improvement commitments

- PR #418 synonyms check — owner: @maria — due 2026-05-11
"""

WITH_TRAPS = """---
title: Billing worker stalled
incident_date: 2026-06-02
---

# Billing worker stalled

## User impact

Invoices were late for some customers.

## Timeline

- around lunch the queue backed up

## What broke

The billing worker stopped consuming.

## Why

The worker failed because the service errored.

## What kept it broken longer

- Response lag: slow.

## Specific changes

- Investigate billing worker memory usage
- PR #77: cap the prefetch count at 50 in worker.yaml

## Improvement commitments

- Be more careful with deploys — owner: @ops — due 2026-06-30
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "specific.md").write_text(SPECIFIC, encoding="utf-8")
    (tmp_path / "traps.md").write_text(WITH_TRAPS, encoding="utf-8")
    return tmp_path


def test_the_console_script_is_installed():
    assert SCRIPT.exists(), "run `make test` (it installs the package editable) first"


def test_a_folder_with_an_anti_pattern_exits_1_and_points_at_file_line_and_column(folder):
    result = run(str(folder))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    traps = str(folder / "traps.md")
    # "- Investigate billing worker memory usage" is line 30; the phrase starts after "- ".
    assert any(line.startswith(f"{traps}:30:3: anti-pattern: Leads with") for line in lines)
    assert any(line.startswith(f"{traps}:22:1: anti-pattern: The cause") for line in lines)
    assert any(line.startswith(f"{traps}:14:3: vague: ") for line in lines)
    assert not any(line.startswith(str(folder / "specific.md")) for line in lines)


def test_a_folder_without_anti_patterns_exits_0(tmp_path):
    (tmp_path / "specific.md").write_text(SPECIFIC, encoding="utf-8")
    result = run(str(tmp_path))
    assert result.returncode == 0
    assert result.stdout == ""


def test_vague_phrases_alone_do_not_fail_the_check(tmp_path):
    vague_only = WITH_TRAPS.split("## Why")[0]
    (tmp_path / "vague.md").write_text(vague_only, encoding="utf-8")
    result = run(str(tmp_path / "vague.md"))
    assert result.returncode == 0
    assert ": vague: " in result.stdout


def test_json_output_lists_each_phrase_with_tag_reason_and_rewrite(folder):
    result = run("--format", "json", str(folder / "traps.md"))
    assert result.returncode == 1
    rows = json.loads(result.stdout)
    aspiration = next(r for r in rows if r["text"] == "Investigate billing worker memory usage")
    assert aspiration["tag"] == "anti-pattern"
    assert aspiration["section"] == "changes"
    assert (aspiration["line"], aspiration["col"]) == (30, 3)
    assert "billing_worker_memory" in aspiration["suggestion"]
    assert all(r["tag"] != "concrete" for r in rows)


def test_all_lists_concrete_phrases_too(folder):
    result = run("--all", "--format", "json", str(folder / "specific.md"))
    assert result.returncode == 0
    tags = {r["tag"] for r in json.loads(result.stdout)}
    assert tags == {"concrete"}


def test_an_unreadable_file_exits_2_with_its_name_on_stderr(tmp_path):
    broken = tmp_path / "broken.md"
    broken.write_bytes(b"## Why\n\xff\xfe not utf-8\n")
    result = run(str(broken))
    assert result.returncode == 2
    assert str(broken) in result.stderr
