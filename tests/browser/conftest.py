"""Browser fixtures: Debian's Chromium driven by Playwright (its own browser download does not
work here) against the live server on the embedded AWS."""

import pytest
from playwright.sync_api import sync_playwright

from pettube import bootstrap
from pettube.local_aws import EventPump

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
def site(aws, live_server):
    """The live server on the embedded AWS, as `runserver` runs it: the bucket's CORS rule
    allows the server's origin and an event pump hands each upload to `on_upload`."""
    bootstrap.ensure_resources(extra_origins=[live_server.url])
    pump = EventPump(aws)
    pump.start()
    yield live_server.url
    pump.stop()


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.set_default_timeout(10_000)
        yield context.new_page()
        browser.close()
