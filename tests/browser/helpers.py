"""Steps and checks the browser tests share: signing in, waiting on what the page's events
record, sizes as the pages write them, and axe-core's findings on a page."""

import time

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def sign_in(page, site: str, username: str) -> None:
    page.goto(f"{site}/login/")
    page.get_by_label("Username").fill(username)
    with page.expect_response(f"{site}/accounts/dev-login/") as login:
        page.get_by_role("button", name="Sign in").click()
    assert login.value.request.method == "POST"
    expect(page.get_by_test_id("signed-in-as")).to_have_text(username)


def wait_until(page, condition, *, after: str | None, what: str, timeout_ms: float = 30_000) -> None:
    """Waits until `condition()` holds, checking it again after each `after` event of the page (by
    then the test's own handlers of that event have recorded it), or with `after=None` every 50 ms
    (for what a route handler records: it runs after its request's event, and may itself wait on
    the server); fails after `timeout_ms`."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        left_ms = (deadline - time.monotonic()) * 1000
        if left_ms <= 0:
            raise AssertionError(f"not within {timeout_ms / 1000:g} s: {what}")
        if after is None:
            page.wait_for_timeout(min(50, left_ms))  # the page's events and handlers run meanwhile
            continue
        try:
            page.wait_for_event(after, timeout=max(1, left_ms))
        except PlaywrightTimeoutError:
            raise AssertionError(f"not within {timeout_ms / 1000:g} s: {what}") from None


def readable_size(size: int) -> str:
    """A size as the upload page writes it (static/js/progress.js)."""
    if size < 1e6:
        return f"{int(size / 1e3 + 0.5)} KB"
    return f"{size / 1e6:.1f} MB"


def axe_violations(page, axe_source: str, *, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's WCAG 2.x A/AA findings on the page as it is, of the given impacts."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(axe_source)  # through DevTools, so the page's CSP (no inline scripts) allows it
    result = page.evaluate(
        """async () => {
             const {violations, passes} = await axe.run(document, {runOnly: {type: "tag",
               values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}});
             return {violations, passed: passes.length};
           }"""
    )
    assert result["passed"] > 0, "axe-core checked nothing"
    return [
        {"id": rule["id"], "impact": rule["impact"], "help": rule["help"],
         "targets": [node["target"] for node in rule["nodes"]]}
        for rule in result["violations"] if rule["impact"] in impacts
    ]


class Uplink:
    """The page's network as a phone's: uploads at `bytes_per_second` (DevTools throttling), and
    a way to cut it off. Chromium keeps the throttled connections of this DevTools session going
    through Playwright's offline mode, so going offline goes through both."""

    def __init__(self, page, bytes_per_second: int):
        self.page = page
        self.bytes_per_second = bytes_per_second
        self.devtools = page.context.new_cdp_session(page)
        self.devtools.send("Network.enable")
        self._emulate(offline=False)

    def cut(self) -> None:
        self.page.context.set_offline(True)
        self._emulate(offline=True)

    def restore(self) -> None:
        self.page.context.set_offline(False)
        self._emulate(offline=False)

    def _emulate(self, *, offline: bool) -> None:
        self.devtools.send(
            "Network.emulateNetworkConditions",
            {"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": self.bytes_per_second},
        )
