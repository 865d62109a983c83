"""Shared fixtures. Service-backed tests skip on a laptop without the service, but fail in CI
(REQUIRE_SERVICES=1), so a green CI always means the real component was exercised."""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def service_missing(reason: str):
    """Skip, or fail when CI requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture
def password():
    return "correct-horse-battery"


@pytest.fixture
def author(db):
    from tests.factories import UserFactory

    return UserFactory(username="alice", role="author")


@pytest.fixture
def other_author(db):
    from tests.factories import UserFactory

    return UserFactory(username="carol", role="author")


@pytest.fixture
def reviewer(db):
    from tests.factories import UserFactory

    return UserFactory(username="rita", role="reviewer")


@pytest.fixture
def leader(db):
    from tests.factories import UserFactory

    return UserFactory(username="leo", role="leadership")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (its own browser download is not used)."""
    path = chromium_path()
    if not path:
        service_missing("no Chromium found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        service_missing("playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls tests make
    # around it are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def login(live_server, page, password):
    """Log a user in through the real login form."""

    def _login(user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/postmortems/**")
        return page

    return _login
