"""The editor in a real browser: live specificity pills, htmx rows, publish."""

from __future__ import annotations

import pytest

from tests.factories import PostmortemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pill(page, section):
    return page.locator(f"#pill-{section} .pill")


def test_typing_an_anti_pattern_turns_the_pill_then_fixing_it_publishes(
    live_server, login, reviewer
):
    postmortem = PostmortemFactory(slug="refund-browser")
    page = login(reviewer)
    page.goto(f"{live_server.url}/postmortems/refund-browser/edit/")
    page.evaluate("window.__same_page = true")
    assert pill(page, "why").inner_text(timeout=10_000) == "specific"

    why = page.locator("#id_why")
    why.fill("")
    why.press_sequentially("Human")
    page.wait_for_timeout(700)  # let a debounced check land while typing continues
    why.press_sequentially(" error by the on-call.")
    page.locator("#pill-why .pill", has_text="anti-pattern").wait_for()
    assert why.input_value() == "Human error by the on-call."  # nothing typed was lost
    assert "anti-pattern" in page.locator("#check-why").inner_text()
    assert page.locator("#overall-verdict").inner_text() == "Anti-patterns present"

    why.fill(
        "The schema for lookup_order.amount has no unit field, so 4000 cents was read as dollars; "
        "the v5 prompt dropped the cents guard that v4 had."
    )
    page.locator("#pill-why .pill", has_text="specific").wait_for()
    assert page.evaluate("window.__same_page") is True  # no reload happened

    page.click("button[name=action][value=save]")
    page.wait_for_url(f"{live_server.url}/postmortems/refund-browser/")
    page.click("button[name=status][value=published]")
    page.locator(".pill.published").first.wait_for()
    postmortem.refresh_from_db()
    assert postmortem.status == "published"


def test_rows_are_added_without_a_page_reload(live_server, login, author):
    postmortem = PostmortemFactory(slug="rows-browser", created_by=author)
    postmortem.authors.add(author)
    page = login(author)
    page.goto(f"{live_server.url}/postmortems/rows-browser/edit/")
    page.evaluate("window.__same_page = true")
    rows = page.locator("#rows-lags tbody tr")
    assert rows.count() == 2
    page.click("#rows-lags button[value='add:lags']")
    page.locator("#rows-lags tbody tr").nth(2).wait_for()
    assert page.evaluate("window.__same_page") is True
    page.locator("select[name='lags-2-kind']").select_option("escalation")
    page.fill("input[name='lags-2-minutes']", "6")
    page.fill(
        "input[name='lags-2-text']",
        "Primary's pager battery died; secondary paged after the 5-minute timeout",
    )
    page.click("button[name=action][value=save]")
    page.wait_for_url(f"{live_server.url}/postmortems/rows-browser/")
    assert "Escalation lag" in page.locator("#kept-broken").inner_text()
    assert postmortem.lags.count() == 3


def test_an_engineer_sees_the_response_figures_from_the_timeline_phases(live_server, login, author):
    postmortem = PostmortemFactory(slug="figures-browser", created_by=author)
    postmortem.authors.add(author)
    page = login(author)
    page.goto(f"{live_server.url}/postmortems/figures-browser/edit/")
    # A new line whose phase is set by hand: the on-call opened traces before rolling back.
    page.click("#rows-timeline button[value='add:timeline']")
    page.locator("input[name='timeline-5-at']").wait_for()
    page.fill("input[name='timeline-5-at']", "14:07")
    page.fill("input[name='timeline-5-text']", "Opened the trace store for the refund tool")
    page.fill("input[name='timeline-5-actor']", "alice")
    page.locator("select[name='timeline-5-phase']").select_option("investigate")
    page.click("button[name=action][value=save]")
    page.wait_for_url(f"{live_server.url}/postmortems/figures-browser/")
    assert page.locator("#time-to-ack").inner_text().startswith("1 min")
    assert page.locator("#time-to-stop-bleed").inner_text().startswith("3 min")
    assert page.locator("#time-to-resolve").inner_text().startswith("7 min")
    assert page.locator("#investigate-first").is_visible()
    assert "We stopped the bleed at 14:08 UTC" in page.locator("#status-line").input_value()
    timeline = page.locator("#timeline").inner_text()
    assert "Investigate" in timeline and "Stop the bleed" in timeline
