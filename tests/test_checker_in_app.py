"""The checker where people meet it: live in the editor, at publish, and on the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from postmortems.models import Status
from postmortems.snapshot import snapshot
from tests.factories import PostmortemFactory

ROOT = Path(__file__).resolve().parent.parent


def run_check_phrases(stdin: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check_phrases", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_check_phrases_tags_each_line_in_order_and_keeps_extra_keys():
    lines = [
        {"section": "changes", "text": "Add more monitoring", "id": 1},
        {
            "section": "timeline",
            "text": "14:05 UTC — Page fires on refund_amount alert — PagerDuty",
            "id": 2,
        },
        {"section": "timeline", "text": "Around 2pm someone noticed", "id": 3},
    ]
    done = run_check_phrases("".join(json.dumps(line) + "\n" for line in lines))
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, 2, 3]
    assert [o["tag"] for o in out] == ["anti-pattern", "concrete", "vague"]
    assert all(isinstance(o["reasons"], list) and o["reasons"] for o in out)
    assert out[0]["suggestion"] and out[1]["suggestion"] is None


def test_check_phrases_reports_bad_lines_finishes_the_rest_and_exits_1(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"section": "why", "text": "Human error"}\n'
        "{not json\n"
        '{"section": "root_cause", "text": "x"}\n'
        '{"section": "why", "text": "The lookup_order schema has no unit field, so amount 4000 (cents) was read as dollars"}\n'
    )
    done = run_check_phrases("", str(path))
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["tag"] == "anti-pattern"
    assert "error" in out[1] and "tag" not in out[1]
    assert "error" in out[2] and out[2]["section"] == "root_cause"
    assert out[3]["tag"] == "concrete"


@pytest.mark.django_db
def test_the_live_check_returns_every_pill_out_of_band(author_client):
    postmortem = PostmortemFactory()
    data = dict(snapshot(postmortem), why="There was a bug in the system.")
    response = author_client.post(reverse("postmortem_check"), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    for key in ["impact", "timeline", "what_broke", "why", "kept_broken", "changes", "commitments"]:
        assert f'id="pill-{key}" hx-swap-oob="true"' in html
    assert 'data-section="why">sparse' in html or 'data-section="why">anti-pattern' in html
    full = author_client.post(reverse("postmortem_check"), data)
    assert b"<h1>Specificity check</h1>" in full.content


@pytest.mark.django_db
def test_publishing_is_refused_while_a_section_holds_an_anti_pattern(reviewer_client):
    postmortem = PostmortemFactory(status="in_review")
    edited = dict(
        snapshot(postmortem),
        action="save",
        **{
            "changes-3-kind": "other",
            "changes-3-text": "Add more monitoring",
            "changes-3-status": "open",
        },
    )
    edited["changes-TOTAL_FORMS"] = "4"
    assert (
        reviewer_client.post(reverse("postmortem_edit", args=[postmortem.slug]), edited).status_code
        == 302
    )
    response = reviewer_client.post(
        reverse("postmortem_status", args=[postmortem.slug]), {"status": "published"}, follow=True
    )
    postmortem.refresh_from_db()
    assert postmortem.status == Status.IN_REVIEW
    assert (
        "5. Specific changes holds an anti-pattern: “Add more monitoring"
        in response.content.decode()
    )


@pytest.mark.django_db
def test_publishing_is_refused_while_a_section_is_empty_and_drafts_still_save(reviewer_client):
    postmortem = PostmortemFactory(status="in_review", why="")
    response = reviewer_client.post(
        reverse("postmortem_status", args=[postmortem.slug]), {"status": "published"}, follow=True
    )
    postmortem.refresh_from_db()
    assert postmortem.status == Status.IN_REVIEW
    assert "3. Why is empty." in response.content.decode()


@pytest.mark.django_db
def test_a_specific_postmortem_publishes_and_the_list_shows_its_verdict(reviewer_client):
    postmortem = PostmortemFactory(status="in_review")
    reviewer_client.post(
        reverse("postmortem_status", args=[postmortem.slug]), {"status": "published"}
    )
    postmortem.refresh_from_db()
    assert postmortem.status == Status.PUBLISHED, postmortem.verdict
    listing = reviewer_client.get(reverse("postmortem_list")).content.decode()
    assert "Specific enough to act on" in listing


def test_check_phrases_command_in_process():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    sys_stdin = sys.stdin
    sys.stdin = io.StringIO('{"section": "kept_broken", "text": "There was some confusion"}\n')
    try:
        call_command("check_phrases", stdout=out)
    except CommandError:  # pragma: no cover
        pytest.fail("a valid line must not fail")
    finally:
        sys.stdin = sys_stdin
    assert json.loads(out.getvalue())["tag"] == "anti-pattern"


def test_warm_checker_leaves_the_scanner_databases_where_the_next_process_loads_them():
    pytest.importorskip("hyperscan")
    from postmortems.specificity import item_scanner

    done = subprocess.run(
        [sys.executable, "manage.py", "warm_checker"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert "7 Hyperscan databases" in done.stdout
    assert list(item_scanner.cache_dir().glob("items-*.hsdb"))
