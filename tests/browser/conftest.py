"""Browser tests: Playwright drives Debian's headless Chromium against a live server.

Run them with ``pytest -m browser tests/browser``. They need /usr/bin/chromium
(``apt-get install chromium``); Playwright's own browser download is never used.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.web.conftest import open_period, write  # noqa: F401 — shared fixtures

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# fixtures in the same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("RAPPORT_EXPECT_BROWSER"):  # scripts/test installs it: its absence is a failure
            pytest.fail("Debian's chromium is not installed, but scripts/test expects it (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Session:
    """One signed-in (or signed-out) person in their own browser context."""

    def __init__(self, browser, base_url: str, width: int = 1366, locale: str | None = None):
        # bypass_csp only so the test can inject axe-core; the app's own pages never need it.
        # locale: the browser's language, sent as Accept-Language (e.g. "fr-FR").
        self.context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True,
                                           **({"locale": locale} if locale else {}))
        # The suite runs on two processes on two cores, a browser and a server each: waits that
        # take 5 s alone can take over 30 s there. They still end as soon as the page is ready.
        self.context.set_default_timeout(120_000)
        self.page = self.context.new_page()
        self.base = base_url
        self.console_errors: list[str] = []
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)

    def go(self, path: str):
        response = self.page.goto(self.base + path)
        return response

    def sign_in(self, username: str, password: str = PASSWORD):
        self.go("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url("**/dashboard/")
        return self

    def shot(self, name: str):
        """The whole page, laid out in a window as tall as the page (a full-page capture of
        the usual window would draw the sticky bottom banner where the window ended)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size
        height = self.page.evaluate("document.documentElement.scrollHeight")
        self.page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
        try:
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        finally:
            self.page.set_viewport_size(size)

    def axe(self) -> list[dict]:
        """Accessibility violations (WCAG 2.1 A/AA) on the current page."""
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]

    def close(self):
        self.context.close()


@pytest.fixture
def browse(chromium, live_server):
    sessions: list[Session] = []

    def open_session(width: int = 1366, locale: str | None = None) -> Session:
        s = Session(chromium, live_server.url, width, locale)
        sessions.append(s)
        return s

    yield open_session
    for s in sessions:
        s.close()
