"""The browser fixtures fail a test on a Content-Security-Policy violation or a JavaScript
error; these tests prove the listener does catch them, on a real page under the real policy.
Both reach the test a moment after the page acts: each test waits for its report (the console
message, the page error), never for a fixed time."""

import pytest

pytestmark = pytest.mark.browser


def _csp_report(page):
    return page.expect_console_message(lambda message: "CSP violation" in message.text)


def test_an_inline_script_is_blocked_and_reported(page, page_problems):
    page.goto("/")
    with _csp_report(page):
        page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "window.injected = true;";
              document.body.append(script);
            }"""
        )
    assert page.evaluate("() => window.injected") is None
    with pytest.raises(AssertionError, match="CSP violation: script-src-elem blocked inline"):
        page_problems.check()


def test_an_event_handler_attribute_is_blocked_and_reported(page, page_problems):
    page.goto("/")
    page.evaluate(
        """() => document.getElementById("content").insertAdjacentHTML(
          "beforeend", '<button id="b" onclick="window.clicked = true">b</button>')"""
    )
    with _csp_report(page):
        page.locator("#b").click()
    assert page.evaluate("() => window.clicked") is None
    with pytest.raises(AssertionError, match="CSP violation: script-src-attr"):
        page_problems.check()


def test_a_javascript_error_is_reported(page, page_problems):
    page.goto("/")
    with page.expect_event("pageerror"):
        page.evaluate("() => setTimeout(() => { throw new Error('boom'); })")
    with pytest.raises(AssertionError, match=r"JavaScript error: .*boom"):
        page_problems.check()
