"""A link crawler over the rendered portal: what a person can reach by clicking, as the public or as
one signed-in user, with the text they read on each page (no markup, no scripts, no attribute values).

Used by the raw-code test (every page, every role) and handy from a shell:
``python manage.py shell -c "from tests.portal_quality.crawl import report; report()"``."""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

#: Paths a crawl never follows: machine formats, downloads, the admin site and sign-out.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/feeds/", "/i18n/", "/accounts/logout",
                    "/work/attachments/", "/work/archive-packages/")  # downloads, not pages
SKIPPED_SUFFIXES = (".csv", ".xlsx", ".zip", ".pdf", ".docx", ".xml", ".ics", ".json", ".atom", ".rss", ".txt")
#: The same page under other query strings (filters, pages, sort orders) is looked at this many times.
VARIANTS_PER_PATH = 3


class _TextAndLinks(HTMLParser):
    #: not read as prose: scripts, and commands or digests shown as code (``verify_audit_chain``)
    HIDDEN = {"script", "style", "template", "noscript", "code", "pre", "kbd", "samp"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        if tag in {"br", "p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "dt", "dd", "option"}:
            self.chunks.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag in {"td", "th", "li", "dd", "dt", "option", "span", "a", "label", "button"}:
            self.chunks.append(" ")

    def handle_data(self, data):
        if not self._hidden:
            self.chunks.append(data)

    def text(self) -> str:
        return re.sub(r"[ \t\r\f\v]+", " ", "".join(self.chunks))


@dataclass
class Page:
    url: str
    text: str
    html: str = ""


@dataclass
class Crawl:
    pages: list[Page] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    #: the first page that linked to each address
    linked_from: dict[str, str] = field(default_factory=dict)

    def refused_links(self) -> list[tuple[int, str, str]]:
        """(status, address, the page that showed the link) of every link that answered 403 or 404:
        a link the person was shown but may not follow."""
        return [(status, url, self.linked_from.get(url, "")) for url, status in self.errors.items()
                if status in (403, 404)]


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(client, start: str = "/", limit: int = 800) -> Crawl:
    """Follow every same-site link from ``start`` with ``client`` (a Django test client, logged in or
    not); HTML pages only; a 4xx/5xx status is recorded in ``errors``."""
    seen: set[str] = set()
    variants: dict[str, int] = {}
    queue = deque([start])
    result = Crawl()
    while queue and len(result.pages) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            continue
        if response.status_code >= 400:
            result.errors[url] = response.status_code
            continue
        if not response.get("Content-Type", "").startswith("text/html") or getattr(response, "streaming", False):
            continue
        parser = _TextAndLinks()
        html = response.content.decode("utf-8", "replace")
        parser.feed(html)
        result.pages.append(Page(url=url, text=parser.text(), html=html))
        for href in parser.links:
            target = urldefrag(urljoin(url, href))[0]
            parts = urlsplit(target)
            if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
                continue
            path = parts.path
            if path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_SUFFIXES):
                continue
            local = path + (f"?{parts.query}" if parts.query else "")
            if local in seen:
                continue
            if parts.query:
                shape = _shape(path)
                if variants.get(shape, 0) >= VARIANTS_PER_PATH:
                    continue
                variants[shape] = variants.get(shape, 0) + 1
            result.linked_from.setdefault(local, url)
            queue.append(local)
    return result


def choice_values() -> dict[str, str]:
    """Every stored code of a model field's choices that a person must never read: value → where from.
    Only word-like codes (``under_review``, ``low``, ``yes``); numbers and Chinese values are left out."""
    from django.apps import apps

    codes: dict[str, str] = {}
    for model in apps.get_models():
        if model._meta.app_label in {"admin", "auth", "contenttypes", "sessions", "django_celery_beat", "axes"}:
            continue
        for model_field in model._meta.get_fields():
            for value, _label in getattr(model_field, "flatchoices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_\-]*", value) and len(value) > 1:
                    codes.setdefault(value, f"{model._meta.label}.{model_field.name}")
    return codes


#: Codes that are not choice values: rule ids (R17, D19-early, N8), a state change written as codes, and
#: field names (planned_completion, early_reason).
CODE_PATTERNS = [
    re.compile(r"(?<![A-Za-z0-9_@.\-/])[a-z][a-z0-9]*_[a-z0-9_]+(?![A-Za-z0-9_@\-/])"),
    re.compile(r"(?<![A-Za-z0-9])[RDNEVC]\d{1,3}(?:-[a-z]+)?(?![A-Za-z0-9])"),
    re.compile(r"[a-z_]{3,}\s*→|→\s*[a-z_]{3,}"),
]
_ASCII_WORD = re.compile(r"(?<![A-Za-z0-9_@.\-/])[a-z][a-z0-9_\-]*(?![A-Za-z0-9_@\-/])")


def raw_codes(text: str, codes: dict[str, str]) -> set[str]:
    """The raw codes in a Chinese page's visible text."""
    found = {word for word in _ASCII_WORD.findall(text) if word in codes}
    for pattern in CODE_PATTERNS:
        found.update(match.strip() for match in pattern.findall(text))
    return found


def report(roles=("public", "demo_staff", "demo_reviewer", "demo_office", "demo_supervisor", "demo_officer")):
    """Print, per role, the pages crawled and every raw code with one page showing it."""
    from django.test import Client

    from core.models import User

    codes = choice_values()
    for role in roles:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        start = "/"
        if role != "public":
            client.force_login(User.objects.get(username=role))
            start = "/work/"
        result = crawl(client, start)
        found: dict[str, str] = {}
        for page in result.pages:
            for code in raw_codes(page.text, codes):
                found.setdefault(code, page.url)
        print(f"== {role}: {len(result.pages)} pages")
        for url, status in result.errors.items():
            print(f"   {status} {url} linked from {result.linked_from.get(url)}")
        for code, url in sorted(found.items()):
            print(f"   {code!r:30} {codes.get(code, '')} {url}")


HAN = re.compile(r"[\u4e00-\u9fff]")


class _Chrome(HTMLParser):
    """The texts of a page's chrome — headings below the title, table headers, labels (without their
    options), buttons, legends, summaries, terms, the work navigation and breadcrumbs."""

    TAGS = {"th", "label", "button", "legend", "summary", "h2", "h3", "dt"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._open: list[list[str]] = []
        self._skip = 0
        self._nav = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("option", "script", "style", "select", "textarea", "a") and self._open:
            self._skip += 1
        if tag == "nav" and dict(attrs).get("class") in ("sidenav", "breadcrumbs"):
            self._nav += 1
            self._open.append([])
        elif tag in self.TAGS:
            self._open.append([])

    def handle_endtag(self, tag):
        if tag in ("option", "script", "style", "select", "textarea", "a") and self._skip:
            self._skip -= 1
        if (tag in self.TAGS or (tag == "nav" and self._nav)) and self._open:
            if tag == "nav":
                self._nav -= 1
            text = re.sub(r"\s+", " ", "".join(self._open.pop())).strip()
            if text:
                self.texts.append(text)

    def handle_data(self, data):
        if self._open and (not self._skip or self._nav):
            self._open[-1].append(data)


def stored_values() -> list[str]:
    """Every short text stored in the database (names, titles, document numbers…), longest first:
    what an English page may still show in Chinese."""
    from django.apps import apps
    from django.db import models

    values: set[str] = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField) and not f.choices and (f.max_length or 0) <= 400]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields)[:3000]:
            values.update(v for v in row if isinstance(v, str) and HAN.search(v))
    return sorted(values, key=len, reverse=True)


def untranslated(html: str, names: list[str]) -> list[str]:
    """The chrome texts of an English page that still hold Chinese once stored values are taken out."""
    parser = _Chrome()
    parser.feed(html)
    left = []
    for text in parser.texts:
        if not HAN.search(text):
            continue
        rest = text
        for name in names:
            if name in rest:
                rest = rest.replace(name, " ")
                if not HAN.search(rest):
                    break
        if HAN.search(rest):
            left.append(text)
    return left
