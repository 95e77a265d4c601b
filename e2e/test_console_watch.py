"""The console check of every journey (e2e/conftest.py, ConsoleWatch) sees what it is there to see: an
inline style the security policy blocks, a script that throws, a script's console.error; and lets a
refused request pass."""

import pytest

from e2e.conftest import ConsoleWatch

pytestmark = pytest.mark.e2e


def test_the_console_watch_reports_policy_violations_and_script_errors(browser, live_server):
    context = browser.new_context()
    console = ConsoleWatch()
    console.watch(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("load")
    assert console.problems == []

    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.evaluate("setTimeout(() => { throw new Error('boom') }, 0)")
    page.wait_for_timeout(200)
    page.evaluate("console.error('lost')")
    page.goto(f"{live_server.url}/khao-sat/999999/00000/")  # a 404: "Failed to load resource"
    context.close()
    found = "\n".join(console.problems)
    assert "content security policy" in found and "style-src" in found
    assert "script error" in found and "boom" in found
    assert "console error: lost" in found
    assert "Failed to load resource" not in found and len(console.problems) == 3
