"""What the browser tests share: Debian's Chromium driven by Playwright, the live server on the
embedded AWS (with or without the worker), a record of every console error, uncaught exception
and Content Security Policy violation, and axe-core's script (pinned in package-lock.json, from
the npm registry)."""

import logging
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from pettube import bootstrap
from pettube.local_aws import EventPump
from tests.browser import finger
from tests.browser.helpers import DESKTOP

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Chromium reports a CSP violation on the console; this makes sure each one is an error there.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) =>
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`));
"""


@pytest.fixture
def site_without_worker(aws, live_server):
    """The live server on the embedded AWS, its bucket's CORS rule allowing the server's origin;
    nothing processes uploads (they stay where the browser put them)."""
    bootstrap.ensure_resources(extra_origins=[live_server.url])
    return live_server.url


@pytest.fixture
def site(site_without_worker, aws):
    """The live server as `runserver` runs it: an event pump hands each upload to `on_upload`."""
    pump = EventPump(aws)
    pump.start()
    yield site_without_worker
    pump.stop()


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = finger.launch(playwright.chromium, executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def problems() -> list[str]:
    """Console errors, uncaught exceptions and CSP violations of the pages made by `open_page`."""
    return []


@pytest.fixture
def open_page(browser, problems):
    """Returns a function giving a new page (in its own browser context) at `viewport`."""

    def open_page(viewport: dict = DESKTOP):
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(10_000)
        page = context.new_page()

        def problem(text: str) -> None:
            log.warning("browser: %s", text)  # shown with the failure of any later step
            problems.append(text)

        page.on("console", lambda message: message.type == "error"
                and problem(f"{message.text} ({message.location['url']})"))
        page.on("pageerror", lambda failure: problem(f"uncaught: {failure}"))
        page.on("dialog", lambda dialog: dialog.accept())  # "leave this page?" while uploading: yes
        page.add_init_script(REPORT_CSP_VIOLATIONS)
        return page

    return open_page


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, as package-lock.json pins it (installed from the npm registry on first use)."""
    script = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    return script.read_text()
