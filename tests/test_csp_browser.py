"""With the Content-Security-Policy on, htmx pages still work and nothing is blocked."""

from __future__ import annotations

import pytest

from tests.factories import PostmortemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_VIOLATIONS = """
window.__csp_violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp_violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_every_response_sends_a_content_security_policy(client, author):
    client.force_login(author)
    for url in ("/accounts/login/", "/postmortems/", "/commitments/", "/review/"):
        policy = client.get(url, follow=True).headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy


def test_htmx_editor_works_under_the_policy_with_no_violation(live_server, login, author):
    postmortem = PostmortemFactory(slug="csp-editor", created_by=author)
    postmortem.authors.add(author)
    page = login(author)
    console_errors = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.add_init_script(WATCH_VIOLATIONS)
    page.goto(f"{live_server.url}/postmortems/csp-editor/edit/")
    page.evaluate("window.__same_page = true")
    # htmx: the live check fills the pills, and adding a row swaps the rows region in place.
    page.locator("#pill-why .pill").first.wait_for()
    rows = page.locator("#rows-lags tbody tr")
    before = rows.count()
    page.click("#rows-lags button[value='add:lags']")
    page.locator("#rows-lags tbody tr").nth(before).wait_for()
    assert page.evaluate("window.__same_page") is True
    # The reading page and the list's htmx search, under the same policy.
    page.goto(f"{live_server.url}/postmortems/csp-editor/")
    page.goto(f"{live_server.url}/postmortems/")
    with page.expect_response(lambda r: "q=refund" in r.url):
        page.locator("input[name=q]").press_sequentially("refund")
    assert page.evaluate("window.__csp_violations") == []
    assert [e for e in console_errors if "Content Security Policy" in e] == []
