"""Every page at 390 px, a phone's width: usable with no sideways scroll."""

from __future__ import annotations

import pytest

from tests.factories import PostmortemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/postmortems/",
    "/postmortems/new/",
    "/postmortems/phone-pm/",
    "/postmortems/phone-pm/edit/",
    "/postmortems/phone-pm/history/",
    "/commitments/",
    "/commitments/?view=list",
    "/commitments/summary/",
    "/review/",
    "/review/2026Q3/",
    "/postmortems/no-such-page/",
]


def test_every_page_fits_a_390_px_phone(live_server, browser, reviewer, password):
    PostmortemFactory(
        slug="phone-pm",
        created_by=reviewer,
        title="Refund agent overcharged eight customers by a hundred times the amount",
    )
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/postmortems/**")
    widths = {}
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state()
        page.wait_for_timeout(300)  # the live check's results land in the editor
        widths[path] = page.evaluate("document.scrollingElement.scrollWidth")
    context.close()
    assert {path: w for path, w in widths.items() if w > 390} == {}


def test_the_editor_form_takes_the_phone_s_width(live_server, browser, reviewer, password):
    PostmortemFactory(slug="phone-editor", created_by=reviewer)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/postmortems/**")
    page.goto(f"{live_server.url}/postmortems/phone-editor/edit/")
    width = page.locator("#id_why").bounding_box()["width"]
    context.close()
    assert width > 300
