"""End-to-end tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every document the browser loads is checked with axe-core against WCAG 2.1 A and AA; a test
whose pages have violations (or violate the Content-Security-Policy) fails at teardown with a
readable list. A failing test leaves a screenshot in test-artifacts/.
"""

import json
import os
import re
import time
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

BASE_DIR = Path(__file__).resolve().parents[2]
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS_DIR = BASE_DIR / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHECK_TIMEOUT = 10  # seconds

# Runs in every document (an init script, after axe itself): checks the page once its DOM and
# stylesheets are there and hands the violations to the test through the reportAccessibility
# binding. Not at the load event: a test that clicks on before the fonts have arrived starts a
# navigation, which keeps that event from ever firing, and the page would go unchecked.
AXE_ON_LOAD = """
async function stylesheetsLoaded() {
    const pending = [...document.querySelectorAll('link[rel="stylesheet"]')]
        .filter((link) => !link.sheet)
        .map((link) => new Promise((resolve) => {
            link.addEventListener("load", resolve);
            link.addEventListener("error", resolve);
        }));
    await Promise.all(pending);
}
document.addEventListener("DOMContentLoaded", async () => {
    if (window.top !== window || !location.protocol.startsWith("http")) return;
    let violations;
    try {
        await stylesheetsLoaded();
        // No preload: axe would inline the stylesheets in <style> elements, which our CSP blocks.
        const results = await axe.run(document, {
            preload: false, runOnly: {type: "tag", values: %s},
        });
        violations = results.violations.map((violation) => ({
            id: violation.id,
            impact: violation.impact,
            help: violation.help,
            targets: violation.nodes.map((node) => node.target.join(" ")),
        }));
    } catch (error) {
        violations = [{id: "axe-error", impact: "", help: String(error), targets: []}];
    }
    await window.reportAccessibility(location.href, violations);
});
"""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, started with a MEDIA_URL. The settings give private media
    no URL at all (None), but Django's live server thread needs a string to tell media
    requests apart; this prefix matches none of the portal's URLs."""
    with override_settings(MEDIA_URL="/private-media-has-no-url/"):
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Playwright's sync API runs an event loop in this thread,
    so Django's guard against ORM calls from async code must be off while it runs."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` (make test does).")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class AccessibilityAudit:
    """Collects what axe-core finds in every document the page loads.

    axe runs inside each document at its load event (an init script) and reports back through
    a binding. A test may already be moving on by then (clicking the next link), so each
    navigation request is held until the document it leaves has reported: every document is
    checked once, completely. Nothing is evaluated from the test side while a navigation is
    pending, which Playwright would wait on.

    Init scripts are not subject to the page's Content-Security-Policy, so the CSP stays in
    force for the portal's own scripts and styles, and any violation of it is reported too (a
    ``bypass_csp`` context would hide inline styles that a real browser blocks)."""

    def __init__(self, page):
        self.page = page
        self.unchecked = False  # a document was requested and has not reported yet
        self.problems = []
        page.add_init_script(script=AXE_JS.read_text() + AXE_ON_LOAD % json.dumps(WCAG_TAGS))
        page.expose_function("reportAccessibility", self._report)
        page.on("console", self._on_console)
        page.route("**/*", self._hold_navigation)

    def _report(self, url, violations):
        for violation in violations:
            self.problems.append(
                f"{url}\n    {violation['id']} ({violation['impact']}): {violation['help']}\n"
                + "".join(f"      at {target}\n" for target in violation["targets"])
            )
        self.unchecked = False

    def _on_console(self, message):
        if "Content Security Policy" in message.text:
            self.problems.append(f"{self.page.url}\n    CSP: {message.text}")

    def _hold_navigation(self, route, request):
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.wait()
            self.unchecked = True
        route.continue_()

    def wait(self):
        """Wait until the current document has reported; at most CHECK_TIMEOUT, as a request
        that brings no new document (a download, say) never does."""
        deadline = time.monotonic() + CHECK_TIMEOUT
        while self.unchecked and time.monotonic() < deadline:
            self.page.wait_for_timeout(20)
        if self.unchecked:
            self.problems.append(f"{self.page.url}\n    no axe-core report: did the page load?")
            self.unchecked = False


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context on the live server (Dutch, Amsterdam time), audited for
    accessibility on every document it shows."""
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam"
    )
    page = context.new_page()
    audit = AccessibilityAudit(page)
    yield page

    failed = getattr(request.node, "report_call", None) is None or request.node.report_call.failed
    if failed:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=ARTIFACTS_DIR / f"{name}.png", full_page=True)
    else:
        audit.wait()
    context.close()
    if audit.problems and not failed:
        pytest.fail(
            "Accessibility (WCAG 2.1 A/AA, axe-core) or Content-Security-Policy problems:\n"
            + "\n".join(audit.problems),
            pytrace=False,
        )
