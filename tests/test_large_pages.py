"""Pages stay small and bounded with many postmortems: the review of a 1,000-postmortem
quarter, the service filter of 1,000 services, a calendar day with many commitments.

Speed is measured in benchmarks/bench_load.py; these tests pin what each page sends and that
the rest comes on demand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics import patterns_document
from analytics.clustering import CorpusReport, DimensionReport, Pattern, ResponseLagFigures
from analytics.clustering.serialise import report_to_dict
from analytics.models import QuarterReview
from analytics.review_page import MEMBERS_CHUNK, MEMBERS_SHOWN
from postmortems.filter_menus import SERVICE_SUGGESTIONS
from postmortems.models import Postmortem, Service
from tests.factories import PostmortemFactory

QUARTER = "2026Q3"
START = dt.datetime(2026, 8, 3, 9, 0, tzinfo=dt.UTC)
HTMX = {"HX-Request": "true"}
# The taxonomy's shape: 14 root-cause classes, 8 detection gaps, 15 response lags.
PATTERNS = {"root_causes": 14, "detection_gaps": 8, "response_lags": 15}
SIZE = 1000


def _slug(i: int) -> str:
    return f"payments-gateway-timeout-during-nightly-settlement-{i:04d}"


def _dimension(name: str, count: int) -> DimensionReport:
    members: list[list[str]] = [[] for _ in range(count)]
    for i in range(SIZE):
        members[i % count].append(_slug(i))
    patterns = tuple(
        Pattern(
            label=f"Pattern {n} of {name.replace('_', ' ')}: retries and timeouts under load",
            terms=("timeout", "retry", "settlement"),
            members=tuple(slugs),
            evidence={
                s: "The settlement batch retried every request with no backoff." for s in slugs
            },
            key=f"{name}-{n}",
            confidence=dict.fromkeys(slugs, 0.52),
            anchors=dict.fromkeys(slugs, "why"),
        )
        for n, slugs in enumerate(members)
    )
    return DimensionReport(patterns=patterns)


@pytest.fixture
def large_quarter(db):
    Postmortem.objects.bulk_create(
        Postmortem(
            slug=_slug(i),
            title=f"Payments gateway timed out during the nightly settlement run ({i})",
            status="published",
            incident_start=START,
            quarter=QUARTER,
        )
        for i in range(SIZE)
    )
    report = CorpusReport(
        **{name: _dimension(name, count) for name, count in PATTERNS.items()},
        postmortems=SIZE,
        response_figures=ResponseLagFigures(4.0, 21.0, SIZE),
        quarter=QUARTER,
    )
    QuarterReview.objects.create(quarter=QUARTER, report=report_to_dict(report), postmortems=SIZE)
    patterns_document.prefill(quarter=QUARTER, report=report, run_id=None)
    return report


def _page(client, path="", **params):
    return client.get(f"/review/{QUARTER}/{path}", params, headers=HTMX if "part" in params else {})


def test_the_review_of_a_1000_postmortem_quarter_is_under_300_kb(reviewer_client, large_quarter):
    body = _page(reviewer_client).content.decode()

    assert len(body.encode()) < 300_000
    patterns = sum(PATTERNS.values())
    assert body.count('<details class="correct no-print" data-slug=') == patterns * MEMBERS_SHOWN
    first = large_quarter.root_causes.patterns[0]
    root_causes = body[body.index('id="root_causes"') : body.index('id="detection_gaps"')]
    assert f"/postmortems/{first.members[0]}/" in root_causes
    assert f"/postmortems/{first.members[MEMBERS_SHOWN]}/" not in root_causes
    # Correction forms come when a member's "Correct" is opened, not with the page.
    assert 'class="move-form' not in body
    assert f"<summary>{len(first.members) - MEMBERS_SHOWN} more</summary>" in body


def test_the_rest_of_a_pattern_loads_a_chunk_at_a_time_when_opened(reviewer_client, large_quarter):
    members = large_quarter.root_causes.patterns[0].members
    response = _page(
        reviewer_client,
        "pattern/",
        part="members",
        dimension="root_causes",
        pattern="0",
        start=str(MEMBERS_SHOWN),
    )
    body = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in body
    assert f"/postmortems/{members[MEMBERS_SHOWN]}/" in body
    assert f"/postmortems/{members[MEMBERS_SHOWN + MEMBERS_CHUNK]}/" not in body
    assert body.count('class="move-form') == MEMBERS_CHUNK
    assert f"start={MEMBERS_SHOWN + MEMBERS_CHUNK}" in body


def test_a_members_correction_form_loads_when_opened(reviewer_client, large_quarter):
    slug = large_quarter.detection_gaps.patterns[2].members[1]
    body = _page(
        reviewer_client,
        "pattern/",
        part="member",
        dimension="detection_gaps",
        pattern="2",
        slug=slug,
    ).content.decode()

    assert f'class="move-form no-print" data-slug="{slug}"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    # Every other pattern of the dimension, not its own.
    assert body.count('<option value="detection_gaps-') == PATTERNS["detection_gaps"] - 1
    assert 'value="detection_gaps-2"' not in body


def test_without_htmx_a_pattern_is_a_page_with_every_members_form(reviewer_client, large_quarter):
    body = _page(reviewer_client, "pattern/?dimension=response_lags&pattern=3").content.decode()

    assert "<html" in body
    assert body.count('class="move-form') == MEMBERS_CHUNK
    assert "Rename" in body


def test_leadership_reads_a_pattern_but_gets_no_correction_form(client, leader, large_quarter):
    client.force_login(leader)
    slug = large_quarter.root_causes.patterns[0].members[0]

    page = _page(client, "pattern/?dimension=root_causes&pattern=0").content.decode()
    form = _page(client, "pattern/", part="member", dimension="root_causes", pattern="0", slug=slug)

    assert slug in page
    assert "move-form" not in page
    assert form.status_code == 403


def test_a_pattern_the_report_does_not_hold_is_not_found(reviewer_client, large_quarter):
    assert _page(reviewer_client, "pattern/?dimension=root_causes&pattern=99").status_code == 404
    assert _page(reviewer_client, "pattern/?dimension=nonsense&pattern=0").status_code == 404
    other = _page(reviewer_client, "pattern/?dimension=root_causes&pattern=0&slug=nobody")
    assert other.status_code == 404


def test_a_title_changed_after_the_page_was_cached_shows_at_once(reviewer_client, large_quarter):
    slug = large_quarter.root_causes.patterns[0].members[0]
    assert "Settlement stalled behind a lock" not in _page(reviewer_client).content.decode()

    Postmortem.objects.filter(slug=slug).update(title="Settlement stalled behind a lock")

    assert "Settlement stalled behind a lock" in _page(reviewer_client).content.decode()


def test_a_correction_shows_on_the_next_view(reviewer_client, large_quarter):
    _page(reviewer_client)
    reviewer_client.post(
        f"/review/{QUARTER}/correct/",
        {
            "action": "rename",
            "dimension": "root_causes",
            "pattern": "root_causes-0",
            "name": "Settlement retry storms",
        },
    )

    assert "Settlement retry storms" in _page(reviewer_client).content.decode()


def test_the_review_pages_queries_do_not_grow_with_the_quarter(reviewer_client, large_quarter):
    _page(reviewer_client)  # fill the cache once: the view after it is what readers get
    with CaptureQueriesContext(connection) as cached:
        _page(reviewer_client)
    QuarterReview.objects.get().save()  # a new version: the next view renders again
    with CaptureQueriesContext(connection) as rendered:
        _page(reviewer_client)

    assert len(cached) <= 12
    assert len(rendered) == len(cached) + 1  # the report itself, read on a miss only


# ----------------------------------------------------------------- the list's service filter


@pytest.fixture
def many_services(db):
    Service.objects.bulk_create(Service(name=f"ledger-{i:04d}") for i in range(1000))
    Service.objects.bulk_create([Service(name="Checkout"), Service(name="checkout-worker")])


def test_the_list_names_a_few_services_not_all_of_them(reviewer_client, many_services):
    body = reviewer_client.get("/postmortems/").content.decode()

    assert body.count('<option value="ledger-') <= SERVICE_SUGGESTIONS
    assert 'list="service-names"' in body


def test_typing_a_service_suggests_at_most_twenty_starting_with_the_typed_text(
    reviewer_client, many_services
):
    body = reviewer_client.get(
        "/postmortems/filters/services/", {"service": "CHECK"}, headers=HTMX
    ).content.decode()
    many = reviewer_client.get(
        "/postmortems/filters/services/", {"service": "ledger"}, headers=HTMX
    ).content.decode()

    assert body.strip().startswith('<datalist id="service-names">')
    assert body.index('value="Checkout"') < body.index('value="checkout-worker"')
    assert many.count("<option") == SERVICE_SUGGESTIONS


def test_the_service_suggestions_are_a_page_without_htmx(reviewer_client, many_services):
    body = reviewer_client.get("/postmortems/filters/services/?service=worker").content.decode()

    assert "<html" in body
    assert '/postmortems/?service=checkout-worker"' in body


def test_filtering_by_service_ignores_case(reviewer_client, many_services):
    checkout = PostmortemFactory(slug="checkout-down", title="Checkout down")
    checkout.services.add(
        Service.objects.get(name="Checkout"), Service.objects.get(name="ledger-0001")
    )
    PostmortemFactory(slug="ledger-late", title="Ledger late").services.add(
        Service.objects.get(name="ledger-0002")
    )

    body = reviewer_client.get("/postmortems/?service=checkout").content.decode()

    assert body.count('href="/postmortems/checkout-down/"') == 1
    assert "Ledger late" not in body
    assert '<p class="muted">1 postmortem</p>' in body


def test_the_lists_queries_do_not_grow_with_postmortems(reviewer_client, many_services):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            reviewer_client.get("/postmortems/?service=Checkout&q=refund")
            reviewer_client.get("/postmortems/")
        return len(captured)

    PostmortemFactory().services.add(Service.objects.get(name="Checkout"))
    few = queries()
    for _ in range(30):
        PostmortemFactory().services.add(Service.objects.get(name="Checkout"))

    assert queries() == few
