"""The commitments calendar in a real browser: filter it, mark one done with one click."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from postmortems.models import Commitment, Service
from tests.factories import PostmortemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("HINDSIGHT_SCREENSHOTS")  # a folder, to look at during development


def shoot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def commitments(transactional_db, author, reviewer, leader):
    today = dt.date.today()
    payments = Service.objects.create(name="refunds-api", team="payments")
    search = Service.objects.create(name="search-api", team="discovery")
    pm = PostmortemFactory(slug="refund-overcharge", created_by=author)
    pm.services.add(payments)
    other = PostmortemFactory(slug="search-outage", title="Search returned nothing for 14 minutes")
    other.services.add(search)
    Commitment.objects.all().delete()
    return {
        "unit": Commitment.objects.create(
            postmortem=pm,
            text="Add a unit field to lookup_order.amount",
            owner="alice",
            due=today + dt.timedelta(days=3),
            change=pm.changes.first(),
        ),
        "late": Commitment.objects.create(
            postmortem=pm,
            text="Cents guard back in the prompt",
            owner="alice",
            due=today - dt.timedelta(days=2),
        ),
        "search": Commitment.objects.create(
            postmortem=other,
            text="Alert on empty search results",
            owner="carol",
            due=today + dt.timedelta(days=1),
        ),
    }


def test_leader_opens_the_calendar_and_filters_by_team(live_server, login, leader, commitments):
    page = login(leader)
    page.click("header.top >> text=Commitments")
    page.wait_for_url(f"{live_server.url}/commitments/")
    page.wait_for_selector("table.month")
    shoot(page, "month")
    page.click("nav.view-switch >> text=List")
    page.wait_for_selector("table.commitments")
    assert page.locator("tbody tr[id^=commitment-]").count() == 3
    assert (
        page.locator(f"#commitment-{commitments['late'].pk} .pill", has_text="overdue").count() == 1
    )
    page.select_option("select[name=team]", "discovery")
    # A locator wait, not wait_for_function: the page's CSP forbids evaluating strings.
    expect(page.locator("tbody tr[id^=commitment-]")).to_have_count(1)
    assert "team=discovery" in page.url  # the filtered view is a link to share
    assert page.locator(f"#commitment-{commitments['search'].pk}").is_visible()
    assert page.locator("text=read only").count() == 1  # leadership reads
    shoot(page, "list-filtered")


def test_reviewer_marks_a_commitment_done_with_one_click(live_server, login, reviewer, commitments):
    page = login(reviewer)
    page.goto(f"{live_server.url}/commitments/?view=list")
    page.evaluate("window.__notReloaded = true")
    row = page.locator(f"#commitment-{commitments['unit'].pk}")
    row.get_by_role("button", name="Mark done").click()
    row.get_by_role("button", name="Reopen").wait_for()
    assert page.evaluate("window.__notReloaded") is True  # swapped in place, no reload
    assert "done by rita" in row.inner_text()
    shoot(page, "marked-done")
    unit = Commitment.objects.get(pk=commitments["unit"].pk)
    assert unit.status == "done"
    assert unit.events.get().actor.username == "rita"


def test_leader_reads_the_summary_and_creates_a_feed_link(live_server, login, leader, commitments):
    page = login(leader)
    page.goto(f"{live_server.url}/commitments/summary/")
    assert page.locator("svg.chart rect").count() >= 4
    assert page.locator("table.summary tbody tr").count() == 1
    shoot(page, "summary")
    page.goto(f"{live_server.url}/commitments/feeds/")
    page.locator("#feed-everyone").get_by_role("button", name="Create link").click()
    url = page.locator("#new-url-everyone").input_value()
    assert url.startswith(live_server.url) and url.endswith(".ics")
    shoot(page, "feeds")
    page.goto(f"{live_server.url}/commitments/{commitments['late'].pk}/")
    shoot(page, "detail")
