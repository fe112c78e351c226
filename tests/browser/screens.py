"""Screenshots the issue-17 browser tests take at the two sizes people use (1366×900, 390×844):
written to $HUZHOU_SCREENSHOTS when set (to look at them), else to the test's temporary folder."""
import os
from pathlib import Path

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def new_page(browser, size: str, language: str = "zh-CN"):
    mobile = size == "phone"
    context = browser.new_context(locale=language, viewport=SIZES[size], is_mobile=mobile, has_touch=mobile)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def shoot(page, tmp_path, name: str) -> Path:
    folder = Path(os.environ.get("HUZHOU_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def fits_the_screen(page, size: str) -> bool:
    """No sideways scrolling: the page is no wider than the screen. Measured against the screen's width,
    not ``window.innerWidth``: a phone widens its layout viewport to whatever overflows, so that
    ``scrollWidth <= innerWidth`` holds even for a page 150 px too wide."""
    return page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
