"""The public page cache (decision record 0023).

Anonymous GET/HEAD requests of public pages and public API responses (``settings.HUZHOU_PAGE_CACHE_PATHS``)
are answered from the cache (Redis when ``CACHE_URL`` names it, the process's memory otherwise), one
entry per path and query, language and local day (a notice taken down at midnight leaves the pages at
midnight). Every entry belongs to a *generation*; the generation moves on commit of any change of what
the public pages show (``watch``: the portal registers the lifecycles' models), so a page is never
stale after a publication, withdrawal, adjustment or take-down. With several processes the cache
must be shared (Redis) for the generation to be.

Never cached: a request with a session or ``Authorization`` (the header shows who is signed in), a
response that set a cookie or used the CSRF token (a form), anything but 200. Cached answers carry
``ETag`` and ``Last-Modified`` and answer ``If-None-Match``/``If-Modified-Since`` with 304;
``Cache-Control: public`` with ``s-maxage`` (``HUZHOU_CDN_MAX_AGE``, 0: a CDN revalidates every
time) lets a CDN in front keep them; signed-in pages say ``private``.
"""
from __future__ import annotations

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

from core.workdays import local_today

GENERATION_KEY = "pagecache:generation"
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Link", "X-Robots-Tag")
PRIVATE_COOKIES = ("sessionid", "messages")


def generation(store=None) -> int:
    store = store or cache
    value = store.get(GENERATION_KEY)
    if value is None:
        store.add(GENERATION_KEY, int(time.time() * 1000), None)
        value = store.get(GENERATION_KEY, 0)
    return value


def invalidate() -> None:
    """Every cached page is dropped (its generation is over)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, int(time.time() * 1000), None)


def invalidate_on_commit(*_args, **_kwargs) -> None:
    transaction.on_commit(invalidate, robust=True)


#: the models ``watch`` was given
WATCHED: set = set()


def watch(*models) -> None:
    """A change of any of ``models`` (saved or deleted) ends the cache's generation on commit."""
    WATCHED.update(models)
    for model in models:
        uid = f"pagecache-{model._meta.label}"
        post_save.connect(invalidate_on_commit, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(invalidate_on_commit, sender=model, dispatch_uid=f"{uid}-delete", weak=False)


def _cacheable_request(request) -> bool:
    return getattr(settings, "HUZHOU_PAGE_CACHE", True) and public_read(request)


def public_read(request) -> bool:
    """An anonymous GET or HEAD of a public page or the public API (no session, no Authorization)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META or any(name in request.COOKIES for name in PRIVATE_COOKIES):
        return False
    path = request.path
    return path in settings.HUZHOU_PAGE_CACHE_EXACT or path.startswith(tuple(settings.HUZHOU_PAGE_CACHE_PATHS))


def _key(request, store=None) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{generation(store)}:{local_today().isoformat()}:{translation.get_language()}:{digest}"


#: what a cached public answer varies by
PUBLIC_VARY = ("Accept-Language", "Cookie")


def _public_cache_control() -> dict:
    """Cache-Control of a public answer: a CDN may keep it ``HUZHOU_CDN_MAX_AGE`` seconds, a browser revalidates."""
    return {"public": True, "max_age": 0, "s_maxage": getattr(settings, "HUZHOU_CDN_MAX_AGE", 0),
            "must_revalidate": True}


def _public_headers(response) -> None:
    patch_cache_control(response, **_public_cache_control())
    patch_vary_headers(response, PUBLIC_VARY)


@functools.lru_cache(maxsize=1024)
def _http_date(modified: int) -> str:
    return http_date(modified)


def _hit_headers(response) -> None:
    """``_public_headers`` of an answer built from the cache, which has neither header yet: written, not patched
    (a hit is the portal's most frequent answer)."""
    response["Cache-Control"] = ", ".join(name.replace("_", "-") if value is True else f"{name.replace('_', '-')}={value}"
                                          for name, value in _public_cache_control().items())
    response["Vary"] = ", ".join(PUBLIC_VARY)
    # the clickjacking middleware comes after this one: a hit would go without it (no public view is exempt)
    response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            response = self.get_response(request)
            if request.COOKIES.get("sessionid") and not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            return response
        store = caches["default"]  # once, not through the proxy at each call
        key = _key(request, store)
        hit = store.get(key)
        if hit is not None:
            status, headers, content, etag, modified = hit
            response = get_conditional_response(request, etag=etag, last_modified=modified)
            if response is None:
                response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
                for name, value in headers:
                    response[name] = value
                response["Content-Length"] = str(len(content))
            response["ETag"], response["Last-Modified"] = etag, _http_date(modified)
            response["X-Page-Cache"] = "hit"
            request.public_view = True  # only a public view's answer is stored (the security headers ask)
            _hit_headers(response)
            return response
        response = self.get_response(request)
        if (response.status_code == 200 and not response.streaming and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not response.has_header("Set-Cookie")
                and "private" not in response.get("Cache-Control", "") and request.method == "GET"):
            etag = '"' + hashlib.md5(response.content, usedforsecurity=False).hexdigest() + '"'
            modified = int(time.time())
            headers = [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)]
            store.set(key, (response.status_code, headers, response.content, etag, modified),
                      getattr(settings, "HUZHOU_PAGE_CACHE_SECONDS", 600))
            response["ETag"], response["Last-Modified"] = etag, http_date(modified)
            response["X-Page-Cache"] = "miss"
            _public_headers(response)
            conditional = get_conditional_response(request, etag=etag, last_modified=modified)
            if conditional is not None:
                for name in ("ETag", "Last-Modified", "Cache-Control", "Vary", "X-Page-Cache"):
                    conditional[name] = response[name]
                return conditional
        return response
