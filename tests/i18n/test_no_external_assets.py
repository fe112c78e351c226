"""No page loads a stylesheet, script, font or image from another site (no CDN): every
asset is served from our own static files, so the portal works on a closed government network."""
import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STATIC = Path(settings.BASE_DIR) / "static"
EXTERNAL_TAG = re.compile(
    r"<(?:link|script|img|iframe|source|video|audio)\b[^>]*\b(?:href|src|srcset)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE)
EXTERNAL_CSS = re.compile(r"(?:@import|url\()\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)


def test_no_template_loads_an_asset_from_another_site():
    offenders = [f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
                 for path in TEMPLATES.rglob("*.html")
                 for match in EXTERNAL_TAG.finditer(path.read_text(encoding="utf-8"))]
    assert not offenders, offenders


def test_no_stylesheet_imports_from_another_site():
    offenders = [f"{path.name}: {match.group(0)}" for path in STATIC.rglob("*.css")
                 for match in EXTERNAL_CSS.finditer(path.read_text(encoding="utf-8"))]
    assert not offenders, offenders


def test_the_check_recognises_a_cdn_link():
    assert EXTERNAL_TAG.search('<script src="https://cdn.jsdelivr.net/npm/x.js"></script>')
    assert EXTERNAL_TAG.search("<link rel=stylesheet href=//fonts.googleapis.com/css>")
    assert not EXTERNAL_TAG.search('<link rel="stylesheet" href="/static/css/site.css">')
    assert not EXTERNAL_TAG.search('<a href="https://www.gov.cn/">国务院</a>')
