"""Walk every public door as an anonymous visitor and fail on any personal number or party name
in the clear (issue 13). Run in CI on the demo data and nightly in production.

The doors: every page reachable by links from the home page, the sitemap and every route without
parameters (catalogs, decisions, library, enforcement notices and reports, consultations, search,
transparency), the Atom feeds, the open-data downloads (CSV, XLSX, JSON) and the public API (each
list page by page, each item by id). Each answer's text goes through ``core.pii``: resident IDs,
mobile numbers and bank cards are findings anywhere (landlines are not: offices publish theirs);
the names and aliases of natural persons who are parties of a published enforcement decision are
findings too. Findings are printed masked, so the report itself leaks nothing.

Requests go through the whole middleware stack in-process (django.test.Client); each presents its
own loopback-range address so the public rate limits do not cut the walk short.
"""
from __future__ import annotations

import io
import json
import re
import time
from collections import deque
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from core import pii

#: Kinds that are findings on any public page (offices publish their own landlines).
FLAGGED = {pii.RESIDENT_ID, pii.MOBILE, pii.BANK_CARD}
#: Never walked: staff, admin and login areas, static files and attachment downloads.
SKIPPED_PREFIXES = ("/work/", "/admin/", "/accounts/", "/static/", "/i18n/", "/api/docs/", "/api/schema/",
                    "/calendar/", "/subscribe/",
                    # operations: process and queue figures for the load balancer and Prometheus (no content)
                    "/healthz", "/readyz", "/metrics")
SEARCH_TERMS = ("处罚", "决定", "湖州", "案")
HREF = re.compile(r"""(?:href|src)=["']([^"'#]+)""")
LOC = re.compile(r"<loc>([^<]+)</loc>")


def _plain_routes() -> list[str]:
    """Every route of the URL conf without parameters."""
    found = []

    def walk(resolver, prefix):
        for entry in resolver.url_patterns:
            pattern = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, pattern)
            elif isinstance(entry, URLPattern) and "<" not in pattern and "(" not in pattern \
                    and not pattern.startswith("^"):
                found.append("/" + pattern.lstrip("^").rstrip("$"))

    walk(get_resolver(), "")
    return found


def _public_party_names() -> list[str]:
    from enforcement.masking import party_names
    from enforcement.models import Case

    names: list[str] = []
    from django.db.models import Q

    cases = (Case.objects.filter(Q(notice__isnull=False) | Q(guidance__isnull=False), party_type="person")
             .only("party_type", "party_name", "party_aliases"))
    for case in cases.iterator():
        names.extend(party_names(case))
    return sorted(set(names))


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)


class Command(BaseCommand):
    help = "Walk every public page, feed, download and API answer; exit 1 on any unmasked personal number or name."

    def add_arguments(self, parser):
        parser.add_argument("--max-requests", type=int, default=5000, help="stop after this many answers (default 5000)")

    def handle(self, *args, max_requests: int, **options):
        started = time.monotonic()
        host = next((h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")), "testserver")
        client = Client(HTTP_HOST=host)
        names = _public_party_names()
        name_pattern = [(name, pii.name_regex(name)) for name in names if len(name) >= 2]
        queue: deque[str] = deque()
        seen: set[str] = set()

        def add(url: str) -> None:
            parts = urlsplit(url)
            if parts.netloc and parts.netloc != host:
                return
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not path.startswith("/") or path.startswith(SKIPPED_PREFIXES) or path in seen:
                return
            seen.add(path)
            queue.append(path)

        for route in _plain_routes():
            add(route)
        for term in map(quote, SEARCH_TERMS):
            add(f"/search/?q={term}")
            add(f"/api/v1/public/search/?q={term}")
            add(f"/feeds/search/?q={term}")
        for fmt in ("csv", "xlsx", "json"):
            for route in [r for r in _plain_routes() if r.startswith("/open-data/") and r != "/open-data/"]:
                add(f"{route}?format={fmt}")

        findings: list[str] = []
        answered = 0
        while queue and answered < max_requests:
            path = queue.popleft()
            address = f"127.{(answered >> 16) & 255}.{(answered >> 8) & 255}.{answered & 255 or 1}"
            response = client.get(path, REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=address)
            answered += 1
            if options["verbosity"] >= 2:
                self.stdout.write(f"{response.status_code} {path}")
            if response.status_code != 200:
                continue
            content_type = response.get("Content-Type", "")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if "spreadsheetml" in content_type:
                text = _xlsx_text(body)
            elif content_type.startswith(("text/", "application/json", "application/atom", "application/xml",
                                          "application/rss", "application/csv")):
                text = body.decode(response.charset or "utf-8", errors="replace")
            else:
                continue
            for finding in pii.find_numbers(text):
                if finding.kind in FLAGGED:
                    findings.append(f"{path}: {pii.KIND_LABELS[finding.kind]} {pii.mask_number(finding)}")
            for name, pattern in name_pattern:
                if pattern.search(text):
                    findings.append(f"{path}: 当事人姓名 {pii.mask_person_name(name)}")
            # follow links, sitemap entries and the API's pages and items
            if content_type.startswith("text/html"):
                for href in HREF.findall(text):
                    add(urljoin(path, href.replace("&amp;", "&")))
            elif "xml" in content_type:
                for loc in LOC.findall(text):
                    add(loc)
            elif content_type.startswith("application/json") and path.startswith("/api/"):
                try:
                    data = json.loads(text)
                except ValueError:
                    data = None
                if isinstance(data, dict):
                    if data.get("next"):
                        add(data["next"])
                    base = urlsplit(path).path
                    for item in data.get("results") or []:
                        if isinstance(item, dict) and isinstance(item.get("id"), int) and "/search/" not in base:
                            add(f"{base}{item['id']}/")
        elapsed = time.monotonic() - started
        self.stdout.write(f"scanned {answered} public answers ({len(seen)} addresses, {len(names)} party names) "
                          f"in {elapsed:.1f}s")
        if queue:
            self.stdout.write(self.style.WARNING(f"stopped at --max-requests={max_requests}; {len(queue)} not walked"))
        if findings:
            for line in findings[:200]:
                self.stdout.write(line)
            raise CommandError(f"{len(findings)} unmasked personal data on public pages")
        self.stdout.write(self.style.SUCCESS("OK: no unmasked personal number or party name"))
