"""A fixed-window counter per client in the cache, for forms the public sends without an
account (review suggestions, consultation comments). Check before the write, count after it,
so a refused or failed submission does not use up the allowance."""
from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def is_limited(key: str, *, limit: int) -> bool:
    return cache.get(key, 0) >= limit


def count(key: str, *, window: int) -> None:
    """One more hit in the window that started with the first hit."""
    if not cache.add(key, 1, window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, window)


def client_key(request) -> str:
    """Whom a public form counts against: the client's address. Behind the load balancer
    (DJANGO_BEHIND_TLS_PROXY) every request comes from the balancer, so the address is the last
    one in X-Forwarded-For — the one the balancer itself appended, which a client cannot forge."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or "unknown"
