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
