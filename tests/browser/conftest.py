"""Real headless Chromium (Debian's package) driven by Playwright.

Without a browser these tests skip with the reason printed; in CI
(HUZHOU_REQUIRE_BROWSER=1) a missing browser is a failure, never a skip."""
import os
import shutil

import pytest

CHROMIUM = os.environ.get("HUZHOU_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("HUZHOU_REQUIRE_BROWSER") == "1":
            pytest.fail(f"HUZHOU_REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's 'chromium' package to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
