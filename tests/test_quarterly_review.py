"""The quarterly review: the job, the command, the page and the patterns document."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from celery.exceptions import Retry
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from analytics import patterns_document, runs, services, tasks
from analytics.models import (
    PatternsDocument,
    PatternsRevision,
    QuarterReview,
    ReviewRun,
    RunStatus,
)
from postmortems.document import parse_document
from postmortems.document_io import import_document
from postmortems.models import Postmortem
from tests.factories import PostmortemFactory

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "postmortems"
CERT_WHY = (
    "The TLS certificate on the checkout edge expired: the renewal cron had been disabled "
    "during the load-balancer migration and nothing else renews it."
)
CERT_BROKE = "Every HTTPS handshake to checkout failed for 41 minutes; 14,200 payments errored."


@pytest.fixture(autouse=True)
def eager_celery():
    """View tests run the task in-process; the worker test covers the real broker."""
    from config.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def corpus(db):
    """2026Q3: two alike refund postmortems (one published, one in review), a certificate one,
    a draft; and one published in 2026Q2 that the Q3 review must not read."""
    return {
        "published": PostmortemFactory(slug="refund-published", status="published"),
        "in_review": PostmortemFactory(slug="refund-in-review", status="in_review"),
        "cert": PostmortemFactory(
            slug="cert-expired", status="published", why=CERT_WHY, what_broke=CERT_BROKE
        ),
        "draft": PostmortemFactory(slug="refund-draft", status="draft"),
        "q2": PostmortemFactory(
            slug="refund-q2",
            status="published",
            incident_start=dt.datetime(2026, 5, 2, 9, 0, tzinfo=dt.UTC),
            incident_end=dt.datetime(2026, 5, 2, 9, 30, tzinfo=dt.UTC),
        ),
    }


def run_command(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("quarterly_review", *args, stdout=out)
    return out.getvalue()


def all_members(summary, dimension):
    return {slug for pattern in summary[dimension] for slug in pattern["postmortems"]}


# ---------------------------------------------------------------------------- the command


def test_the_command_prints_the_report_in_the_documented_json_shape(corpus):
    summary = json.loads(run_command("2026Q3"))

    assert list(summary) == [
        "quarter",
        "postmortems",
        "root_causes",
        "detection_gaps",
        "response_lags",
    ]
    assert summary["quarter"] == "2026Q3"
    assert summary["postmortems"] == 3
    for dimension in ("root_causes", "detection_gaps", "response_lags"):
        patterns = summary[dimension]
        assert patterns, dimension
        sizes = [len(p["postmortems"]) for p in patterns]
        assert sizes == sorted(sizes, reverse=True)
        for pattern in patterns:
            assert list(pattern) == ["label", "terms", "postmortems", "recurring_quarters"]
            assert isinstance(pattern["label"], str) and pattern["label"]
            assert all(isinstance(term, str) for term in pattern["terms"])
            assert pattern["recurring_quarters"] == 1
    refund_pattern = next(
        p for p in summary["root_causes"] if "refund-published" in p["postmortems"]
    )
    assert sorted(refund_pattern["postmortems"]) == ["refund-in-review", "refund-published"]
    assert "cert-expired" not in all_members(summary, "root_causes")


def test_in_review_postmortems_count_and_drafts_and_other_quarters_do_not(corpus):
    summary = json.loads(run_command("2026Q3"))

    counted = set()
    for dimension in ("root_causes", "detection_gaps", "response_lags"):
        counted |= all_members(summary, dimension)
    assert "refund-in-review" in counted
    assert "refund-draft" not in counted
    assert "refund-q2" not in counted
    assert summary["postmortems"] == 3


def test_imported_postmortems_count_as_published(db):
    for name in ("legacy-webhook-retries.md", "refund-cents-dollars.md"):
        path = DATA / name
        import_document(doc=parse_document(path.read_text(encoding="utf-8"), slug=path.stem))

    assert json.loads(run_command("2025Q4"))["postmortems"] == 1
    assert json.loads(run_command("2026Q3"))["postmortems"] == 1


def test_an_empty_quarter_gives_empty_lists_and_succeeds(corpus):
    summary = json.loads(run_command("2024Q1"))

    assert summary == {
        "quarter": "2024Q1",
        "postmortems": 0,
        "root_causes": [],
        "detection_gaps": [],
        "response_lags": [],
    }
    assert ReviewRun.objects.get(quarter="2024Q1").status == RunStatus.DONE


@pytest.mark.parametrize("quarter", ["2026Q5", "Q3-2026", "2026-07", "26Q3", "", "2025..2026"])
def test_a_malformed_period_is_an_error_with_exit_code_2(db, quarter):
    with pytest.raises(CommandError) as raised:
        run_command(quarter)

    assert raised.value.returncode == 2
    assert "is not a period: write a quarter (2026Q3), a year (2025)" in str(raised.value)
    assert not ReviewRun.objects.exists()


@pytest.mark.parametrize(
    "period, message",
    [
        ("2025-02-30..2025-03-31", "has a date that does not exist"),
        ("2025-12-31..2025-01-01", "ends before it starts"),
    ],
)
def test_an_impossible_date_range_exits_2_saying_what_is_wrong(db, period, message):
    with pytest.raises(CommandError) as raised:
        run_command(period)

    assert raised.value.returncode == 2
    assert message in str(raised.value)
    assert not ReviewRun.objects.exists()


def test_a_year_and_a_date_range_review_the_postmortems_that_started_in_them(db):
    for slug, start in [
        ("refund-2025-q1", dt.datetime(2025, 2, 10, 9, tzinfo=dt.UTC)),
        ("refund-2025-q4", dt.datetime(2025, 11, 3, 9, tzinfo=dt.UTC)),
        ("refund-2026-q1", dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)),
    ]:
        PostmortemFactory(
            slug=slug,
            status="published",
            incident_start=start,
            incident_end=start + dt.timedelta(minutes=30),
        )

    year = json.loads(run_command("2025"))
    span = json.loads(run_command("2025-11-01..2026-01-31"))

    assert year["quarter"] == "2025"
    assert year["postmortems"] == 2
    assert sorted(year["root_causes"][0]["postmortems"]) == ["refund-2025-q1", "refund-2025-q4"]
    assert span["quarter"] == "2025-11-01..2026-01-31"
    assert sorted(span["root_causes"][0]["postmortems"]) == ["refund-2025-q4", "refund-2026-q1"]
    assert QuarterReview.objects.filter(quarter="2025-11-01..2026-01-31").exists()


def test_a_malformed_quarter_exits_2_from_the_shell_with_the_message_on_stderr(tmp_path):
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "quarterly_review", "2026Q7"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert result.stdout == ""
    assert "'2026Q7' is not a period" in result.stderr


def test_a_lowercase_quarter_is_accepted(corpus):
    assert json.loads(run_command("2026q3"))["quarter"] == "2026Q3"


def test_markdown_format_prints_the_patterns_document(corpus):
    text = run_command("2026Q3", "--format", "markdown")

    assert text.startswith("# Patterns we're seeing — 2026Q3\n")
    assert "## Repeated root causes" in text
    assert "## Repeated detection gaps" in text
    assert "## Repeated response lags" in text
    assert "(/postmortems/refund-in-review/)" in text
    assert "## Roadmap input" in text


# ---------------------------------------------------------------------------- the job


def test_rerunning_a_quarter_replaces_its_report(corpus):
    run_command("2026Q3")
    first = QuarterReview.objects.get(quarter="2026Q3")
    PostmortemFactory(slug="refund-late", status="published")

    summary = json.loads(run_command("2026Q3"))

    assert QuarterReview.objects.filter(quarter="2026Q3").count() == 1
    second = QuarterReview.objects.get(quarter="2026Q3")
    assert second.pk == first.pk
    assert second.postmortems == summary["postmortems"] == 4
    assert second.run_id != first.run_id
    assert "refund-late" in all_members(summary, "root_causes")
    assert ReviewRun.objects.filter(quarter="2026Q3", status=RunStatus.DONE).count() == 2


def test_a_failure_mid_run_leaves_the_previous_report_intact(corpus, monkeypatch):
    run_command("2026Q3")
    before = QuarterReview.objects.get(quarter="2026Q3")

    def broken(docs, *, progress=None, config=None, **tags):
        progress("root causes: clustering", 0.3)
        raise RuntimeError("clustering blew up")

    monkeypatch.setattr(runs, "cluster_corpus", broken)
    with pytest.raises(CommandError) as raised:
        run_command("2026Q3")

    assert raised.value.returncode == 1
    assert "clustering blew up" in str(raised.value)
    after = QuarterReview.objects.get(quarter="2026Q3")
    assert (after.report, after.run_id, after.generated_at) == (
        before.report,
        before.run_id,
        before.generated_at,
    )
    failed = ReviewRun.objects.get(quarter="2026Q3", status=RunStatus.FAILED)
    assert "RuntimeError: clustering blew up" in failed.error
    assert failed.stage == "root causes: clustering"


def test_a_failure_while_saving_writes_nothing(corpus, monkeypatch):
    run_command("2026Q3")
    before = QuarterReview.objects.get(quarter="2026Q3")
    PostmortemFactory(slug="refund-late", status="published")

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(patterns_document, "prefill", broken)
    with pytest.raises(CommandError):
        run_command("2026Q3")

    after = QuarterReview.objects.get(quarter="2026Q3")
    assert after.postmortems == before.postmortems == 3
    assert after.report == before.report


def test_the_run_records_progress_in_the_database(corpus, monkeypatch):
    seen = []
    real_progress = runs._ProgressWriter.__call__

    def spy(self, stage, fraction):
        real_progress(self, stage, fraction)
        run = ReviewRun.objects.get(pk=self.run_id)
        seen.append((run.status, run.stage, run.fraction))

    monkeypatch.setattr(runs._ProgressWriter, "__call__", spy)
    run_command("2026Q3")

    assert seen[0][:2] == (RunStatus.RUNNING, "loading postmortems")
    assert any(stage.startswith("detection gaps") for _, stage, _ in seen)
    fractions = [fraction for _, _, fraction in seen]
    assert fractions == sorted(fractions)
    assert ReviewRun.objects.get(quarter="2026Q3").fraction == 1.0


# ---------------------------------------------------------------------------- one writer


def test_requesting_a_quarter_already_queued_returns_that_run(corpus):
    first = services.request_review(quarter="2026Q3", enqueue=False)
    second = services.request_review(quarter="2026Q3", enqueue=False)

    assert first.created and not second.created
    assert second.run.pk == first.run.pk
    assert ReviewRun.objects.filter(quarter="2026Q3").count() == 1


def test_the_database_refuses_a_second_active_run_of_a_quarter(db):
    ReviewRun.objects.create(quarter="2026Q3", status=RunStatus.RUNNING)
    ReviewRun.objects.create(quarter="2026Q2", status=RunStatus.RUNNING)
    ReviewRun.objects.create(quarter="2026Q3", status=RunStatus.DONE)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRun.objects.create(quarter="2026Q3", status=RunStatus.QUEUED)


def test_the_command_refuses_a_quarter_already_running(corpus):
    ReviewRun.objects.create(
        quarter="2026Q3",
        status=RunStatus.RUNNING,
        heartbeat_at=timezone.now(),
        claimed_by="worker-7:4242",
    )

    with pytest.raises(CommandError) as raised:
        run_command("2026Q3")

    assert raised.value.returncode == 1
    assert "already running" in str(raised.value)
    assert not QuarterReview.objects.exists()


def test_a_run_held_by_a_live_attempt_is_not_built_twice(corpus):
    run = ReviewRun.objects.create(
        quarter="2026Q3",
        status=RunStatus.RUNNING,
        claim="theirs",
        heartbeat_at=timezone.now(),
        claimed_by="worker-7:4242",
    )

    with pytest.raises(services.RunBusy):
        services.run_review(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.claim) == (RunStatus.RUNNING, "theirs")
    assert not QuarterReview.objects.exists()


def test_the_task_retries_while_another_attempt_holds_the_run(corpus):
    run = ReviewRun.objects.create(
        quarter="2026Q3",
        status=RunStatus.RUNNING,
        heartbeat_at=timezone.now(),
        claimed_by="worker-7:4242",
    )

    with pytest.raises(Retry) as retried:
        tasks.build_quarterly_review.apply(args=[run.pk])

    assert retried.value.when == services.STALE_RUNNING.total_seconds() // 4
    assert not QuarterReview.objects.exists()


def test_a_run_whose_worker_died_is_taken_over_and_finished(corpus):
    stale = timezone.now() - services.STALE_RUNNING - dt.timedelta(seconds=5)
    run = ReviewRun.objects.create(
        quarter="2026Q3",
        status=RunStatus.RUNNING,
        claim="dead",
        attempts=1,
        heartbeat_at=stale,
        started_at=stale,
        claimed_by="worker-7:4242",
    )

    assert tasks.build_quarterly_review(run.pk) == RunStatus.DONE

    run.refresh_from_db()
    assert run.attempts == 2
    assert run.started_at == stale
    assert QuarterReview.objects.get(quarter="2026Q3").run_id == run.pk


def test_an_attempt_taken_over_mid_run_writes_nothing(corpus, monkeypatch):
    run = services.request_review(quarter="2026Q3", enqueue=False).run
    real = runs.cluster_corpus

    def taken_over(docs, **kwargs):
        report = real(docs, **kwargs)
        # Another worker presumed this one dead and claimed the run while it clustered.
        ReviewRun.objects.filter(pk=run.pk).update(claim="someone-else")
        return report

    monkeypatch.setattr(runs, "cluster_corpus", taken_over)
    with pytest.raises(services.ClaimLost):
        services.run_review(run_id=run.pk)

    assert not QuarterReview.objects.exists()
    run.refresh_from_db()
    assert (run.status, run.claim) == (RunStatus.RUNNING, "someone-else")


def test_a_finished_run_delivered_again_does_nothing(corpus):
    run_command("2026Q3")
    run = ReviewRun.objects.get(quarter="2026Q3")
    generated = QuarterReview.objects.get(quarter="2026Q3").generated_at

    assert tasks.build_quarterly_review(run.pk) == RunStatus.DONE
    assert QuarterReview.objects.get(quarter="2026Q3").generated_at == generated


def test_an_abandoned_run_stops_blocking_its_quarter(corpus):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    old = ReviewRun.objects.create(
        quarter="2026Q3", status=RunStatus.RUNNING, heartbeat_at=long_ago, created_at=long_ago
    )

    fresh = services.request_review(quarter="2026Q3", enqueue=False)

    assert fresh.created
    old.refresh_from_db()
    assert old.status == RunStatus.FAILED
    assert "Abandoned" in old.error


@pytest.mark.django_db(transaction=True)
def test_two_workers_building_one_run_at_once_write_once(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks across connections (PostgreSQL)")
    PostmortemFactory(slug="refund-a", status="published")
    PostmortemFactory(slug="refund-b", status="published")
    run = services.request_review(quarter="2026Q3", enqueue=False).run
    stores = []
    real_store = runs.store_report
    monkeypatch.setattr(
        runs, "store_report", lambda **kw: (stores.append(kw["claim"]), real_store(**kw))[1]
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        from django.db import connections

        try:
            barrier.wait()
            services.run_review(run_id=run.pk)
            outcomes.append("built")
        except services.RunBusy:
            outcomes.append("busy")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcomes) == ["built", "busy"] or outcomes == ["built", "built"]
    assert len(stores) == 1
    assert QuarterReview.objects.filter(quarter="2026Q3").count() == 1


def test_beat_reviews_the_quarter_just_ended(
    corpus, monkeypatch, django_capture_on_commit_callbacks
):
    from config.celery import app

    schedule = app.conf.beat_schedule["quarterly-review-of-the-quarter-just-ended"]
    assert schedule["task"] in app.tasks
    monkeypatch.setattr(
        tasks.timezone, "now", lambda: dt.datetime(2026, 10, 1, 2, 0, tzinfo=dt.UTC)
    )

    with django_capture_on_commit_callbacks(execute=True):
        run_id = tasks.review_previous_quarter()

    run = ReviewRun.objects.get(pk=run_id)
    assert (run.quarter, run.status, run.requested_by) == ("2026Q3", RunStatus.DONE, None)
    assert QuarterReview.objects.get(quarter="2026Q3").postmortems == 3


def test_the_build_task_survives_a_killed_worker_and_has_time_limits():
    task = tasks.build_quarterly_review
    assert task.acks_late and task.reject_on_worker_lost
    assert task.time_limit and task.soft_time_limit < task.time_limit
    assert tasks.review_previous_quarter.time_limit


def test_recurring_patterns_count_consecutive_quarters(db):
    for quarter_start, suffix in (
        (dt.datetime(2026, 5, 2, 9, 0, tzinfo=dt.UTC), "q2"),
        (dt.datetime(2026, 8, 2, 9, 0, tzinfo=dt.UTC), "q3"),
    ):
        for n in (1, 2):
            PostmortemFactory(
                slug=f"refund-{suffix}-{n}",
                status="published",
                incident_start=quarter_start,
                incident_end=quarter_start + dt.timedelta(minutes=30),
            )
    run_command("2026Q2")

    summary = json.loads(run_command("2026Q3"))

    assert summary["root_causes"][0]["recurring_quarters"] == 2
    report = QuarterReview.objects.get(quarter="2026Q3").corpus_report()
    assert [item.quarter for item in report.previous_figures] == ["2026Q2"]


# ---------------------------------------------------------------------------- the page


def url(quarter="2026Q3", name=""):
    return f"/review/{quarter}/{name}"


HTMX = {"HX-Request": "true"}


def test_leadership_reads_the_review_but_cannot_start_it(client, leader, corpus):
    run_command("2026Q3")
    client.force_login(leader)

    page = client.get(url())
    assert page.status_code == 200
    assert b"Repeated root causes" in page.content
    assert b"Re-run the review" not in page.content
    assert b"Edit the document" not in page.content

    assert client.post(url(name="start/")).status_code == 403
    assert client.post(url(name="patterns/"), {"text": "x"}).status_code == 403
    assert ReviewRun.objects.count() == 1


def test_authors_read_the_review(client, author, corpus):
    client.force_login(author)
    assert client.get(url()).status_code == 200
    assert client.post(url(name="start/")).status_code == 403


def test_someone_without_a_role_cannot_read_the_review(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get(url()).status_code == 403


def test_the_review_needs_a_login(client, db):
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_starting_a_review_needs_post(reviewer_client, corpus):
    assert reviewer_client.get(url(name="start/")).status_code == 405
    assert reviewer_client.post(url(name="progress/")).status_code == 405
    assert not ReviewRun.objects.exists()


def test_a_malformed_quarter_in_the_address_is_not_found(reviewer_client):
    assert reviewer_client.get("/review/2026Q9/").status_code == 404
    assert reviewer_client.get("/review/?quarter=nonsense", follow=True).status_code == 200


def test_the_review_home_goes_to_the_latest_reviewed_quarter(reviewer_client, corpus):
    run_command("2026Q2")
    assert reviewer_client.get("/review/")["Location"] == "/review/2026Q2/"
    assert reviewer_client.get("/review/?quarter=2026q3")["Location"] == "/review/2026Q3/"


def test_a_reviewer_starts_a_review_from_the_page(
    reviewer_client, reviewer, corpus, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = reviewer_client.post(url(name="start/"))

    assert response.status_code == 302
    assert response["Location"] == url()
    assert len(callbacks) == 1
    run = ReviewRun.objects.get()
    assert (run.status, run.requested_by) == (RunStatus.DONE, reviewer)
    page = reviewer_client.get(url())
    assert b"started by rita" in page.content
    assert b"/postmortems/refund-in-review/" in page.content
    assert b"Re-run the review" in page.content


def test_starting_with_htmx_returns_the_progress_partial(reviewer_client, corpus):
    # Without running the commit callbacks the run stays queued, as it does with a real broker.
    response = reviewer_client.post(url(name="start/"), headers=HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="progress"' in body
    assert 'hx-trigger="every 1s"' in body
    assert "Queued" in body
    run = ReviewRun.objects.get()
    assert f"?run={run.pk}" in body


def test_the_progress_partial_shows_the_stage_while_running(client, leader, corpus):
    run = ReviewRun.objects.create(
        quarter="2026Q3",
        status=RunStatus.RUNNING,
        stage="detection gaps: clustering",
        fraction=0.42,
        heartbeat_at=timezone.now(),
    )
    client.force_login(leader)

    partial = client.get(url(name=f"progress/?run={run.pk}"), headers=HTMX)
    full = client.get(url(name=f"progress/?run={run.pk}"))

    body = partial.content.decode()
    assert "<html" not in body
    assert "detection gaps: clustering" in body and "42%" in body
    assert 'hx-trigger="every 1s"' in body
    assert "hx-swap-oob" not in body
    assert full.status_code == 200
    assert b"<html" in full.content and b"detection gaps: clustering" in full.content


def test_the_progress_partial_brings_the_report_when_the_run_finishes(reviewer_client, corpus):
    run_command("2026Q3")
    run = ReviewRun.objects.get()

    body = reviewer_client.get(url(name=f"progress/?run={run.pk}"), headers=HTMX).content.decode()

    assert "<html" not in body
    assert "every 1s" not in body
    assert 'id="report" hx-swap-oob="true"' in body
    assert 'id="patterns" class="card" hx-swap-oob="true"' in body
    assert "Repeated root causes" in body


def test_the_page_shows_a_failed_run_above_the_previous_report(
    reviewer_client, corpus, monkeypatch
):
    run_command("2026Q3")
    monkeypatch.setattr(
        runs, "cluster_corpus", lambda docs, **kw: (_ for _ in ()).throw(ValueError("bad"))
    )
    with pytest.raises(CommandError):
        run_command("2026Q3")

    body = reviewer_client.get(url()).content.decode()

    assert "ValueError: bad" in body
    assert "The report below is the previous one, unchanged." in body
    assert "Repeated root causes" in body


def test_the_page_draws_the_response_lag_trend(reviewer_client, corpus):
    run_command("2026Q3")

    body = reviewer_client.get(url()).content.decode()

    assert '<svg class="chart"' in body
    assert ">minutes</text>" in body
    assert "2026Q2" in body  # the quarter before, filled from its postmortems
    report = QuarterReview.objects.get(quarter="2026Q3").corpus_report()
    assert report.response_figures.median_page_to_ack == 1.0
    assert report.response_figures.median_page_to_mitigation == 3.0


def test_a_postmortem_without_a_title_is_listed_as_untitled(reviewer_client, corpus):
    Postmortem.objects.filter(slug="cert-expired").update(title="")
    run_command("2026Q3")

    body = reviewer_client.get(url()).content.decode()

    assert '<a href="/postmortems/cert-expired/">Untitled</a>' in body
    assert '<a href="/postmortems/cert-expired/"></a>' not in body
    document = PatternsDocument.objects.get(quarter="2026Q3")
    assert "[Untitled](/postmortems/cert-expired/)" in document.text
    assert "[cert-expired](/postmortems/cert-expired/)" not in document.text


def test_the_page_says_so_when_a_quarter_has_no_review(client, leader, db):
    client.force_login(leader)
    body = client.get(url("2025Q1")).content.decode()
    assert "No review of 2025Q1 yet." in body


# ---------------------------------------------------------------------------- the document


def test_the_review_prefills_the_patterns_document(corpus):
    run_command("2026Q3")

    document = PatternsDocument.objects.get(quarter="2026Q3")
    assert document.text.startswith("# Patterns we're seeing — 2026Q3")
    assert "<h1>Patterns we" in document.text_html
    revision = document.revisions.get()
    assert revision.generated and revision.author is None


def test_a_rerun_keeps_a_document_someone_edited(reviewer_client, corpus):
    run_command("2026Q3")
    document = PatternsDocument.objects.get(quarter="2026Q3")
    reviewer_client.post(url(name="patterns/"), {"text": "# Mine", "version": document.version})

    run_command("2026Q3")

    assert PatternsDocument.objects.get(quarter="2026Q3").text == "# Mine"


def test_saving_the_patterns_document_keeps_every_revision(reviewer_client, reviewer, corpus):
    run_command("2026Q3")
    document = PatternsDocument.objects.get(quarter="2026Q3")

    first = reviewer_client.post(
        url(name="patterns/"), {"text": "# Draft\n\nSchema linter.", "version": document.version}
    )
    document.refresh_from_db()
    second = reviewer_client.post(
        url(name="patterns/"),
        {
            "text": "# Final\n\n<script>alert(1)</script>Schema linter by Q4.",
            "version": document.version,
        },
        headers=HTMX,
    )

    assert first.status_code == 302
    assert second.status_code == 200
    assert "<html" not in second.content.decode()
    assert "Saved (revision 3)" in second.content.decode()
    document.refresh_from_db()
    assert [r.number for r in document.revisions.all()] == [3, 2, 1]
    assert document.revisions.get(number=3).author == reviewer
    assert "<script" not in document.text_html
    assert "<h1>Final</h1>" in document.text_html


def test_a_stale_save_is_kept_but_not_applied(reviewer_client, corpus):
    run_command("2026Q3")
    document = PatternsDocument.objects.get(quarter="2026Q3")
    stale_version = document.version
    reviewer_client.post(url(name="patterns/"), {"text": "# Theirs", "version": stale_version})

    response = reviewer_client.post(
        url(name="patterns/"), {"text": "# Mine", "version": stale_version}
    )

    assert response.status_code == 409
    assert b"Your text is kept" in response.content
    document.refresh_from_db()
    assert document.text == "# Theirs"
    kept = document.revisions.get(number=3)
    assert (kept.text, kept.applied) == ("# Mine", False)


def test_history_lists_revisions_and_restore_brings_one_back(reviewer_client, corpus):
    run_command("2026Q3")
    document = PatternsDocument.objects.get(quarter="2026Q3")
    generated = document.text
    reviewer_client.post(url(name="patterns/"), {"text": "# Mine", "version": document.version})

    history = reviewer_client.get(url(name="patterns/history/"))
    revision = reviewer_client.get(url(name="patterns/history/1/"))
    assert b"r2" in history.content and b"review job" in history.content
    assert b"differs from the current text" in revision.content
    assert reviewer_client.get(url(name="patterns/history/1/restore/")).status_code == 405

    response = reviewer_client.post(url(name="patterns/history/1/restore/"))

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.text == generated
    latest = document.revisions.first()
    assert (latest.number, latest.note) == (3, "Restored revision 1")


def test_leadership_reads_history_and_exports_but_cannot_restore(client, leader, corpus):
    run_command("2026Q3")
    client.force_login(leader)

    assert client.get(url(name="patterns/history/")).status_code == 200
    assert client.post(url(name="patterns/history/1/restore/")).status_code == 403
    assert client.post(url(name="patterns/redraft/")).status_code == 403
    assert PatternsRevision.objects.count() == 1


def test_the_patterns_document_exports_as_markdown(client, leader, corpus):
    run_command("2026Q3")
    client.force_login(leader)

    response = client.get("/review/2026Q3/patterns.md")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert 'filename="patterns-we-are-seeing-2026Q3.md"' in response["Content-Disposition"]
    assert response.content.decode() == PatternsDocument.objects.get(quarter="2026Q3").text
    assert client.get("/review/2024Q1/patterns.md").status_code == 404


def test_a_fresh_draft_replaces_the_document_and_keeps_the_old_text(reviewer_client, corpus):
    run_command("2026Q3")
    document = PatternsDocument.objects.get(quarter="2026Q3")
    reviewer_client.post(url(name="patterns/"), {"text": "# Mine", "version": document.version})

    reviewer_client.post(url(name="patterns/redraft/"))

    document.refresh_from_db()
    assert document.text.startswith("# Patterns we're seeing")
    assert document.revisions.filter(text="# Mine").exists()
