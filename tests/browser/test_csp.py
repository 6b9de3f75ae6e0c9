"""The browser fixtures fail a test on a Content-Security-Policy violation or a JavaScript
error; these tests prove the listener does catch them, on a real page under the real policy."""

import pytest

pytestmark = pytest.mark.browser


def test_an_inline_script_is_blocked_and_reported(page, page_problems):
    page.goto("/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true;";
          document.body.append(script);
        }"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.injected") is None
    with pytest.raises(AssertionError, match="CSP violation: script-src-elem blocked inline"):
        page_problems.check()


def test_an_event_handler_attribute_is_blocked_and_reported(page, page_problems):
    page.goto("/")
    page.evaluate(
        """() => document.getElementById("content").insertAdjacentHTML(
          "beforeend", '<button id="b" onclick="window.clicked = true">b</button>')"""
    )
    page.locator("#b").click()
    assert page.evaluate("() => window.clicked") is None
    with pytest.raises(AssertionError, match="CSP violation: script-src-attr"):
        page_problems.check()


def test_a_javascript_error_is_reported(page, page_problems):
    page.goto("/")
    page.evaluate("() => setTimeout(() => { throw new Error('boom'); })")
    page.wait_for_timeout(100)
    with pytest.raises(AssertionError, match=r"JavaScript error: .*boom"):
        page_problems.check()
