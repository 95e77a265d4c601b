"""Browser journeys: Playwright (sync API) driving Debian's chromium against pytest-django's live server.

No browser is ever downloaded: chromium comes from the system (/usr/bin/chromium). Without it the
journeys are skipped, unless PARINDEX_REQUIRE_BROWSER=1 asks for a loud failure instead (CI).
"""

import os
import re
from pathlib import Path

import pytest

from conftest import PASSWORD, TOTP_SECRET

# Playwright's sync API keeps an asyncio loop running in this thread; Django's ORM would
# otherwise refuse to run from the test body and fixtures.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("PARINDEX_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Per action / navigation; a healthy local run needs a fraction of this.
TIMEOUT_MS = 10_000


def _browser_required() -> bool:
    return os.environ.get("PARINDEX_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = (
            f"chromium not found at {CHROMIUM}: browser journeys need Debian's chromium package"
        )
        if _browser_required():
            pytest.fail(f"{reason} (PARINDEX_REQUIRE_BROWSER=1)", pytrace=False)
        pytest.skip(reason)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        if _browser_required():
            pytest.fail(f"playwright is not installed: {exc}", pytrace=False)
        pytest.skip(f"playwright is not installed: {exc}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _live_database(transactional_db):
    """The live server runs in another thread: the data must be committed for it to see it."""


CSP_WORDS = ("Content Security Policy", "Refused to")
"""What Chromium writes in the console when the page's security policy blocks something."""


REFUSED_REQUEST = (
    "Failed to load resource",
    "Response Status Error Code",
    "htmx:responseError",
    "htmx:sendError",
    "htmx:afterRequest",
)
"""Console lines that only say a request was refused or lost (by the browser, or by htmx, which logs the
failed requests it reports to the page): journeys provoke these on purpose and check what the page
shows."""


class ConsoleWatch:
    """What the browser complained about on every page of a context: policy violations, uncaught
    script errors and the scripts' own `console.error` lines, except REFUSED_REQUEST."""

    def __init__(self):
        self.problems: list[str] = []

    def watch(self, context) -> None:
        context.on("page", self._watch_page)
        context.on("weberror", lambda error: self.problems.append(f"script error: {error.error}"))

    def _watch_page(self, page) -> None:
        page.on("console", lambda message: self._console(page, message))

    def _console(self, page, message) -> None:
        text = message.text
        if any(word in text for word in CSP_WORDS):
            self.problems.append(f"{page.url}: content security policy: {text}")
        elif message.type == "error" and not text.startswith(REFUSED_REQUEST):
            self.problems.append(f"{page.url}: console error: {text}")


@pytest.fixture
def new_page(browser):
    """Factory: a page in a fresh browser context (own cookies); closed after the test, which then
    fails if any page broke the content security policy or raised a script error (ConsoleWatch)."""
    contexts = []
    console = ConsoleWatch()

    def make(**context_options):
        context = browser.new_context(**context_options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        console.watch(context)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    if console.problems:
        pytest.fail(
            "the browser reported:\n" + "\n".join(dict.fromkeys(console.problems)), pytrace=False
        )


@pytest.fixture
def page(new_page):
    return new_page()


def totp_code(username: str, secret: bytes = TOTP_SECRET) -> str:
    """The code an authenticator holding the persona's secret shows now (one not used yet)."""
    from accounts.models import User
    from accounts.tests.helpers import fresh_code

    return fresh_code(User.objects.get(username=username), secret)


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form (and, for an enrolled persona, the code step); wait for home."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    # The navbar's language form has a submit button too: use the one of the login form.
    page.locator("main button[type=submit]").click()
    code_step = f"{live_server.url}/accounts/login/code/"
    page.wait_for_url(re.compile(rf"^({re.escape(code_step)}|{re.escape(live_server.url)}/)$"))
    if page.url == code_step:
        page.fill("#id_code", totp_code(username))
        page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def scroll_to(locator, attempts: int = 5) -> None:
    """Scroll a locator into view, again if htmx swapped the element out while Playwright waited for it
    to be stable (an out-of-band swap after a save replaces the counters and the leaf's card)."""
    from playwright.sync_api import Error

    for attempt in range(attempts):
        try:
            locator.scroll_into_view_if_needed(timeout=5_000)
            return
        except Error as error:
            if "not attached" not in str(error) or attempt == attempts - 1:
                raise


def open_domain(page, code: str) -> None:
    """Open a domain of the self-assessment form and wait for its leaves (loaded on demand)."""
    from playwright.sync_api import expect

    page.locator(f"#domain-{code} > details > summary").click()
    expect(page.locator(f"#domain-leaves-{code}")).to_be_visible()
