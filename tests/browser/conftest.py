"""End-to-end tests in real Chromium (Debian's `/usr/bin/chromium`, driven by Playwright).

One browser is started per test session and each test gets a fresh context (cookies, storage),
so the suite pays Chromium's start-up once. The app is served by pytest-django's `live_server`
(a thread in this process, with the transactional test database: data a test writes is
committed, so the server thread sees it).

Every main page a test visits goes through `page_check(page, name)`: axe-core (bundled in the
`axe-playwright-python` package, nothing fetched at test time) must find no serious or critical
violation, every form field must have a label, every control must be reachable with the Tab key,
and a full-page screenshot is saved to `test-artifacts/screenshots/<name>.png`, which the test
run lists at its end so a person can look at what a user sees.
"""

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password
BLOCKING_IMPACTS = {"serious", "critical"}
FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), "
    "select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])"
)

_axe = Axe()
_shots: list[Path] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: `make test` installs Debian's chromium (.ci/sysdeps)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API keeps an asyncio loop in this thread; the Django ORM calls the
    # tests make around it are still synchronous, so Django's async-safety guard is lifted
    # for this test process only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def omaha_vocabulary(transactional_db: None) -> None:
    """The Omaha vocabulary comes from a data migration, which the flush after each
    transactional test empties; load it again (idempotent) when it is missing."""
    from omaha.models import Problem

    if not Problem.objects.exists():
        call_command("load_omaha", verbosity=0)


# Other sessions of the test database still at work: a request the live server is still
# answering (a page's last fetch, the service worker filling its cache) after the test closed
# its browser. The flush after a transactional test TRUNCATEs every table; run while such a
# request holds a table, the two can deadlock and the next test finds the old rows.
_BUSY_SESSIONS = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
"""


@pytest.fixture(autouse=True)
def quiet_server_before_flush(transactional_db: None) -> Iterator[None]:
    """Set up before the test's pages (so torn down after their browsers close) and torn down
    before the database flush: wait, up to 10 s, until the live server has answered every
    request still under way."""
    yield
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(_BUSY_SESSIONS)
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)


@pytest.fixture
def context(browser: Browser, live_server: object) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en-GB")
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    return page


@pytest.fixture
def phone_page(browser: Browser, live_server: object) -> Iterator[Page]:
    ctx = browser.new_context(
        viewport=PHONE, base_url=live_server.url, is_mobile=True, has_touch=True, locale="en-GB"
    )
    ctx.set_default_timeout(10_000)
    yield ctx.new_page()
    ctx.close()


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form, with the keyboard only."""
    page.goto(reverse("login"))
    page.get_by_label("Username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url, f"login failed for {username}"


def axe_violations(page: Page) -> list[str]:
    """Serious or critical axe-core violations on the page, one line each."""
    results = _axe.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in BLOCKING_IMPACTS:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def unlabelled_fields(page: Page) -> list[str]:
    """Visible form fields with no accessible name (label, aria-label or aria-labelledby)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !el.getAttribute('aria-labelledby'))
            .map(el => el.outerHTML.slice(0, 120))"""
    )


def unreachable_by_keyboard(page: Page, limit: int = 400) -> list[str]:
    """Visible controls that Tab never reaches; the first Tab must land on the skip link."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.evaluate(
        """(sel) => document.querySelectorAll(sel).forEach((el, i) => {
               el.dataset.kbd = String(i); })""",
        FOCUSABLE,
    )
    # A radio group is one Tab stop (arrow keys choose within it): its checked radio, or its
    # first when none is checked, must be reached; fields inside a closed <details> are
    # reached once it is opened.
    controls = page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)]
            .filter(el => el.offsetParent !== null || el.classList.contains('skip-link'))
            .filter(el => !(el.closest('details:not([open])') && el.tagName !== 'SUMMARY'))
            .filter(el => {
                if (el.type !== 'radio' || !el.form) return true;
                const group = [...el.form.elements]
                    .filter(x => x.type === 'radio' && x.name === el.name);
                return (group.find(x => x.checked) || group[0]) === el;
            })
            .map(el => el.dataset.kbd)""",
        FOCUSABLE,
    )
    reached: list[str] = []
    # Date inputs take one Tab per segment, so press until every control was reached or the
    # focus has come round to the first one again.
    for _ in range(limit):
        page.keyboard.press("Tab")
        key = page.evaluate("() => document.activeElement && document.activeElement.dataset.kbd")
        if key is not None and key not in reached:
            reached.append(key)
        elif reached and key == reached[0]:
            break
        if len(reached) >= len(controls):
            break
    first = page.evaluate(
        """(key) => { const el = document.querySelector(`[data-kbd="${key}"]`);
                      return el ? el.className : ''; }""",
        reached[0] if reached else "",
    )
    problems = [] if "skip-link" in first else ["the first Tab does not reach the skip link"]
    missing = set(controls) - set(reached)
    problems += page.evaluate(
        """(keys) => keys.map(k => document.querySelector(`[data-kbd="${k}"]`).outerHTML
                                      .slice(0, 120))""",
        sorted(missing),
    )
    return problems


def page_check(page: Page, name: str, *, keyboard: bool = True) -> Path:
    """Accessibility and keyboard checks on the page as it is now, then a screenshot."""
    page.wait_for_load_state("networkidle")
    assert not getattr(page, "js_errors", []), page.js_errors  # type: ignore[attr-defined]
    violations = axe_violations(page)
    assert not violations, f"axe-core on {name}: " + "; ".join(violations)
    unlabelled = unlabelled_fields(page)
    assert not unlabelled, f"unlabelled fields on {name}: {unlabelled}"
    if keyboard:
        unreachable = unreachable_by_keyboard(page)
        assert not unreachable, f"not reachable by keyboard on {name}: {unreachable}"
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)
    _shots.append(path)
    return path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _shots:
        return
    terminalreporter.section("browser screenshots")
    rel = SCREENSHOTS.relative_to(Path(settings.BASE_DIR))
    terminalreporter.write_line(f"{len(_shots)} screenshots of the main pages in {rel}/:")
    for path in sorted(set(_shots)):
        terminalreporter.write_line(f"  {path.relative_to(Path(settings.BASE_DIR))}")
