"""Every route of the URL conf with sample arguments, for the matrices of the security tests."""
from __future__ import annotations

from django.urls import URLPattern, URLResolver

SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000001"}


def _walk(resolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield pattern, entry


def _fill(pattern: str) -> str | None:
    import re

    if pattern.startswith("^") or "(?P" in pattern:
        return None  # regex routes (admin internals)
    filled = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), pattern)
    return "/" + filled


def api_route_samples(resolver) -> list[str]:
    urls = []
    for pattern, _entry in _walk(resolver):
        url = _fill(pattern)
        if url and url.startswith("/api/v1/"):
            urls.append(url)
    return sorted(set(urls))
