"""A fixed-window counter per client in the cache, for forms the public sends without an
account (review suggestions, consultation comments). Check before the write, count after it,
so a refused or failed submission does not use up the allowance."""
from __future__ import annotations

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
