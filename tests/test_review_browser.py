"""A reviewer runs the quarterly review from the page and watches it finish, in Chromium."""

from __future__ import annotations

import threading
import time

import pytest

from analytics import runs, tasks
from tests.factories import PostmortemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def one_sqlite_writer_at_a_time(monkeypatch):
    """The SQLite test database lives in memory with a shared cache, where a connection that
    meets another's table lock fails at once ("database table is locked") instead of waiting
    as a file database does. Take turns: the page's requests and the build's database steps
    share one lock. PostgreSQL needs none of this."""
    from django.core.handlers.base import BaseHandler
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    turn = threading.RLock()

    def taking_turns(function):
        def wrapper(*args, **kwargs):
            with turn:
                return function(*args, **kwargs)

        return wrapper

    for name in ("_claim", "load_corpus", "compare_with_earlier", "store_report"):
        monkeypatch.setattr(runs, name, taking_turns(getattr(runs, name)))
    monkeypatch.setattr(
        runs._ProgressWriter, "__call__", taking_turns(runs._ProgressWriter.__call__)
    )
    monkeypatch.setattr(BaseHandler, "get_response", taking_turns(BaseHandler.get_response))


@pytest.fixture
def background_worker(monkeypatch, one_sqlite_writer_at_a_time):
    """Run each queued build in a thread of this process, slowed down so the page can be seen
    polling. The real broker and worker are covered by test_review_worker.py."""
    real_cluster = runs.cluster_corpus
    threads = []

    def slow_cluster(docs, *, progress=None, config=None, **tags):
        for stage in ("root causes: clustering", "detection gaps: clustering"):
            progress(stage, 0.3 if stage.startswith("root") else 0.6)
            time.sleep(1.2)
        return real_cluster(docs, progress=progress, config=config, **tags)

    def run_in_thread(run_id):
        from django.db import connections

        def work():
            try:
                tasks.build_quarterly_review(run_id)
            finally:
                connections.close_all()

        thread = threading.Thread(target=work)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(runs, "cluster_corpus", slow_cluster)
    monkeypatch.setattr(runs, "_send", run_in_thread)
    yield
    for thread in threads:
        thread.join(30)


def test_a_reviewer_starts_the_review_sees_progress_then_patterns(
    live_server, login, reviewer, background_worker
):
    PostmortemFactory(slug="refund-a", title="Refund overcharge A", status="published")
    PostmortemFactory(slug="refund-b", title="Refund overcharge B", status="in_review")
    page = login(reviewer)

    page.goto(f"{live_server.url}/review/2026Q3/")
    assert page.locator("#progress").inner_text().startswith("No review of 2026Q3 yet.")
    page.evaluate("window.stillTheSamePage = true")
    page.click("text=Run the review")

    page.locator("#progress progress").wait_for()
    running = page.locator("#progress").inner_text()
    assert "Running" in running or "Queued" in running
    page.locator("#progress .pill.published, #progress .pill.anti-pattern").wait_for(timeout=20_000)
    assert "Done" in page.locator("#progress").inner_text(), page.locator("#progress").inner_text()

    assert page.evaluate("window.stillTheSamePage") is True  # htmx swapped, no reload
    report = page.locator("#report")
    assert "Repeated root causes" in report.inner_text()
    assert report.locator("a", has_text="Refund overcharge B").first.is_visible()
    assert report.locator("svg.chart").is_visible()
    assert "Patterns we're seeing — 2026Q3" in page.locator("#patterns").inner_text()
    assert "Re-run the review" in page.locator("#progress").inner_text()


def test_a_reviewer_edits_the_patterns_document(live_server, login, reviewer, background_worker):
    PostmortemFactory(slug="refund-a", status="published")
    page = login(reviewer)
    page.goto(f"{live_server.url}/review/2026Q3/")

    page.click("text=Edit the document (Markdown)")
    page.fill("#patterns textarea", "# Roadmap input\n\n- **Schema linter** for unit fields")
    page.click("#patterns button:has-text('Save')")

    page.locator("#patterns .banner", has_text="Saved (revision 1)").wait_for()
    assert page.locator("#patterns strong", has_text="Schema linter").is_visible()
    page.click("text=History")
    assert "r1" in page.locator("table").inner_text()


CERT_WHYS = [
    "The TLS certificate on the payments gateway expired at midnight and nobody renewed it.",
    "Our client certificate for the bank connection passed its expiry date on Sunday.",
    "The renewal job for the public certificate had failed for weeks, so the cert lapsed.",
]
DISK_WHYS = [
    "The log volume on the database host ran out of disk space and writes stopped.",
    "Disk usage on the queue brokers reached 100% because retention was never enforced.",
    "The metrics store ran out of disk space after a cardinality spike and went read-only.",
]
CERT_NAME = "Expired certificates, keys and credentials"


def _section(text: str, heading: str) -> str:
    """The part of the document's text from ``heading`` to the next numbered heading."""
    start = text.index(heading)
    rest = text[start + len(heading) :]
    cut = min((rest.find(f"{n}. ") for n in range(1, 10) if rest.find(f"{n}. ") > 0), default=-1)
    return rest if cut < 0 else rest[:cut]


def test_a_reviewer_moves_a_postmortem_and_the_rerun_and_document_keep_it(
    live_server, login, reviewer, background_worker
):
    for i, why in enumerate(CERT_WHYS):
        PostmortemFactory(slug=f"cert-{i}", title=f"Certificate {i}", status="published", why=why)
    for i, why in enumerate(DISK_WHYS):
        PostmortemFactory(slug=f"disk-{i}", title=f"Disk {i}", status="published", why=why)
    page = login(reviewer)
    page.goto(f"{live_server.url}/review/2026Q3/")
    page.click("text=Run the review")
    page.locator("#progress .pill.published, #progress .pill.anti-pattern").wait_for(timeout=20_000)
    root = page.locator("#root_causes")
    cert = root.locator("article.pattern", has=page.locator("h3", has_text=CERT_NAME))
    assert "Disk 2" not in cert.inner_text()

    root.locator("details.correct[data-slug='disk-2'] summary").click()
    form = root.locator("form.move-form[data-slug='disk-2']")
    form.locator("select[name=to]").select_option(label=CERT_NAME)
    form.locator("button", has_text="Move").click()
    page.locator(".messages, .banner", has_text="Moved 1 postmortem(s)").first.wait_for()
    assert "Disk 2" in cert.inner_text()

    page.click("text=Re-run the review")
    page.locator("#progress progress").wait_for()
    page.locator("#progress .pill.published, #progress .pill.anti-pattern").wait_for(timeout=20_000)
    page.reload()
    assert "Disk 2" in cert.inner_text()
    assert cert.locator(".pill", has_text="confirmed").count() == 1
    document = page.locator("#patterns").inner_text()
    assert "Disk 2" in _section(document, CERT_NAME)
